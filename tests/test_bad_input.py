"""The bad-workbook corpus (tests/corpus.py): every case exits 1 with its Swedish message, names
sheet and cell where there is one, never shows a traceback and writes nothing."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from corpus import CASES, Case
from ksreport.errors import WorkbookError
from ksreport.io import workbook

Run = Callable[..., Result]


def _param(c: Case) -> object:
    return pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else [])


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_workbook(case: Case, run_cli: Run, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    out = tmp_path / "ut"
    # A slow case (a large workbook) is read once, by build, which validates first.
    commands = [["validate", path]] if not case.slow else []
    for command in [*commands, ["build", path, "--out", out]]:
        r = run_cli(*command)
        assert r.exit_code == 1, r.output
        for fragment in case.expect:
            assert fragment in r.output, r.output
        assert "Traceback" not in r.output and "oväntat fel" not in r.output
    assert not out.exists() or list(out.iterdir()) == []


def test_zip_total_size_bound(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/big.bin", b"x" * 5000)
    monkeypatch.setattr(workbook, "MAX_UNCOMPRESSED_BYTES", 4096)
    with pytest.raises(WorkbookError, match="packas upp till"):
        workbook.check_container(path)


def test_defusedxml_refuses_entities_even_without_our_scan(tmp_path: Path) -> None:
    """Defence in depth: openpyxl parses through defusedxml once it is installed."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    case = next(c for c in CASES if c.name == "billion-laughs")
    path = case.make(tmp_path)
    from defusedxml import EntitiesForbidden

    with path.open("rb") as fh, pytest.raises(ValueError, match="Unable to read") as info:
        openpyxl.load_workbook(fh)
    assert isinstance(info.value.__cause__, EntitiesForbidden)
