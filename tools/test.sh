#!/usr/bin/env bash
# Installs everything the test suite needs, then runs lint, type checks and every test.
# Used by the README's test command and by CI (.ci/run). Safe to run again: installs are skipped
# when already present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: LibreOffice headless (the real office suite the tests open DOCX/PPTX with, and
# Calc, which saves a workbook for the corpus), poppler-utils (pdftotext/pdftoppm), and
# Pango/HarfBuzz for WeasyPrint; fonts-liberation: LibreOffice shows the Arial that the Word and
# PowerPoint files name in Liberation Sans (the same metrics), as Office shows them in Arial.
apt_packages=(libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui poppler-utils
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installerar systempaket: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

python3 -m ruff check src tests tools
python3 -m ruff format --check --quiet src tests tools
python3 -m mypy
python3 -m pytest "$@"
