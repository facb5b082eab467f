"""Fuzzing the workbook reader, validator and scorer with random cell contents (hypothesis).

The suite runs a short version. The long run that the issue note records:

    KSREPORT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -q -p no:cacheprovider

Every random workbook must give either a plan or Swedish problems: never another exception.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksreport.errors import KsreportError
from ksreport.io.workbook import read_workbook
from ksreport.render.json import render_json
from ksreport.render.text import render_text
from ksreport.scoring import default_period, score
from ksreport.validate import validate
from workbooks import Cell, Sheets, base_sheets, write_book

EXAMPLES = int(os.environ.get("KSREPORT_FUZZ_EXAMPLES", "25"))

values = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "2020",
            "2020-T1",
            "2021-h1",
            "Genomförd",
            "pågår",
            "Indikator",
            "Aktivitet",
            "Högre är bättre",
            "Lägre är bättre",
            "Mål",
            "Delmål",
            "Mätvärde",
            "Grönt",
            "rött",
            "#DIV/0!",
            "#N/A",
            "=1+1",
            "12,5",
            "5,9 %",
            "1 250",
            "M1",
            "M2",
            "1",
            "1.1",
            "2.1",
            "{{ 7*7 }}",
            "<b>&amp;</b>",
            "2020–2022",
            "Sämsta",
            "Medel",
            "x" * 300,
        ]
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.builds(Cell, st.floats(-2, 2, allow_nan=False), st.sampled_from(["0%", "0.0%", "@"])),
)


@st.composite
def mutated(draw: st.DrawFn) -> Sheets:
    sheets = base_sheets()
    names = list(sheets)
    for _ in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(names))
        rows = sheets[name]
        action = draw(st.sampled_from(["cell", "cell", "cell", "row", "header", "drop-row"]))
        if action == "cell" and rows:
            r = draw(st.integers(0, len(rows) - 1))
            if rows[r]:
                c = draw(st.integers(0, len(rows[r]) - 1))
                rows[r][c] = draw(values)
        elif action == "row":
            rows.append(draw(st.lists(values, max_size=len(rows[0]) + 1)))
        elif action == "header" and rows:
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][c] = draw(values)
        elif action == "drop-row" and len(rows) > 1:
            del rows[draw(st.integers(1, len(rows) - 1))]
    if draw(st.booleans()) and draw(st.booleans()):
        del sheets[draw(st.sampled_from(names))]
    return sheets


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_random_workbooks_give_a_plan_or_swedish_problems(sheets: Sheets) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = write_book(Path(folder) / "fuzz.xlsx", sheets)
        except Exception:
            return  # openpyxl refused to write this content; nothing for ksreport to read
        try:
            plan, problems = validate(read_workbook(path))
        except KsreportError:
            return
        for p in problems:
            assert p.message and isinstance(p.message, str)
        if plan is None:
            assert any(p.is_error for p in problems)
            return
        period = default_period(plan)
        if period is not None:
            report = score(plan, period)
            render_json(report)
            render_text(report)
