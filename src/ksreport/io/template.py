"""Writes the input workbook (``ksreport init``) following the contract in ``ksreport.contract``.

``write_workbook`` builds a workbook that follows the contract: an ``Instruktioner`` sheet, one
sheet per part with an Excel table, dropdowns and text formatting where Excel would otherwise
mangle ids and periods.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ksreport.contract import (
    COLUMN_HELP,
    CONDITIONALLY_REQUIRED,
    ENUMS,
    REQUIRED_COLUMNS,
    SETTING_ENUMS,
    SETTING_SPECS,
    SHEET_ASSESSMENTS,
    SHEET_CASE_TEXTS,
    SHEET_COMPARISONS,
    SHEET_GOALS,
    SHEET_HELP,
    SHEET_INSTRUCTIONS,
    SHEET_MEASURES,
    SHEET_OUTCOMES,
    SHEET_SETTINGS,
    SHEET_SUBGOALS,
    SHEETS,
)
from ksreport.errors import KsreportError
from ksreport.reproducible import workbook_bytes

# --- Layout -------------------------------------------------------------------------------

#: ASCII-only, unique Excel table names, one per data sheet.
TABLE_NAMES: dict[str, str] = {
    SHEET_SETTINGS: "Installningar",
    SHEET_GOALS: "Mal",
    SHEET_SUBGOALS: "Delmal",
    SHEET_MEASURES: "Matvarden",
    SHEET_OUTCOMES: "Utfall",
    SHEET_ASSESSMENTS: "Bedomningar",
    SHEET_COMPARISONS: "Jamforelser",
    SHEET_CASE_TEXTS: "Arendetext",
}

#: Columns formatted as text, so Excel keeps "1.10", "2021-T1" and "3, 10" as typed.
TEXT_COLUMNS: dict[str, list[str]] = {
    SHEET_GOALS: ["Mål-id", "Agenda 2030"],
    SHEET_SUBGOALS: ["Delmål-id", "Mål-id"],
    SHEET_MEASURES: ["Mätvärde-id", "Delmål-id"],
    SHEET_OUTCOMES: ["Mätvärde-id", "Period"],
    SHEET_ASSESSMENTS: ["Id", "Period"],
    SHEET_COMPARISONS: ["Mätvärde-id"],
}

_WIDE_COLUMNS = {"Beskrivning", "Motivering", "Analys", "Kommentar"}
VALIDATION_ROWS = 1000  # dropdowns cover rows 2..VALIDATION_ROWS (more if there is more data)
_TABLE_STYLE = "TableStyleMedium2"
_TEXT_FORMAT = "@"
_INSTRUCTION_LINE_CHARS = 130  # about what fits on one line across columns A to C


@dataclass(frozen=True)
class Formatted:
    """A cell value with its own Excel number format, e.g. ``Formatted(0.725, "0.0%")``."""

    value: object
    number_format: str


# --- Building -----------------------------------------------------------------------------


def build_workbook(
    rows: Mapping[str, Sequence[Sequence[object]]] | None = None,
    settings: Mapping[str, object] | None = None,
) -> Workbook:
    """Build the input workbook in memory: instructions, then every data sheet.

    ``rows`` gives data rows per sheet, each in the column order of :data:`SHEETS`. Rows for
    ``Inställningar`` and ``settings`` are merged into the pre-filled list of known keys.
    """
    rows = dict(rows or {})
    unknown = set(rows) - set(SHEETS)
    if unknown:
        raise ValueError(f"unknown sheets in rows: {sorted(unknown)}")
    merged: dict[str, object] = {}
    for row in rows.pop(SHEET_SETTINGS, []):
        if row and row[0] is not None:
            merged[str(row[0])] = row[1] if len(row) > 1 else None
    merged.update(settings or {})

    wb = Workbook()
    wb.properties.creator = "ksreport"
    wb.properties.title = "Måluppföljning"
    wb.properties.language = "sv-SE"
    first = wb.active
    assert isinstance(first, Worksheet)
    _write_instructions(first)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        data = _settings_rows(merged) if sheet == SHEET_SETTINGS else rows.get(sheet, [])
        _write_sheet(ws, sheet, headers, data)
    return wb


def _settings_rows(values: Mapping[str, object]) -> list[list[object]]:
    by_key = {k.strip().casefold(): (k, v) for k, v in values.items()}
    out: list[list[object]] = []
    for spec in SETTING_SPECS:
        _, value = by_key.pop(spec.key.casefold(), (spec.key, spec.default))
        out.append([spec.key, value])
    out.extend([k, v] for k, v in by_key.values())
    return out


def _write_sheet(
    ws: Worksheet, sheet: str, headers: list[str], data: Sequence[Sequence[object]]
) -> None:
    bold = Font(bold=True)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = bold
        help_text = COLUMN_HELP[sheet][header]
        cell.comment = Comment(help_text, "ksreport", width=300, height=110)
    ws.freeze_panes = "A2"

    text_cols = set(TEXT_COLUMNS.get(sheet, []))
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(data, start=2):
        if len(values) > len(headers):
            raise ValueError(f"{sheet} row {r} has {len(values)} values for {len(headers)} columns")
        for col, raw in enumerate(values, start=1):
            header = headers[col - 1]
            value, fmt = (raw.value, raw.number_format) if isinstance(raw, Formatted) else (raw, "")
            if value is None:
                continue
            cell = ws.cell(row=r, column=col, value=value)
            if fmt:
                cell.number_format = fmt
            elif header in text_cols and isinstance(value, str):
                cell.number_format = _TEXT_FORMAT
            if header in _WIDE_COLUMNS:
                cell.alignment = wrap

    last_row = max(2, len(data) + 1)
    last_col = get_column_letter(len(headers))
    table = Table(displayName=TABLE_NAMES[sheet], ref=f"A1:{last_col}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name=_TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)

    validation_end = max(VALIDATION_ROWS, len(data) + 1)
    for col, header in enumerate(headers, start=1):
        letter = get_column_letter(col)
        dim = ws.column_dimensions[letter]
        dim.width = _width(header, [v[col - 1] for v in data if len(v) >= col])
        if header in text_cols:
            dim.number_format = _TEXT_FORMAT
        if header in ENUMS:
            dv = _dropdown(header, ENUMS[header])
            dv.add(f"{letter}2:{letter}{validation_end}")
            ws.add_data_validation(dv)
    if sheet == SHEET_SETTINGS:
        for r, values in enumerate(data, start=2):
            allowed = SETTING_ENUMS.get(str(values[0]))
            if allowed:
                dv = _dropdown(str(values[0]), allowed)
                dv.add(f"B{r}")
                ws.add_data_validation(dv)


def _dropdown(name: str, allowed: list[str]) -> DataValidation:
    listed = ", ".join(allowed)
    return DataValidation(
        type="list",
        formula1='"' + ",".join(allowed) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the in-cell arrow
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Ogiltigt värde",
        error=f"{name} måste vara ett av värdena i listan: {listed}.",
        showInputMessage=True,
        promptTitle=name[:32],
        prompt=f"Välj i listan: {listed}.",
    )


def _width(header: str, values: Sequence[object]) -> float:
    if header in _WIDE_COLUMNS:
        return 60.0
    longest = len(header) + 4  # room for the table's filter arrow
    for raw in values:
        value = raw.value if isinstance(raw, Formatted) else raw
        if value is not None:
            longest = max(longest, len(str(value)) + 2)
    return float(min(max(longest, 10), 60))


# --- Instructions -------------------------------------------------------------------------

_INTRO = [
    "Arbetsboken är underlaget för nämndens uppföljning av mål, delmål och mätvärden "
    "(måluppfyllelse).",
    "ksreport läser arbetsboken, bedömer varje mätvärde enligt reglerna nedan och skapar "
    "rapporter för delårsrapport och verksamhetsberättelse.",
    "Bladen hittas på sina namn och kolumnerna på rubrikerna i rad 1. Byt inte namn på blad "
    "eller rubriker; kolumnernas ordning spelar ingen roll.",
    "Kolumner med Ja under Obligatorisk måste fyllas i på varje rad. Helt tomma rader hoppas "
    "över. Det här bladet läses inte av ksreport.",
]

_WORK_ORDER = [
    "Fyll i bladet Inställningar: organisation, nämnd, diarienummer, mandatperiod och "
    "rapportperiod.",
    "Skriv in nämndens mål i bladet Mål och koppla dem till kommunfullmäktiges mål och "
    "Agenda 2030.",
    "Skriv in delmålen i bladet Delmål och ange vilket mål varje delmål hör till.",
    "Skriv in indikatorer och aktiviteter i bladet Mätvärden, med målvärde och målår.",
    "För in utfallen i bladet Utfall inför varje delårsrapport och årsredovisning.",
    "Skriv analyser och nämndens egna bedömningar i bladet Bedömningar.",
    "Kontrollera arbetsboken med ksreport validate och skapa rapporten med ksreport build.",
]

_PERIODS = [
    "Skriv perioden som ÅÅÅÅ (helår, t.ex. 2020), ÅÅÅÅ-T1 (delår per april), "
    "ÅÅÅÅ-H1 (halvår per juni) eller ÅÅÅÅ-T2 (delår per augusti), t.ex. 2021-T1.",
    "Inom ett år kommer perioderna i ordningen T1, H1, T2 och helår.",
    "Kolumnerna Period och id-kolumnerna är formaterade som text, så att Excel inte gör om "
    "det som skrivs.",
]

_NUMBERS = [
    "Skriv tal med decimalkomma, t.ex. 12,5. Mellanslag mellan tusental går bra, t.ex. 1 250.",
    "Ett procenttecken efter talet går bra, t.ex. 5,9 %. En cell formaterad som procent läses "
    "i procentenheter: 72,5 % läses som 72,5.",
    "Formler går bra om arbetsboken har sparats i Excel, så att det beräknade värdet finns i "
    "filen.",
]

_ACTIVITIES = [
    "För en aktivitet skrivs utfallet som Genomförd, Påbörjad eller Ej påbörjad.",
    "Pågår räknas som Påbörjad. Ej genomförd och Ej startad räknas som Ej påbörjad. "
    "Stora och små bokstäver spelar ingen roll.",
    "En aktivitet som har rapporterats som genomförd räknas som genomförd även senare.",
]

_FORECASTS = [
    "I en delårsrapport (T1, H1, T2) ska nämnden säga om målen väntas nås vid årets slut. Skriv "
    "därför prognosen för helåret i kolumnen Prognos i bladet Utfall, på raden för "
    "delårsperioden, t.ex. 2021-T2.",
    "För en indikator är prognosen ett tal, som Värde. För en aktivitet skrivs Genomförd "
    "(väntas vara genomförd vid årets slut), Påbörjad eller Ej påbörjad.",
    "En rad kan ha Värde (utfallet hittills), Prognos eller båda. Prognos anges bara för "
    "delårsperioder, inte på en rad för helår.",
    "Ett mätvärde med prognos bedöms med reglerna för helår, som om prognosen vore årets "
    "utfall. Rapporten skriver alltid ut att bedömningen bygger på en prognos.",
    "Nämndens egen bedömning för en delårsperiod i bladet Bedömningar är nämndens bedömning "
    "av prognosen för helåret.",
    "Med inställningen Statusord = Måluppfyllelse skrivs bedömningarna som Uppnått, Delvis "
    "uppnått och Inte uppnått, och prognoserna som Bedöms uppnås, Bedöms delvis uppnås och "
    "Bedöms inte uppnås.",
]

_RULES = [
    "Varje mätvärde bedöms för rapportperioden. Målåret är året då målvärdet ska vara nått.",
    "Finns inget utfall för perioden blir det Följs upp senare om perioden är ett delår eller "
    "om målåret inte har kommit, annars Utfall saknas.",
    "Indikator: Grönt om målvärdet är nått, även före målåret. Högre är bättre: utfallet är "
    "minst målvärdet. Lägre är bättre: utfallet är högst målvärdet.",
    "Indikator som inte har nått målvärdet: Följs upp senare före målåret. Från och med målåret "
    "Gult om utfallet är bättre än utgångsvärdet eller ligger inom toleransen från målvärdet "
    "(inställningen Tolerans, standard 5 % av målvärdet), annars Rött.",
    "Aktivitet: Grönt om den är genomförd. Annars Följs upp senare före målåret; från och med "
    "målåret Gult om den är påbörjad och Rött om den inte är påbörjad.",
    "Nämndens egen bedömning i bladet Bedömningar ersätter den beräknade. Båda visas i "
    "rapporten, med motiveringen.",
    "Delmål bedöms utifrån sina mätvärden och mål utifrån sina delmål: Grönt ger 2 poäng, Gult "
    "1 och Rött 0. Medelpoäng minst 1,5 ger Grönt, minst 0,75 Gult, annars Rött.",
    "Följs upp senare och Utfall saknas räknas inte. Med inställningen Sammanvägning = Sämsta "
    "får delmål och mål i stället den sämsta bedömningen bland de underliggande.",
    "Trend: utfallet jämförs med samma period ett år tidigare (t.ex. 2020-T2 med 2019-T2).",
]


def _write_instructions(ws: Worksheet) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 100
    title = Font(bold=True, size=16)
    heading = Font(bold=True, size=13)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def line(text: str, font: Font | None = None) -> None:
        nonlocal row
        cell = ws.cell(row=row, column=1, value=text)
        if font is not None:
            cell.font = font
        if len(text) > _INSTRUCTION_LINE_CHARS:
            # Spreadsheets do not fit the height of merged cells, so estimate it.
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            cell.alignment = wrap
            lines = -(-len(text) // _INSTRUCTION_LINE_CHARS)
            ws.row_dimensions[row].height = 15 * lines
        row += 1

    def section(text: str) -> None:
        nonlocal row
        row += 1
        line(text, heading)

    def table_row(cells: Sequence[object], font: Font | None = None) -> None:
        nonlocal row
        for col, value in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = wrap
            if font is not None:
                cell.font = font
        row += 1

    line("Måluppföljning – instruktioner", title)
    for text in _INTRO:
        line(text)
    section("Arbetsordning")
    for i, text in enumerate(_WORK_ORDER, start=1):
        line(f"{i}. {text}")
    for sheet, headers in SHEETS.items():
        section(f"Bladet {sheet}")
        line(SHEET_HELP[sheet])
        table_row(["Kolumn", "Obligatorisk", "Förklaring"], bold)
        conditional = CONDITIONALLY_REQUIRED.get(sheet, {})
        for header in headers:
            starred = "Ja" if header in REQUIRED_COLUMNS[sheet] else ""
            required = conditional.get(header) or starred
            table_row([header, required, COLUMN_HELP[sheet][header]])
        for h in headers:
            if h in ENUMS:
                line(f"Tillåtna värden i {h}: {', '.join(ENUMS[h])} (välj i listan).")
    section("Inställningar")
    table_row(["Inställning", "Standardvärde", "Förklaring"], bold)
    for spec in SETTING_SPECS:
        default = "" if spec.default is None else _swedish_number(spec.default)
        table_row([spec.key, default, spec.help])
    section("Perioder")
    for text in _PERIODS:
        line(text)
    section("Tal")
    for text in _NUMBERS:
        line(text)
    section("Aktiviteter")
    for text in _ACTIVITIES:
        line(text)
    section("Prognoser i delårsrapporten")
    for text in _FORECASTS:
        line(text)
    section("Så bedöms mätvärden, delmål och mål")
    for text in _RULES:
        line(text)


def _swedish_number(value: str | int | float) -> str:
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


# --- Writing ------------------------------------------------------------------------------


def save_workbook(wb: Workbook, target: Path, *, timestamp: dt.datetime | None = None) -> None:
    """Save atomically: a temporary file beside ``target``, then a rename.

    With ``timestamp`` the document properties and every zip entry carry that time, so the
    same content always gives the same bytes.
    """
    when = timestamp or dt.datetime.now().replace(microsecond=0)
    data = workbook_bytes(wb, when)
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_workbook(
    target: Path,
    rows: dict[str, list[list[object]]] | None = None,
    settings: dict[str, object] | None = None,
    *,
    timestamp: dt.datetime | None = None,
) -> None:
    """Build the input workbook (see :func:`build_workbook`) and save it atomically."""
    save_workbook(build_workbook(rows, settings), Path(target), timestamp=timestamp)


def init_workbook(target: Path) -> None:
    """Write a blank input workbook for ``ksreport init``; never overwrites an existing file."""
    target = Path(target)
    if target.exists():
        raise KsreportError(
            f'Filen "{target}" finns redan. Välj ett annat namn eller ta bort filen först.'
        )
    if target.suffix.lower() != ".xlsx":
        raise KsreportError(
            f'Filnamnet "{target.name}" måste sluta på .xlsx, t.ex. "mål-2021.xlsx".'
        )
    if not target.parent.is_dir():
        raise KsreportError(
            f'Mappen "{target.parent}" finns inte. Skapa den först eller välj en annan mapp.'
        )
    try:
        write_workbook(target)
    except OSError as exc:
        from ksreport.output import os_error_text

        raise KsreportError(
            f'Filen "{target}" kunde inte skrivas: {os_error_text(exc, target)}.'
        ) from None
