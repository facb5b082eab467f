"""Shared fixtures: real workbooks written with openpyxl, and the real CLI run in-process."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
# The tests test the tree they are in, also in the `python -m ksreport` processes they start,
# whichever checkout the editable install happens to point at.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from workbooks import Sheets, base_sheets, write_book

_SRC = str(Path(__file__).resolve().parents[1] / "src")
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_SRC, os.environ.get("PYTHONPATH", "")) if p)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exempel.xlsx"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run ``ksreport ARGS`` in-process, the way ``main`` runs it (Swedish click messages)."""
    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()

    def run(*args: str | Path) -> Result:
        runner = CliRunner()
        r = runner.invoke(cli, [str(a) for a in args], prog_name="ksreport", catch_exceptions=False)
        return Result(r.exit_code, r.stdout, r.stderr)

    return run


def libreoffice_pdf(source: Path) -> Path:
    """Convert ``source`` to PDF with LibreOffice headless, as a real office suite opens it;
    skips the test where LibreOffice is not installed. A private profile keeps parallel runs
    apart."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) saknas")
    profile = (source.parent / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf")


@pytest.fixture
def sheets() -> Sheets:
    return base_sheets()


@pytest.fixture
def book(tmp_path: Path) -> Callable[[Sheets], Path]:
    counter = iter(range(1000))

    def make(s: Sheets) -> Path:
        return write_book(tmp_path / f"bok{next(counter)}.xlsx", s)

    return make


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """A fixed "today" (1 May 2023) for the Kolada import's default and allowed years, so the
    tests do not depend on the machine's clock."""
    day = dt.date(2023, 5, 1)
    monkeypatch.setattr("ksreport.kolada_import._today", lambda: day)
    return day
