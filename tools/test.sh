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
# chromium and nodejs: the web pages' accessibility audit (axe-core in a real browser,
# tests/test_web_accessibility.py); npm too, unless node came with its own (NodeSource).
apt_packages=(libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui poppler-utils
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
              chromium nodejs)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installerar systempaket: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# axe-core and puppeteer-core (no browser download: the audit drives Debian's chromium).
if [ ! -d tests/a11y/node_modules/axe-core ] || [ tests/a11y/package-lock.json -nt tests/a11y/node_modules ]; then
  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
fi

python3 -m ruff check src tests tools
python3 -m ruff format --check --quiet src tests tools
python3 -m mypy
# One worker per core (KSREPORT_TEST_WORKERS=0 runs in this process); a test file stays on one
# worker, so a module's shared build is made once.
python3 -m pytest -n "${KSREPORT_TEST_WORKERS:-auto}" --dist loadfile "$@"
