"""PDF/UA audit of every PDF a real build writes: report, slides, memo and council view, at a
full year and an interim period, as PDF/UA-1 and as PDF/A-2a (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from a11y_pdf import audit
from conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.slow

BOARDS = (ROOT / "data" / "exempel-bun.xlsx", ROOT / "data" / "exempel-son.xlsx")


def build(run_cli: Callable[..., object], out: Path, variant: str, *args: object) -> list[Path]:
    result = run_cli("build", *args, "-f", "pdf", "--pdf-variant", variant, "-o", out)
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs
    return pdfs


CASES = [
    ("pdf/ua-1", ("-p", "2020", EXAMPLE)),
    ("pdf/ua-1", ("-p", "2021-T2", EXAMPLE)),
    ("pdf/ua-1", ("--consolidated", EXAMPLE, *BOARDS)),
    ("pdf/a-2a", ("-p", "2021-T2", EXAMPLE)),
    ("pdf/a-2a", ("--consolidated", EXAMPLE, *BOARDS)),
]


@pytest.mark.parametrize(("variant", "args"), CASES)
def test_every_pdf_passes_the_audit(
    run_cli: Callable[..., object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variant: str,
    args: tuple[object, ...],
) -> None:
    monkeypatch.setenv("KSREPORT_JOBS", "1")
    pdfs = build(run_cli, tmp_path, variant, *args)
    for pdf in pdfs:
        found = audit(pdf)
        assert found.problems() == {}, pdf.name
        # The running header and "Sida N av M" are there, as pagination artifacts.
        assert found.pagination >= 1, pdf.name
    if "--consolidated" not in args:
        others = ("presentation.pdf", "tjansteskrivelse.pdf")
        assert len(pdfs) == 3 and all(any(p.name.endswith(o) for p in pdfs) for o in others)
        report = next(p for p in pdfs if not p.name.endswith(others))
        found = audit(report)
        assert found.tables >= 10
        # Column headers in THead, row headers beside the measures' values.
        assert found.scopes.keys() == {"Column", "Row"}, found.scopes


def test_the_audit_fails_without_the_post_processing(
    run_cli: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint's own tags: margin content cut off from the tree, TH without /Scope."""
    import ksreport.render.pdf as pdf_module

    monkeypatch.setenv("KSREPORT_JOBS", "1")
    monkeypatch.setattr(pdf_module, "mend_tags", lambda data: data)
    for pdf in build(run_cli, tmp_path, "pdf/ua-1", "-p", "2020", EXAMPLE):
        found = audit(pdf)
        assert found.untagged, pdf.name
        assert found.pagination == 0, pdf.name
        assert found.stale_parent_tree, pdf.name
        if not pdf.name.endswith("tjansteskrivelse.pdf"):
            assert found.th_without_scope, pdf.name
