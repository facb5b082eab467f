"""``ksreport doctor``: what the read stage found in a workbook, sheet by sheet, in Swedish.

For the user whose value "disappears": which row was taken as the header row, which columns were
matched and which ignored, how many rows were read and which were skipped and why, and which
number formats were read as percentages (a fraction shown × 100) or as a number with only a
"%" after it. Reads the same raw rows as ``validate``; interprets nothing on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ksreport.io.workbook import (
    RawCell,
    RawSheet,
    RawWorkbook,
    canonical,
    display_format,
    number_format_info,
)

# How many cells a line names before it says "och N till".
MAX_CELLS = 6


@dataclass
class _Formats:
    """Cells of one column by how their number format treats %."""

    percent: dict[str, list[str]] = field(default_factory=dict)  # format → cells
    literal: dict[str, list[str]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)


def _cells(coords: list[str]) -> str:
    """``C3, C5–C9`` (runs in one column joined), at most MAX_CELLS items."""
    parts: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        parts.append(
            f"{first[0]}{first[1]}" if first == last else f"{first[0]}{first[1]}–{last[0]}{last[1]}"
        )
        run.clear()

    for coord in coords:
        m = re.match(r"([A-Z]+)(\d+)$", coord)
        if not m:
            continue
        col, row = m.group(1), int(m.group(2))
        if run and (run[-1][0] != col or run[-1][1] + 1 != row):
            flush()
        run.append((col, row))
    flush()
    if len(parts) > MAX_CELLS:
        return f"{', '.join(parts[:MAX_CELLS])} och {len(parts) - MAX_CELLS} till"
    return ", ".join(parts)


def _is_number(cell: RawCell) -> bool:
    return isinstance(cell.value, int | float) and not isinstance(cell.value, bool)


def _formats(sheet: RawSheet) -> dict[str, _Formats]:
    """By header as written: the numeric cells whose format has a %, grouped by format."""
    found: dict[str, _Formats] = {}
    names = {key: text for key, (_, text) in sheet.headers.items()}
    for row in sheet.rows:
        for key, cell in row.cells.items():
            if not _is_number(cell) or "%" not in cell.number_format:
                continue
            info = number_format_info(cell.number_format)
            group = found.setdefault(names.get(key, key), _Formats())
            shown = display_format(cell.number_format)
            if info.ambiguous:
                group.ambiguous.setdefault(shown, []).append(cell.coordinate)
            elif cell.is_percent:
                group.percent.setdefault(shown, []).append(cell.coordinate)
            elif cell.shows_percent_sign:
                group.literal.setdefault(shown, []).append(cell.coordinate)
    return found


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _rows(numbers: Iterable[int]) -> str:
    rows = sorted(numbers)
    if not rows:
        return ""
    if rows == list(range(rows[0], rows[-1] + 1)):
        return f"rad {rows[0]}" if len(rows) == 1 else f"rad {rows[0]}–{rows[-1]}"
    return "rad " + ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")


def explain_sheet(sheet: RawSheet, known: dict[str, bool] | None) -> list[str]:
    """The lines about one sheet; ``known``: the contract's columns (True = required), or None
    for a sheet ksreport does not use."""
    lines = [f"Bladet {sheet.name}" + (" (dolt i Excel, läses ändå)" if sheet.hidden else "")]
    if known is None:
        lines.append("  Bladet är okänt och läses inte.")
        return lines
    if sheet.header_row_hint is not None:
        lines.append(
            f"  Rubrikrad: rad 1, men rad {sheet.header_row_hint} ser ut som rubrikraden; "
            "rubrikerna ska stå på rad 1: flytta dem dit."
        )
    elif not sheet.headers:
        lines.append("  Rad 1 är tom: ingen rubrikrad hittades.")
    else:
        lines.append("  Rubrikrad: rad 1.")
    known_keys = {canonical(h): h for h in known}
    matched = [
        f"{text} ({letter})" for key, (letter, text) in sheet.headers.items() if key in known_keys
    ]
    ignored = [
        f"{text} ({letter})"
        for key, (letter, text) in sheet.headers.items()
        if key not in known_keys
    ]
    missing = [h for h, required in known.items() if sheet.column(h) is None and required]
    absent = [h for h, required in known.items() if sheet.column(h) is None and not required]
    lines.append("  Kolumner som läses: " + (", ".join(matched) or "inga") + ".")
    if ignored:
        lines.append("  Kolumner som inte används (okända rubriker): " + ", ".join(ignored) + ".")
    if missing:
        lines.append("  Obligatoriska kolumner som saknas: " + ", ".join(missing) + ".")
    if absent and ignored:  # a column named a little differently is easy to spot this way
        lines.append("  Valfria kolumner som inte finns: " + ", ".join(absent) + ".")
    for coord, text in sheet.duplicate_headers:
        lines.append(f'  Rubriken "{text}" i {coord} finns redan och läses inte en gång till.')
    if missing:
        lines.append("  Inga rader läses förrän de obligatoriska kolumnerna finns i rad 1.")
        return lines
    rows = [r.row for r in sheet.rows]
    lines.append(f"  Lästa rader: {len(rows)}" + (f" ({_rows(rows)})" if rows else "") + ".")
    for skipped in sheet.skipped:
        lines.append(
            f"  Hoppades över: rad {skipped.row} ({skipped.range}) är summaraden i "
            f"Excel-tabellen {skipped.table}."
        )
    if sheet.empty_rows:
        lines.append(
            f"  Hoppades över: {_plural(sheet.empty_rows, 'tom rad', 'tomma rader')} mellan "
            "raderna med innehåll."
        )
    if sheet.stored_dimension and sheet.last_row and sheet.last_column:
        actual_last = f"{_letter(sheet.last_column)}{sheet.last_row}"
        stored = sheet.stored_dimension
        if stored.split(":")[-1] != actual_last or not stored.startswith("A1"):
            lines.append(
                f"  Bladets sparade storlek ({stored}) stämmer inte med innehållet (A1:"
                f"{actual_last}); ksreport läser alla rader och kolumner som finns, som Excel gör."
            )
    for header, groups in _formats(sheet).items():
        for fmt, coords in groups.percent.items():
            lines.append(
                f"  {header}: talformatet {fmt} är procent, så cellerna har andelar som läses "
                f"× 100 (0,725 visas och läses som 72,5 %): {_cells(coords)}."
            )
        for fmt, coords in groups.literal.items():
            lines.append(
                f'  {header}: i talformatet {fmt} är "%" bara text, så talet läses som det '
                f"står (72,5 visas som 72,5 % och läses som 72,5): {_cells(coords)}."
            )
        for fmt, coords in groups.ambiguous.items():
            lines.append(
                f"  {header}: talformatet {fmt} visar bara en del tal som procent; varje cell "
                f"läses som Excel visar den (se varningarna): {_cells(coords)}."
            )
    return lines


def _letter(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def explain(raw: RawWorkbook) -> list[str]:
    """Every sheet in the workbook's order, then the required sheets that are missing."""
    from ksreport.validate import COLUMNS, IGNORED_SHEETS, REQUIRED_SHEETS

    by_key = {canonical(name): name for name in COLUMNS}
    lines: list[str] = []
    for key, sheet in raw.sheets.items():
        if key in IGNORED_SHEETS:
            lines += [f"Bladet {sheet.name}", "  Instruktioner för läsaren; läses inte.", ""]
            continue
        lines += [*explain_sheet(sheet, COLUMNS[by_key[key]] if key in by_key else None), ""]
    for name in REQUIRED_SHEETS:
        if raw.sheet(name) is None:
            lines += [f"Bladet {name}", "  Saknas i arbetsboken (bladet måste finnas).", ""]
    return lines
