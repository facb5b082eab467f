"""Every validation message, on real workbooks: ``Sheet!Cell: message`` in Swedish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ksreport.io.workbook import read_workbook
from ksreport.validate import parse_number_text, validate
from workbooks import Cell, Sheets, set_cell, write_book

Book = Callable[[Sheets], Path]


def problems(path: Path) -> tuple[list[str], list[str]]:
    plan, found = validate(read_workbook(path))
    errors = [str(p) for p in found if p.is_error]
    warnings = [str(p) for p in found if not p.is_error]
    assert (plan is None) == bool(errors)
    return errors, warnings


def test_valid_workbook_has_no_problems(sheets: Sheets, book: Book) -> None:
    errors, warnings = problems(book(sheets))
    assert errors == [] and warnings == []


def test_target_not_a_number_names_cell_and_value(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mätvärden", "M1", "Målvärde", "tolv")
    errors, _ = problems(book(sheets))
    assert errors == ['Mätvärden!I2: Målvärde "tolv" är inte ett tal.']


def test_every_problem_is_listed_at_once(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mätvärden", "M1", "Målvärde", "tolv")
    set_cell(sheets, "Mätvärden", "M3", "Typ", "indikatorer")
    sheets["Utfall"].append(["M5", "2020-T3", 5, ""])
    errors, _ = problems(book(sheets))
    assert len(errors) == 3
    assert (
        'Mätvärden!D4: Typ "indikatorer" är okänd; tillåtna värden: Indikator, Aktivitet.' in errors
    )
    assert any(e.startswith('Utfall!B12: Period "2020-T3" är ogiltig; skriv ÅÅÅÅ') for e in errors)


def test_missing_sheet(sheets: Sheets, book: Book) -> None:
    del sheets["Utfall"]
    errors, _ = problems(book(sheets))
    assert errors[0].startswith('Utfall: Bladet "Utfall" saknas i arbetsboken.')


def test_sheet_and_header_names_are_case_and_space_insensitive(sheets: Sheets, book: Book) -> None:
    sheets["  mätvärden "] = sheets.pop("Mätvärden")
    sheets["  mätvärden "][0] = [f" {h.upper()} " for h in sheets["  mätvärden "][0]]
    errors, warnings = problems(book(sheets))
    assert errors == [] and warnings == []


def test_missing_column_and_unknown_column(sheets: Sheets, book: Book) -> None:
    rows = sheets["Mätvärden"]
    col = rows[0].index("Målår")
    for row in rows:
        del row[col]
    rows[0].append("Extra")
    errors, warnings = problems(book(sheets))
    assert errors == ['Mätvärden!1:1: Kolumnen "Målår" saknas i rubrikraden (rad 1).']
    assert warnings[0].startswith('Mätvärden!L1: Kolumnen "Extra" är okänd och används inte')


def test_header_row_not_row_1_gets_a_hint(sheets: Sheets, book: Book) -> None:
    sheets["Delmål"].insert(0, ["Delmål för 2020–2022"])
    sheets["Delmål"].insert(1, [])
    errors, _ = problems(book(sheets))
    assert any("Delmål!1:1" in e and "verkar stå på rad 3" in e for e in errors)


def test_empty_required_cells(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mätvärden", "M1", "Mätvärde", None)
    set_cell(sheets, "Mätvärden", "M3", "Målår", "  ")
    errors, _ = problems(book(sheets))
    assert "Mätvärden!C2: Mätvärde måste fyllas i." in errors
    assert "Mätvärden!J4: Målår måste fyllas i." in errors


def test_indicator_needs_direction_and_target_activity_does_not(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mätvärden", "M1", "Riktning", None)
    set_cell(sheets, "Mätvärden", "M3", "Målvärde", None)
    set_cell(sheets, "Mätvärden", "M2", "Målvärde", "ignoreras")
    errors, _ = problems(book(sheets))
    assert errors == [
        "Mätvärden!F2: Riktning måste fyllas i för en indikator; tillåtna värden: "
        "Högre är bättre, Lägre är bättre.",
        "Mätvärden!I4: Målvärde måste fyllas i för en indikator (ett tal).",
    ]


def test_unknown_direction_level_and_assessment(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mätvärden", "M1", "Riktning", "Uppåt")
    sheets["Bedömningar"].append(["Projekt", "1", 2020, "Grönt", "Motiv", "", ""])
    sheets["Bedömningar"].append(["Mål", "1", 2020, "Blått", "", "", ""])
    errors, _ = problems(book(sheets))
    assert (
        'Mätvärden!F2: Riktning "Uppåt" är okänd; tillåtna värden: Högre är bättre, '
        "Lägre är bättre."
    ) in errors
    assert (
        'Bedömningar!A2: Nivå "Projekt" är okänd; tillåtna värden: Mål, Delmål, Mätvärde.' in errors
    )
    assert (
        'Bedömningar!D3: Bedömning "Blått" är okänd; tillåtna värden: Grönt, Gult, Rött.' in errors
    )


def test_duplicate_ids(sheets: Sheets, book: Book) -> None:
    sheets["Mål"].append([1, "Dubblett", "", "", ""])  # the number 1 is the same id as "1"
    sheets["Mätvärden"].append(
        ["M1", "1.1", "Dubblett", "Aktivitet", "", "", None, None, None, 2020, "", ""]
    )
    errors, _ = problems(book(sheets))
    assert 'Mål!A4: Mål-id "1" finns redan på rad 2.' in errors
    assert 'Mätvärden!A7: Mätvärde-id "M1" finns redan på rad 2.' in errors


def test_duplicate_subgoal_ids(sheets: Sheets, book: Book) -> None:
    sheets["Delmål"].append([1.1, "2", "Dubblett", ""])  # the number 1.1 is the same id as "1.1"
    errors, _ = problems(book(sheets))
    assert errors == ['Delmål!A5: Delmål-id "1.1" finns redan på rad 2.']


def test_dangling_references(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Delmål", "1.2", "Mål-id", "9")
    set_cell(sheets, "Mätvärden", "M4", "Delmål-id", "9.9")
    sheets["Utfall"].append(["M99", 2020, 1, ""])
    sheets["Bedömningar"].append(["Delmål", "7.7", 2020, "", "", "Text", ""])
    errors, _ = problems(book(sheets))
    assert 'Delmål!B3: Mål-id "9" finns inte i bladet Mål.' in errors
    assert 'Mätvärden!B5: Delmål-id "9.9" finns inte i bladet Delmål.' in errors
    assert 'Utfall!A12: Mätvärde-id "M99" finns inte i bladet Mätvärden.' in errors
    assert 'Bedömningar!B2: Delmål med id "7.7" finns inte i bladet Delmål.' in errors


def test_text_numbers_and_percent_cells(sheets: Sheets, book: Book) -> None:
    # 0.575 × 100 is 57.49999999999999 in floating point: the reader rounds it to what Excel shows.
    set_cell(sheets, "Mätvärden", "M1", "Målvärde", Cell(0.575, "0.0%"))
    set_cell(sheets, "Mätvärden", "M1", "Enhet", None)
    set_cell(sheets, "Mätvärden", "M5", "Målvärde", "1 250,5")
    set_cell(sheets, "Mätvärden", "M4", "Målvärde", "5,9 %")
    sheets["Utfall"][2][2] = Cell(0.575, "0%")  # M1 2020
    sheets["Utfall"][7][2] = "8\u00a0000"  # M4 2019
    plan, found = validate(read_workbook(book(sheets)))
    assert plan is not None, found
    measures = {m.id: m for g in plan.goals for s in g.subgoals for m in s.measures}
    assert measures["M1"].target == 57.5 and measures["M1"].unit == "%"
    assert measures["M5"].target == 1250.5
    assert measures["M4"].target == 5.9
    assert measures["M1"].outcomes[1].value == 57.5
    assert measures["M4"].outcomes[0].value == 8000


def test_a_number_too_large_and_a_superscript_year_are_named_at_their_cells(
    sheets: Sheets, book: Book
) -> None:
    """Found by fuzzing: 400 digits read as infinity (and scored green), and "²" taken for a
    digit ended in "Ett oväntat fel"."""
    set_cell(sheets, "Mätvärden", "M1", "Målvärde", "1" + "0" * 400)
    set_cell(sheets, "Mätvärden", "M5", "Målår", "²")
    errors, _ = problems(book(sheets))
    assert any(e.startswith("Mätvärden!I2: Målvärde") and "för stort tal" in e for e in errors)
    assert 'Mätvärden!J6: Målår "²" är inget årtal; skriv året med fyra siffror, t.ex. 2022.' in (
        errors
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", 12.5),
        ("1 250", 1250),
        ("5,9 %", 5.9),
        ("−3,2", -3.2),
        ("12.5", 12.5),
        ("1\u202f000,25", 1000.25),
        ("1.250", None),
        ("tolv", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_parse_number_text(text: str, expected: float | None) -> None:
    assert parse_number_text(text) == expected


def test_date_and_error_values_where_numbers_belong(
    sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    import datetime as dt

    sheets["Utfall"][2][2] = dt.datetime(2020, 5, 1)
    sheets["Utfall"][6][2] = "#DIV/0!"
    path = book(sheets)
    errors, _ = problems(path)
    assert (
        'Utfall!C3: Värde "2020-05-01" är ett datum, inte ett tal. Ändra cellens format '
        "till Tal och skriv in värdet igen."
    ) in errors
    assert any(e.startswith("Utfall!C7: Värde innehåller felvärdet #DIV/0!") for e in errors)


def test_formula_without_cached_value(sheets: Sheets, tmp_path: Path) -> None:
    path = write_book(tmp_path / "f.xlsx", sheets)
    wb = load_workbook(path)
    wb["Utfall"]["C3"] = "=70+2"  # openpyxl saves formulas without a cached value
    wb.save(path)
    errors, _ = problems(path)
    assert errors == [
        "Utfall!C3: Värde är en formel som saknar sparat värde. Öppna arbetsboken "
        "i Excel eller LibreOffice och spara den, så räknas formlerna ut."
    ]


def test_activity_values(sheets: Sheets, book: Book) -> None:
    sheets["Utfall"][3][2] = "pågår"  # M2 2020-T1: synonym, any case
    sheets["Utfall"][4][2] = "Klar"
    errors, _ = problems(book(sheets))
    assert errors == [
        'Utfall!C5: Värde "Klar" gäller en aktivitet och är okänt; tillåtna '
        "värden: Genomförd, Påbörjad (eller Pågår), Ej påbörjad (eller Ej "
        "genomförd, Ej startad)."
    ]


def test_override_without_justification(sheets: Sheets, book: Book) -> None:
    sheets["Bedömningar"].append(["Mål", "1", 2020, "Rött", "", "", ""])
    errors, _ = problems(book(sheets))
    assert errors == [
        "Bedömningar!E2: Motivering saknas. En egen bedömning (Rött) ska alltid motiveras."
    ]


def test_duplicate_outcome_and_assessment_rows(sheets: Sheets, book: Book) -> None:
    sheets["Utfall"].append(["M1", "2020", 71, ""])
    sheets["Bedömningar"].append(["Mål", "1", 2020, "", "", "Analys", ""])
    sheets["Bedömningar"].append(["mål", 1, "2020", "", "", "Analys igen", ""])
    errors, _ = problems(book(sheets))
    assert errors == [
        'Utfall!A12: Mätvärdet "M1" har redan ett utfall för 2020 på rad 3. Ta bort eller rätta '
        "den ena raden.",
        'Bedömningar!B3: Mål "1" har redan en bedömning för 2020 på rad 2.',
    ]


def test_malformed_period_and_year(sheets: Sheets, book: Book) -> None:
    sheets["Utfall"][1][1] = "2019-Q1"
    set_cell(sheets, "Mätvärden", "M1", "Målår", "nästa år")
    errors, _ = problems(book(sheets))
    assert (
        'Utfall!B2: Period "2019-Q1" är ogiltig; skriv ÅÅÅÅ, ÅÅÅÅ-T1, ÅÅÅÅ-H1 eller '
        "ÅÅÅÅ-T2 (t.ex. 2020 eller 2021-T1)."
    ) in errors
    assert (
        'Mätvärden!J2: Målår "nästa år" är inget årtal; skriv året med fyra siffror, t.ex. 2022.'
    ) in errors


def test_settings(sheets: Sheets, book: Book) -> None:
    sheets["Inställningar"] += [
        ["Tolerans", "10"],
        ["Sammanvägning", "Sämsta"],
        ["Rapportperiod", "2020-T2"],
        ["Färg", "blå"],
    ]
    plan, found = validate(read_workbook(book(sheets)))
    assert plan is not None
    s = plan.settings
    assert (s.tolerance_pct, s.rollup.value, s.report_period and s.report_period.code) == (
        10,
        "worst",
        "2020-T2",
    )
    assert s.organisation == "Testkommun" and s.mandate_period == "2020–2022"
    assert str(found[0]).startswith('Inställningar!A8: Inställningen "Färg" är okänd')


def test_bad_settings(sheets: Sheets, book: Book) -> None:
    sheets["Inställningar"] += [
        ["Tolerans", "mycket"],
        ["Sammanvägning", "Bästa"],
        ["Mandatperiod", "2022-2020"],
    ]
    sheets["Inställningar"].pop(3)  # the valid Mandatperiod row
    errors, _ = problems(book(sheets))
    assert 'Inställningar!B4: Tolerans "mycket" är inte ett tal.' in errors
    assert (
        'Inställningar!B5: Sammanvägning "Bästa" är okänd; tillåtna värden: Medel, Sämsta.'
        in errors
    )
    assert any(
        e.startswith('Inställningar!B6: Mandatperiod "2022-2020" är ogiltig') for e in errors
    )


def test_warnings(sheets: Sheets, book: Book) -> None:
    sheets["Mätvärden"].append(
        [
            "M6",
            "1.1",
            "Utan utfall",
            "Indikator",
            "",
            "Högre är bättre",
            None,
            None,
            5,
            2030,
            "",
            "",
        ]
    )
    sheets["Delmål"].append(["1.3", "1", "Tomt delmål", ""])
    sheets["Mål"].append(["3", "Tomt mål", "", "", ""])
    errors, warnings = problems(book(sheets))
    assert errors == []
    assert warnings == [
        "Mätvärden!J7: Målår 2030 ligger utanför mandatperioden 2020–2022.",
        'Mätvärden!A7: Mätvärdet "M6" har inga utfall i bladet Utfall ännu.',
        'Delmål!A5: Delmålet "1.3" har inga mätvärden.',
        'Mål!A4: Målet "3" har inga delmål.',
    ]


def test_agenda_2030(sheets: Sheets, book: Book) -> None:
    set_cell(sheets, "Mål", "2", "Agenda 2030", "8; 18")
    errors, _ = problems(book(sheets))
    assert errors == [
        'Mål!E3: Agenda 2030 "8; 18" är ogiltigt; skriv målens nummer 1–17 '
        "åtskilda med kommatecken, t.ex. 3, 10."
    ]


def test_blank_rows_are_skipped_and_hidden_sheet_warns(sheets: Sheets, tmp_path: Path) -> None:
    sheets["Utfall"].insert(3, [None, None, None, None])
    sheets["Utfall"].insert(3, ["", "  ", None, ""])
    path = write_book(tmp_path / "h.xlsx", sheets)
    wb = load_workbook(path)
    wb["Bedömningar"].sheet_state = "hidden"
    wb.save(path)
    errors, warnings = problems(path)
    assert errors == []
    assert warnings == ["Bedömningar: Bladet är dolt i Excel men läses ändå."]
