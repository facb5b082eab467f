"""Fuzzing the read → validate → score → render stages with random workbooks (hypothesis).

Every workbook the strategies generate is one openpyxl can write (characters XML can hold,
strings of at most 32 767 characters, dates Excel can hold), so writing never fails and is not
guarded: an example cannot pass by failing to write. Reading and validating it must end in one
of two ways:

- a plan: it is scored for every period it can be reported for (and its default period), and
  ``render_json`` gives JSON with the report's keys, its period, summary and the whole tree of
  goals, sub-goals and measures; ``render_text`` a table with every goal;
- problems (or a ``KsreportError``): each problem names its place, a sheet of the workbook and a
  cell, column or row within what was written (``Mätvärden!H12``, ``Utfall!1:1``), and is
  worded in Swedish.

Any other exception fails, also one the reader would have turned into "kan inte läsas"
(``KSREPORT_DEBUG`` is set while reading). A few edge workbooks (``@example``) are tried on every
run before the random ones. CI runs 200 random examples, derandomized when ``CI`` is set so that
a failure there reproduces; elsewhere each run draws new ones. A longer run:

    KSREPORT_FUZZ_EXAMPLES=2000 python3 -m pytest tests/test_fuzz.py -q -p no:cacheprovider
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import column_index_from_string

from ksreport import contract
from ksreport.errors import KsreportError, Problem
from ksreport.io.workbook import read_workbook
from ksreport.model import ScoredReport, Status
from ksreport.periods import Period
from ksreport.render.json import render_json
from ksreport.render.text import render_text
from ksreport.scoring import default_period, score
from ksreport.validate import validate
from workbooks import Cell, Sheets, base_sheets, interim_sheets, set_cell, write_book

EXAMPLES = int(os.environ.get("KSREPORT_FUZZ_EXAMPLES", "200"))
MAX_CELL_TEXT = 32767  # Excel's limit; openpyxl silently cuts longer strings
LONG_TEXT, LONGEST_TEXT = "x" * 300, "å" * MAX_CELL_TEXT

# Letters, digits, punctuation, symbols and spaces of any script, and tab and newlines: no
# control characters (openpyxl refuses them), surrogates or noncharacters (XML cannot hold them).
_SAFE_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")
) | st.sampled_from("\t\n\r")
safe_text = st.text(_SAFE_CHARACTERS, max_size=20)

_WORDS = [
    "",
    " ",
    "2020",
    "2021",
    "2020-T1",
    "2021-T2",
    "2021-h1",
    "2019-Q1",
    "Genomförd",
    "pågår",
    "Ej påbörjad",
    "Indikator",
    "Aktivitet",
    "Högre är bättre",
    "Lägre är bättre",
    "Mål",
    "Delmål",
    "Mätvärde",
    "Grönt",
    "rött",
    "Uppnått",
    "Bedöms delvis uppnås",
    "#DIV/0!",
    "#N/A",
    "=1+1",
    "12,5",
    "5,9 %",
    "1 250",
    "−3,2",
    "M1",
    "M2",
    "M9",
    "1",
    "1.1",
    "2.1",
    "9.9",
    "T",
    "K",
    "Kvinnor",
    "0840",
    "G37411",
    "{{ 7*7 }}",
    "<b>&amp;</b>",
    "2020–2022",
    "2022-2020",
    "Sämsta",
    "Medel",
    "Måluppfyllelse",
    "Sammanfattning",
    LONG_TEXT,
    LONGEST_TEXT,
]
_NUMBER_FORMATS = [
    "General",
    "0%",
    "0.0%",
    "@",
    '0.0" %"',
    "#,##0,",
    '#,##0," tkr"',
    "0%;-0",
    "[>=100]0;0%",
    "yyyy-mm-dd",
    "[hh]:mm:ss",
]

numbers = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-200, 200, allow_nan=False),
)
plain_values = st.one_of(
    st.none(),
    safe_text,
    st.sampled_from(_WORDS),
    numbers,
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=1000)),
)
values = plain_values | st.builds(Cell, plain_values, st.sampled_from(_NUMBER_FORMATS))
# What a person plausibly types in a column: numbers (or mistakes for them) where numbers belong,
# text where text belongs. These keep more workbooks valid, so scoring and rendering get their
# share of the examples.
_SCORED_SHEETS = (contract.SHEET_MEASURES, contract.SHEET_OUTCOMES)
_NUMBER_COLUMNS = {"utgångsvärde", "målvärde", "värde", "prognos", "riket", "jämförelsegrupp"}
_TEXT_COLUMNS = {
    "mål", "delmål", "mätvärde", "beskrivning", "kommentar", "källa", "ansvarig", "enhet",
    "motivering", "analys", "beslut", "fullmäktigemål", "text",
}  # fmt: skip
number_like = st.one_of(
    numbers,
    st.sampled_from([0, 0.0, -0.0, 1e-9, -1, 100, 1e15, 5e-324]),
    st.builds(Cell, numbers, st.sampled_from(_NUMBER_FORMATS)),
    st.sampled_from(["12,5", "5,9 %", "1 250", "−3,2", "0", "#DIV/0!", " "]),
    st.booleans(),
    st.none(),
)
text_like = safe_text | st.sampled_from(
    ["{{ 7*7 }}", "<b>&amp;</b>", "=1+1", LONG_TEXT, LONGEST_TEXT]
)


def plausible(header: object) -> st.SearchStrategy[object]:
    column = str(header).strip().casefold()
    if column in _NUMBER_COLUMNS:
        return number_like
    return text_like if column in _TEXT_COLUMNS else values


OPTIONAL_SHEETS: Sheets = {
    contract.SHEET_COMPARISONS: [
        contract.SHEETS[contract.SHEET_COMPARISONS],
        ["M1", 2020, 65, 68, "Kolada"],
    ],
    contract.SHEET_CASE_TEXTS: [contract.SHEETS[contract.SHEET_CASE_TEXTS], ["Ärendet", "Text."]],
}


def writable(value: object) -> bool:
    """openpyxl writes the value as it is: no illegal character, not cut at Excel's limit."""
    if isinstance(value, Cell):
        return writable(value.value)
    if isinstance(value, str):
        return len(value) <= MAX_CELL_TEXT and ILLEGAL_CHARACTERS_RE.search(value) is None
    return True


@st.composite
def workbooks(draw: st.DrawFn) -> Sheets:
    """``base_sheets`` (or its interim variant with Kön and Prognos), changed 1–6 times."""
    sheets = interim_sheets() if draw(st.booleans()) else base_sheets()
    for _ in range(draw(st.integers(1, 6))):
        action = draw(
            st.sampled_from(
                ["plausible"] * 4
                + ["cell"] * 2
                + ["copy-row", "row", "header", "drop-row", "setting", "column", "sheet"]
            )
        )
        names = list(sheets)
        if action == "plausible":  # most often where the scored numbers are
            names += [n for n in names if n in _SCORED_SHEETS] * 2
        name = draw(st.sampled_from(names))
        rows = sheets[name]
        if action in ("cell", "plausible") and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            if rows[r]:
                c = draw(st.integers(0, len(rows[r]) - 1))
                header = rows[0][c] if c < len(rows[0]) else None
                rows[r][c] = draw(plausible(header) if action == "plausible" else values)
        elif action == "copy-row" and len(rows) > 1:
            rows.insert(draw(st.integers(1, len(rows))), list(draw(st.sampled_from(rows[1:]))))
        elif action == "row":
            rows.insert(
                draw(st.integers(1, len(rows))),
                draw(st.lists(values, max_size=len(rows[0]) + 1)),
            )
        elif action == "header" and rows and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(values)
        elif action == "drop-row" and len(rows) > 1:
            del rows[draw(st.integers(1, len(rows) - 1))]
        elif action == "setting" and contract.SHEET_SETTINGS in sheets:
            key = draw(st.sampled_from(contract.SETTING_KEYS) | safe_text)
            sheets[contract.SHEET_SETTINGS].append([key, draw(values)])
        elif action == "column" and rows:
            rows[0].append(draw(st.sampled_from(["Prognos", "Kön", "Extra"]) | safe_text))
            for row in rows[1:]:
                row.extend([None] * (len(rows[0]) - 1 - len(row)) + [draw(values)])
        elif action == "sheet":
            change = draw(st.sampled_from(["drop", "rename", "add"]))
            if change == "drop":
                del sheets[name]
            elif change == "rename":
                new = draw(st.sampled_from([name.upper(), name.lower(), f" {name}", f"{name} "]))
                sheets = {new if k == name else k: v for k, v in sheets.items()}
            else:
                extra = draw(st.sampled_from([*OPTIONAL_SHEETS, "Anteckningar"]))
                if extra not in sheets:
                    sheets[extra] = [list(r) for r in OPTIONAL_SHEETS.get(extra, [["Anteckning"]])]
    assert all(writable(v) for rows in sheets.values() for row in rows for v in row)
    return sheets


_PLACE = re.compile(r"^(?P<sheet>[^!]+)(?:!(?P<ref>[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?|\d+:\d+))?$")
_CELL = re.compile(r"([A-Z]{1,3})(\d+)")
# Every message says something is, exists, must or is missing, in Swedish; Python's own words and
# reprs never reach the user.
_SWEDISH = re.compile(
    r"\b(är|finns|måste|saknas|ska|används|läses|anges|går|får|ligger|har|visar|innehåller|kan)\b"
)
_NOT_FOR_USERS = re.compile(
    r"Traceback|Error\b|Exception|object at 0x|\bNone\b|datetime\.|Period\(|"
    r"\b(is|not|the|invalid|cannot|could)\b"
)
_QUOTED = re.compile(r'"[^"]*"')  # the user's own value, quoted in the message


def check_swedish(message: str) -> None:
    own_words = _QUOTED.sub('""', message)
    assert own_words.rstrip().endswith("."), message
    assert _SWEDISH.search(own_words), f"inte svenska: {message!r}"
    assert not _NOT_FOR_USERS.search(own_words), f"inte för användare: {message!r}"


def check_place(problem: Problem, sheets: Sheets) -> None:
    """The problem names a sheet of the workbook (or a required one that is missing) and, where
    it names a cell, column or row, one within what was written."""
    m = _PLACE.match(problem.place)
    assert m, f"ingen plats: {problem}"
    sheet = m.group("sheet")
    assert sheet in sheets or sheet in contract.REQUIRED_SHEETS, f"okänt blad: {problem}"
    ref = m.group("ref")
    if ref is None or sheet not in sheets:
        return
    rows = sheets[sheet]
    last_row = max(1, len(rows))
    last_column = max((len(r) for r in rows), default=1)
    for part in ref.split(":"):
        cell = _CELL.fullmatch(part)
        row = int(cell.group(2)) if cell else int(part)
        assert 1 <= row <= last_row, f"rad utanför bladet: {problem}"
        if cell:
            assert column_index_from_string(cell.group(1)) <= last_column, problem


def check_rendered(report: ScoredReport) -> None:
    """``render_json`` gives the report as JSON, ``render_text`` a table with every goal."""
    data = json.loads(render_json(report).decode("utf-8"))
    assert set(data) == {"organisation", "board", "period", "settings", "summary", "goals"}
    assert data["period"] == report.period.code
    assert [
        (g["id"], [(s["id"], [m["id"] for m in s["measures"]]) for s in g["subgoals"]])
        for g in data["goals"]
    ] == [
        (g.goal.id, [(s.subgoal.id, [m.measure.id for m in s.measures]) for s in g.subgoals])
        for g in report.goals
    ]
    statuses = {s.value for s in Status}
    assert set(data["summary"]) == statuses
    assert sum(data["summary"].values()) == len(report.measures)
    for g in data["goals"]:
        assert {g["status"], g["computed_status"]} <= statuses
        for s in g["subgoals"]:
            assert {s["status"], s["computed_status"]} <= statuses
            assert all(m["status"] in statuses for m in s["measures"])
    text = render_text(report)
    assert isinstance(text, str)
    assert f": måluppfyllelse {report.period.words}\n" in text  # the heading (names may break)
    assert all(f"Mål {g.goal.id}: " in text for g in report.goals)
    assert text.rstrip("\n").splitlines()[-1].startswith("Mätvärden:")


def changed(
    base: Sheets, *cells: tuple[str, str, str, object], rows: Sheets | None = None
) -> Sheets:
    """``base`` with cells set (sheet, the row's id, header, value) and rows added."""
    for sheet, row_id, header, value in cells:
        set_cell(base, sheet, row_id, header, value)
    for sheet, extra in (rows or {}).items():
        base[sheet] += extra
    return base


def headers_only() -> Sheets:
    return {name: rows[:1] for name, rows in base_sheets().items()}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(workbooks())
# Tried on every run, before the random ones: edges that random draws reach only now and then.
@example(headers_only())
@example(  # targets of 0 both ways, huge numbers, no tolerance and the worst child
    changed(
        interim_sheets(),
        ("Mätvärden", "M1", "Målvärde", 0),
        ("Mätvärden", "M3", "Målvärde", -0.0),
        ("Mätvärden", "M4", "Målvärde", Cell(0, "0%")),
        ("Mätvärden", "M5", "Utgångsvärde", 0),
        ("Mätvärden", "M5", "Målvärde", -1e300),
        ("Utfall", "M1", "Värde", 1e26),
        rows={"Inställningar": [["Tolerans", 0], ["Sammanvägning", "Sämsta"]]},
    )
)
@example(  # booleans, dates, huge numbers and error values where numbers belong
    changed(
        base_sheets(),
        ("Mätvärden", "M1", "Målvärde", True),
        ("Mätvärden", "M3", "Utgångsvärde", Cell(4.3e16, "yyyy-mm-dd")),
        ("Mätvärden", "M4", "Målvärde", dt.datetime(2020, 1, 1)),
        ("Mätvärden", "M5", "Målvärde", 1e308),
        ("Utfall", "M4", "Värde", "#N/A"),
    )
)
def test_random_workbooks_give_a_plan_or_swedish_problems(sheets: Sheets) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_book(Path(folder) / "fuzz.xlsx", sheets)
        try:
            with mock.patch.dict(os.environ, {"KSREPORT_DEBUG": "1"}):
                plan, problems = validate(read_workbook(path))
        except KsreportError as exc:
            check_swedish(str(exc))
            assert any(f"{name}!" in str(exc) for name in sheets), str(exc)
            return
    for p in problems:
        check_place(p, sheets)
        check_swedish(p.message)
    if plan is None:
        assert any(p.is_error for p in problems)
        return
    assert not any(p.is_error for p in problems)
    periods = {*plan.reported_periods(), default_period(plan) or Period(2020)}
    for period in sorted(periods):
        check_rendered(score(plan, period))


def test_a_date_cell_no_date_can_hold_is_a_problem_at_its_cell(tmp_path: Path) -> None:
    """Found by this fuzz run: a number too large for a date in a date-formatted cell made
    openpyxl warn in English while the rows were read (on the terminal, or as an exception where
    warnings are errors); now it is read as #VALUE! and reported at its cell, in Swedish."""
    sheets = base_sheets()
    set_cell(sheets, "Mätvärden", "M1", "Utgångsvärde", Cell(4.3e16, "yyyy-mm-dd"))
    set_cell(sheets, "Mätvärden", "M3", "Utgångsvärde", Cell(4.3e16, "[hh]:mm:ss"))
    plan, problems = validate(read_workbook(write_book(tmp_path / "datum.xlsx", sheets)))
    assert plan is None
    assert [str(p) for p in problems] == [
        "Mätvärden!G2: Utgångsvärde innehåller felvärdet #VALUE!. Rätta formeln eller skriv in "
        "värdet.",
        "Mätvärden!G4: Utgångsvärde innehåller felvärdet #VALUE!. Rätta formeln eller skriv in "
        "värdet.",
    ]


def test_a_huge_outcome_is_printed_not_a_crash(tmp_path: Path) -> None:
    """Found by this fuzz run: an outcome of 1e26 or more crashed every document (Babel rounds
    in Python's default 28-digit decimal context); now it is printed in full."""
    sheets = base_sheets()
    set_cell(sheets, "Utfall", "M1", "Värde", 1e26)
    plan, _ = validate(read_workbook(write_book(tmp_path / "stort.xlsx", sheets)))
    assert plan is not None
    text = render_text(score(plan, Period(2019)))
    assert (
        "100\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0%" in text
    )
