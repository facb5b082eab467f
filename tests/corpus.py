"""A corpus of bad and hostile workbooks, generated (never checked in as binary blobs).

Each case writes one file and says what ksreport must answer: exit code 1 and a Swedish message
containing every expected fragment (the sheet and cell where there is one). Run
``python tests/corpus.py DIR`` to write the whole corpus to a folder and look at it.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

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


def write_corpus(folder: Path, include_slow: bool = True) -> list[tuple[Case, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(c, c.make(folder)) for c in CASES if include_slow or not c.slow]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-workbooks")
    for c, path in write_corpus(out):
        print(f"{c.name:34} {path}")
