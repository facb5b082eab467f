"""A corpus of bad and hostile workbooks, generated (never checked in as binary blobs).

Each case writes one file and says what ksreport must answer: exit code 1 and a Swedish message
containing every expected fragment (the sheet and cell where there is one). Run
``python tests/corpus.py DIR`` to write the whole corpus to a folder and look at it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from workbooks import Cell, Sheets, base_sheets, set_cell, write_book


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # writes the file into the folder, returns its path
    expect: tuple[str, ...]  # fragments the output must contain
    slow: bool = False


CASES: list[Case] = []


def case(
    name: str, *expect: str, slow: bool = False
) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES.append(Case(name, fn, expect, slow))
        return fn

    return register


def sheets_case(name: str, *expect: str) -> Callable[[Callable[[Sheets], None]], None]:
    """A case made by changing the valid base workbook's rows."""

    def register(change: Callable[[Sheets], None]) -> None:
        def make(folder: Path) -> Path:
            s = base_sheets()
            change(s)
            return write_book(folder / f"{name}.xlsx", s)

        CASES.append(Case(name, make, expect))

    return register


def _valid_bytes() -> bytes:
    buf = io.BytesIO()
    wb = Workbook()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of an xlsx (e.g. a sheet's XML) in place."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[member] = change(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def _sheet_part(path: Path, title: str) -> str:
    wb = load_workbook(path)
    index = wb.sheetnames.index(title) + 1
    return f"xl/worksheets/sheet{index}.xml"


# --- not an xlsx at all -------------------------------------------------------------------------


@case("csv", "ingen Excel-arbetsbok", "CSV")
def _csv(folder: Path) -> Path:
    p = folder / "csv.csv"
    p.write_text("Mål-id;Mål\n1;Nöjda invånare\n", encoding="utf-8")
    return p


@case("text-renamed", "ingen Excel-arbetsbok")
def _text(folder: Path) -> Path:
    p = folder / "text-renamed.xlsx"
    p.write_text("Det här är en vanlig textfil.\n", encoding="utf-8")
    return p


@case("empty-file", "är tom")
def _empty(folder: Path) -> Path:
    p = folder / "empty-file.xlsx"
    p.write_bytes(b"")
    return p


@case("xls", "gamla Excel-formatet (.xls)")
def _xls(folder: Path) -> Path:
    # A Compound File Binary header, as every .xls starts with.
    p = folder / "xls.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Workbook".ljust(64, b"\0"))
    return p


@case("truncated-zip", "skadad eller ofullständig")
def _truncated(folder: Path) -> Path:
    data = write_book(folder / "tmp-full.xlsx", base_sheets()).read_bytes()
    (folder / "tmp-full.xlsx").unlink()
    p = folder / "truncated-zip.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


@case("zip-not-xlsx", "är en zip-fil men ingen Excel-arbetsbok")
def _zip(folder: Path) -> Path:
    p = folder / "zip-not-xlsx.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hej")
    return p


@case("corrupt-part", "kan inte läsas som Excel-arbetsbok")
def _corrupt(folder: Path) -> Path:
    p = write_book(folder / "corrupt-part.xlsx", base_sheets())
    return _rewrite(p, "xl/workbook.xml", lambda b: b[: len(b) // 2])


@case("password-protected", "lösenordsskyddad")
def _password(folder: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_book(folder / "tmp-plain.xlsx", base_sheets())
    p = folder / "password-protected.xlsx"
    with plain.open("rb") as fh, p.open("wb") as out:
        OOXMLFile(fh).encrypt("hemligt", out)
    plain.unlink()
    return p


# --- sheets and columns ---------------------------------------------------------------------------


@case("no-known-sheets", 'Mål: Bladet "Mål" saknas', 'Utfall: Bladet "Utfall" saknas')
def _blank(folder: Path) -> Path:
    p = folder / "no-known-sheets.xlsx"
    p.write_bytes(_valid_bytes())
    return p


@sheets_case("missing-sheet-goals", 'Mål: Bladet "Mål" saknas i arbetsboken')
def _(s: Sheets) -> None:
    del s["Mål"]


@sheets_case("missing-sheet-outcomes", 'Utfall: Bladet "Utfall" saknas i arbetsboken')
def _(s: Sheets) -> None:
    del s["Utfall"]


def _drop_column(s: Sheets, sheet: str, header: str) -> None:
    col = s[sheet][0].index(header)
    for row in s[sheet]:
        del row[col]


@sheets_case("missing-column-target-year", 'Mätvärden!1:1: Kolumnen "Målår" saknas')
def _(s: Sheets) -> None:
    _drop_column(s, "Mätvärden", "Målår")


@sheets_case("missing-column-value", 'Utfall!1:1: Kolumnen "Värde" saknas')
def _(s: Sheets) -> None:
    _drop_column(s, "Utfall", "Värde")


@sheets_case("duplicate-header", 'Mål!F1: Kolumnen "Mål" finns två gånger')
def _(s: Sheets) -> None:
    s["Mål"][0].append("Mål")


@sheets_case("header-not-row-1", "Mätvärden!1:1", "verkar stå på rad 3")
def _(s: Sheets) -> None:
    s["Mätvärden"][0:0] = [["Mätvärden för mandatperioden"], []]


@case("merged-header-cells", 'Mål!1:1: Kolumnen "Mål" saknas i rubrikraden')
def _merged(folder: Path) -> Path:
    p = write_book(folder / "merged-header-cells.xlsx", base_sheets())
    wb = load_workbook(p)
    wb["Mål"].merge_cells("A1:B1")  # the header "Mål" in B1 disappears under the merge
    wb.save(p)
    return p


@case("hidden-sheet-with-error", "Mätvärden: Bladet är dolt", 'Mätvärden!D2: Typ "X" är okänd')
def _hidden(folder: Path) -> Path:
    s = base_sheets()
    set_cell(s, "Mätvärden", "M1", "Typ", "X")
    p = write_book(folder / "hidden-sheet-with-error.xlsx", s)
    wb = load_workbook(p)
    wb["Mätvärden"].sheet_state = "hidden"
    wb.save(p)
    return p


# --- cells ----------------------------------------------------------------------------------------


@sheets_case("empty-goal-name", "Mål!B2: Mål måste fyllas i.")
def _(s: Sheets) -> None:
    set_cell(s, "Mål", "1", "Mål", None)


@sheets_case("empty-measure-type", "Mätvärden!D3: Typ måste fyllas i.")
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M2", "Typ", "   ")


@sheets_case("empty-outcome-value", "Utfall!C3: Värde måste fyllas i.")
def _(s: Sheets) -> None:
    s["Utfall"][2][2] = None
    s["Utfall"][2][3] = ""  # with a Kommentar, an empty Värde is a row without an outcome


@sheets_case("empty-assessment-period", "Bedömningar!C2: Period måste fyllas i.")
def _(s: Sheets) -> None:
    s["Bedömningar"].append(["Mål", "1", None, "", "", "Analys", ""])


@sheets_case("duplicate-goal-id", 'Mål!A4: Mål-id "2" finns redan på rad 3.')
def _(s: Sheets) -> None:
    s["Mål"].append([2.0, "Igen", "", "", ""])


@sheets_case("duplicate-subgoal-id", 'Delmål!A5: Delmål-id "1.1" finns redan på rad 2.')
def _(s: Sheets) -> None:
    s["Delmål"].append(["1.1", "1", "Igen", ""])


@sheets_case("duplicate-measure-id", 'Mätvärden!A7: Mätvärde-id "M3" finns redan på rad 4.')
def _(s: Sheets) -> None:
    s["Mätvärden"].append(
        ["M3", "1.1", "Igen", "Aktivitet", "", "", None, None, None, 2020, "", ""]
    )


@sheets_case("dangling-goal", 'Delmål!B4: Mål-id "7" finns inte i bladet Mål.')
def _(s: Sheets) -> None:
    set_cell(s, "Delmål", "2.1", "Mål-id", 7)


@sheets_case("dangling-subgoal", 'Mätvärden!B2: Delmål-id "1.9" finns inte i bladet Delmål.')
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M1", "Delmål-id", "1.9")


@sheets_case("dangling-measure", 'Utfall!A12: Mätvärde-id "M9" finns inte i bladet Mätvärden.')
def _(s: Sheets) -> None:
    s["Utfall"].append(["M9", 2020, 5, ""])


@sheets_case("dangling-assessment", 'Bedömningar!B2: Mätvärde med id "M9" finns inte')
def _(s: Sheets) -> None:
    s["Bedömningar"].append(["Mätvärde", "M9", 2020, "Gult", "Motiv", "", ""])


@sheets_case(
    "unknown-type", 'Mätvärden!D2: Typ "Nyckeltal" är okänd; tillåtna värden: Indikator, Aktivitet.'
)
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M1", "Typ", "Nyckeltal")


@sheets_case(
    "unknown-direction",
    'Mätvärden!F4: Riktning "Neråt" är okänd; tillåtna värden: Högre är bättre, Lägre är bättre.',
)
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M3", "Riktning", "Neråt")


@sheets_case(
    "unknown-level",
    'Bedömningar!A2: Nivå "Strategi" är okänd; tillåtna värden: Mål, Delmål, Mätvärde.',
)
def _(s: Sheets) -> None:
    s["Bedömningar"].append(["Strategi", "1", 2020, "Gult", "Motiv", "", ""])


@sheets_case(
    "unknown-assessment",
    'Bedömningar!D2: Bedömning "Lila" är okänd; tillåtna värden: Grönt, Gult, Rött.',
)
def _(s: Sheets) -> None:
    s["Bedömningar"].append(["Mål", "1", 2020, "Lila", "Motiv", "", ""])


@sheets_case("unknown-activity-value", 'Utfall!C4: Värde "Klart" gäller en aktivitet')
def _(s: Sheets) -> None:
    s["Utfall"][3][2] = "Klart"


@sheets_case("text-target", 'Mätvärden!I2: Målvärde "tolv" är inte ett tal.')
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M1", "Målvärde", "tolv")


@sheets_case("text-outcome", 'Utfall!C7: Värde "ca 25" är inte ett tal.')
def _(s: Sheets) -> None:
    s["Utfall"][6][2] = "ca 25"


@sheets_case("boolean-number", 'Mätvärden!G2: Utgångsvärde "True" är inte ett tal.')
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M1", "Utgångsvärde", True)


@sheets_case("div0", "Utfall!C3: Värde innehåller felvärdet #DIV/0!")
def _(s: Sheets) -> None:
    s["Utfall"][2][2] = "#DIV/0!"


@sheets_case("na-target", "Mätvärden!I4: Målvärde innehåller felvärdet #N/A")
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M3", "Målvärde", "#N/A")


@sheets_case("ref-baseline", "Mätvärden!G5: Utgångsvärde innehåller felvärdet #REF!")
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M4", "Utgångsvärde", "#REF!")


@case("formula-without-cached-value", "Utfall!C3: Värde är en formel som saknar sparat värde")
def _formula(folder: Path) -> Path:
    p = write_book(folder / "formula-without-cached-value.xlsx", base_sheets())
    wb = load_workbook(p)
    wb["Utfall"]["C3"] = "=SUM(C2:C2)+12"
    wb.save(p)
    return p


@sheets_case("date-outcome", 'Utfall!C3: Värde "2020-12-31" är ett datum, inte ett tal.')
def _(s: Sheets) -> None:
    s["Utfall"][2][2] = dt.datetime(2020, 12, 31)


@sheets_case("date-target", 'Mätvärden!I2: Målvärde "2022-01-01" är ett datum, inte ett tal.')
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M1", "Målvärde", Cell(dt.datetime(2022, 1, 1), "yyyy-mm-dd"))


@sheets_case("malformed-period", 'Utfall!B3: Period "2020-T3" är ogiltig; skriv ÅÅÅÅ, ÅÅÅÅ-T1')
def _(s: Sheets) -> None:
    s["Utfall"][2][1] = "2020-T3"


@sheets_case("period-words", 'Utfall!B2: Period "Helår 2019" är ogiltig')
def _(s: Sheets) -> None:
    s["Utfall"][1][1] = "Helår 2019"


@sheets_case("bad-target-year", 'Mätvärden!J3: Målår "2020,5" är inget årtal')
def _(s: Sheets) -> None:
    set_cell(s, "Mätvärden", "M2", "Målår", "2020,5")


@sheets_case("override-without-justification", "Bedömningar!E2: Motivering saknas.")
def _(s: Sheets) -> None:
    s["Bedömningar"].append(["Delmål", "1.1", 2020, "Grönt", None, "Analys", ""])


@sheets_case(
    "duplicate-outcome", 'Utfall!A12: Mätvärdet "M3" har redan ett utfall för 2020 på rad 7.'
)
def _(s: Sheets) -> None:
    s["Utfall"].append(["M3", "2020", 24, "dubblett"])


@sheets_case("bad-agenda", 'Mål!E2: Agenda 2030 "3, 10, 0" är ogiltigt')
def _(s: Sheets) -> None:
    set_cell(s, "Mål", "1", "Agenda 2030", "3, 10, 0")


@sheets_case("bad-mandate-period", 'Inställningar!B4: Mandatperiod "2020/22" är ogiltig')
def _(s: Sheets) -> None:
    s["Inställningar"][3][1] = "2020/22"


@sheets_case("bad-tolerance", 'Inställningar!B5: Tolerans "-3" måste vara ett tal mellan 0 och 100')
def _(s: Sheets) -> None:
    s["Inställningar"].append(["Tolerans", -3])


@sheets_case(
    "duplicate-setting", "Inställningar!A5: Inställningen Nämnd finns redan i Inställningar!A3."
)
def _(s: Sheets) -> None:
    s["Inställningar"].append(["nämnd", "Utbildningsnämnden"])


@case("huge-string", 'Mätvärden!I2: Målvärde "xxxxxxxx', '…" är inte ett tal.')
def _huge(folder: Path) -> Path:
    s = base_sheets()
    set_cell(s, "Mätvärden", "M1", "Målvärde", "x" * 1_000_000)
    set_cell(s, "Mål", "1", "Beskrivning", "y" * 1_000_000)
    return write_book(folder / "huge-string.xlsx", s)


@case("100000-rows", 'Utfall!C100011: Värde "sist" är inte ett tal.', slow=True)
def _rows(folder: Path) -> Path:
    """100 000 outcome rows (2 500 measures × 40 periods), the very last one bad."""
    s = base_sheets()
    wb = Workbook(write_only=True)
    kinds = ["-T1", "-H1", "-T2", ""]
    for name, rows in s.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name == "Mätvärden":
            for i in range(2500):
                ws.append(
                    [
                        f"X{i}",
                        "1.1",
                        f"Mätvärde {i}",
                        "Indikator",
                        "%",
                        "Högre är bättre",
                        50,
                        2019,
                        70,
                        2022,
                        "",
                        "",
                    ]
                )
        elif name == "Utfall":
            n = 0
            for i in range(2500):
                for year in range(2000, 2010):
                    for kind in kinds:
                        n += 1
                        value: object = "sist" if n == 100_000 else (i + year) % 100
                        ws.append([f"X{i}", f"{year}{kind}", value, ""])
    p = folder / "100000-rows.xlsx"
    wb.save(p)
    return p


# --- hostile --------------------------------------------------------------------------------------

_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1)) for _ in range(10)))
        for i in range(1, 10)
    )
    + b"]>\n"
)


def _with_doctype(data: bytes, doctype: bytes, reference: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    body = body.replace(b"<t>N&#246;jdhet</t>", b"<t>" + reference + b"</t>", 1)
    return doctype + body


@case("billion-laughs", "XML-konstruktioner som inte tillåts")
def _laughs(folder: Path) -> Path:
    p = write_book(folder / "billion-laughs.xlsx", base_sheets())
    return _rewrite(p, _sheet_part(p, "Mätvärden"), lambda b: _with_doctype(b, _LAUGHS, b"&lol9;"))


@case("billion-laughs-in-workbook", "XML-konstruktioner som inte tillåts")
def _laughs_workbook(folder: Path) -> Path:
    p = write_book(folder / "billion-laughs-in-workbook.xlsx", base_sheets())
    return _rewrite(p, "xl/workbook.xml", lambda b: _with_doctype(b, _LAUGHS, b""))


@case("external-entity", "XML-konstruktioner som inte tillåts")
def _xxe(folder: Path) -> Path:
    p = write_book(folder / "external-entity.xlsx", base_sheets())
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    return _rewrite(p, _sheet_part(p, "Mätvärden"), lambda b: _with_doctype(b, doctype, b"&xxe;"))


@case("zip-bomb-ratio", "zip-bomb")
def _bomb(folder: Path) -> Path:
    """A sheet part of 64 MB of one repeated byte: it deflates to about 64 kB."""
    p = write_book(folder / "zip-bomb-ratio.xlsx", base_sheets())
    part = _sheet_part(p, "Utfall")
    return _rewrite(
        p, part, lambda b: b.replace(b"</worksheet>", b" " * (64 << 20) + b"</worksheet>")
    )


@case("zip-many-entries", "delar; högst 10000 tillåts")
def _entries(folder: Path) -> Path:
    p = write_book(folder / "zip-many-entries.xlsx", base_sheets())
    with zipfile.ZipFile(p, "a") as z:
        for i in range(10_001):
            z.writestr(f"xl/media/x{i}.bin", b"")
    return p


# --- workbooks as real programs and people make them (issue 15) ---------------------------------
#
# Two kinds: bad ones (in CASES, answered with exit 1 and a Swedish message) and readable ones (in
# READABLE: validate accepts them and every value is read the way Excel shows it). Where openpyxl
# cannot write the shape a real program writes, the XML part is rewritten here.


@dataclass(frozen=True)
class Readable:
    """A workbook ksreport must read: ``validate`` exits 0 and prints every fragment of
    ``expect`` (warnings and notes); scored for 2020, each measure in ``values`` has that value,
    each in ``units`` that unit. ``marks``: pytest marks by name (``libreoffice``, ``slow``)."""

    name: str
    make: Callable[[Path], Path]
    values: dict[str, float]
    expect: tuple[str, ...] = ()
    units: dict[str, str] | None = None
    marks: tuple[str, ...] = ()
    names: dict[str, str] | None = None  # goal or measure id → its name as read


READABLE: list[Readable] = []

# Scored for 2020, the base workbook's indicators read these values.
BASE_VALUES = {"M1": 72.0, "M3": 25.0, "M4": 7.5, "M5": 72.0}


def readable(
    name: str,
    *expect: str,
    values: dict[str, float] | None = None,
    units: dict[str, str] | None = None,
    marks: tuple[str, ...] = (),
    names: dict[str, str] | None = None,
) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
        values_read = {**BASE_VALUES, **(values or {})}
        READABLE.append(Readable(name, fn, values_read, expect, units, marks, names))
        return fn

    return register


def _formatted(name: str, fmt: str, read_as: float = 1, **values: float) -> None:
    """A readable case: Utfall's 2020 values of the given measures in cells with the number
    format ``fmt``; each is read as its value times ``read_as`` (100 for a real percentage)."""
    rows = {"M1": 2, "M3": 6, "M4": 8, "M5": 10}

    def make(folder: Path) -> Path:
        s = base_sheets()
        for mid, value in values.items():
            s["Utfall"][rows[mid]][2] = Cell(value, fmt)
        return write_book(folder / f"{name}.xlsx", s)

    read = {mid: round(v * read_as, 9) for mid, v in values.items()}
    READABLE.append(Readable(name, make, {**BASE_VALUES, **read}))


# A % that is only text: Excel shows the number itself followed by "%" (72,5 is "72,5 %").
_formatted("literal-percent-quoted", '0.0" %"', M1=72.5, M4=5.5)
_formatted("literal-percent-space-quoted", '0.0 " %"', M1=72.5, M4=5.5)
_formatted("literal-percent-integer", '0" %"', M1=73, M3=24)
_formatted("literal-percent-escaped", "0\\%", M1=73, M4=6)
# A real percentage holds the fraction: 0,725 is shown as 72,5 %.
_formatted("real-percent-red-negative", "0.0%;[Red]-0.0%", 100, M1=0.725, M4=0.055)
# Neighbours without any percent.
_formatted("format-pieces", '0.0" st"', M1=72.5, M5=71)
_formatted("format-kronor", '#,##0" kr"', M5=1250)
_formatted("format-red", "[Red]0.0", M1=72.5)
_formatted("format-locale", "[$-41D]0.0", M1=72.5, M3=24.5)


@readable(
    "format-thousands",
    'Utfall!C11: Värde: talformatet # ##0 " tkr" visar värdet i tusental, så cellen innehåller '
    "1\u00a0250\u00a0000 men visar 1\u00a0250.",
    values={"M5": 1250},
)
def _thousands(folder: Path) -> Path:
    """A comma after the last digit placeholder shows the value in thousands (Excel's "tkr"
    format): 1 250 000 is shown, and read, as 1 250."""
    s = base_sheets()
    s["Utfall"][10][2] = Cell(1250000, '#,##0," tkr"')
    return write_book(folder / "format-thousands.xlsx", s)


@readable("literal-percent-target-without-unit", values={"M1": 72.5}, units={"M1": "%"})
def _literal_target(folder: Path) -> Path:
    """Målvärde 70 shown as "70 %" by its format, Enhet empty: the unit is %, the target 70."""
    s = base_sheets()
    set_cell(s, "Mätvärden", "M1", "Enhet", "")
    set_cell(s, "Mätvärden", "M1", "Målvärde", Cell(70, '0" %"'))
    s["Utfall"][2][2] = Cell(72.5, '0.0" %"')
    return write_book(folder / "literal-percent-target-without-unit.xlsx", s)


@readable(
    "ambiguous-percent-sections",
    "Utfall!C3: Värde: talformatet 0,0%;0,0 visar en del tal som procent och andra inte",
    "läses som Excel visar det, 72,5 %",
    values={"M1": 72.5},
)
def _ambiguous(folder: Path) -> Path:
    """Positive numbers as a percentage, negative ones not: read as Excel shows this one."""
    s = base_sheets()
    s["Utfall"][2][2] = Cell(0.725, "0.0%;0.0")
    return write_book(folder / "ambiguous-percent-sections.xlsx", s)


def _dimension(path: Path, sheet: str, ref: str) -> Path:
    """Write a wrong ``<dimension ref>`` into a sheet, as some exporting programs do."""
    return _rewrite(
        path,
        _sheet_part(path, sheet),
        lambda b: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), b),
    )


@readable("dimension-a1")
def _dimension_a1(folder: Path) -> Path:
    """Every sheet claims to be only A1."""
    p = write_book(folder / "dimension-a1.xlsx", base_sheets())
    for sheet in base_sheets():
        _dimension(p, sheet, "A1")
    return p


@readable("dimension-too-small", values={"M1": 61.0})
def _dimension_small(folder: Path) -> Path:
    """Utfall has 32 rows but claims A1:D10: outcomes past row 10 must still be read."""
    s = base_sheets()
    s["Utfall"][2][2] = 61
    for year in range(1998, 2019):
        s["Utfall"].append(["M5", year, 50 + year % 7, ""])
    assert len(s["Utfall"]) == 32
    p = write_book(folder / "dimension-too-small.xlsx", s)
    return _dimension(p, "Utfall", "A1:D10")


@readable("dimension-offset")
def _dimension_offset(folder: Path) -> Path:
    """A stored range that starts inside the sheet (C3:D4) hides neither headers nor IDs."""
    p = write_book(folder / "dimension-offset.xlsx", base_sheets())
    return _dimension(p, "Mätvärden", "C3:D4")


@case("dimension-hides-an-error", 'Utfall!C32: Värde "ca 25" är inte ett tal.')
def _dimension_error(folder: Path) -> Path:
    s = base_sheets()
    for year in range(1998, 2018):
        s["Utfall"].append(["M5", year, 50, ""])
    s["Utfall"].append(["M5", 2018, "ca 25", ""])
    p = write_book(folder / "dimension-hides-an-error.xlsx", s)
    return _dimension(p, "Utfall", "A1:D10")


def _add_table(
    path: Path, sheet: str, name: str, *, totals: dict[str, str] | None = None, cached: str = ""
) -> Path:
    """Make the sheet's rows an Excel table, as ``init`` does; with ``totals`` (header → a
    totals-row label or function) add the totals row Excel adds with one click: a label in the
    first column, ``SUBTOTAL`` formulas with their cached values below the others."""
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    wb = load_workbook(path)
    ws = wb[sheet]
    last_row, last_col = ws.max_row, ws.max_column
    headers = [str(ws.cell(1, c).value) for c in range(1, last_col + 1)]
    end = get_column_letter(last_col)
    table = Table(displayName=name, ref=f"A1:{end}{last_row + (1 if totals else 0)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    for i, header in enumerate(headers, start=1):
        column = TableColumn(id=i, name=header)
        spec = (totals or {}).get(header)
        if spec is not None and spec.startswith("="):
            column.totalsRowFunction = "sum"
            ws.cell(last_row + 1, i).value = f"=SUBTOTAL(109,{name}[{header}])"
        elif spec is not None:
            column.totalsRowLabel = spec
            ws.cell(last_row + 1, i).value = spec
        table.tableColumns.append(column)
    if totals:
        table.totalsRowCount = 1
        table.autoFilter = AutoFilter(ref=f"A1:{end}{last_row}")
    ws.add_table(table)
    wb.save(path)
    if totals and cached:  # Excel saves the SUBTOTAL's value with the formula
        _rewrite(
            path,
            _sheet_part(path, sheet),
            lambda b: re.sub(
                rb"(<f>SUBTOTAL\([^<]*</f>)<v\s*/>|(<f>SUBTOTAL\([^<]*</f>)<v></v>",
                lambda m: (m.group(1) or m.group(2)) + f"<v>{cached}</v>".encode(),
                b,
            ),
        )
    return path


@readable(
    "totals-row",
    "Utfall!A12:D12: Raden är summaraden i Excel-tabellen Utfall och läses inte som data.",
)
def _totals(folder: Path) -> Path:
    p = write_book(folder / "totals-row.xlsx", base_sheets())
    return _add_table(
        p, "Utfall", "Utfall", totals={"Mätvärde-id": "Summa", "Värde": "="}, cached="336.5"
    )


@readable("table-without-totals-row")
def _table_plain(folder: Path) -> Path:
    """Tables on every data sheet, as ``init`` makes them; no totals row, nothing skipped."""
    p = write_book(folder / "table-without-totals-row.xlsx", base_sheets())
    for sheet in ("Mål", "Delmål", "Mätvärden", "Utfall"):
        _add_table(
            p, sheet, {"Mål": "Mal", "Delmål": "Delmal", "Mätvärden": "Matvarden"}.get(sheet, sheet)
        )
    return p


@readable(
    "totals-row-on-measures",
    "Mätvärden!A7:L7: Raden är summaraden i Excel-tabellen Matvarden",
)
def _totals_measures(folder: Path) -> Path:
    """A totals row counting the measures (Antal) under Mätvärden, next to a plain table."""
    p = write_book(folder / "totals-row-on-measures.xlsx", base_sheets())
    _add_table(p, "Utfall", "Utfall")
    return _add_table(
        p, "Mätvärden", "Matvarden", totals={"Mätvärde-id": "Antal", "Målvärde": "="}, cached="176"
    )


@readable("conditional-formats")
def _conditional(folder: Path) -> Path:
    """Red-yellow-green colour scales, a cell rule and a formula rule that looks up the measure
    on another sheet, as a business developer colours Utfall by hand."""
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
    from openpyxl.styles import PatternFill

    p = write_book(folder / "conditional-formats.xlsx", base_sheets())
    wb = load_workbook(p)
    ws = wb["Utfall"]
    ws.conditional_formatting.add(
        "C2:C500",
        ColorScaleRule(start_type="min", start_color="F8696B", end_type="max", end_color="63BE7B"),
    )
    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    ws.conditional_formatting.add(
        "C2:C500", CellIsRule(operator="lessThan", formula=["0"], fill=red)
    )
    ws.conditional_formatting.add(
        "A2:D500",
        FormulaRule(formula=["COUNTIF(Mätvärden!$A:$A,$A2)=0"], fill=red),
    )
    wb["Mätvärden"].conditional_formatting.add(
        "I2:I100", CellIsRule(operator="greaterThan", formula=["Mätvärden!$G2"], fill=red)
    )
    wb.save(p)
    return p


@readable("data-validation-other-sheets")
def _validations(folder: Path) -> Path:
    """Dropdowns whose lists live on other sheets (the IDs in Mätvärden and Delmål)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    p = write_book(folder / "data-validation-other-sheets.xlsx", base_sheets())
    wb = load_workbook(p)
    ids = DataValidation(type="list", formula1="=Mätvärden!$A$2:$A$200", allow_blank=True)
    ids.error, ids.errorTitle = "Välj ett Mätvärde-id ur listan.", "Okänt id"
    wb["Utfall"].add_data_validation(ids)
    ids.add("A2:A500")
    subgoals = DataValidation(type="list", formula1="'Delmål'!$A$2:$A$50")
    wb["Mätvärden"].add_data_validation(subgoals)
    subgoals.add("B2:B200")
    goals = DataValidation(type="list", formula1='=INDIRECT("Mål!A2:A20")')
    wb["Delmål"].add_data_validation(goals)
    goals.add("B2:B100")
    wb.save(p)
    return p


@readable("protected-sheets")
def _protected(folder: Path) -> Path:
    """Sheets and the workbook's structure protected with a password, as a shared workbook often
    is: the cells are still readable."""
    from openpyxl.workbook.protection import WorkbookProtection

    p = write_book(folder / "protected-sheets.xlsx", base_sheets())
    wb = load_workbook(p)
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.password = "hemligt"
    wb.security = WorkbookProtection(workbookPassword="hemligt", lockStructure=True)
    wb.save(p)
    return p


@readable("filtered-rows")
def _filtered(folder: Path) -> Path:
    """Saved while Utfall was filtered on one measure: the rows the filter hides are data."""
    from openpyxl.worksheet.filters import FilterColumn, Filters

    p = write_book(folder / "filtered-rows.xlsx", base_sheets())
    wb = load_workbook(p)
    ws = wb["Utfall"]
    ws.auto_filter.ref = "A1:D11"
    ws.auto_filter.filterColumn.append(FilterColumn(colId=0, filters=Filters(filter=["M1"])))
    for row in range(4, 12):
        ws.row_dimensions[row].hidden = True
    wb.save(p)
    return p


@readable("formula-with-cached-value", values={"M1": 72.5})
def _cached_formula(folder: Path) -> Path:
    """A value computed by a formula, saved with its result as Excel saves it."""
    s = base_sheets()
    s["Utfall"][2][2] = "=145/2"
    p = write_book(folder / "formula-with-cached-value.xlsx", s)
    wb = load_workbook(p)
    wb["Utfall"]["C3"] = "=145/2"
    wb.save(p)
    return _rewrite(
        p,
        _sheet_part(p, "Utfall"),
        lambda b: re.sub(
            rb"(<c r=\"C3\"[^>]*>)<f>145/2</f><v\s*/>|(<c r=\"C3\"[^>]*>)<f>145/2</f><v></v>",
            lambda m: (m.group(1) or m.group(2)) + b"<f>145/2</f><v>72.5</v>",
            b,
        ),
    )


_INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"([^>]*)><is><t>([^<]*)</t></is></c>'
)
_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _with_rich_shared_strings(path: Path) -> Path:
    """Turn every sheet's inline strings (openpyxl's way) into shared strings (Excel's way), the
    first word of each longer text bold in a run of its own and a phonetic run beside it, as
    Excel writes text someone has formatted in part."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    strings: list[bytes] = []

    def share(m: re.Match[bytes]) -> bytes:
        text = m.group(4)
        words = text.split(b" ", 1)
        if len(words) == 2 and len(text) > 8:
            item = (
                b'<si><r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t>'
                + words[0]
                + b'</t></r><r><rPr><sz val="11"/><rFont val="Calibri"/></rPr>'
                + b'<t xml:space="preserve"> '
                + words[1]
                + b'</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>'
            )
        else:
            item = b"<si><t>" + text + b"</t></si>"
        strings.append(item)
        return (
            b'<c r="'
            + m.group(1)
            + b'"'
            + m.group(2)
            + b' t="s"'
            + m.group(3)
            + b"><v>%d</v></c>" % (len(strings) - 1)
        )

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = _INLINE.sub(share, parts[name])
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(strings), len(strings))
        + b"".join(strings)
        + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode(),
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSst" Type="{_SST}" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


@readable(
    "rich-text-shared-strings",
    names={"1": "Nöjda invånare", "2": "Hållbar organisation", "M3": "Handläggningstid"},
)
def _rich_shared(folder: Path) -> Path:
    return _with_rich_shared_strings(
        write_book(folder / "rich-text-shared-strings.xlsx", base_sheets())
    )


@readable("rich-text-inline-strings", names={"1": "Nöjda invånare", "M1": "Nöjdhet"})
def _rich_inline(folder: Path) -> Path:
    """Inline strings with runs (``<is><r>…</r></is>``), as some exporting programs write them."""
    p = write_book(folder / "rich-text-inline-strings.xlsx", base_sheets())

    def runs(b: bytes) -> bytes:
        # openpyxl writes non-ASCII letters as character references: "N&#246;jda".
        plain = b"<is><t>N&#246;jda inv&#229;nare</t></is>"
        rich = (
            b"<is><r><rPr><b/></rPr><t>N&#246;jda</t></r>"
            b'<r><t xml:space="preserve"> inv&#229;nare</t></r></is>'
        )
        m1 = b"<is><r><t>M</t></r><r><rPr><i/></rPr><t>1</t></r></is>"
        return b.replace(plain, rich).replace(b"<is><t>M1</t></is>", m1)

    with zipfile.ZipFile(p) as z:
        assert any(b"inlineStr" in z.read(n) for n in z.namelist() if "worksheets/sheet" in n)
    for sheet in ("Mål", "Mätvärden", "Utfall"):
        _rewrite(p, _sheet_part(p, sheet), runs)
    with zipfile.ZipFile(p) as z:
        assert b"<t>N&#246;jda</t></r>" in z.read(_sheet_part(p, "Mål"))
    return p


def _xlsxwriter_book(path: Path, sheets: Sheets) -> Path:
    """The sheets written by XlsxWriter (shared strings, its own styles and number formats), as
    reports exported from other systems often are."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    formats: dict[str, object] = {}
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, Cell):
                    fmt = formats.setdefault(
                        value.number_format, wb.add_format({"num_format": value.number_format})
                    )
                    ws.write(r, c, value.value, fmt)
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()
    return path


@readable("xlsxwriter", values={"M1": 72.5, "M4": 5.5, "M3": 24.5}, names={"1": "Nöjda invånare"})
def _xlsxwriter(folder: Path) -> Path:
    """A real percentage, a literal one and rich text, written by XlsxWriter."""
    s = base_sheets()
    s["Utfall"][2][2] = Cell(0.725, "0.0%")
    s["Utfall"][8][2] = Cell(5.5, '0.0" %"')
    s["Utfall"][6][2] = Cell(24.5, "0.0\\ \\%")
    p = _xlsxwriter_book(folder / "xlsxwriter.xlsx", s)
    return p


@readable("libreoffice", values={"M1": 72.5, "M4": 5.5}, marks=("libreoffice", "slow"))
def _libreoffice(folder: Path) -> Path:
    """Saved by LibreOffice: the workbook round-trips through ``soffice --convert-to xlsx``
    with a real and a literal percentage (LibreOffice writes its own format codes)."""
    s = base_sheets()
    s["Utfall"][2][2] = Cell(0.725, "0.0%")
    s["Utfall"][8][2] = Cell(5.5, '0.0" %"')
    source_dir = folder / "lo-källa"
    source_dir.mkdir(exist_ok=True)
    source = write_book(source_dir / "libreoffice.xlsx", s)
    return libreoffice_xlsx(source, folder)


def libreoffice_xlsx(source: Path, out_dir: Path) -> Path:
    """``source`` opened and saved as .xlsx by LibreOffice headless (a private profile keeps
    parallel runs apart)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise CalcMissing("LibreOffice (soffice) saknas")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(out_dir / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    result = out_dir / source.name
    if not result.exists():  # LibreOffice without Calc cannot open a workbook
        raise CalcMissing("LibreOffice Calc (libreoffice-calc-nogui) saknas")
    with zipfile.ZipFile(result) as z:
        assert b"<Application>LibreOffice" in z.read("docProps/app.xml")
    return result


class CalcMissing(RuntimeError):
    """LibreOffice, or its Calc, is not installed."""


def excel_lock_bytes(user: str = "Anna Andersson") -> bytes:
    """An Excel owner ("lock") file as Excel writes it: the user's name as a length-prefixed
    ASCII string padded to 54 bytes, then again in UTF-16, 165 bytes in all."""
    ascii_part = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
    wide = bytes([len(user), 0]) + user.encode("utf-16-le")
    return (ascii_part + wide).ljust(165, b"\x20")


def libreoffice_lock_text(user: str = "Anna Andersson") -> str:
    return f",{user},KOMMUN-PC123,01.12.2024 09:41,file:///C:/Users/anna/AppData/Roaming/LibreOffice/4;"


@case(
    "excel-lock-file",
    'Filen "~$excel-lock-file.xlsx" är ingen arbetsbok utan den låsfil som Excel lägger',
    'verkar vara öppen i Excel. Ange arbetsboken "excel-lock-file.xlsx" i stället',
)
def _excel_lock(folder: Path) -> Path:
    """Excel's lock file given where the workbook belongs (it sorts first in a folder)."""
    write_book(folder / "excel-lock-file.xlsx", base_sheets())
    p = folder / "~$excel-lock-file.xlsx"
    p.write_bytes(excel_lock_bytes())
    return p


@case(
    "libreoffice-lock-file",
    "den låsfil som LibreOffice lägger bredvid arbetsboken",
    "verkar vara öppen i LibreOffice",
)
def _lo_lock(folder: Path) -> Path:
    write_book(folder / "libreoffice-lock-file.xlsx", base_sheets())
    p = folder / ".~lock.libreoffice-lock-file.xlsx#"
    p.write_text(libreoffice_lock_text(), encoding="utf-8")
    return p


def write_corpus(folder: Path, include_slow: bool = True) -> list[tuple[Case, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(c, c.make(folder)) for c in CASES if include_slow or not c.slow]


def write_readable(folder: Path) -> list[tuple[Readable, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(c, c.make(folder)) for c in READABLE]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-workbooks")
    for c, path in write_corpus(out):
        print(f"{c.name:34} {path}")
    for r, path in write_readable(out / "readable"):
        print(f"{r.name:34} {path}")
