"""Render two pages of the sample report as pictures for the README.

Run ``python tools/make_readme_picture.py`` (needs ``pdftoppm`` from poppler-utils). It builds the
PDFs from ``data/exempel.xlsx`` the way ``ksreport build`` does and renders:

- ``docs/exempel-sida.png``: the report for the workbook's own period (the annual report 2020),
  the page where the first goal with a board override starts (else the first goal), so the
  picture shows a goal heading, the board's assessment and a table of measures;
- ``docs/exempel-delar.png``: the delårsrapport per augusti 2021 (2021-T2), the page where goal 1
  starts: the status line resting on forecasts, what the assessment is based on, the analysis
  and a table with outcomes so far, forecasts and a latest known outcome.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ksreport.context import ReportContext, build_context
from ksreport.model import Plan
from ksreport.periods import Period, PeriodKind
from ksreport.render.pdf import render_report_pdf
from ksreport.scoring import default_period, score
from ksreport.validate import load_plan

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "exempel.xlsx"
TARGET = ROOT / "docs" / "exempel-sida.png"
TARGET_INTERIM = ROOT / "docs" / "exempel-delar.png"
INTERIM = Period(2021, PeriodKind.T2)
DPI = 80


def _page_of(reader: PdfReader, title: str) -> int:
    def walk(items: Sequence[Any]) -> int | None:
        for item in items:
            if isinstance(item, list):
                found = walk(item)
                if found is not None:
                    return found
            elif getattr(item, "title", None) == title:
                return reader.get_destination_page_number(item)
        return None

    page = walk(reader.outline)
    return 0 if page is None else page


def _picture(
    plan: Plan, period: Period, generated: dt.date, target: Path, pick: str = "override"
) -> None:
    """Render the page where the chosen goal starts: the first one the board overrode (else the
    first goal) with ``pick="override"``, the first goal with ``pick="first"``."""
    ctx: ReportContext = build_context(score(plan, period), generated=generated)
    pdf = render_report_pdf(ctx)
    overridden = [g for g in ctx.goals if g.assessed.overridden] if pick == "override" else []
    goal = (overridden or list(ctx.goals))[0]
    page = _page_of(PdfReader(io.BytesIO(pdf)), goal.heading) + 1
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rapport.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                str(page),
                "-l",
                str(page),
                "-r",
                str(DPI),
                "-png",
                "-singlefile",
                str(source),
                str(Path(tmp) / "sida"),
            ],
            check=True,
        )
        target.parent.mkdir(exist_ok=True)
        target.write_bytes((Path(tmp) / "sida.png").read_bytes())
    print(f"{target.relative_to(ROOT)} ({period.words}, sida {page})")


def main() -> None:
    plan, _ = load_plan(SOURCE)
    period = default_period(plan)
    if period is None:
        sys.exit("Exempelarbetsboken har inga utfall.")
    _picture(plan, period, dt.date(2021, 3, 10), TARGET)
    if INTERIM not in plan.reported_periods():
        sys.exit(f"Exempelarbetsboken har inga utfall eller prognoser för {INTERIM.code}.")
    _picture(plan, INTERIM, dt.date(2021, 9, 15), TARGET_INTERIM, pick="first")


if __name__ == "__main__":
    main()
