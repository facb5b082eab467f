"""Read stage: xlsx → raw rows that remember their sheet and cell. No interpretation beyond
finding sheets and headers by name; ``validate`` turns raw rows into the model.

The file is checked before openpyxl sees it (openpyxl has no zip-bomb guard of its own) and
XML is parsed through defusedxml, which openpyxl uses automatically when it is installed.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from ksreport.errors import WorkbookError

# Bounds checked before anything is decompressed for real (see docs/workbook.md, "Limits").
MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed, for entries over MIN_RATIO_CHECK_BYTES
MIN_RATIO_CHECK_BYTES = 8 * 1024 * 1024
MAX_HEADER_SCAN_ROWS = 10
DOCTYPE_SCAN_BYTES = 4096

# defusedxml's refusals, raised through openpyxl when a part uses entities or external references.
FORBIDDEN_XML = frozenset(
    {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"}
)


@lru_cache(maxsize=4096)
def canonical(name: object) -> str:
    """Sheet and header names match case-insensitively, ignoring surrounding spaces."""
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


# Commas right after a digit placeholder and not followed by another: each divides the shown
# value by 1 000 (``#,##0," tkr"`` shows 2 760 000 as "2 760 tkr").
_SCALING_COMMAS = re.compile(r"(?<=[0#?])(,+)(?![,0#?])")
_CONDITION = re.compile(r"^\s*(<=|>=|<>|<|>|=)\s*([+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\s*$")
_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
}


@dataclass(frozen=True, slots=True)
class NumberFormatInfo:
    """How an Excel number format treats ``%``, section by section (``pos;neg;zero;text``).

    Only a real ``%`` (unquoted, unescaped, outside ``[...]``) makes Excel multiply the stored
    value by 100 when it shows it; a ``%`` in ``" %"``, ``\\%`` or ``[$%]`` is only text, so
    ``0,0" %"`` shows 72,5 as "72,5 %".
    """

    code: str
    percents: tuple[int, ...]  # real % signs per section
    conditions: tuple[tuple[str, float] | None, ...]  # [>=100] and the like, per section
    empty: tuple[bool, ...]  # a section that shows nothing ("0%;;")
    literal_percent: bool  # some % that is only text
    thousands: tuple[int, ...] = (0,)  # scaling commas per section (each shows value / 1 000)

    @property
    def numeric(self) -> int:
        """How many sections apply to numbers (a fourth is for text)."""
        return min(len(self.percents), 3)

    def section_for(self, value: object) -> int:
        """The section Excel uses to show ``value``."""
        n = self.numeric
        if n <= 1 or isinstance(value, bool) or not isinstance(value, int | float):
            return 0
        number = float(value)
        if any(c is not None for c in self.conditions[:n]):
            for i in range(n):
                cond = self.conditions[i]
                if cond is None or _COMPARE[cond[0]](number, cond[1]):
                    return i
            return n - 1
        if number < 0:
            return 1
        if number == 0 and n == 3:
            return 2
        return 0

    def percents_for(self, value: object) -> int:
        """Real ``%`` signs in the section that shows ``value`` (a section that shows nothing,
        as in ``0%;;``, hides the value: it is read by the first section)."""
        section = self.section_for(value)
        return self.percents[0 if self.empty[section] else section]

    def thousands_for(self, value: object) -> int:
        """Scaling commas in the section that shows ``value``."""
        section = self.section_for(value)
        index = 0 if self.empty[section] else section
        return self.thousands[index] if index < len(self.thousands) else 0

    @property
    def ambiguous(self) -> bool:
        """Sections that show numbers disagree about ``%``: some numbers are read as fractions,
        others not, depending on their sign or size."""
        conditional = any(c is not None for c in self.conditions[: self.numeric])
        candidates = range(self.numeric) if conditional else range(min(self.numeric, 2))
        return len({self.percents[i] for i in candidates if not self.empty[i]}) > 1


@lru_cache(maxsize=1024)
def number_format_info(code: str) -> NumberFormatInfo:
    """Parse an Excel number format code (as stored in the file, e.g. ``0.0" %"``)."""
    percents: list[int] = [0]
    conditions: list[tuple[str, float] | None] = [None]
    shown: list[bool] = [False]
    plain: list[list[str]] = [[]]  # the format's own characters per section; text as "L"
    literal = False
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == '"':
            end = code.find('"', i + 1)
            end = n if end < 0 else end
            literal = literal or "%" in code[i + 1 : end]
            shown[-1] = shown[-1] or end > i + 1
            plain[-1].append("L")
            i = end + 1
        elif c in "\\!":
            literal = literal or code[i + 1 : i + 2] == "%"
            shown[-1] = True
            plain[-1].append("L")
            i += 2
        elif c in "_*":
            literal = literal or (c == "*" and code[i + 1 : i + 2] == "%")
            i += 2
        elif c == "[":
            end = code.find("]", i + 1)
            end = n if end < 0 else end
            content = code[i + 1 : end]
            m = _CONDITION.match(content)
            if m:
                conditions[-1] = (m.group(1), float(m.group(2)))
            elif "%" in content:
                literal = True
            i = end + 1
        elif c == ";":
            percents.append(0)
            conditions.append(None)
            shown.append(False)
            plain.append([])
            i += 1
        else:
            plain[-1].append(c)
            if c == "%":
                percents[-1] += 1
            if not c.isspace():
                shown[-1] = True
            i += 1
    thousands = tuple(
        sum(len(m) for m in _SCALING_COMMAS.findall("".join(chars))) for chars in plain
    )
    return NumberFormatInfo(
        code, tuple(percents), tuple(conditions), tuple(not s for s in shown), literal, thousands
    )


def display_format(code: str) -> str:
    """The format code as Swedish Excel shows it in Format Cells: decimal comma, space as the
    thousands separator (the file stores ``#,##0.0``; the dialog shows ``# ##0,0``)."""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c in '"[':
            end = code.find('"' if c == '"' else "]", i + 1)
            end = n - 1 if end < 0 else end
            out.append(code[i : end + 1])
            i = end + 1
        elif c in "\\!_*":
            out.append(code[i : i + 2])
            i += 2
        else:
            out.append({".": ",", ",": " "}.get(c, c))
            i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell's value as stored, with where it is and how it is formatted."""

    value: object
    coordinate: str  # "H12"
    number_format: str = "General"
    uncached_formula: bool = False

    @property
    def is_empty(self) -> bool:
        if self.uncached_formula:
            return False
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def is_percent(self) -> bool:
        """The cell holds a fraction that Excel shows multiplied by 100 (a real ``%``)."""
        return self.percent_scale > 1

    @property
    def percent_scale(self) -> int:
        """What Excel multiplies the stored value by to show it: 1, or 100 per real ``%``."""
        return 100 ** number_format_info(self.number_format).percents_for(self.value)

    @property
    def thousands_scale(self) -> int:
        """What Excel divides the stored value by to show it: 1, or 1 000 per scaling comma."""
        return 1000 ** number_format_info(self.number_format).thousands_for(self.value)

    @property
    def shows_percent_sign(self) -> bool:
        """Excel shows a ``%`` with the number, as a real percentage or only as text."""
        info = number_format_info(self.number_format)
        return info.literal_percent or info.percents_for(self.value) > 0

    @property
    def ambiguous_format(self) -> bool:
        """The format shows some numbers as percentages and others not (see docs/workbook.md)."""
        return number_format_info(self.number_format).ambiguous


@dataclass(frozen=True, slots=True)
class RawRow:
    sheet: str
    row: int
    cells: dict[str, RawCell]  # canonical header → cell

    def get(self, header: str) -> RawCell | None:
        return self.cells.get(canonical(header))


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row with values that is deliberately not read as data (an Excel table's totals row)."""

    row: int
    range: str  # "A12:D12"
    table: str  # the table's name in Excel


@dataclass
class RawSheet:
    name: str  # as written in the workbook
    headers: dict[str, tuple[str, str]]  # canonical header → (column letter, header as written)
    rows: list[RawRow] = field(default_factory=list)
    hidden: bool = False
    duplicate_headers: list[tuple[str, str]] = field(default_factory=list)  # (coordinate, text)
    header_row_hint: int | None = None  # a later row that looks like the real header row
    stored_dimension: str | None = None  # the <dimension ref> the file claims (never trusted)
    last_row: int = 0  # the last row that holds a cell, as actually read
    last_column: int = 0
    empty_rows: int = 0  # empty rows between the header and the last row with a value
    skipped: list[SkippedRow] = field(default_factory=list)  # rows not read as data, and why

    def column(self, header: str) -> str | None:
        found = self.headers.get(canonical(header))
        return found[0] if found else None


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]  # canonical sheet name → sheet

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(canonical(name))


def _column_letter(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_error(exc: OSError) -> str:
    """Why a file cannot be read, in Swedish (the system's English text is never shown)."""
    import errno

    reasons = {
        errno.EACCES: "du saknar behörighet att läsa den",
        errno.EPERM: "du saknar behörighet att läsa den",
        errno.ENAMETOOLONG: "sökvägen är för lång",
        errno.EBUSY: "den används av ett annat program",
        errno.EIO: "den kan inte läsas från disken (är nätverksmappen eller USB-minnet borta?)",
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    code = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno else type(exc).__name__
    return f"systemet svarade med felkod {code}"


def lock_file_owner(path: Path) -> tuple[str, Path] | None:
    """For an office lock file, the program that made it and the workbook it stands for: Excel
    keeps ``~$exempel.xlsx`` and LibreOffice ``.~lock.exempel.xlsx#`` beside an open workbook."""
    name = path.name
    if name.startswith("~$") and len(name) > 2:
        return "Excel", path.with_name(name[2:])
    if name.startswith(".~lock.") and name.endswith("#") and len(name) > 8:
        return "LibreOffice", path.with_name(name[len(".~lock.") : -1])
    return None


def lock_file_of(path: Path) -> tuple[str, Path] | None:
    """The program and lock file that say ``path`` is open right now, if there is one."""
    for program, lock in (
        ("Excel", path.with_name(f"~${path.name}")),
        ("LibreOffice", path.with_name(f".~lock.{path.name}#")),
    ):
        try:
            if lock.is_file():
                return program, lock
        except OSError:
            continue
    return None


def open_workbook_note(path: Path) -> str:
    """A note when ``path`` seems to be open in Excel or LibreOffice; empty otherwise."""
    found = lock_file_of(path)
    if found is None:
        return ""
    program, lock = found
    return (
        f'Obs: arbetsboken "{path.name}" verkar vara öppen i {program} (låsfilen "{lock.name}" '
        "finns bredvid den). ksreport läser den senast sparade versionen; spara arbetsboken "
        f"i {program} så att dina senaste ändringar kommer med."
    )


def lock_file_message(path: Path) -> str:
    """What to say when a lock file is given where a workbook belongs."""
    found = lock_file_owner(path)
    assert found is not None
    program, workbook = found
    return (
        f'Filen "{path.name}" är ingen arbetsbok utan den låsfil som {program} lägger bredvid '
        f'arbetsboken "{workbook.name}" medan den är öppen: arbetsboken verkar vara öppen i '
        f'{program}. Ange arbetsboken "{workbook.name}" i stället, och spara den i {program} '
        "först så att dina senaste ändringar kommer med."
    )


def check_container(path: Path) -> None:
    """Refuse what is not a sane xlsx before openpyxl opens it; messages in Swedish."""
    name = path.name
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except OSError as exc:
        raise WorkbookError(f'Filen "{path}" kan inte läsas: {_read_error(exc)}.') from None
    if not exists:
        raise WorkbookError(f'Filen "{path}" finns inte.')
    if is_dir:
        raise WorkbookError(f'"{path}" är en mapp, inte en Excel-fil.')
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookError(f'Filen "{name}" kan inte läsas: {_read_error(exc)}.') from None
    if lock_file_owner(path) is not None and not head.startswith(b"PK"):
        raise WorkbookError(lock_file_message(path))
    if not head:
        raise WorkbookError(f'Filen "{name}" är tom. Välj en arbetsbok sparad som .xlsx.')
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookError(
                f'Filen "{name}" är lösenordsskyddad. Ta bort lösenordet i Excel '
                "(Arkiv → Info → Skydda arbetsbok) och spara igen."
            )
        raise WorkbookError(
            f'Filen "{name}" är i det gamla Excel-formatet (.xls). Öppna den i Excel eller '
            "LibreOffice och spara den som Excel-arbetsbok (.xlsx)."
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(
            f'Filen "{name}" är ingen Excel-arbetsbok (.xlsx). Är det en CSV- eller textfil? '
            "Öppna den i Excel eller LibreOffice och spara den som .xlsx."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, EOFError):
        raise WorkbookError(
            f'Filen "{name}" är skadad eller ofullständig och kan inte öppnas som .xlsx. '
            "Spara om den från Excel eller hämta en hel kopia."
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise WorkbookError(
            f'Filen "{name}" innehåller {len(infos)} delar; högst {MAX_ENTRIES} tillåts. '
            "Den ser inte ut som en vanlig arbetsbok."
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(
            f'Filen "{name}" packas upp till {total // (1024 * 1024)} MB; högst '
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB tillåts. Dela upp arbetsboken."
        )
    for info in infos:
        if info.file_size > MIN_RATIO_CHECK_BYTES and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise WorkbookError(
                f'Filen "{name}" innehåller en del ({info.filename}) som packas upp '
                f"{info.file_size // max(1, info.compress_size)} gånger större än den lagras; "
                "den ser ut som en så kallad zip-bomb och öppnas inte."
            )
    if "xl/workbook.xml" not in names:
        raise WorkbookError(
            f'Filen "{name}" är en zip-fil men ingen Excel-arbetsbok (.xlsx). '
            "Spara den som Excel-arbetsbok och försök igen."
        )
    _refuse_doctypes(path, infos)


def _refuse_doctypes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts that declare a DTD: Office never writes one, and a DTD is how entity
    expansion ("billion laughs") and external entities get in. Only the start of each part is
    read, since a DOCTYPE must come before the root element."""
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(DOCTYPE_SCAN_BYTES)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                raise WorkbookError(
                    f'Filen "{path.name}" är skadad eller krypterad och kan inte öppnas som '
                    ".xlsx. Spara om den från Excel utan lösenord."
                ) from None
            upper = head.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise WorkbookError(_forbidden_xml_message(path.name))


def _forbidden_xml_message(name: str) -> str:
    return (
        f'Filen "{name}" innehåller XML-konstruktioner som inte tillåts (DTD, entiteter eller '
        "externa referenser) och öppnas inte av säkerhetsskäl. Spara om arbetsboken från Excel "
        "eller LibreOffice."
    )


def _read_sheets(fh: BinaryIO, sheets: set[str] | None) -> dict[str, RawSheet]:
    import openpyxl

    # openpyxl warns in English about unsupported extensions while loading, and about a date
    # cell whose number no date can hold while the rows are read (in read-only mode that is
    # later, in _read_sheet); it reads such a cell as #VALUE!, which validate reports by cell.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        try:
            result: dict[str, RawSheet] = {}
            archive = getattr(wb, "_archive", None)
            for ws in wb.worksheets:
                key = canonical(ws.title)
                if (sheets is not None and key not in sheets) or key in result:
                    continue
                part = getattr(ws, "_worksheet_path", None)
                totals = _totals_rows(archive, part) if archive is not None and part else {}
                result[key] = _read_sheet(ws, totals)
            return result
        finally:
            wb.close()


def _has_formula(xml: bytes) -> bool:
    return b"<f>" in xml or b"<f " in xml


def _uncached_formulas(path: Path, wanted: set[str]) -> dict[str, set[str]]:
    """Coordinates of formula cells without a cached value, per canonical sheet name.

    Only computed when some worksheet holds a formula at all, so ordinary workbooks are read once.
    """
    import openpyxl

    with zipfile.ZipFile(path) as zf:
        has_formula = any(
            _has_formula(zf.read(i.filename))
            for i in zf.infolist()
            if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        )
    if not has_formula:
        return {}
    found: dict[str, set[str]] = {}
    with path.open("rb") as f1, path.open("rb") as f2, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas = openpyxl.load_workbook(f1, read_only=True, data_only=False)
        values = openpyxl.load_workbook(f2, read_only=True, data_only=True)
        for ws in formulas.worksheets:
            key = canonical(ws.title)
            if key not in wanted:
                continue
            vws = values[ws.title]
            for frow, vrow in zip(_all_rows(ws), _all_rows(vws), strict=False):
                for fc, vc in zip(frow, vrow, strict=False):
                    if getattr(fc, "data_type", None) == "f" and vc.value is None:
                        found.setdefault(key, set()).add(fc.coordinate)
        formulas.close()
        values.close()
    return found


def read_workbook(path: Path, sheets: set[str] | None = None) -> RawWorkbook:
    """Read every sheet (or only ``sheets``, canonical names) into raw rows."""
    check_container(path)
    try:
        with path.open("rb") as fh:
            result = _read_sheets(fh, sheets)
        uncached = _uncached_formulas(path, set(result))
    except WorkbookError:
        raise
    except Exception as exc:
        if exc.__class__.__name__ in FORBIDDEN_XML or (
            exc.__cause__ is not None and exc.__cause__.__class__.__name__ in FORBIDDEN_XML
        ):
            raise WorkbookError(_forbidden_xml_message(path.name)) from None
        if os.environ.get("KSREPORT_DEBUG"):
            raise
        raise WorkbookError(
            f'Filen "{path.name}" kan inte läsas som Excel-arbetsbok: den är skadad eller '
            "innehåller något som ksreport inte känner igen. Öppna den i Excel eller "
            "LibreOffice och spara den som .xlsx."
        ) from None
    for key, coords in uncached.items():
        sheet = result[key]
        for i, row in enumerate(sheet.rows):
            if any(c.coordinate in coords for c in row.cells.values()):
                cells = {
                    h: RawCell(c.value, c.coordinate, c.number_format, c.coordinate in coords)
                    for h, c in row.cells.items()
                }
                sheet.rows[i] = RawRow(row.sheet, row.row, cells)
    return RawWorkbook(path=path, sheets=result)


def _stored_dimension(ws: Any) -> str | None:
    """The range the sheet's ``<dimension ref>`` claims, before it is thrown away."""
    max_row, max_col = getattr(ws, "_max_row", None), getattr(ws, "_max_column", None)
    if not max_row or not max_col:
        return None
    min_row, min_col = getattr(ws, "_min_row", 1) or 1, getattr(ws, "_min_column", 1) or 1
    first = f"{_column_letter(min_col)}{min_row}"
    last = f"{_column_letter(max_col)}{max_row}"
    return first if first == last else f"{first}:{last}"


def _all_rows(ws: Any) -> Any:
    """Every row actually in the sheet. Excel and LibreOffice ignore the stored
    ``<dimension ref>`` and so do we: some programs write ``A1`` (or a range too small) there,
    and openpyxl's read-only mode would otherwise stop at it."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return ws.iter_rows(min_row=1, min_col=1)


def _totals_rows(archive: zipfile.ZipFile, part: str) -> dict[int, SkippedRow]:
    """The totals rows of the Excel tables on one sheet (``totalsRowCount`` in the table
    definition), by row number. openpyxl's read-only mode does not load tables, so the sheet's
    relationships and table parts are read here (through defusedxml, as openpyxl reads)."""
    from openpyxl.xml.functions import fromstring

    part = part.lstrip("/")
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        rels = fromstring(archive.read(rels_name))
    except KeyError:
        return {}
    found: dict[int, SkippedRow] = {}
    for rel in rels:
        if not str(rel.get("Type", "")).endswith("/table") or rel.get("TargetMode") == "External":
            continue
        target = str(rel.get("Target", ""))
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        try:
            table = fromstring(archive.read(posixpath.normpath(target)))
        except KeyError:
            continue
        count = table.get("totalsRowCount")
        m = _REF.match(str(table.get("ref", "")))
        if not m or not count or not count.isdigit() or int(count) < 1:
            continue
        first_col, last_col, last = m.group(1), m.group(3), int(m.group(4))
        label = str(table.get("displayName") or table.get("name") or "")
        for row in range(max(int(m.group(2)), last - int(count) + 1), last + 1):
            found[row] = SkippedRow(row, f"{first_col}{row}:{last_col}{row}", label)
    return found


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


def _read_sheet(ws: Any, totals: dict[int, SkippedRow] | None = None) -> RawSheet:
    hidden = getattr(ws, "sheet_state", "visible") != "visible"
    headers: dict[str, tuple[str, str]] = {}
    duplicates: list[tuple[str, str]] = []
    columns: dict[int, str] = {}
    sheet = RawSheet(name=ws.title, headers=headers, hidden=hidden)
    sheet.stored_dimension = _stored_dimension(ws)
    rows_iter = _all_rows(ws)
    totals = totals or {}
    first = next(rows_iter, None)
    if first is None:
        return sheet
    for cell in first:
        value = getattr(cell, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        col = getattr(cell, "column", None)
        if not isinstance(col, int):
            continue
        key = canonical(value)
        letter = _column_letter(col)
        if key in headers:
            duplicates.append((f"{letter}1", str(value)))
            continue
        headers[key] = (letter, str(value).strip())
        columns[col] = key
    sheet.duplicate_headers = duplicates
    scanned = 0
    for cell in first:
        if isinstance(getattr(cell, "column", None), int):
            sheet.last_row = cell.row
            if cell.value is not None:
                sheet.last_column = max(sheet.last_column, cell.column)
    for row in rows_iter:
        cells: dict[str, RawCell] = {}
        row_number = 0
        empty = True
        scan_values: list[str] = []
        for cell in row:
            col = getattr(cell, "column", None)
            if not isinstance(col, int):
                continue
            row_number = cell.row
            value = cell.value
            if value is not None and not (isinstance(value, str) and not value.strip()):
                empty = False
                sheet.last_column = max(sheet.last_column, col)
                if scanned < MAX_HEADER_SCAN_ROWS and isinstance(value, str):
                    scan_values.append(canonical(value))
            header_key = columns.get(col)
            if header_key is not None:
                cells[header_key] = RawCell(
                    value, f"{_column_letter(col)}{cell.row}", cell.number_format or "General"
                )
        if empty or not row_number:
            continue
        sheet.last_row = row_number
        if row_number in totals:
            sheet.skipped.append(totals[row_number])
            continue
        if scanned < MAX_HEADER_SCAN_ROWS:
            scanned += 1
            if sheet.header_row_hint is None and _looks_like_headers(set(scan_values)):
                sheet.header_row_hint = row_number
        sheet.rows.append(RawRow(ws.title, row_number, cells))
    sheet.empty_rows = max(0, sheet.last_row - 1 - len(sheet.rows) - len(sheet.skipped))
    return sheet


_KNOWN_HEADERS = {
    canonical(h)
    for h in (
        "Inställning",
        "Värde",
        "Mål-id",
        "Mål",
        "Delmål-id",
        "Delmål",
        "Mätvärde-id",
        "Mätvärde",
        "Typ",
        "Period",
        "Nivå",
        "Id",
        "Bedömning",
        "Motivering",
        "Målvärde",
        "Målår",
    )
}


def _looks_like_headers(values: set[str]) -> bool:
    return len(values & _KNOWN_HEADERS) >= 2
