"""What the suite and the tool need from the machine: no system fonts for the PDFs.

ksreport draws its PDFs with the fonts it ships (``templates/fonts``), so a machine without any
system font (a slim container) builds the same documents, without WeasyPrint's warning. (The
Kolada tests' independence of the clock is the ``today`` fixture in ``conftest.py``.)
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbooks import Sheets

NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def _fonts(pdf: bytes) -> set[str]:
    """The base names of every font the PDF's pages and their forms (the charts) use, without
    the subset prefix."""
    from pypdf import PdfReader

    names: set[str] = set()

    def walk(resources: Any) -> None:
        resources = resources.get_object()
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
        for xobject in resources.get("/XObject", {}).values():
            if "/Resources" in xobject.get_object():
                walk(xobject.get_object()["/Resources"])

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page["/Resources"])
    return names


@pytest.mark.slow
def test_pdf_build_without_any_system_font(
    tmp_path: Path, sheets: Sheets, book: Callable[[Sheets], Path]
) -> None:
    """A real ``ksreport build --format pdf`` (in its PDF worker processes) where fontconfig knows
    no font at all: exit 0, nothing on stderr, the texts in the PDFs, only the packaged fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS_CONF.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("FONTCONFIG_PATH", None)
    if shutil.which("fc-list"):  # the premise: this configuration has no font
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == ""
    out = tmp_path / "ut"
    args = ["--period", "2020", "--format", "pdf", "--out", str(out)]
    r = subprocess.run(
        [sys.executable, "-m", "ksreport", "build", str(book(sheets)), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no "UserWarning: No fonts configured in FontConfig"
    assert "skrev 3 filer" in r.stdout

    from pypdf import PdfReader

    pdfs = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    assert sorted(pdfs) == [
        "kommunstyrelsen-2020-presentation.pdf",
        "kommunstyrelsen-2020-tjansteskrivelse.pdf",
        "kommunstyrelsen-2020-verksamhetsberattelse.pdf",
    ]
    for name, data in pdfs.items():
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
        text = " ".join(text.split())
        assert "måluppfyllelse" in text.lower() and "helår 2020" in text, name
        assert ("Nöjda invånare" in text) != name.endswith("tjansteskrivelse.pdf"), name
        fonts = _fonts(data)
        assert fonts and all(f.startswith("Ksreport-") for f in fonts), (name, fonts)
