"""Validate stage: raw rows → the :class:`Plan`, collecting every problem with its cell.

Each problem reads ``Sheet!Cell: message`` in Swedish, quotes the offending value and names the
allowed values where there is a fixed set. All problems are gathered before anything stops.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ksreport import contract
from ksreport.consolidated import council_key
from ksreport.errors import Problem, ValidationError
from ksreport.io.workbook import (
    RawCell,
    RawRow,
    RawSheet,
    RawWorkbook,
    canonical,
    display_format,
    read_workbook,
)
from ksreport.model import (
    ActivityState,
    Assessment,
    CaseText,
    Comparison,
    Direction,
    Goal,
    Kind,
    Level,
    Measure,
    Outcome,
    Plan,
    RollupMethod,
    Settings,
    Status,
    StatusWords,
    SubGoal,
)
from ksreport.periods import PERIOD_FORMAT_HELP, Period, parse_period

T = TypeVar("T")

SETTINGS_SHEET = contract.SHEET_SETTINGS
GOALS_SHEET = contract.SHEET_GOALS
SUBGOALS_SHEET = contract.SHEET_SUBGOALS
MEASURES_SHEET = contract.SHEET_MEASURES
OUTCOMES_SHEET = contract.SHEET_OUTCOMES
ASSESSMENTS_SHEET = contract.SHEET_ASSESSMENTS
COMPARISONS_SHEET = contract.SHEET_COMPARISONS
CASE_TEXTS_SHEET = contract.SHEET_CASE_TEXTS

# Every known column per sheet, True where the column is required.
COLUMNS: dict[str, dict[str, bool]] = {
    sheet: {h: h in contract.REQUIRED_COLUMNS[sheet] for h in headers}
    for sheet, headers in contract.SHEETS.items()
}
REQUIRED_SHEETS = tuple(contract.REQUIRED_SHEETS)
OPTIONAL_SHEETS = tuple(contract.OPTIONAL_SHEETS)
# Sheets for people only; never warned about.
IGNORED_SHEETS = {canonical(contract.SHEET_INSTRUCTIONS)}


def _options(pairs: list[tuple[str, T]]) -> dict[str, T]:
    return {" ".join(canonical(k).split()): v for k, v in pairs}


KIND_NAMES = contract.ENUMS["Typ"]
KINDS = _options(
    [(contract.KIND_INDICATOR, Kind.INDICATOR), (contract.KIND_ACTIVITY, Kind.ACTIVITY)]
)
DIRECTION_NAMES = contract.ENUMS["Riktning"]
DIRECTIONS = _options(
    [(contract.DIRECTION_HIGHER, Direction.HIGHER), (contract.DIRECTION_LOWER, Direction.LOWER)]
)
LEVEL_NAMES = contract.ENUMS["Nivå"]
LEVELS = _options(
    [
        (Level.GOAL.label, Level.GOAL),
        (Level.SUBGOAL.label, Level.SUBGOAL),
        (Level.MEASURE.label, Level.MEASURE),
    ]
)
ASSESSMENT_NAMES = contract.ENUMS["Bedömning"]
# The contract's words, and the adjective forms people also write ("Grön", "Gul", "Röd").
# The Statusord words (Uppnått, Bedöms uppnås, …) are accepted too.
_STATUS_BY_WORD = {s.label: s for s in (Status.GREEN, Status.YELLOW, Status.RED)}
ASSESSMENT_STATUSES = _options(
    [
        (spelling, _STATUS_BY_WORD[word])
        for word, spellings in contract.ASSESSMENT_ALIASES.items()
        for spelling in spellings
    ]
)
STATUS_WORD_NAMES = contract.STATUS_WORD_VALUES
STATUS_WORDS = _options(
    [
        (contract.STATUS_WORDS_COLOURS, StatusWords.COLOURS),
        (contract.STATUS_WORDS_ATTAINMENT, StatusWords.ATTAINMENT),
    ]
)
_STATE_BY_WORD = {s.label: s for s in ActivityState}
ACTIVITY_STATES = _options(
    [
        (spelling, _STATE_BY_WORD[word])
        for word, spellings in contract.ACTIVITY_VALUES.items()
        for spelling in spellings
    ]
)
ACTIVITY_HELP = ", ".join(
    word
    + (f" (eller {', '.join(sp for sp in spellings if sp != word)})" if len(spellings) > 1 else "")
    for word, spellings in contract.ACTIVITY_VALUES.items()
)
ROLLUP_NAMES = contract.ROLLUP_VALUES
ROLLUPS = _options(
    [(RollupMethod.MEAN.label, RollupMethod.MEAN), (RollupMethod.WORST.label, RollupMethod.WORST)]
)
SETTING_KEYS = {canonical(k): k for k in contract.SETTING_KEYS}
GENDERS = _options(
    [
        (spelling, code)
        for code, spellings in contract.GENDER_VALUES.items()
        for spelling in spellings
    ]
)
GENDER_NAMES = contract.ENUMS["Kön"]
_MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
_GROUP_ID = re.compile(r"^G\d+$", re.IGNORECASE)

_NUMBER_TEXT = re.compile(r"^[+\-−]?(\d+)(?:[,.](\d+))?$")
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")
MAX_QUOTE = 60


def quote(value: object) -> str:
    """The value as the user typed it, in quotes, shortened when long."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1] + "…"
    return f'"{text}"'


def allowed(names: list[str]) -> str:
    return "tillåtna värden: " + ", ".join(names)


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)

    def error(self, place: str, message: str) -> None:
        self.items.append(Problem(place, message, True))

    def warn(self, place: str, message: str) -> None:
        self.items.append(Problem(place, message, False))


class _Sheet:
    """Reads typed values from one sheet's rows, reporting problems with their cells."""

    def __init__(self, raw: RawSheet, problems: _Problems) -> None:
        self.raw = raw
        self.p = problems

    @property
    def name(self) -> str:
        return self.raw.name

    def place(self, row: RawRow, header: str) -> str:
        cell = row.get(header)
        if cell is not None:
            return f"{self.name}!{cell.coordinate}"
        col = self.raw.column(header)
        return f"{self.name}!{col}{row.row}" if col else f"{self.name}!{row.row}:{row.row}"

    def has(self, header: str) -> bool:
        return self.raw.column(header) is not None

    def _cell(self, row: RawRow, header: str, required: bool) -> RawCell | None:
        """The non-empty cell, or None; reports empty required cells and unusable values."""
        cell = row.get(header)
        if cell is None or cell.is_empty:
            if required and self.has(header):
                self.p.error(self.place(row, header), f"{header} måste fyllas i.")
            return None
        if cell.uncached_formula:
            self.p.error(
                self.place(row, header),
                f"{header} är en formel som saknar sparat värde. Öppna arbetsboken i Excel eller "
                "LibreOffice och spara den, så räknas formlerna ut.",
            )
            return None
        if isinstance(cell.value, str) and cell.value.strip() in ERROR_STRINGS:
            self.p.error(
                self.place(row, header),
                f"{header} innehåller felvärdet {cell.value.strip()}. Rätta formeln eller "
                "skriv in värdet.",
            )
            return None
        return cell

    def text(self, row: RawRow, header: str, required: bool = False) -> str:
        cell = self._cell(row, header, required)
        if cell is None:
            return ""
        return _as_text(cell.value)

    def ident(self, row: RawRow, header: str, required: bool = True) -> str:
        return self.text(row, header, required)

    def number(
        self, row: RawRow, header: str, required: bool = False, label: str = ""
    ) -> float | None:
        cell = self._cell(row, header, required)
        if cell is None:
            return None
        return self.number_of(cell, row, header, label)

    def number_of(self, cell: RawCell, row: RawRow, header: str, label: str = "") -> float | None:
        value = cell.value
        place = self.place(row, header)
        header = label or header
        if isinstance(value, bool):
            self.p.error(place, f"{header} {quote(value)} är inte ett tal.")
            return None
        if isinstance(value, int | float):
            number = float(value)
            if not math.isfinite(number):
                self.p.error(place, f"{header} {quote(value)} är inte ett tal.")
                return None
            scale = cell.percent_scale
            read = round(number * scale, 9) if scale > 1 else number
            if (thousands := cell.thousands_scale) > 1:
                read = round(read / thousands, 9)
                self._thousands_format(cell, place, header, number, read)
            if cell.ambiguous_format:
                self._ambiguous_format(cell, place, header, read)
            return read
        if isinstance(value, dt.datetime | dt.date | dt.time):
            self.p.error(
                place,
                f"{header} {quote(value)} är ett datum, inte ett tal. Ändra cellens format "
                "till Tal och skriv in värdet igen.",
            )
            return None
        parsed = parse_number_text(str(value))
        if parsed is None:
            self.p.error(place, f"{header} {quote(value)} är inte ett tal.")
        elif not math.isfinite(parsed):  # more than 308 digits
            self.p.error(place, f"{header} {quote(value)} är ett för stort tal för att räkna med.")
            return None
        return parsed

    def _thousands_format(
        self, cell: RawCell, place: str, header: str, stored: float, read: float
    ) -> None:
        from ksreport.formatting import format_number

        self.p.warn(
            place,
            f"{header}: talformatet {display_format(cell.number_format)} visar värdet i "
            f"tusental, så cellen innehåller {format_number(stored, max_decimals=4)} men visar "
            f"{format_number(read, max_decimals=4)}. Värdet läses som Excel visar det, "
            f"{format_number(read, max_decimals=4)}. Kontrollera att målvärde och utfall är "
            "skrivna i samma enhet (t.ex. tkr).",
        )

    def _ambiguous_format(self, cell: RawCell, place: str, header: str, read: float) -> None:
        from ksreport.formatting import format_number

        shown = format_number(read, max_decimals=4).replace("-", "−")
        self.p.warn(
            place,
            f"{header}: talformatet {display_format(cell.number_format)} visar en del tal som "
            "procent och andra inte (beroende på tecken eller storlek). Värdet läses som Excel "
            f"visar det, {shown}{' %' if cell.is_percent else ''}. Kontrollera att det stämmer "
            "och använd samma format för alla tal, t.ex. 0,0 % eller 0,0.",
        )

    def year(self, row: RawRow, header: str, required: bool = False) -> int | None:
        cell = self._cell(row, header, required)
        if cell is None:
            return None
        value = cell.value
        year: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            year = float(value)
        elif isinstance(value, str) and value.strip().isdecimal():  # not "²", which isdigit
            year = float(value.strip())
        if year is None or not year.is_integer() or not 1900 <= year <= 2200:
            self.p.error(
                self.place(row, header),
                f"{header} {quote(value)} är inget årtal; skriv året med fyra siffror, t.ex. 2022.",
            )
            return None
        return int(year)

    def period(
        self, row: RawRow, header: str, required: bool = True, label: str = ""
    ) -> Period | None:
        cell = self._cell(row, header, required)
        if cell is None:
            return None
        period = parse_period(cell.value)
        if period is None:
            self.p.error(
                self.place(row, header),
                f"{label or header} {quote(cell.value)} är ogiltig; skriv {PERIOD_FORMAT_HELP}.",
            )
        return period

    def choice(
        self,
        row: RawRow,
        header: str,
        options: dict[str, T],
        shown: list[str],
        required: bool = False,
        label: str = "",
    ) -> T | None:
        cell = self._cell(row, header, required)
        if cell is None:
            return None
        key = " ".join(canonical(_as_text(cell.value)).split())
        if key in options:
            return options[key]
        self.p.error(
            self.place(row, header),
            f"{label or header} {quote(cell.value)} är okänd; {allowed(shown)}.",
        )
        return None


ERROR_STRINGS = frozenset(
    {
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#CONNECT!",
        "#BUSY!",
    }
)


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).strip()


def parse_number_text(text: str) -> float | None:
    """Parse Swedish number text: "12,5", "1 250", "5,9 %", "−3,2"; None when it is not one.

    Spaces (also non-breaking and thin) group thousands; a trailing % is dropped, since the value
    is already in percent points. A dot is taken as a decimal point only where it cannot be a
    thousands separator ("12.5", not "1.250").
    """
    compact = re.sub(r"[\s\u00a0\u202f\u2009]", "", text)
    if compact.endswith("%"):
        compact = compact[:-1]
    m = _NUMBER_TEXT.match(compact)
    if not m:
        return None
    if "." in compact and m.group(2) is not None and len(m.group(2)) == 3:
        return None
    return float(compact.replace("−", "-").replace(",", "."))


def _setting_rows(sheet: _Sheet, p: _Problems) -> dict[str, RawRow]:
    """The row of each known setting, by its canonical name; unknown and repeated keys reported."""
    values: dict[str, RawRow] = {}
    seen: dict[str, str] = {}
    for row in sheet.raw.rows:
        key_text = sheet.text(row, "Inställning")
        if not key_text:
            if row.get("Värde") is not None and not row.cells[canonical("Värde")].is_empty:
                sheet.p.warn(
                    sheet.place(row, "Inställning"),
                    "Värdet saknar namn på inställningen och används inte.",
                )
            continue
        key = canonical(key_text)
        if key not in SETTING_KEYS:
            p.warn(
                sheet.place(row, "Inställning"),
                f"Inställningen {quote(key_text)} är okänd och används inte; kända "
                f"inställningar: {', '.join(SETTING_KEYS.values())}.",
            )
            continue
        name = SETTING_KEYS[key]
        if name in seen:
            p.error(
                sheet.place(row, "Inställning"), f"Inställningen {name} finns redan i {seen[name]}."
            )
            continue
        seen[name] = sheet.place(row, "Inställning")
        values[name] = row
    return values


def _settings(sheet: _Sheet | None, p: _Problems) -> Settings:
    settings = Settings()
    if sheet is None or not sheet.has("Inställning"):
        return settings
    values = _setting_rows(sheet, p)
    changes: dict[str, object] = {}

    def text(name: str) -> str:
        found = values.get(name)
        return sheet.text(found, "Värde") if found is not None else ""

    for name, attr in (
        ("Organisation", "organisation"),
        ("Nämnd", "board"),
        ("Förvaltning", "administration"),
        ("Diarienummer", "diary_number"),
        ("Handläggare", "case_officer"),
        ("Ansvarig tjänsteman", "responsible_officer"),
        ("Förslag till beslut", "decision_proposal"),
    ):
        value = text(name)
        if value:
            changes[attr] = value
    recipients = [r.strip() for r in re.split(r"[,;\n]", text("Beslutet ska skickas till"))]
    if any(recipients):
        changes["send_decision_to"] = tuple(r for r in recipients if r)
    council = [" ".join(c.split()) for c in re.split(r"[;\n]", text("Fullmäktigemål"))]
    if any(council):
        changes["council_goals"] = tuple(c for c in council if c)
    if (row := values.get("Mandatperiod")) is not None:
        cell = sheet._cell(row, "Värde", False)
        if cell is not None:
            m = _YEAR_RANGE.match(_as_text(cell.value))
            if m and int(m.group(1)) <= int(m.group(2)):
                changes["mandate_start"], changes["mandate_end"] = int(m.group(1)), int(m.group(2))
            else:
                p.error(
                    sheet.place(row, "Värde"),
                    f"Mandatperiod {quote(cell.value)} är ogiltig; skriv första och sista "
                    "året, t.ex. 2020–2022.",
                )
    _kolada_settings(sheet, values, changes)
    if (row := values.get("Rapportperiod")) is not None:
        period = sheet.period(row, "Värde", required=False, label="Rapportperiod")
        if period is not None:
            changes["report_period"] = period
    if (row := values.get("Tolerans")) is not None:
        tol = sheet.number(row, "Värde", label="Tolerans")
        if tol is not None:
            if 0 <= tol <= 100:
                changes["tolerance_pct"] = tol
            else:
                p.error(
                    sheet.place(row, "Värde"),
                    f"Tolerans {quote(tol)} måste vara ett tal mellan 0 och 100 (procent).",
                )
    if (row := values.get("Statusord")) is not None:
        words = sheet.choice(row, "Värde", STATUS_WORDS, STATUS_WORD_NAMES, label="Statusord")
        if words is not None:
            changes["status_words"] = words
    if (row := values.get("Sammanvägning")) is not None:
        method = sheet.choice(row, "Värde", ROLLUPS, ROLLUP_NAMES, label="Sammanvägning")
        if method is not None:
            changes["rollup"] = method
    for name, attr in (("Gräns grönt", "green_threshold"), ("Gräns gult", "yellow_threshold")):
        if (row := values.get(name)) is not None:
            limit = sheet.number(row, "Värde", label=name)
            if limit is not None:
                if 0 <= limit <= 2:
                    changes[attr] = limit
                else:
                    p.error(
                        sheet.place(row, "Värde"),
                        f"{name} {quote(limit)} måste vara ett tal mellan 0 och 2 "
                        "(poäng: grönt 2, gult 1, rött 0).",
                    )
    settings = replace(settings, **changes)  # type: ignore[arg-type]
    if settings.yellow_threshold > settings.green_threshold:
        p.error(f"{sheet.name}", "Gräns gult får inte vara större än Gräns grönt.")
    return settings


def _check_council_goals(sheets: dict[str, _Sheet], settings: Settings, p: _Problems) -> None:
    """Warn about a goal's Fullmäktigemål that the setting Fullmäktigemål does not list (when it
    lists any): most likely a misspelling, which would split the council goal in two."""
    s = sheets.get(GOALS_SHEET)
    if not settings.council_goals or s is None or not s.has("Fullmäktigemål"):
        return
    listed = {council_key(c) for c in settings.council_goals}
    for row in s.raw.rows:
        cell = row.get("Fullmäktigemål")
        if cell is None or cell.is_empty or cell.uncached_formula:
            continue  # an unusable cell is reported where the goal is read
        council = _as_text(cell.value)
        if council and council not in ERROR_STRINGS and council_key(council) not in listed:
            p.warn(
                s.place(row, "Fullmäktigemål"),
                f"Fullmäktigemålet {quote(council)} finns inte i inställningen Fullmäktigemål; "
                f"där står: {'; '.join(settings.council_goals)}. Kontrollera stavningen.",
            )


def _check_columns(raw: RawSheet, sheet_name: str, p: _Problems) -> bool:
    """Report missing and unknown columns; True when every required column is there."""
    ok = True
    known = COLUMNS[sheet_name]
    for coord, text in raw.duplicate_headers:
        p.error(f"{raw.name}!{coord}", f"Kolumnen {quote(text)} finns två gånger i rubrikraden.")
    for header, required in known.items():
        if required and raw.column(header) is None:
            ok = False
            hint = ""
            if raw.header_row_hint is not None:
                hint = (
                    f" Rubrikerna ska stå på rad 1, men de verkar stå på rad {raw.header_row_hint}."
                )
            p.error(
                f"{raw.name}!1:1", f"Kolumnen {quote(header)} saknas i rubrikraden (rad 1).{hint}"
            )
    known_keys = {canonical(h) for h in known}
    for key, (letter, text) in raw.headers.items():
        if key not in known_keys:
            p.warn(
                f"{raw.name}!{letter}1",
                f"Kolumnen {quote(text)} är okänd och används inte; kända kolumner: "
                f"{', '.join(known)}.",
            )
    return ok


def _unique(
    sheet: _Sheet, row: RawRow, header: str, value: str, seen: dict[str, int], what: str
) -> bool:
    if value in seen:
        sheet.p.error(
            sheet.place(row, header), f"{what} {quote(value)} finns redan på rad {seen[value]}."
        )
        return False
    seen[value] = row.row
    return True


def _agenda(sheet: _Sheet, row: RawRow) -> tuple[int, ...]:
    cell = sheet._cell(row, "Agenda 2030", False)
    if cell is None:
        return ()
    text = _as_text(cell.value)
    parts = [x for x in re.split(r"[,;\s]+|\boch\b", text) if x]
    goals: list[int] = []
    for part in parts:
        if part.isdigit() and 1 <= int(part) <= 17:
            goals.append(int(part))
        else:
            sheet.p.error(
                sheet.place(row, "Agenda 2030"),
                f"Agenda 2030 {quote(cell.value)} är ogiltigt; skriv målens nummer "
                "1–17 åtskilda med kommatecken, t.ex. 3, 10.",
            )
            return ()
    return tuple(sorted(set(goals)))


@dataclass
class _GoalRow:
    goal: Goal
    row: int


@dataclass
class _SubRow:
    subgoal: SubGoal
    row: int


@dataclass
class _MeasureRow:
    measure: Measure
    row: int
    outcomes: list[Outcome] = field(default_factory=list)
    gender_outcomes: list[Outcome] = field(default_factory=list)


def validate(raw: RawWorkbook) -> tuple[Plan | None, list[Problem]]:
    """Turn the raw workbook into a Plan; every problem found is returned, warnings included.

    The Plan is None when there is at least one error.
    """
    p = _Problems()
    sheets: dict[str, _Sheet] = {}
    complete = True
    for name in (*REQUIRED_SHEETS, *OPTIONAL_SHEETS):
        rs = raw.sheet(name)
        if rs is None:
            if name in REQUIRED_SHEETS:
                p.error(
                    name,
                    f"Bladet {quote(name)} saknas i arbetsboken. Bladen Mål, Delmål, "
                    "Mätvärden och Utfall måste finnas; skapa en mall med "
                    "ksreport init.",
                )
                complete = False
            continue
        if rs.hidden:
            p.warn(rs.name, "Bladet är dolt i Excel men läses ändå.")
        for skipped in rs.skipped:
            p.warn(
                f"{rs.name}!{skipped.range}",
                f"Raden är summaraden i Excel-tabellen {skipped.table} och läses inte som data.",
            )
        if not _check_columns(rs, name, p):
            complete = False
            continue
        sheets[name] = _Sheet(rs, p)
    known_sheets = {canonical(n) for n in COLUMNS} | IGNORED_SHEETS
    for key, rs in raw.sheets.items():
        if key not in known_sheets:
            p.warn(rs.name, f"Bladet är okänt och används inte; kända blad: {', '.join(COLUMNS)}.")

    settings = _settings(sheets.get(SETTINGS_SHEET), p)

    # Mål
    goal_rows: dict[str, _GoalRow] = {}
    goal_order: list[str] = []
    if GOALS_SHEET in sheets:
        s = sheets[GOALS_SHEET]
        seen: dict[str, int] = {}
        for row in s.raw.rows:
            gid = s.ident(row, "Mål-id")
            name = s.text(row, "Mål", True)
            description = s.text(row, "Beskrivning")
            council = s.text(row, "Fullmäktigemål")
            agenda = _agenda(s, row)
            if gid and _unique(s, row, "Mål-id", gid, seen, "Mål-id"):
                goal_rows[gid] = _GoalRow(Goal(gid, name, description, council, agenda), row.row)
                goal_order.append(gid)

    _check_council_goals(sheets, settings, p)

    # Delmål
    sub_rows: dict[str, _SubRow] = {}
    sub_order: list[str] = []
    if SUBGOALS_SHEET in sheets:
        s = sheets[SUBGOALS_SHEET]
        seen = {}
        for row in s.raw.rows:
            sid = s.ident(row, "Delmål-id")
            gid = s.ident(row, "Mål-id")
            name = s.text(row, "Delmål", True)
            description = s.text(row, "Beskrivning")
            if gid and GOALS_SHEET in sheets and gid not in goal_rows:
                p.error(s.place(row, "Mål-id"), f"Mål-id {quote(gid)} finns inte i bladet Mål.")
            if sid and _unique(s, row, "Delmål-id", sid, seen, "Delmål-id"):
                sub_rows[sid] = _SubRow(SubGoal(sid, gid, name, description), row.row)
                sub_order.append(sid)

    # Mätvärden
    measures: dict[str, _MeasureRow] = {}
    if MEASURES_SHEET in sheets:
        s = sheets[MEASURES_SHEET]
        seen = {}
        for row in s.raw.rows:
            mid = s.ident(row, "Mätvärde-id")
            sid = s.ident(row, "Delmål-id")
            name = s.text(row, "Mätvärde", True)
            kind = s.choice(row, "Typ", KINDS, KIND_NAMES, required=True)
            unit = s.text(row, "Enhet")
            target_year = s.year(row, "Målår", required=True)
            direction: Direction | None = None
            target: float | None = None
            baseline = s.number(row, "Utgångsvärde")
            baseline_year = s.year(row, "Utgångsår")
            if kind is Kind.INDICATOR:
                direction = s.choice(row, "Riktning", DIRECTIONS, DIRECTION_NAMES)
                if direction is None and _blank(row, "Riktning"):
                    p.error(
                        s.place(row, "Riktning"),
                        f"Riktning måste fyllas i för en indikator; {allowed(DIRECTION_NAMES)}.",
                    )
                target = s.number(row, "Målvärde")
                if target is None and _blank(row, "Målvärde"):
                    p.error(
                        s.place(row, "Målvärde"),
                        "Målvärde måste fyllas i för en indikator (ett tal).",
                    )
                tcell = row.get("Målvärde")
                if (
                    not unit
                    and tcell is not None
                    and tcell.shows_percent_sign
                    and not tcell.is_empty
                ):
                    unit = "%"
            if sid and SUBGOALS_SHEET in sheets and sid not in sub_rows:
                p.error(
                    s.place(row, "Delmål-id"), f"Delmål-id {quote(sid)} finns inte i bladet Delmål."
                )
            if (
                target_year is not None
                and settings.mandate_start is not None
                and settings.mandate_end is not None
                and not settings.mandate_start <= target_year <= settings.mandate_end
            ):
                p.warn(
                    s.place(row, "Målår"),
                    f"Målår {target_year} ligger utanför mandatperioden {settings.mandate_period}.",
                )
            if not mid or not _unique(s, row, "Mätvärde-id", mid, seen, "Mätvärde-id"):
                continue
            if kind is None or target_year is None or not name:
                complete = False
                continue
            measures[mid] = _MeasureRow(
                Measure(
                    id=mid,
                    subgoal_id=sid,
                    name=name,
                    kind=kind,
                    target_year=target_year,
                    unit=unit,
                    direction=direction,
                    baseline=baseline,
                    baseline_year=baseline_year,
                    target=target,
                    source=s.text(row, "Källa"),
                    responsible=s.text(row, "Ansvarig"),
                ),
                row.row,
            )

    # Utfall
    if OUTCOMES_SHEET in sheets:
        s = sheets[OUTCOMES_SHEET]
        seen_outcomes: dict[tuple[str, Period, str], int] = {}
        written_ids = seen_ids(sheets)
        for row in s.raw.rows:
            mid = s.ident(row, "Mätvärde-id")
            period = s.period(row, "Period")
            comment = s.text(row, "Kommentar")
            gender = s.choice(row, "Kön", GENDERS, GENDER_NAMES) if not _blank(row, "Kön") else "T"
            entry = measures.get(mid) if mid else None
            if mid and entry is None and MEASURES_SHEET in sheets and mid not in written_ids:
                p.error(
                    s.place(row, "Mätvärde-id"),
                    f"Mätvärde-id {quote(mid)} finns inte i bladet Mätvärden.",
                )
            cell = s._cell(row, "Värde", False)
            fcell = s._cell(row, "Prognos", False) if s.has("Prognos") else None
            no_value = _blank(row, "Värde")
            if no_value and fcell is None and not comment:
                p.error(
                    s.place(row, "Värde"),
                    "Värde måste fyllas i"
                    + (" (eller Prognos, för en delårsperiod)" if s.has("Prognos") else "")
                    + ". Saknas utfallet, lämna Värde tomt och skriv varför i Kommentar.",
                )
            if fcell is not None and period is not None and not period.is_interim:
                p.error(
                    s.place(row, "Prognos"),
                    f"Prognos anges bara för delårsperioder ({contract.INTERIM_CODES}); "
                    f"{period.code} är ett helår. Skriv helårets utfall i Värde och lämna "
                    "Prognos tom.",
                )
                fcell = None
            if fcell is not None and gender is not None and gender != contract.GENDER_TOTAL:
                p.error(
                    s.place(row, "Prognos"),
                    f"Prognos anges bara för totalen, inte för kön {gender}; skriv prognosen "
                    "på raden med Kön T eller tomt Kön.",
                )
                fcell = None
            if (
                entry is None
                or period is None
                or gender is None
                or (cell is None and fcell is None and not comment)
            ):
                continue
            outcome_key = (mid, period, gender)
            if outcome_key in seen_outcomes:
                p.error(
                    s.place(row, "Mätvärde-id"),
                    f"Mätvärdet {quote(mid)} har redan ett utfall för {period.code}"
                    + (f" (kön {gender})" if gender != contract.GENDER_TOTAL else "")
                    + f" på rad {seen_outcomes[outcome_key]}. Ta bort eller rätta den ena raden.",
                )
                continue
            seen_outcomes[outcome_key] = row.row
            place = s.place(row, "Värde")
            found = entry.outcomes if gender == contract.GENDER_TOTAL else entry.gender_outcomes
            if gender != contract.GENDER_TOTAL and entry.measure.kind is Kind.ACTIVITY:
                p.error(
                    s.place(row, "Kön"),
                    f"Kön {gender} går bara att ange för indikatorer; en aktivitet har ett utfall "
                    "per period.",
                )
                continue
            if entry.measure.kind is Kind.ACTIVITY:
                state = _activity_state(s, cell, place, "Värde")
                forecast_state = (
                    _activity_state(s, fcell, s.place(row, "Prognos"), "Prognos")
                    if fcell is not None
                    else None
                )
                if (cell is not None and state is None) or (
                    fcell is not None and forecast_state is None
                ):
                    continue
                entry.outcomes.append(
                    Outcome(mid, period, None, state, comment, place, forecast_state=forecast_state)
                )
            else:
                value = s.number_of(cell, row, "Värde") if cell is not None else None
                forecast = s.number_of(fcell, row, "Prognos") if fcell is not None else None
                if (cell is not None and value is None) or (fcell is not None and forecast is None):
                    continue
                found.append(
                    Outcome(mid, period, value, None, comment, place, gender, forecast=forecast)
                )

    if COMPARISONS_SHEET in sheets:
        _comparisons(sheets[COMPARISONS_SHEET], measures, seen_ids(sheets), p)

    # Bedömningar
    assessments: list[Assessment] = []
    if ASSESSMENTS_SHEET in sheets:
        s = sheets[ASSESSMENTS_SHEET]
        seen_assessments: dict[tuple[Level, str, Period], int] = {}
        known_ids = {
            Level.GOAL: set(goal_rows),
            Level.SUBGOAL: set(sub_rows),
            Level.MEASURE: seen_ids(sheets),
        }
        for row in s.raw.rows:
            level = s.choice(row, "Nivå", LEVELS, LEVEL_NAMES, required=True)
            item = s.ident(row, "Id")
            period = s.period(row, "Period")
            status = s.choice(row, "Bedömning", ASSESSMENT_STATUSES, ASSESSMENT_NAMES)
            justification = s.text(row, "Motivering")
            if status is not None and not justification:
                p.error(
                    s.place(row, "Motivering"),
                    f"Motivering saknas. En egen bedömning ({status.label}) ska alltid motiveras.",
                )
            if level is not None and item and item not in known_ids[level]:
                sheet_name = {
                    Level.GOAL: GOALS_SHEET,
                    Level.SUBGOAL: SUBGOALS_SHEET,
                    Level.MEASURE: MEASURES_SHEET,
                }[level]
                p.error(
                    s.place(row, "Id"),
                    f"{level.label} med id {quote(item)} finns inte i bladet {sheet_name}.",
                )
                continue
            if level is None or not item or period is None:
                continue
            assessment_key = (level, item, period)
            if assessment_key in seen_assessments:
                p.error(
                    s.place(row, "Id"),
                    f"{level.label} {quote(item)} har redan en bedömning för {period.code} "
                    f"på rad {seen_assessments[assessment_key]}.",
                )
                continue
            seen_assessments[assessment_key] = row.row
            assessments.append(
                Assessment(
                    level,
                    item,
                    period,
                    status,
                    justification,
                    s.text(row, "Analys"),
                    s.text(row, "Beslut"),
                )
            )

    # The tree, with warnings about empty branches and measures without outcomes.
    subs_by_goal: dict[str, list[SubGoal]] = {gid: [] for gid in goal_order}
    measures_by_sub: dict[str, list[Measure]] = {sid: [] for sid in sub_order}
    for mid, entry in measures.items():
        if not entry.outcomes:
            p.warn(
                _row_place(sheets, MEASURES_SHEET, "Mätvärde-id", entry.row),
                f"Mätvärdet {quote(mid)} har inga utfall i bladet Utfall ännu.",
            )
        if entry.measure.subgoal_id in measures_by_sub:
            measures_by_sub[entry.measure.subgoal_id].append(_with_outcomes(entry))
    for sid in sub_order:
        sub = sub_rows[sid]
        if not measures_by_sub[sid] and MEASURES_SHEET in sheets:
            p.warn(
                _row_place(sheets, SUBGOALS_SHEET, "Delmål-id", sub.row),
                f"Delmålet {quote(sid)} har inga mätvärden.",
            )
        if sub.subgoal.goal_id in subs_by_goal:
            subs_by_goal[sub.subgoal.goal_id].append(
                replace(sub.subgoal, measures=tuple(measures_by_sub[sid]))
            )
    goals = []
    for gid in goal_order:
        goal_row = goal_rows[gid]
        if not subs_by_goal[gid] and SUBGOALS_SHEET in sheets:
            p.warn(
                _row_place(sheets, GOALS_SHEET, "Mål-id", goal_row.row),
                f"Målet {quote(gid)} har inga delmål.",
            )
        goals.append(replace(goal_row.goal, subgoals=tuple(subs_by_goal[gid])))
    case_texts = _case_texts(sheets[CASE_TEXTS_SHEET], p) if CASE_TEXTS_SHEET in sheets else ()
    if not complete or any(x.is_error for x in p.items):
        return None, p.items
    return Plan(settings, tuple(goals), tuple(assessments), case_texts), p.items


def _activity_state(
    s: _Sheet, cell: RawCell | None, place: str, header: str
) -> ActivityState | None:
    """An activity word in ``Värde`` or ``Prognos``; None (with an error) when it is unknown."""
    if cell is None:
        return None
    state = ACTIVITY_STATES.get(" ".join(canonical(_as_text(cell.value)).split()))
    if state is None:
        s.p.error(
            place,
            f"{header} {quote(cell.value)} gäller en aktivitet och är okänt; "
            f"{allowed([ACTIVITY_HELP])}.",
        )
    return state


def _row_place(sheets: dict[str, _Sheet], sheet: str, header: str, row: int) -> str:
    s = sheets[sheet]
    return f"{s.name}!{s.raw.column(header)}{row}"


def _with_outcomes(entry: _MeasureRow) -> Measure:
    return replace(
        entry.measure,
        outcomes=tuple(sorted(entry.outcomes, key=lambda o: o.period)),
        gender_outcomes=tuple(
            sorted(entry.gender_outcomes, key=lambda o: (o.period, o.gender != "K"))
        ),
    )


def _kolada_settings(sheet: _Sheet, values: dict[str, RawRow], changes: dict[str, object]) -> None:
    """Kommunkod (four digits; a number cell 840 is 0840) and Jämförelsegrupp (G and digits)."""
    if (row := values.get("Kommunkod")) is not None and (
        cell := sheet._cell(row, "Värde", False)
    ) is not None:
        value = cell.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = f"{int(value):04d}" if float(value).is_integer() and 0 <= value <= 9999 else ""
        else:
            text = _as_text(value)
        if _MUNICIPALITY_CODE.match(text):
            changes["municipality_code"] = text
        else:
            sheet.p.error(
                sheet.place(row, "Värde"),
                f"Kommunkod {quote(value)} är ogiltig; skriv kommunens kod med fyra siffror, "
                "t.ex. 0840 (0000 = hela riket).",
            )
    if (row := values.get("Jämförelsegrupp")) is not None and (text := sheet.text(row, "Värde")):
        if _GROUP_ID.match(text):
            changes["comparison_group"] = text.upper()
        else:
            sheet.p.error(
                sheet.place(row, "Värde"),
                f"Jämförelsegrupp {quote(text)} är ogiltig; skriv id för en kommungrupp i Kolada, "
                "ett G följt av siffror, t.ex. G37411.",
            )


def _comparisons(
    s: _Sheet, measures: dict[str, _MeasureRow], written_ids: set[str], p: _Problems
) -> None:
    """Jämförelser: the national and comparison-group values per measure and year."""
    seen: dict[tuple[str, int], int] = {}
    found: dict[str, list[Comparison]] = {}
    for row in s.raw.rows:
        mid = s.ident(row, "Mätvärde-id")
        year = s.year(row, "År", required=True)
        national = s.number(row, "Riket")
        group = s.number(row, "Jämförelsegrupp")
        if mid and mid not in measures and mid not in written_ids:
            p.error(
                s.place(row, "Mätvärde-id"),
                f"Mätvärde-id {quote(mid)} finns inte i bladet Mätvärden.",
            )
            continue
        if mid not in measures or year is None:
            continue
        if (mid, year) in seen:
            p.error(
                s.place(row, "Mätvärde-id"),
                f"Mätvärdet {quote(mid)} har redan jämförelsevärden för {year} på rad "
                f"{seen[(mid, year)]}.",
            )
            continue
        seen[(mid, year)] = row.row
        source = s.text(row, "Källa")
        found.setdefault(mid, []).append(
            Comparison(mid, year, national, group, source, s.place(row, "År"))
        )
    for mid, items in found.items():
        entry = measures[mid]
        entry.measure = replace(
            entry.measure, comparisons=tuple(sorted(items, key=lambda c: c.year))
        )


CASE_HEADINGS = _options([(h, h) for h in contract.CASE_HEADINGS])


def _case_texts(s: _Sheet, p: _Problems) -> tuple[CaseText, ...]:
    """Ärendetext: paragraphs for the memo's sections, in the order written."""
    found = []
    for row in s.raw.rows:
        heading = s.text(row, "Rubrik", True)
        text = s.text(row, "Text", True)
        key = " ".join(canonical(re.sub(r"^\s*\d+\.?\s*", "", heading)).split())
        if heading and key not in CASE_HEADINGS:
            p.error(
                s.place(row, "Rubrik"),
                f"Rubrik {quote(heading)} är okänd; {allowed(contract.CASE_HEADINGS)}.",
            )
            continue
        if heading and text:
            found.append(CaseText(CASE_HEADINGS[key], text))
    return tuple(found)


def _blank(row: RawRow, header: str) -> bool:
    cell = row.get(header)
    return cell is None or cell.is_empty


def seen_ids(sheets: dict[str, _Sheet]) -> set[str]:
    """Every Mätvärde-id written in Mätvärden, also those of rows with other errors."""
    s = sheets.get(MEASURES_SHEET)
    if s is None:
        return set()
    ids = set()
    for row in s.raw.rows:
        cell = row.get("Mätvärde-id")
        if cell is not None and not cell.is_empty:
            ids.add(_as_text(cell.value))
    return ids


def load_plan(path: Path) -> tuple[Plan, list[Problem]]:
    """Read and validate; raise :class:`ValidationError` with every problem when any is an error.

    Returns the plan and the warnings.
    """
    plan, problems = validate(read_workbook(path))
    if plan is None:
        raise ValidationError(problems)
    return plan, problems
