"""Render a page of the sample report as ``docs/exempel-sida.png`` for the README.

Run ``python tools/make_readme_picture.py`` (needs ``pdftoppm`` from poppler-utils). It builds the
PDF from ``data/exempel.xlsx`` the way ``ksreport build`` does and renders the page where the first
goal with a board override starts (else the first goal), so the picture shows a goal heading, the
board's assessment and a table of measures.
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

from ksreport.context import build_context
from ksreport.render.pdf import render_report_pdf
from ksreport.scoring import default_period, score
from ksreport.validate import load_plan

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "exempel.xlsx"
TARGET = ROOT / "docs" / "exempel-sida.png"
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


def main() -> None:
    plan, _ = load_plan(SOURCE)
    period = default_period(plan)
    if period is None:
        sys.exit("Exempelarbetsboken har inga utfall.")
    ctx = build_context(score(plan, period), generated=dt.date(2021, 3, 10))
    pdf = render_report_pdf(ctx)
    goal = next((g for g in ctx.goals if g.assessed.overridden), ctx.goals[0])
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
        TARGET.parent.mkdir(exist_ok=True)
        TARGET.write_bytes((Path(tmp) / "sida.png").read_bytes())
    print(f"{TARGET} (sida {page})")


if __name__ == "__main__":
    main()
