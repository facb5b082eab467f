"""Build real workbooks for tests with openpyxl: a small valid plan that each test can change.

``base_sheets()`` returns rows per sheet (header first); ``write_book`` writes them. A cell given
as ``Cell(value, number_format)`` gets that Excel number format (e.g. a percentage).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook


@dataclass(frozen=True)
class Cell:
    value: object
    number_format: str = "General"


Sheets = dict[str, list[list[object]]]


def base_sheets() -> Sheets:
    """Two goals, three sub-goals, five measures (indicators both ways and an activity)."""
    return copy.deepcopy(
        {
            "Inställningar": [
                ["Inställning", "Värde"],
                ["Organisation", "Testkommun"],
                ["Nämnd", "Kommunstyrelsen"],
                ["Mandatperiod", "2020–2022"],
            ],
            "Mål": [
                ["Mål-id", "Mål", "Beskrivning", "Fullmäktigemål", "Agenda 2030"],
                ["1", "Nöjda invånare", "Invånarna ska vara nöjda.", "Ett gott liv", "3, 10"],
                ["2", "Hållbar organisation", "", "Attraktiv arbetsgivare", "8"],
            ],
            "Delmål": [
                ["Delmål-id", "Mål-id", "Delmål", "Beskrivning"],
                ["1.1", "1", "Bra service", ""],
                ["1.2", "1", "Snabb handläggning", ""],
                ["2.1", "2", "Frisk personal", ""],
            ],
            "Mätvärden": [
                [
                    "Mätvärde-id",
                    "Delmål-id",
                    "Mätvärde",
                    "Typ",
                    "Enhet",
                    "Riktning",
                    "Utgångsvärde",
                    "Utgångsår",
                    "Målvärde",
                    "Målår",
                    "Källa",
                    "Ansvarig",
                ],
                [
                    "M1",
                    "1.1",
                    "Nöjdhet",
                    "Indikator",
                    "%",
                    "Högre är bättre",
                    60,
                    2019,
                    70,
                    2020,
                    "",
                    "",
                ],
                ["M2", "1.1", "Ny e-tjänst", "Aktivitet", "", "", None, None, None, 2020, "", ""],
                [
                    "M3",
                    "1.2",
                    "Handläggningstid",
                    "Indikator",
                    "dagar",
                    "Lägre är bättre",
                    30,
                    2019,
                    20,
                    2020,
                    "",
                    "",
                ],
                [
                    "M4",
                    "2.1",
                    "Sjukfrånvaro",
                    "Indikator",
                    "%",
                    "Lägre är bättre",
                    8,
                    2019,
                    6,
                    2022,
                    "",
                    "",
                ],
                [
                    "M5",
                    "2.1",
                    "Medarbetarindex",
                    "Indikator",
                    "index",
                    "Högre är bättre",
                    70,
                    2019,
                    80,
                    2021,
                    "",
                    "",
                ],
            ],
            "Utfall": [
                ["Mätvärde-id", "Period", "Värde", "Kommentar"],
                ["M1", 2019, 60, ""],
                ["M1", 2020, 72, "Bra år"],
                ["M2", "2020-T1", "Påbörjad", ""],
                ["M2", 2020, "Genomförd", ""],
                ["M3", 2019, 30, ""],
                ["M3", 2020, 25, ""],
                ["M4", 2019, 8, ""],
                ["M4", 2020, 7.5, ""],
                ["M5", 2019, 70, ""],
                ["M5", 2020, 72, ""],
            ],
            "Bedömningar": [
                ["Nivå", "Id", "Period", "Bedömning", "Motivering", "Analys", "Beslut"],
            ],
        }
    )


def write_book(path: Path, sheets: Sheets) -> Path:
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        if first:
            ws = wb.active
            assert ws is not None
            ws.title = name
            first = False
        else:
            ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                if isinstance(value, Cell):
                    cell.value = value.value  # type: ignore[assignment]
                    cell.number_format = value.number_format
                else:
                    cell.value = value  # type: ignore[assignment]
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


def set_cell(sheets: Sheets, sheet: str, row_id: str, header: str, value: object) -> None:
    """Set the cell in the first row whose first cell is ``row_id``, in the column ``header``."""
    rows = sheets[sheet]
    col = rows[0].index(header)
    for row in rows[1:]:
        if row[0] == row_id:
            row[col] = value
            return
    raise KeyError(row_id)


def interim_sheets() -> Sheets:
    """``base_sheets`` with a delårsrapport per augusti 2021: outcomes and forecasts (Prognos)
    on 2021-T2 rows, and the board's own assessment of one forecast.

    Scored for 2021-T2: M1 green on its forecast (equal to the target), M2 green (done in 2020),
    M3 yellow on its forecast, M4 later on its forecast (target year 2022), M5 later without a
    forecast, its latest outcome 72 (helår 2020).
    """
    s = base_sheets()
    s["Utfall"][0] = ["Mätvärde-id", "Period", "Värde", "Kommentar", "Kön", "Prognos"]
    s["Utfall"] += [
        ["M1", "2021-T2", None, "Mäts i november", None, 70],
        ["M3", "2021-T2", 22, "", None, 21],
        ["M4", "2021-T2", 7.2, "", None, 7],
    ]
    return s
