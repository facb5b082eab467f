"""Read stage: xlsx → raw rows that remember their sheet and cell. No interpretation beyond
finding sheets and headers by name; ``validate`` turns raw rows into the model.

The file is checked before openpyxl sees it (openpyxl has no zip-bomb guard of its own) and
XML is parsed through defusedxml, which openpyxl uses automatically when it is installed.
"""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

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
        return "%" in self.number_format


@dataclass(frozen=True, slots=True)
class RawRow:
    sheet: str
    row: int
    cells: dict[str, RawCell]  # canonical header → cell

    def get(self, header: str) -> RawCell | None:
        return self.cells.get(canonical(header))


@dataclass
class RawSheet:
    name: str  # as written in the workbook
    headers: dict[str, tuple[str, str]]  # canonical header → (column letter, header as written)
    rows: list[RawRow] = field(default_factory=list)
    hidden: bool = False
    duplicate_headers: list[tuple[str, str]] = field(default_factory=list)  # (coordinate, text)
    header_row_hint: int | None = None  # a later row that looks like the real header row

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


def check_container(path: Path) -> None:
    """Refuse what is not a sane xlsx before openpyxl opens it; messages in Swedish."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f'Filen "{path}" finns inte.')
    if path.is_dir():
        raise WorkbookError(f'"{path}" är en mapp, inte en Excel-fil.')
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookError(f'Filen "{name}" kan inte läsas: {exc.strerror}.') from None
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

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    try:
        result: dict[str, RawSheet] = {}
        for ws in wb.worksheets:
            key = canonical(ws.title)
            if (sheets is not None and key not in sheets) or key in result:
                continue
            result[key] = _read_sheet(ws)
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
            for frow, vrow in zip(ws.iter_rows(), vws.iter_rows(), strict=False):
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
        raise WorkbookError(
            f'Filen "{path.name}" kan inte läsas som Excel-arbetsbok ({exc.__class__.__name__}). '
            "Öppna den i Excel eller LibreOffice och spara den som .xlsx."
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


def _read_sheet(ws: object) -> RawSheet:
    hidden = getattr(ws, "sheet_state", "visible") != "visible"
    rows_iter = ws.iter_rows()  # type: ignore[attr-defined]
    headers: dict[str, tuple[str, str]] = {}
    duplicates: list[tuple[str, str]] = []
    columns: dict[int, str] = {}
    sheet = RawSheet(name=ws.title, headers=headers, hidden=hidden)  # type: ignore[attr-defined]
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
                if scanned < MAX_HEADER_SCAN_ROWS and isinstance(value, str):
                    scan_values.append(canonical(value))
            header_key = columns.get(col)
            if header_key is not None:
                cells[header_key] = RawCell(
                    value, f"{_column_letter(col)}{cell.row}", cell.number_format or "General"
                )
        if empty or not row_number:
            continue
        if scanned < MAX_HEADER_SCAN_ROWS:
            scanned += 1
            if sheet.header_row_hint is None and _looks_like_headers(set(scan_values)):
                sheet.header_row_hint = row_number
        sheet.rows.append(RawRow(ws.title, row_number, cells))  # type: ignore[attr-defined]
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
