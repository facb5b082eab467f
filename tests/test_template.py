"""The blank input workbook (``ksreport init``) and the shipped sample ``data/exempel.xlsx``."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from ksreport.contract import (
    ENUMS,
    REQUIRED_COLUMNS,
    REQUIRED_SHEETS,
    SETTING_DEFAULTS,
    SETTING_KEYS,
    SHEET_INSTRUCTIONS,
    SHEETS,
)
from ksreport.errors import KsreportError
from ksreport.io.template import (
    TABLE_NAMES,
    TEXT_COLUMNS,
    Formatted,
    init_workbook,
    write_workbook,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exempel.xlsx"


def _headers(ws: Worksheet) -> list[object]:
    return [c.value for c in ws[1] if c.value is not None]


def _records(ws: Worksheet) -> list[dict[str, object]]:
    rows = ws.iter_rows(values_only=True)
    headers = [str(h) for h in next(rows)]
    return [dict(zip(headers, r, strict=False)) for r in rows if any(v is not None for v in r)]


def _dropdowns(ws: Worksheet) -> dict[str, tuple[list[str], str]]:
    """Header → (allowed values, covered range) for every list validation on a whole column."""
    letters = {c.column_letter: c.value for c in ws[1]}
    found: dict[str, tuple[list[str], str]] = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        allowed = dv.formula1.strip('"').split(",")
        for rng in str(dv.sqref).split():
            start = rng.split(":")[0]
            letter = start.rstrip("0123456789")
            if start == f"{letter}2":
                found[str(letters[letter])] = (allowed, rng)
    return found


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    target = tmp_path / "ny.xlsx"
    init_workbook(target)
    return target


def test_init_writes_every_sheet_and_header(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [SHEET_INSTRUCTIONS, *SHEETS]
    for sheet, headers in SHEETS.items():
        ws = wb[sheet]
        assert _headers(ws) == headers
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
    assert set(REQUIRED_SHEETS) <= set(SHEETS)
    for sheet, required in REQUIRED_COLUMNS.items():
        assert set(required) <= set(SHEETS[sheet])


def test_instructions_come_first_and_explain_every_column(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    ws = wb.worksheets[0]
    assert ws.title == "Instruktioner"
    assert wb.active is not None and wb.active.title == "Instruktioner"
    text = "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    for sheet, headers in SHEETS.items():
        assert f"Bladet {sheet}" in text
        for header in headers:
            assert header in text
    for key in SETTING_KEYS:
        assert key in text
    for expected in ("ÅÅÅÅ-T1", "ÅÅÅÅ-H1", "decimalkomma", "Pågår", "Ej startad"):
        assert expected in text
    assert "Följs upp senare" in text
    required_rows = [r for r in ws.iter_rows(values_only=True) if r[1] == "Ja"]
    assert {r[0] for r in required_rows} >= {"Mål-id", "Mätvärde-id", "Period", "Nivå"}


def test_instructions_explain_forecasts_and_status_words(blank: Path) -> None:
    """Contract v2: the Prognos column, its own section and the Statusord setting."""
    ws = openpyxl.load_workbook(blank)["Instruktioner"]
    rows = [r for r in ws.iter_rows(values_only=True) if any(r)]
    lines = [str(r[0]) for r in rows if r[0]]
    start = lines.index("Prognoser i delårsrapporten")
    assert lines.index("Aktiviteter") < start < lines.index("Så bedöms mätvärden, delmål och mål")
    section = " ".join(lines[start + 1 : lines.index("Så bedöms mätvärden, delmål och mål")])
    for expected in (
        "kolumnen Prognos i bladet Utfall",
        "2021-T2",
        "Genomförd",
        "Prognos anges bara för delårsperioder",
        "med reglerna för helår",
        "prognosen för helåret",
        "Statusord = Måluppfyllelse",
        "Bedöms uppnås, Bedöms delvis uppnås och Bedöms inte uppnås",
    ):
        assert expected in section, expected
    # In the table of Utfall's columns: Prognos is explained and Värde is conditionally required.
    outcome_rows = rows[[r[0] for r in rows].index("Bladet Utfall") :]
    by_column = {r[0]: r for r in outcome_rows[: len(SHEETS["Utfall"]) + 3]}
    assert by_column["Prognos"][1] in (None, "")
    assert "delårsperioder (T1, H1, T2)" in str(by_column["Prognos"][2])
    assert by_column["Värde"][1] == "När Prognos inte är ifylld och Kommentar inte säger varför"
    assert "Får lämnas tomt när Prognos är ifylld" in str(by_column["Värde"][2])
    statusord = next(r for r in rows if r[0] == "Statusord")
    assert "Färger" in str(statusord[2]) and "Måluppfyllelse" in str(statusord[2])


def test_dropdowns_for_fixed_value_columns(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    measures = _dropdowns(wb["Mätvärden"])
    assessments = _dropdowns(wb["Bedömningar"])
    assert measures["Typ"][0] == ["Indikator", "Aktivitet"]
    assert measures["Riktning"][0] == ["Högre är bättre", "Lägre är bättre"]
    assert assessments["Nivå"][0] == ["Mål", "Delmål", "Mätvärde"]
    assert assessments["Bedömning"][0] == ["Grönt", "Gult", "Rött"]
    assert measures["Typ"][1] == "D2:D1000"
    for ws in (wb["Mätvärden"], wb["Bedömningar"]):
        for dv in ws.data_validations.dataValidation:
            assert dv.showErrorMessage and dv.error and "måste vara" in dv.error
    assert set(ENUMS) == {"Typ", "Riktning", "Nivå", "Bedömning", "Kön", "Rubrik"}
    assert _dropdowns(wb["Utfall"])["Kön"] == (["T", "K", "M"], "E2:E1000")
    assert "Prognos" not in _dropdowns(wb["Utfall"])  # a number or an activity word
    settings = wb["Inställningar"]
    row = next(c.row for c in settings["A"] if c.value == "Statusord")
    (statusord,) = [
        dv for dv in settings.data_validations.dataValidation if str(dv.sqref) == f"B{row}"
    ]
    assert statusord.formula1.strip('"').split(",") == ["Färger", "Måluppfyllelse"]
    headings = _dropdowns(wb["Ärendetext"])["Rubrik"][0]
    assert headings[0] == "Sammanfattning av ärendet" and "Agenda 2030" in headings


def test_every_data_sheet_has_one_excel_table(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    names = []
    for sheet, headers in SHEETS.items():
        tables = wb[sheet].tables
        assert len(tables) == 1
        ((name, ref),) = tables.items()
        assert name == TABLE_NAMES[sheet] and name.isascii()
        last_row = 1 + len(SETTING_KEYS) if sheet == "Inställningar" else 2
        assert ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}{last_row}"
        names.append(name.casefold())
    assert len(set(names)) == len(names)


def test_ids_and_periods_are_text_columns(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    assert TEXT_COLUMNS["Utfall"] == ["Mätvärde-id", "Period"]
    for sheet, columns in TEXT_COLUMNS.items():
        ws = wb[sheet]
        for header in columns:
            letter = openpyxl.utils.get_column_letter(SHEETS[sheet].index(header) + 1)
            assert ws.column_dimensions[letter].number_format == "@", (sheet, header)


def test_settings_are_prefilled_with_defaults(blank: Path) -> None:
    ws = openpyxl.load_workbook(blank)["Inställningar"]
    values = {r["Inställning"]: r["Värde"] for r in _records(ws)}
    assert list(values) == SETTING_KEYS
    assert values["Nämnd"] == "Kommunstyrelsen"
    assert values["Tolerans"] == 5
    assert values["Sammanvägning"] == "Medel"
    assert values["Gräns grönt"] == 1.5
    assert values["Gräns gult"] == 0.75
    assert values["Statusord"] == "Färger"
    assert values["Organisation"] is None
    assert {k for k, v in values.items() if v is not None} == set(SETTING_DEFAULTS)


def test_init_refuses_to_overwrite(blank: Path) -> None:
    before = blank.read_bytes()
    with pytest.raises(KsreportError, match=r'Filen ".*ny\.xlsx" finns redan'):
        init_workbook(blank)
    assert blank.read_bytes() == before


def test_init_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    with pytest.raises(KsreportError, match=r"\.xlsx"):
        init_workbook(tmp_path / "mål.xls")
    assert list(tmp_path.iterdir()) == []


def test_init_in_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(KsreportError, match="finns inte"):
        init_workbook(tmp_path / "saknas" / "ny.xlsx")


def test_write_workbook_rows_settings_and_formats(tmp_path: Path) -> None:
    target = tmp_path / "bok.xlsx"
    rows: dict[str, list[list[object]]] = {
        "Mål": [["1", "Nöjda invånare", None, "Ett gott liv", "3, 10"]],
        "Utfall": [
            ["1.1.1", "2021-T1", Formatted(0.725, "0.0%"), "Kommentar"],
            ["1.1.1", 2020, "12,5", None],
            ["1.1.1", "2019", 70, None],
            ["1.1.1", "2021-T2", None, None, None, Formatted(0.74, "0.0%")],
        ],
    }
    write_workbook(target, rows, {"Organisation": "Testkommun", "Tolerans": 10})
    wb = openpyxl.load_workbook(target)
    outcomes = wb["Utfall"]
    assert outcomes.tables["Utfall"].ref == "A1:F5"  # Mätvärde-id … Kommentar, Kön, Prognos
    assert outcomes["F1"].value == "Prognos" and outcomes["F2"].value is None
    assert outcomes["F5"].value == 0.74 and outcomes["F5"].number_format == "0.0%"
    assert outcomes["C2"].value == 0.725 and outcomes["C2"].number_format == "0.0%"
    assert outcomes["B2"].value == "2021-T1" and outcomes["B2"].number_format == "@"
    assert outcomes["B3"].value == 2020 and outcomes["C3"].value == "12,5"
    assert wb["Mål"]["E2"].value == "3, 10"
    settings = {r["Inställning"]: r["Värde"] for r in _records(wb["Inställningar"])}
    assert settings["Organisation"] == "Testkommun"
    assert settings["Tolerans"] == 10
    assert settings["Nämnd"] == "Kommunstyrelsen"
    assert [p.name for p in tmp_path.iterdir()] == ["bok.xlsx"]  # no temporary file left


def test_write_workbook_is_reproducible_with_a_timestamp(tmp_path: Path) -> None:
    when = dt.datetime(2021, 1, 1, 12, 0, 0)
    write_workbook(tmp_path / "a.xlsx", timestamp=when)
    write_workbook(tmp_path / "b.xlsx", timestamp=when)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    props = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert props.created == when and props.modified == when


def test_write_workbook_rejects_unknown_sheets(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Mätvärde"):
        write_workbook(tmp_path / "x.xlsx", {"Mätvärde": [["1"]]})
    assert list(tmp_path.iterdir()) == []


# --- The shipped sample ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> dict[str, list[dict[str, object]]]:
    wb = openpyxl.load_workbook(EXAMPLE)
    return {sheet: _records(wb[sheet]) for sheet in SHEETS}


def _make_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example", ROOT / "tools/make_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_has_the_promised_shape(example: dict[str, list[dict[str, object]]]) -> None:
    goals = example["Mål"]
    subgoals = example["Delmål"]
    measures = example["Mätvärden"]
    assert len(goals) == 4
    assert all(g["Fullmäktigemål"] and g["Agenda 2030"] for g in goals)
    per_goal = Counter(str(s["Mål-id"]) for s in subgoals)
    assert set(per_goal) == {str(g["Mål-id"]) for g in goals}
    assert all(3 <= n <= 4 for n in per_goal.values())
    assert len(measures) >= 30
    indicators = [m for m in measures if m["Typ"] == "Indikator"]
    activities = [m for m in measures if m["Typ"] == "Aktivitet"]
    assert len(activities) >= 6
    assert {m["Riktning"] for m in indicators} == {"Högre är bättre", "Lägre är bättre"}
    units = {m["Enhet"] for m in indicators}
    assert len(units) >= 5 and {"%", "antal", "dagar", "kr", "index"} <= units
    assert {m["Målår"] for m in measures} == {2020, 2021, 2022}


def test_example_outcomes_and_assessments(example: dict[str, list[dict[str, object]]]) -> None:
    periods = {str(o["Period"]) for o in example["Utfall"]}
    assert periods == {"2019", "2020-T1", "2020-T2", "2020", "2021-T1", "2021-T2"}
    overrides = [a for a in example["Bedömningar"] if a["Bedömning"]]
    assert len(overrides) == 1
    assert overrides[0]["Motivering"] and overrides[0]["Beslut"] == "KS 2021-03-10 § 45"
    goal_ids = {str(g["Mål-id"]) for g in example["Mål"]}
    for period in ("2020", "2021-T2"):
        analysed = {
            str(a["Id"])
            for a in example["Bedömningar"]
            if a["Nivå"] == "Mål" and a["Analys"] and str(a["Period"]) == period
        }
        assert analysed == goal_ids, period
    settings = {s["Inställning"]: s["Värde"] for s in example["Inställningar"]}
    assert settings["Organisation"] == "Exempelkommun"
    assert settings["Mandatperiod"] == "2020–2022"


def test_example_uses_percent_cells_and_swedish_text_numbers() -> None:
    ws = openpyxl.load_workbook(EXAMPLE)["Utfall"]
    values = [row[2] for row in ws.iter_rows(min_row=2)]
    assert sum(1 for c in values if "%" in c.number_format) >= 2
    assert any(isinstance(c.value, str) and "," in c.value for c in values)
    assert any(isinstance(c.value, str) and " " in c.value for c in values)
    forecasts = [row[5] for row in ws.iter_rows(min_row=2) if row[5].value is not None]
    assert sum(1 for c in forecasts if "%" in c.number_format) >= 2
    assert any(c.value == "2 760" for c in forecasts)
    assert {c.value for c in forecasts} >= {"Genomförd", "Påbörjad"}


def test_example_has_a_forecast_for_every_measure_due_2021(
    example: dict[str, list[dict[str, object]]],
) -> None:
    forecast = {
        str(o["Mätvärde-id"])
        for o in example["Utfall"]
        if str(o["Period"]) == "2021-T2" and o["Prognos"] is not None
    }
    due_2021 = {str(m["Mätvärde-id"]) for m in example["Mätvärden"] if m["Målår"] == 2021}
    assert due_2021 and due_2021 <= forecast
    assert len(forecast) >= 0.7 * len(example["Mätvärden"])
    t1 = [o for o in example["Utfall"] if str(o["Period"]) == "2021-T1" and o["Prognos"]]
    assert len(t1) >= 5  # so the 2021-T2 report has changed forecasts to show


def test_example_is_what_the_script_writes(tmp_path: Path) -> None:
    make_example = _make_example()
    target = tmp_path / "exempel.xlsx"
    write_workbook(
        target, make_example.example_rows(), make_example.SETTINGS, timestamp=make_example.TIMESTAMP
    )
    fresh, shipped = openpyxl.load_workbook(target), openpyxl.load_workbook(EXAMPLE)
    assert fresh.sheetnames == shipped.sheetnames
    for ws in fresh.worksheets:
        got = [[(c.value, c.number_format) for c in r] for r in shipped[ws.title].iter_rows()]
        want = [[(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
        assert got == want, f"{ws.title}: run python tools/make_example.py"


def test_example_scores_as_intended_for_2020() -> None:
    from ksreport.model import Status
    from ksreport.periods import Period
    from ksreport.scoring import score
    from ksreport.validate import load_plan

    expected = _make_example().EXPECTED_2020
    plan, problems = load_plan(EXAMPLE)
    assert [str(p) for p in problems] == []
    report = score(plan, Period(2020))
    got = {m.measure.id: m.status.value for m in report.measures}
    assert got == expected
    assert Counter(got.values()) == {"green": 14, "yellow": 8, "red": 4, "later": 12, "missing": 2}
    goal2 = next(g for g in report.goals if g.goal.id == "2")
    assert goal2.computed_status is Status.YELLOW and goal2.status is Status.GREEN


def test_example_scores_as_intended_for_2021_t2() -> None:
    """The delårsrapport per augusti 2021: a mix of goals expected to be reached, partly and not,
    most measures on a forecast, the rest followed up later with their latest known outcome."""
    from ksreport.model import ActivityState, Basis
    from ksreport.periods import Period, PeriodKind
    from ksreport.scoring import score
    from ksreport.validate import load_plan

    make_example = _make_example()
    plan, problems = load_plan(EXAMPLE)
    assert [str(p) for p in problems] == []
    t2 = Period(2021, PeriodKind.T2)
    assert plan.reported_periods()[-1] == t2
    report = score(plan, t2)
    got = {m.measure.id: m.status.value for m in report.measures}
    assert got == make_example.EXPECTED_2021_T2
    assert Counter(got.values()) == {"green": 15, "yellow": 13, "red": 4, "later": 8}
    goals = {g.goal.id: g.status.value for g in report.goals}
    assert goals == make_example.EXPECTED_GOALS_2021_T2
    assert all(not g.overridden for g in report.goals)
    grounds = {
        g.goal.id: (g.grounds.counted, g.grounds.total, g.grounds.forecasts) for g in report.goals
    }
    assert grounds == {"1": (8, 11, 5), "2": (9, 10, 9), "3": (8, 9, 7), "4": (7, 10, 6)}
    by_id = {m.measure.id: m for m in report.measures}
    assert by_id["2.1.1"].forecast == by_id["2.1.1"].measure.target == 73  # equal → green
    assert by_id["2.2.3"].forecast is ActivityState.DONE and by_id["2.2.3"].status.value == "green"
    assert by_id["1.1.1"].basis is Basis.FORECAST and by_id["1.1.1"].status.value == "later"
    assert by_id["1.2.3"].basis is Basis.OUTCOME  # done in 2020, carried over
    trygghet = by_id["1.4.1"]
    assert trygghet.basis is Basis.NONE and trygghet.value is None
    assert (trygghet.latest_value, trygghet.latest_period) == (68, Period(2019))
    assert by_id["4.3.2"].forecast == 2760 and by_id["1.1.2"].forecast == 88


def test_example_decision_proposal_serves_every_period() -> None:
    """One Förslag till beslut with placeholders: no year of its own, right for every period."""
    from ksreport.cli import stale_proposal
    from ksreport.context import decision_proposal
    from ksreport.validate import load_plan

    plan, _ = load_plan(EXAMPLE)
    own = plan.settings.decision_proposal
    assert "{period}" in own and "{dokument}" in own
    texts = {}
    for period in plan.reported_periods():
        assert stale_proposal(own, period) == "", period
        texts[period.code] = decision_proposal(plan.settings, plan.settings.board, period)
        assert period.words in texts[period.code] and "{" not in texts[period.code]
    assert texts["2020"] == (
        "Kommunstyrelsen godkänner uppföljningen av kommunstyrelsens mål för helår 2020 och att "
        "den ingår i verksamhetsberättelsen."
    )
    assert texts["2021-T2"] == (
        "Kommunstyrelsen godkänner uppföljningen av kommunstyrelsens mål för delår per augusti "
        "2021 och att den ingår i delårsrapporten."
    )
