"""``ksreport kolada``: fetch the Kolada measures' values, plan the changes to ``Utfall`` (and
``Jämförelser``), apply them to the workbook and return its new bytes.

The stages follow the project's habit: validate the workbook, fetch everything, plan every change,
apply the plan to a copy of the workbook in memory; the CLI writes the bytes last and atomically
(:func:`write_atomically`). The workbook is edited with openpyxl in normal (not read-only) mode,
so other sheets, styles, data validations, tables and comments are kept. Only full-year outcomes
are written; a differing existing value is kept unless ``overwrite`` is asked for.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import os
import re
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from ksreport import contract
from ksreport.errors import KsreportError, ValidationError
from ksreport.formatting import format_quantity
from ksreport.io.workbook import (
    canonical,
    check_container,
    lock_file_of,
    number_format_info,
    read_workbook,
)
from ksreport.kolada import (
    ATTRIBUTION,
    DEFAULT_API_URL,
    NATIONAL,
    KoladaClient,
    Kpi,
    Place,
    Value,
    kpi_id,
)
from ksreport.model import Comparison, Kind, Measure, Outcome, Plan, Settings
from ksreport.output import os_error_text
from ksreport.periods import Period
from ksreport.validate import validate

MISSING_PREFIX = "Kolada: "
"""Comments written for a missing Kolada value start with this; a later import that finds the
value replaces such a comment."""
COMPARISON_GROUP_TITLE = "Liknande kommuner, övergripande"
"""The Kolada municipality group used for comparison when ``Jämförelsegrupp`` is not set."""
MIN_YEAR = 1990
GENDER_WORDS = {"T": "", "K": "kvinnor", "M": "män"}
_EPS = 1e-9
_PLACE = re.compile(r"!\$?[A-Z]+\$?(\d+)$")
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4}))?\s*$")
# Parts of a workbook that openpyxl does not keep faithfully when it saves (charts, pictures,
# shapes, pivot tables, macros); comments' VML drawings are rewritten and do not count.
_AT_RISK = re.compile(
    r"^xl/(charts/|media/|pivotTables/|pivotCache/|drawings/drawing\d+\.xml$|vbaProject\.bin$)"
)


# --- What to fetch ------------------------------------------------------------------------


@dataclass(frozen=True)
class KoladaMeasure:
    """An indicator whose ``Källa`` names a Kolada KPI."""

    measure: Measure
    kpi: str


def kolada_measures(plan: Plan) -> tuple[list[KoladaMeasure], list[str]]:
    """The indicators whose Källa names a Kolada KPI, and notes on activities that do (skipped)."""
    found: list[KoladaMeasure] = []
    notes: list[str] = []
    for goal in plan.goals:
        for sub in goal.subgoals:
            for m in sub.measures:
                kpi = kpi_id(m.source)
                if kpi is None:
                    continue
                if m.kind is Kind.ACTIVITY:
                    notes.append(
                        f"{m.id} {m.name} är en aktivitet och hämtas inte från Kolada "
                        f"(Källa {kpi}); bara indikatorer får utfall från Kolada."
                    )
                    continue
                found.append(KoladaMeasure(m, kpi))
    return found, notes


def _today() -> dt.date:
    """Today's date, for the default and the allowed years; the one place the import reads the
    clock, so the tests can fix it."""
    return dt.date.today()


def parse_years(text: str, today: dt.date | None = None) -> list[int]:
    """``2019-2022``, ``2019–2022``, ``2021`` or ``2019,2021`` → the years; ValueError (Swedish)
    when the text is not that or a year lies outside 1990 to next year."""
    last = (today or _today()).year + 1
    years: set[int] = set()
    for part in text.split(","):
        m = _YEARS.match(part)
        if not m:
            raise ValueError(f'"{text}" är inga år; skriv t.ex. 2019-2022, 2021 eller 2019,2021.')
        first, end = int(m.group(1)), int(m.group(2) or m.group(1))
        if first > end:
            raise ValueError(f'"{part.strip()}": det första året är senare än det sista.')
        if first < MIN_YEAR or end > last:
            raise ValueError(f'"{part.strip()}": åren måste ligga mellan {MIN_YEAR} och {last}.')
        years.update(range(first, end + 1))
    return sorted(years)


def default_years(settings: Settings, today: dt.date | None = None) -> list[int]:
    """The mandate period up to this year, else the three years before this one."""
    year = (today or _today()).year
    if settings.mandate_start is not None and settings.mandate_end is not None:
        years = [y for y in range(settings.mandate_start, settings.mandate_end + 1) if y <= year]
        if years:
            return years
    return [year - 3, year - 2, year - 1]


# --- Fetching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    municipality: Place
    kpis: dict[str, Kpi]
    values: list[Value]
    comparison_values: list[Value] = field(default_factory=list)
    group: Place | None = None
    notes: tuple[str, ...] = ()


def fetch(
    client: KoladaClient,
    settings: Settings,
    targets: Sequence[KoladaMeasure],
    years: Sequence[int],
    *,
    compare: bool,
) -> Fetched:
    """Check the municipality and KPIs, then fetch their values (and with ``compare`` the
    country's and the comparison group's). Raises :class:`KsreportError` for unknown ids."""
    code = settings.municipality_code
    municipality = client.municipality(code)
    if municipality is None:
        raise KsreportError(
            f'Kommunkoden "{code}" (Kommunkod i bladet Inställningar) finns inte i Kolada. '
            "Kontrollera koden, t.ex. 0840. Arbetsboken har inte ändrats."
        )
    ids = sorted({t.kpi for t in targets})
    kpis = client.kpis(ids)
    unknown = [t for t in targets if t.kpi not in kpis]
    if unknown:
        listed = "; ".join(f'"{t.kpi}" (mätvärde {t.measure.id} {t.measure.name})' for t in unknown)
        raise KsreportError(
            f"Nyckeltalet finns inte i Kolada: {listed}. Rätta Källa i bladet Mätvärden "
            "(t.ex. Kolada N00914). Arbetsboken har inte ändrats."
        )
    values = client.values(ids, [code], years)
    if not compare:
        return Fetched(municipality, kpis, values)
    notes: list[str] = []
    group = _comparison_group(client, settings, municipality, notes)
    places = [NATIONAL] + ([group.id] if group is not None else [])
    others = client.values(ids, places, years)
    return Fetched(municipality, kpis, values, others, group, tuple(notes))


def _comparison_group(
    client: KoladaClient, settings: Settings, municipality: Place, notes: list[str]
) -> Place | None:
    if settings.comparison_group:
        group = client.group(settings.comparison_group)
        if group is None:
            raise KsreportError(
                f'Jämförelsegruppen "{settings.comparison_group}" (Jämförelsegrupp i bladet '
                "Inställningar) finns inte i Kolada. Arbetsboken har inte ändrats."
            )
        return group
    if municipality.id == NATIONAL or not municipality.title:
        return None
    wanted = f"{COMPARISON_GROUP_TITLE}, {municipality.title}"
    best: tuple[int, Place] | None = None
    for g in client.groups(wanted):
        rest = g.title.strip()
        if not rest.casefold().startswith(wanted.casefold()):
            continue
        rest = rest[len(wanted) :].strip()
        m = re.fullmatch(r",\s*(\d{4})", rest)
        if rest and not m:
            continue
        year = int(m.group(1)) if m else 0
        if best is None or year > best[0]:
            best = (year, g)
    if best is None:
        notes.append(
            f'Kolada har ingen grupp "{wanted}"; bara riket hämtas. Ange en grupp med '
            "Jämförelsegrupp i bladet Inställningar för att jämföra med den."
        )
        return None
    return best[1]


# --- Planning -----------------------------------------------------------------------------


class ChangeKind(Enum):
    NEW = "new"  # a new row, or a value filled into a row that had none
    UPDATED = "updated"  # an existing different value replaced (--overwrite)
    CONFLICT = "conflict"  # an existing different value kept (no --overwrite)
    MISSING = "missing"  # Kolada has no value: a row without value, the reason in Kommentar
    KEPT = "kept"  # Kolada has no value, the workbook has one: kept
    ABSENT = "absent"  # Kolada returned nothing for the year
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """One (measure, year, gender) compared with Kolada, and what happens to it."""

    kind: ChangeKind
    measure: Measure
    kpi: str
    year: int
    gender: str
    old: float | None = None
    new: float | None = None
    comment: str = ""
    row: int | None = None  # the existing row in Utfall, or None for a new row
    clear_comment: bool = False

    @property
    def writes(self) -> bool:
        return self.kind in (ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.MISSING)

    def describe(self) -> str:
        """A line for the user: ``M1 Nöjdhet, 2021, kvinnor: 68 % → 71 %``."""
        m = self.measure
        who = f"{m.id} {m.name}, {self.year}" + (
            f", {GENDER_WORDS[self.gender]}" if self.gender != "T" else ""
        )

        def q(v: float | None) -> str:
            return format_quantity(v, m.unit).replace("\u00a0", " ")

        if self.kind is ChangeKind.NEW:
            return f"{who}: {q(self.new)}"
        if self.kind is ChangeKind.UPDATED:
            return f"{who}: {q(self.old)} → {q(self.new)}"
        if self.kind is ChangeKind.CONFLICT:
            return f"{who}: {q(self.old)} i arbetsboken, {q(self.new)} i Kolada"
        if self.kind is ChangeKind.KEPT:
            return f"{who}: {q(self.old)} behålls ({self.comment})"
        if self.kind is ChangeKind.MISSING:
            return f"{who}: {self.comment}"
        return who


@dataclass(frozen=True)
class ComparisonChange:
    measure: Measure
    year: int
    national: float | None
    group: float | None
    source: str
    row: int | None  # the existing row in Jämförelser, or None for a new row


def _row_of(place: str) -> int | None:
    m = _PLACE.search(place)
    return int(m.group(1)) if m else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS * max(1.0, abs(a), abs(b))


def plan_changes(
    targets: Sequence[KoladaMeasure],
    fetched: Fetched,
    years: Sequence[int],
    *,
    overwrite: bool,
) -> list[Change]:
    """Compare every fetched full-year value with the workbook's outcomes: what to write."""
    code = fetched.municipality.id
    by_key: dict[tuple[str, int, str], Value] = {}
    for v in fetched.values:
        if v.municipality == code and v.year in years:
            by_key[(v.kpi, v.year, v.gender)] = v
    changes: list[Change] = []
    for t in targets:
        m = t.measure
        existing = {
            (o.period.year, o.gender): o
            for o in (*m.outcomes, *m.gender_outcomes)
            if o.period == Period(o.period.year)
        }
        for year in sorted(set(years)):
            if not any((t.kpi, year, g) in by_key for g in ("T", "K", "M")):
                changes.append(Change(ChangeKind.ABSENT, m, t.kpi, year, "T"))
                continue
            for gender in ("T", "K", "M"):
                value = by_key.get((t.kpi, year, gender))
                if value is None:
                    continue
                change = _compare(t, year, gender, value, existing.get((year, gender)), overwrite)
                if change is not None:
                    changes.append(change)
    return changes


def _compare(
    t: KoladaMeasure,
    year: int,
    gender: str,
    value: Value,
    old: Outcome | None,
    overwrite: bool,
) -> Change | None:
    m = t.measure
    row = _row_of(old.place) if old is not None else None
    if value.value is None:
        if gender != "T":
            return None  # no row for a missing K or M value; the total's row says it
        reason = f"{MISSING_PREFIX}värde saknas för {year}" + (
            f" (status {value.status})" if value.status else ""
        )
        reason += "."
        if old is None:
            return Change(ChangeKind.MISSING, m, t.kpi, year, gender, comment=reason)
        if old.value is not None:
            return Change(
                ChangeKind.KEPT,
                m,
                t.kpi,
                year,
                gender,
                old=old.value,
                comment="Kolada saknar värde",
            )
        return Change(ChangeKind.UNCHANGED, m, t.kpi, year, gender, row=row)
    new = value.value
    if old is None:
        return Change(ChangeKind.NEW, m, t.kpi, year, gender, new=new)
    if old.value is None:
        return Change(
            ChangeKind.NEW,
            m,
            t.kpi,
            year,
            gender,
            new=new,
            row=row,
            clear_comment=old.comment.startswith(MISSING_PREFIX),
        )
    if _close(old.value, new):
        return Change(ChangeKind.UNCHANGED, m, t.kpi, year, gender, old=old.value, new=new)
    kind = ChangeKind.UPDATED if overwrite else ChangeKind.CONFLICT
    return Change(kind, m, t.kpi, year, gender, old=old.value, new=new, row=row)


def plan_comparisons(
    targets: Sequence[KoladaMeasure], fetched: Fetched, years: Sequence[int]
) -> list[ComparisonChange]:
    """New or changed rows of Jämförelser: the country's and the group's total per year."""
    group_id = fetched.group.id if fetched.group is not None else None
    found: dict[tuple[str, str, int], float | None] = {}
    for v in fetched.comparison_values:
        if v.gender == "T" and v.year in years:
            found[(v.kpi, v.municipality, v.year)] = v.value
    out: list[ComparisonChange] = []
    for t in targets:
        m = t.measure
        existing: dict[int, Comparison] = {c.year: c for c in m.comparisons}
        for year in sorted(set(years)):
            national = found.get((t.kpi, NATIONAL, year))
            group = found.get((t.kpi, group_id, year)) if group_id else None
            if national is None and group is None:
                continue
            source = f"Kolada {t.kpi}" + (
                f"; jämförelsegrupp {fetched.group.title} ({fetched.group.id})"
                if fetched.group is not None and group is not None
                else ""
            )
            old = existing.get(year)
            if old is not None and _same(old.national, national) and _same(old.group, group):
                continue
            row = _row_of(old.place) if old is not None else None
            out.append(ComparisonChange(m, year, national, group, source, row))
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return _close(a, b)


# --- Applying -----------------------------------------------------------------------------


@dataclass
class Applied:
    data: bytes
    warnings: list[str]
    unsafe_in_place: list[str]
    """Why writing over the workbook itself could lose something (then only --out is allowed)."""


def risks(data: bytes) -> list[str]:
    """Parts of the workbook that openpyxl may not keep when it saves (in Swedish)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    found = []
    if any(_AT_RISK.match(n) and "vbaProject" not in n for n in names):
        found.append("diagram, bilder, former eller pivottabeller")
    if "xl/vbaProject.bin" in names:
        found.append("makron")
    return found


def apply_changes(
    data: bytes, changes: Sequence[Change], comparisons: Sequence[ComparisonChange]
) -> Applied:
    """The workbook's bytes with the changes applied to Utfall and Jämförelser."""
    import openpyxl

    notes: list[str] = []
    unsafe: list[str] = []
    lost = risks(data)
    if lost:
        what = " och ".join(lost)
        notes.append(
            f"Arbetsboken innehåller {what}, som kanske inte följer med när den sparas av "
            "ksreport. Kontrollera den nya filen."
        )
        unsafe.append(what)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True)
    if any("will be removed" in str(w.message) for w in caught):
        notes.append(
            "Arbetsboken innehåller Excel-tillägg som inte kan sparas av ksreport (t.ex. listval "
            "som hämtar sina värden från ett annat blad); de följer inte med i den nya filen."
        )
        unsafe.append("Excel-tillägg")
    if any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row):
        notes.append(
            "Arbetsboken innehåller formler. Öppna den nya filen i Excel eller LibreOffice och "
            "spara den innan du kör ksreport build, så att formlernas värden räknas ut."
        )
    written = [c for c in changes if c.writes]
    if written:
        _apply_outcomes(wb, written)
    if comparisons:
        _apply_comparisons(wb, comparisons)
    out = io.BytesIO()
    wb.save(out)
    return Applied(out.getvalue(), notes, unsafe)


def _sheet(wb: Any, name: str) -> Any | None:
    for ws in wb.worksheets:
        if canonical(ws.title) == canonical(name):
            return ws
    return None


def _columns(ws: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for cell in ws[1]:
        if cell.value is not None and str(cell.value).strip():
            found.setdefault(canonical(cell.value), cell.column)
    return found


def _last_row(ws: Any) -> int:
    last = 1
    for row in ws.iter_rows(min_row=2):
        if any(c.value is not None and str(c.value).strip() for c in row):
            last = row[0].row
    return last


def _set_number(cell: Any, value: float | None) -> None:
    """A number into a cell; a percent-formatted cell holds the fraction (72,5 % is 0.725), a
    cell whose ``%`` is only text (``0,0" %"``) the number itself."""
    if value is None:
        cell.value = None
        return
    scale = 100 ** number_format_info(cell.number_format or "General").percents_for(value)
    cell.value = round(value / scale, 12) if scale > 1 else value


def _set_text(cell: Any, value: str) -> None:
    cell.value = value
    cell.data_type = "s"
    cell.number_format = "@"


def _add_column(ws: Any, sheet: str, header: str) -> int:
    """Add ``header`` after the last header, styled like its neighbour, with help and dropdown."""
    from openpyxl.comments import Comment

    from ksreport.io.template import _dropdown

    last = max((c.column for c in ws[1] if c.value is not None), default=0)
    col = last + 1
    cell = ws.cell(row=1, column=col, value=header)
    if last:
        left = ws.cell(row=1, column=last)
        cell.font = copy.copy(left.font)
        cell.fill = copy.copy(left.fill)
        cell.border = copy.copy(left.border)
        cell.alignment = copy.copy(left.alignment)
    cell.comment = Comment(contract.COLUMN_HELP[sheet][header], "ksreport", width=300, height=110)
    if header in contract.ENUMS:
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(col)
        dv = _dropdown(header, contract.ENUMS[header])
        dv.add(f"{letter}2:{letter}{max(1000, ws.max_row)}")
        ws.add_data_validation(dv)
    return col


def _extend_table(ws: Any, last_row: int, new_col: int | None = None, name: str = "") -> None:
    """Grow the sheet's Excel table (the one whose header is row 1) to ``last_row`` and, when a
    column was added right after it, to that column."""
    from openpyxl.utils import get_column_letter, range_boundaries
    from openpyxl.worksheet.table import TableColumn

    for table in ws.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        if min_row != 1:
            continue
        if new_col is not None and new_col == max_col + 1:
            ids = [c.id for c in table.tableColumns] or [0]
            table.tableColumns.append(TableColumn(id=max(ids) + 1, name=name))
            max_col = new_col
        ref = f"{get_column_letter(min_col)}1:{get_column_letter(max_col)}{max(max_row, last_row)}"
        table.ref = ref
        if table.autoFilter is not None:
            table.autoFilter.ref = ref
        return


def _apply_outcomes(wb: Any, changes: Sequence[Change]) -> None:
    ws = _sheet(wb, contract.SHEET_OUTCOMES)
    assert ws is not None  # the workbook was validated
    cols = _columns(ws)
    added: int | None = None
    if any(c.gender != "T" for c in changes) and canonical("Kön") not in cols:
        added = _add_column(ws, contract.SHEET_OUTCOMES, "Kön")
        cols[canonical("Kön")] = added

    def col(header: str) -> int | None:
        return cols.get(canonical(header))

    value_col, comment_col, gender_col = col("Värde"), col("Kommentar"), col("Kön")
    assert value_col is not None
    next_row = _last_row(ws) + 1
    for c in changes:
        if c.row is not None:
            _set_number(ws.cell(row=c.row, column=value_col), c.new)
            if c.clear_comment and comment_col is not None:
                ws.cell(row=c.row, column=comment_col).value = None
            continue
        r = next_row
        next_row += 1
        id_col, period_col = col("Mätvärde-id"), col("Period")
        assert id_col is not None and period_col is not None
        _set_text(ws.cell(row=r, column=id_col), c.measure.id)
        _set_text(ws.cell(row=r, column=period_col), str(c.year))
        if c.new is not None:
            ws.cell(row=r, column=value_col).value = c.new
        if c.comment:
            if comment_col is None:
                comment_col = _add_column(ws, contract.SHEET_OUTCOMES, "Kommentar")
                cols[canonical("Kommentar")] = comment_col
            ws.cell(row=r, column=comment_col).value = c.comment
        if gender_col is not None:
            ws.cell(row=r, column=gender_col).value = c.gender
    _extend_table(ws, next_row - 1, added, "Kön")


def _apply_comparisons(wb: Any, changes: Sequence[ComparisonChange]) -> None:
    from ksreport.io.template import TABLE_NAMES, _write_sheet

    name = contract.SHEET_COMPARISONS
    headers = contract.SHEETS[name]
    ws = _sheet(wb, name)
    if ws is None:
        taken = {t.casefold() for s in wb.worksheets for t in s.tables}
        ws = wb.create_sheet(name)
        _write_sheet(ws, name, headers, [])
        if TABLE_NAMES[name].casefold() in taken:
            del ws.tables[TABLE_NAMES[name]]
    cols = _columns(ws)
    for header in headers:
        if canonical(header) not in cols:
            cols[canonical(header)] = _add_column(ws, name, header)
    next_row = _last_row(ws) + 1
    for c in changes:
        r = c.row if c.row is not None else next_row
        if c.row is None:
            next_row += 1
            _set_text(ws.cell(row=r, column=cols[canonical("Mätvärde-id")]), c.measure.id)
            ws.cell(row=r, column=cols[canonical("År")]).value = c.year
        _set_number(ws.cell(row=r, column=cols[canonical("Riket")]), c.national)
        _set_number(ws.cell(row=r, column=cols[canonical("Jämförelsegrupp")]), c.group)
        ws.cell(row=r, column=cols[canonical("Källa")]).value = c.source
    _extend_table(ws, next_row - 1)


# --- The whole import ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    years: tuple[int, ...] | None = None  # None: the mandate period, else the last three years
    overwrite: bool = False
    compare: bool = False
    api_url: str = DEFAULT_API_URL
    in_place: bool = False


@dataclass
class ImportResult:
    municipality: Place
    years: list[int]
    targets: list[KoladaMeasure]
    changes: list[Change]
    comparisons: list[ComparisonChange]
    group: Place | None
    notes: list[str]
    data: bytes | None  # None when nothing changes
    source_digest: str
    unsafe_in_place: list[str] = field(default_factory=list)

    def of(self, kind: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind is kind]


def run_import(
    path: Path,
    options: ImportOptions,
    *,
    client_factory: Callable[[str], KoladaClient] = KoladaClient,
) -> ImportResult:
    """Validate ``path``, fetch from Kolada and return the new workbook bytes (not written)."""
    check_container(path)
    data = path.read_bytes()
    if options.in_place and (lost := risks(data)):
        raise KsreportError(_unsafe_message(path, lost))
    plan, problems = validate(read_workbook(path))
    if plan is None:
        raise ValidationError(problems)
    settings = plan.settings
    if not settings.municipality_code:
        raise KsreportError(
            "Kommunkod saknas i bladet Inställningar. Skriv kommunens kod med fyra siffror, "
            "t.ex. 0840, så vet ksreport vilken kommun som ska hämtas från Kolada."
        )
    targets, notes = kolada_measures(plan)
    if not targets:
        raise KsreportError(
            "Inget mätvärde i bladet Mätvärden har ett nyckeltal från Kolada i kolumnen Källa. "
            'Skriv t.ex. "Kolada N00914" i Källa för de indikatorer som ska hämtas.'
        )
    years = list(options.years) if options.years else default_years(settings)
    with client_factory(options.api_url) as client:
        fetched = fetch(client, settings, targets, years, compare=options.compare)
    changes = plan_changes(targets, fetched, years, overwrite=options.overwrite)
    comparisons = plan_comparisons(targets, fetched, years) if options.compare else []
    notes.extend(fetched.notes)
    result = ImportResult(
        municipality=fetched.municipality,
        years=years,
        targets=targets,
        changes=changes,
        comparisons=comparisons,
        group=fetched.group,
        notes=notes,
        data=None,
        source_digest=hashlib.sha256(data).hexdigest(),
    )
    if any(c.writes for c in changes) or comparisons:
        applied = apply_changes(data, changes, comparisons)
        result.data = applied.data
        result.notes.extend(applied.warnings)
        result.unsafe_in_place = applied.unsafe_in_place
        if options.in_place and applied.unsafe_in_place:
            raise KsreportError(_unsafe_message(path, applied.unsafe_in_place))
    return result


def _unsafe_message(path: Path, lost: Sequence[str]) -> str:
    return (
        f'Arbetsboken "{path.name}" innehåller {" och ".join(lost)}, som kanske inte följer med '
        "när ksreport sparar den. Den skrivs därför inte över med --in-place; kör utan "
        "--in-place (eller med --out) så skrivs en ny fil som du kan kontrollera. Inget har "
        "skrivits."
    )


def default_target(path: Path) -> Path:
    """``mål.xlsx`` → ``mål-kolada.xlsx`` beside it."""
    return path.with_name(f"{path.stem}-kolada{path.suffix or '.xlsx'}")


def write_atomically(target: Path, data: bytes, *, like: Path | None = None) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place.

    ``like``: a file whose permissions the result gets (the workbook itself, for --in-place);
    otherwise a new file gets the user's umask.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".ksreport-tmp", dir=target.parent)
    try:
        if like is not None:
            mode = stat.S_IMODE(os.stat(like).st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if (open_in := lock_file_of(target)) is not None:
            raise KsreportError(open_in_message(target, *open_in)) from None
        raise KsreportError(
            f'Filen "{target}" kunde inte skrivas: {os_error_text(exc, target)}. '
            "Ingen fil har ändrats."
        ) from None


def open_in_message(workbook: Path, program: str, lock: Path) -> str:
    """``kolada --in-place`` on a workbook that seems to be open (its lock file is there)."""
    return (
        f'Arbetsboken "{workbook.name}" verkar vara öppen i {program} (låsfilen "{lock.name}" '
        f"finns bredvid den). Stäng den i {program} och försök igen, eller kör utan --in-place "
        "så skrivs en ny fil. Inget har skrivits."
    )


def summary_lines(result: ImportResult) -> list[str]:
    """What the import found and changed, in Swedish, for the terminal."""
    years = result.years
    consecutive = years == list(range(years[0], years[-1] + 1))
    span = (
        f"{years[0]}–{years[-1]}" if len(years) > 1 and consecutive else ", ".join(map(str, years))
    )
    kpis = sorted({t.kpi for t in result.targets})
    muni = result.municipality
    lines = [
        f"Hämtade {len(kpis)} nyckeltal ({', '.join(kpis)}) för "
        f"{muni.title or muni.id} ({muni.id}), år {span}, från Kolada."
    ]

    def section(title: str, items: list[Change], hint: str = "") -> None:
        if items:
            lines.append(f"{title} ({len(items)}){hint}:")
            lines.extend(f"  {c.describe()}" for c in items)

    section("Nya utfall", result.of(ChangeKind.NEW))
    section("Ändrade utfall", result.of(ChangeKind.UPDATED))
    section(
        "Skiljer sig från Kolada och skrevs inte över",
        result.of(ChangeKind.CONFLICT),
        "; kör med --overwrite för att ersätta dem",
    )
    section("Värde saknas i Kolada, skälet skrivs i Kommentar", result.of(ChangeKind.MISSING))
    section("Värde saknas i Kolada, värdet i arbetsboken behålls", result.of(ChangeKind.KEPT))
    absent = result.of(ChangeKind.ABSENT)
    if absent:
        lines.append(
            f"Inget värde i Kolada ännu ({len(absent)}): "
            + "; ".join(f"{c.measure.id} {c.year}" for c in absent)
            + "."
        )
    if result.comparisons:
        new = sum(1 for c in result.comparisons if c.row is None)
        where = "riket" + (f" och {result.group.title}" if result.group else "")
        lines.append(
            f"Jämförelser ({where}): {new} nya och {len(result.comparisons) - new} ändrade rader "
            "i bladet Jämförelser."
        )
    lines.extend(f"Obs: {n}" for n in result.notes)
    lines.append(ATTRIBUTION + ".")
    return lines
