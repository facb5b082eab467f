"""Interim reports on forecasts (Prognos): the scoring rules and their boundaries, the basis of
every status, the latest known outcome, Statusord, the new validation messages, and the report
read back from its PDF, Word and web versions (issue 12)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ksreport.context import build_context, grounds_text
from ksreport.model import (
    ActivityState,
    Assessment,
    Basis,
    Direction,
    Grounds,
    Kind,
    Level,
    Measure,
    Outcome,
    Settings,
    Status,
    StatusWords,
    status_word,
)
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import score, score_measure
from ksreport.validate import load_plan
from workbooks import Sheets, interim_sheets, set_cell

T1 = Period(2021, PeriodKind.T1)
T2 = Period(2021, PeriodKind.T2)
Y2020 = Period(2020)

Book = Callable[[Sheets], Path]


def indicator(
    target: float = 70,
    target_year: int = 2021,
    direction: Direction = Direction.HIGHER,
    baseline: float | None = 60,
    outcomes: tuple[Outcome, ...] = (),
) -> Measure:
    return Measure(
        id="M",
        subgoal_id="S",
        name="Mått",
        kind=Kind.INDICATOR,
        target_year=target_year,
        unit="%",
        direction=direction,
        baseline=baseline,
        baseline_year=2019,
        target=target,
        outcomes=outcomes,
    )


def activity(target_year: int = 2021, outcomes: tuple[Outcome, ...] = ()) -> Measure:
    return Measure("A", "S", "Aktivitet", Kind.ACTIVITY, target_year, outcomes=outcomes)


def fc(value: float | None = None, forecast: float | None = None, period: Period = T2) -> Outcome:
    return Outcome("M", period, value, None, "", forecast=forecast)


def afc(
    state: ActivityState | None = None,
    forecast: ActivityState | None = None,
    period: Period = T2,
) -> Outcome:
    return Outcome("A", period, None, state, "", forecast_state=forecast)


SETTINGS = Settings()


# --- The rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "forecast", "expected"),
    [
        (Direction.HIGHER, 70, 70, Status.GREEN),  # equal to the target meets it
        (Direction.HIGHER, 70, 69.99, Status.YELLOW),  # improved on the baseline 60
        (Direction.HIGHER, 70, 58, Status.RED),  # worse than baseline, > 5 % off
        (Direction.HIGHER, 70, 67, Status.YELLOW),  # near (within 5 %) and improved
        (Direction.LOWER, 20, 20, Status.GREEN),
        (Direction.LOWER, 20, 19, Status.GREEN),
        (Direction.LOWER, 20, 20.9, Status.YELLOW),  # within 5 % of 20 and better than 60
        (Direction.LOWER, 20, 65, Status.RED),  # worse than the baseline, far off
    ],
)
def test_a_forecast_is_scored_by_the_full_year_rules(
    direction: Direction, target: float, forecast: float, expected: Status
) -> None:
    m = indicator(target, 2021, direction, outcomes=(fc(None, forecast),))
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.computed_status, sm.basis, sm.forecast) == (expected, Basis.FORECAST, forecast)


def test_a_forecast_before_the_target_year_that_does_not_meet_it_is_later() -> None:
    m = indicator(70, 2022, outcomes=(fc(None, 65),))
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.status, sm.basis) == (Status.LATER, Basis.FORECAST)
    assert not sm.counted and not sm.rests_on_forecast
    met = score_measure(indicator(70, 2022, outcomes=(fc(None, 71),)), T2, SETTINGS)
    assert met.status is Status.GREEN  # met early, as for outcomes


def test_the_forecast_wins_over_the_outcome_so_far() -> None:
    m = indicator(70, 2021, outcomes=(fc(50, 72),))
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.value, sm.forecast, sm.status, sm.basis) == (50, 72, Status.GREEN, Basis.FORECAST)


def test_without_a_forecast_the_interim_rules_are_unchanged() -> None:
    with_value = score_measure(indicator(70, 2021, outcomes=(fc(71, None),)), T2, SETTINGS)
    assert (with_value.status, with_value.basis) == (Status.GREEN, Basis.OUTCOME)
    not_met = score_measure(indicator(70, 2021, outcomes=(fc(65, None),)), T2, SETTINGS)
    assert (not_met.status, not_met.basis) == (Status.YELLOW, Basis.OUTCOME)
    nothing = score_measure(indicator(70, 2021), T2, SETTINGS)
    assert (nothing.status, nothing.basis) == (Status.LATER, Basis.NONE)


def test_only_the_forecast_of_exactly_the_period_counts() -> None:
    m = indicator(70, 2021, outcomes=(fc(None, 75, T1),))
    assert score_measure(m, T1, SETTINGS).basis is Basis.FORECAST
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.forecast, sm.status, sm.basis) == (None, Status.LATER, Basis.NONE)
    # Not at the full year either, whatever an earlier interim row said.
    full = score_measure(m, Period(2021), SETTINGS)
    assert (full.forecast, full.status) == (None, Status.MISSING)
    # A full-year period never scores a forecast, even one on its own row (validation refuses
    # such a row; the scoring does not rely on it).
    own_row = indicator(70, 2021, outcomes=(fc(None, 75, Period(2021)),))
    assert score_measure(own_row, Period(2021), SETTINGS).status is Status.MISSING


@pytest.mark.parametrize(
    ("target_year", "forecast", "expected"),
    [
        (2021, ActivityState.DONE, Status.GREEN),
        (2022, ActivityState.DONE, Status.GREEN),
        (2021, ActivityState.STARTED, Status.YELLOW),
        (2021, ActivityState.NOT_STARTED, Status.RED),
        (2022, ActivityState.STARTED, Status.LATER),
        (2022, ActivityState.NOT_STARTED, Status.LATER),
    ],
)
def test_activity_forecasts(target_year: int, forecast: ActivityState, expected: Status) -> None:
    m = activity(target_year, (afc(ActivityState.STARTED, forecast),))
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.status, sm.basis, sm.forecast) == (expected, Basis.FORECAST, forecast)
    assert sm.value is ActivityState.STARTED


def test_a_completed_activity_needs_no_forecast() -> None:
    m = activity(2021, (afc(ActivityState.DONE, None, Y2020),))
    sm = score_measure(m, T2, SETTINGS)
    assert (sm.status, sm.basis) == (Status.GREEN, Basis.OUTCOME)
    assert (sm.latest_value, sm.latest_period) == (ActivityState.DONE, Y2020)


def test_the_board_overrides_a_forecast_and_the_basis_stays() -> None:
    m = indicator(70, 2021, outcomes=(fc(None, 72),))
    a = Assessment(Level.MEASURE, "M", T2, Status.YELLOW, "Osäker prognos.")
    sm = score_measure(m, T2, SETTINGS, a)
    assert (sm.computed_status, sm.status, sm.basis) == (
        Status.GREEN,
        Status.YELLOW,
        Basis.FORECAST,
    )
    assert sm.overridden and sm.rests_on_forecast


def test_latest_known_outcome() -> None:
    outcomes = (
        fc(60, None, Period(2019)),
        fc(66, None, Y2020),
        fc(None, 70, T2),
        fc(99, None, Period(2021)),  # after the period: never shown
    )
    sm = score_measure(indicator(outcomes=outcomes), T2, SETTINGS)
    assert (sm.latest_value, sm.latest_period) == (66, Y2020)
    sm = score_measure(indicator(outcomes=(fc(64, None, T2), *outcomes)), T2, SETTINGS)
    assert (sm.latest_value, sm.latest_period) == (64, T2)  # the period itself included
    sm = score_measure(indicator(), T2, SETTINGS)
    assert (sm.latest_value, sm.latest_period) == (None, None)


def test_statusord_words() -> None:
    colours, attainment = StatusWords.COLOURS, StatusWords.ATTAINMENT
    assert [status_word(s, colours) for s in (Status.GREEN, Status.YELLOW, Status.RED)] == [
        "Grönt",
        "Gult",
        "Rött",
    ]
    assert [status_word(s, attainment) for s in (Status.GREEN, Status.YELLOW, Status.RED)] == [
        "Uppnått",
        "Delvis uppnått",
        "Inte uppnått",
    ]
    assert [
        status_word(s, attainment, forecast=True) for s in (Status.GREEN, Status.YELLOW, Status.RED)
    ] == ["Bedöms uppnås", "Bedöms delvis uppnås", "Bedöms inte uppnås"]
    assert status_word(Status.LATER, attainment, forecast=True) == "Följs upp senare"


def test_grounds_sentences() -> None:
    assert grounds_text(Grounds(5, 11, 3), "målet", True) == (
        "Bedömningen bygger på 5 av 11 mätvärden, varav 3 prognoser."
    )
    assert grounds_text(Grounds(2, 3, 1), "målet", True).endswith("varav 1 prognos.")
    assert grounds_text(Grounds(3, 3, 0), "delmålet", True).endswith(", inget av dem en prognos.")
    assert grounds_text(Grounds(5, 11, 0), "målet", False) == (
        "Bedömningen bygger på 5 av 11 mätvärden."
    )
    assert grounds_text(Grounds(0, 4, 0), "målet", True) == (
        "Inget av målets 4 mätvärden kan bedömas ännu, så målet är inte bedömt."
    )
    assert grounds_text(Grounds(0, 0, 0), "delmålet", True) == "Delmålet har inga mätvärden."


# --- The workbook ---------------------------------------------------------------------------


def test_scored_interim_workbook_and_its_basis_counts(book: Book) -> None:
    plan, _ = load_plan(book(interim_sheets()))
    report = score(plan, T2)
    by_id = {m.measure.id: m for m in report.measures}
    assert {k: (m.status, m.basis) for k, m in by_id.items()} == {
        "M1": (Status.GREEN, Basis.FORECAST),
        "M2": (Status.GREEN, Basis.OUTCOME),
        "M3": (Status.YELLOW, Basis.FORECAST),
        "M4": (Status.LATER, Basis.FORECAST),
        "M5": (Status.LATER, Basis.NONE),
    }
    assert (by_id["M5"].latest_value, by_id["M5"].latest_period) == (72, Y2020)
    goal1, goal2 = report.goals
    assert goal1.grounds == Grounds(3, 3, 2)
    assert goal1.subgoals[0].grounds == Grounds(2, 2, 1)
    assert goal2.grounds == Grounds(0, 2, 0)
    assert goal2.status is Status.NOT_ASSESSED


def test_a_v1_workbook_without_prognos_scores_as_before(book: Book, sheets: Sheets) -> None:
    plan, _ = load_plan(book(sheets))
    report = score(plan, Y2020)
    assert all(m.forecast is None for m in report.measures)
    assert [m.basis for m in report.measures] == [Basis.OUTCOME] * 5
    assert [m.status for m in report.measures] == [
        Status.GREEN,
        Status.GREEN,
        Status.YELLOW,
        Status.LATER,
        Status.LATER,
    ]


def _errors(run_cli: Callable[..., object], path: Path) -> str:
    r = run_cli("validate", path)
    assert r.exit_code == 1, r.output  # type: ignore[attr-defined]
    return str(r.stdout)  # type: ignore[attr-defined]


def test_prognos_on_a_full_year_row_is_an_error(run_cli: Callable[..., object], book: Book) -> None:
    s = interim_sheets()
    s["Utfall"].append(["M5", 2021, 75, "", None, 76])
    out = _errors(run_cli, book(s))
    assert (
        "Utfall!F15: Prognos anges bara för delårsperioder (T1, H1, T2); 2021 är ett helår."
    ) in out


def test_a_row_with_neither_value_nor_forecast_names_both(
    run_cli: Callable[..., object], book: Book
) -> None:
    s = interim_sheets()
    s["Utfall"].append(["M5", "2021-T2", None, None, None, None])
    out = _errors(run_cli, book(s))
    assert "Utfall!C15: Värde måste fyllas i (eller Prognos, för en delårsperiod)." in out
    s = interim_sheets()
    s["Utfall"].append(["M5", "2021-T2", None, "Enkäten görs i oktober", None, None])
    r = run_cli("validate", book(s))
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]


def test_bad_forecasts_name_their_cell(run_cli: Callable[..., object], book: Book) -> None:
    s = interim_sheets()
    s["Utfall"] += [
        ["M5", "2021-T2", None, "", None, "sjuttio"],
        ["M2", "2021-T2", None, "", None, "Klar snart"],
        ["M4", "2021-T2", 7, "", "K", 6.5],
    ]
    out = _errors(run_cli, book(s))
    assert 'Utfall!F15: Prognos "sjuttio" är inte ett tal' in out
    assert 'Utfall!F16: Prognos "Klar snart" gäller en aktivitet och är okänt' in out
    assert "Utfall!F17: Prognos anges bara för totalen, inte för kön K" in out


def test_statusord_setting_and_its_words_in_bedomningar(
    run_cli: Callable[..., object], book: Book
) -> None:
    s = interim_sheets()
    s["Inställningar"].append(["Statusord", "Tal"])
    out = _errors(run_cli, book(s))
    assert (
        'Inställningar!B5: Statusord "Tal" är okänd; tillåtna värden: Färger, Måluppfyllelse.'
        in (out)
    )
    s = interim_sheets()
    s["Inställningar"].append(["Statusord", "måluppfyllelse"])
    s["Bedömningar"].append(["Mål", "2", "2021-T2", "Bedöms delvis uppnås", "Enligt nämnden."])
    plan, problems = load_plan(book(s))
    assert not problems
    assert plan.settings.status_words is StatusWords.ATTAINMENT
    assert plan.assessments[0].status is Status.YELLOW


# --- The documents --------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


def _html_text(path: Path) -> str:
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", path.read_text("utf-8"), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


@pytest.mark.slow
def test_interim_report_in_every_format(
    run_cli: Callable[..., object], book: Book, tmp_path: Path
) -> None:
    s = interim_sheets()
    s["Bedömningar"].append(
        ["Delmål", "1.2", "2021-T2", None, "", "Handläggningstiderna har kortats under våren."]
    )
    out = tmp_path / "ut"
    r = run_cli("build", book(s), "--period", "2021-T2", "--out", out, "-f", "pdf,docx,html,json")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    stem = "kommunstyrelsen-2021-T2-delarsrapport"
    assert {p.name for p in out.iterdir()} >= {f"{stem}.pdf", f"{stem}.docx", f"{stem}.html"}
    assert not list(out.glob("*verksamhetsberattelse*"))
    texts = {
        "pdf": _flat(_pdf_text(out / f"{stem}.pdf")),
        "docx": _flat(_docx_text(out / f"{stem}.docx")),
        "html": _flat(_html_text(out / f"{stem}.html")),
    }
    for fmt, text in texts.items():
        assert "Måluppfyllelse delår per augusti 2021" in text, fmt
        assert "Prognos helår för målet: ● Grönt (prognos)" in text, fmt
        assert "Bedömningen bygger på 3 av 3 mätvärden, varav 2 prognoser." in text, fmt
        assert "Inget av målets 2 mätvärden kan bedömas ännu" in text, fmt
        assert "Prognos helår för delmålet: ▲ Gult (prognos)" in text, fmt
        assert "Prognos helår 2021" in text, fmt  # the forecast column
        assert "21 dagar" in text, fmt  # M3's forecast
        assert "72 %" in text and "(helår 2020)" in text, fmt  # M5's latest known outcome
        assert "Varav prognos" in text, fmt
        assert "Prognosen för helåret: 1 av 2 mål bedöms uppnås och 1 kan inte bedömas ännu" in (
            text
        ), fmt
        assert "delårsrapport" in text, fmt
    data = json.loads((out / "kommunstyrelsen-2021-T2-resultat.json").read_text("utf-8"))
    goal = data["goals"][0]
    assert (goal["counted"], goal["total"], goal["forecasts"]) == (3, 3, 2)
    m5 = data["goals"][1]["subgoals"][0]["measures"][1]
    assert (m5["forecast"], m5["basis"], m5["latest_value"], m5["latest_period"]) == (
        None,
        "none",
        72,
        "2020",
    )
    m3 = data["goals"][0]["subgoals"][1]["measures"][0]
    assert (m3["forecast"], m3["basis"]) == (21, "forecast")


def test_results_workbook_carries_the_forecast_fields(
    run_cli: Callable[..., object], book: Book, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    r = run_cli("build", book(interim_sheets()), "--period", "2021-T2", "--out", out, "-f", "xlsx")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    wb = load_workbook(out / "kommunstyrelsen-2021-T2-resultat.xlsx")
    rows = list(wb["Mätvärden"].iter_rows(values_only=True))
    header = rows[0]
    m3 = dict(zip(header, rows[3], strict=True))
    assert (m3["Prognos helår 2021"], m3["Bedömningen bygger på"]) == (21, "Prognos")
    m5 = dict(zip(header, rows[5], strict=True))
    assert (m5["Senaste utfall"], m5["Senaste utfallets period"]) == (72, "2020")
    goals = list(wb["Mål"].iter_rows(values_only=True))
    g1 = dict(zip(goals[0], goals[1], strict=True))
    assert (g1["Bedömda mätvärden"], g1["Antal mätvärden"], g1["Varav prognoser"]) == (3, 3, 2)


def test_statusord_maluppfyllelse_in_the_context(book: Book) -> None:
    s = interim_sheets()
    s["Inställningar"].append(["Statusord", "Måluppfyllelse"])
    plan, _ = load_plan(book(s))
    import datetime as dt

    ctx = build_context(score(plan, T2), generated=dt.date(2021, 9, 15))
    goal1 = ctx.goals[0]
    assert goal1.assessed.status.text == "● Bedöms uppnås"
    assert goal1.assessed.prefix == "Prognos helår"
    assert [c.label for c in ctx.summary_columns][:3] == [
        "Uppnått",
        "Delvis uppnått",
        "Inte uppnått",
    ]
    m2 = goal1.subgoals[0].measures[1]
    assert m2.assessed.status.label == "Uppnått"  # an outcome, not a forecast
    # At the full year, no forecast words at all.
    full = build_context(score(plan, Y2020), generated=dt.date(2021, 2, 15))
    assert full.goals[0].assessed.prefix == "Status"
    assert "Bedöms" not in full.goals[0].assessed.status.label


def test_the_board_assessment_of_a_forecast_is_labelled(book: Book) -> None:
    s = interim_sheets()
    s["Bedömningar"].append(["Mätvärde", "M1", "2021-T2", "Gult", "Enkäten kan visa lägre."])
    plan, _ = load_plan(book(s))
    import datetime as dt

    ctx = build_context(score(plan, T2), generated=dt.date(2021, 9, 15))
    row = ctx.goals[0].subgoals[0].measures[0]
    assert row.assessed.status.label == "Gult (prognos)"
    assert row.assessed.computed is not None
    assert row.assessed.computed.label == "Grönt (prognos)"
    assert any("bedömning av prognosen för helåret" in d.text for d in ctx.definitions if d.term)


def test_a_period_without_any_data_is_refused_unless_allowed(
    run_cli: Callable[..., object], book: Book, tmp_path: Path
) -> None:
    path = book(interim_sheets())
    out = tmp_path / "ut"
    r = run_cli("build", path, "--period", "2021-T1", "--out", out, "-f", "html")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    assert (
        "Det finns inga utfall och inga prognoser för delår per april 2021 (2021-T1) i "
        "arbetsboken. Perioder med utfall eller prognoser: 2019, 2020-T1, 2020, 2021-T2."
    ) in r.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in r.output  # type: ignore[attr-defined]
    assert not out.exists()
    r = run_cli(
        "build", path, "--period", "2021-T1", "--out", out, "-f", "html", "--allow-empty-period"
    )
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    text = _html_text(out / "kommunstyrelsen-2021-T1-delarsrapport.html")
    assert "Inga utfall och inga prognoser har registrerats för delår per april 2021." in text


def test_a_carried_over_activity_does_not_make_a_period_reported(book: Book) -> None:
    plan, _ = load_plan(book(interim_sheets()))
    # M2 was completed in 2020 and counts as done in 2021-T1, but nothing was recorded then.
    assert score(plan, T1).measures[1].status is Status.GREEN
    assert T1 not in plan.reported_periods()


def test_no_forecast_words_at_full_year(book: Book) -> None:
    plan, _ = load_plan(book(interim_sheets()))
    import datetime as dt

    ctx = build_context(score(plan, Y2020), generated=dt.date(2021, 2, 15))
    assert not ctx.interim and ctx.col_previous == "Utfall helår 2019"
    assert all(
        not r.forecast or r.forecast == "–"
        for g in ctx.goals
        for s in g.subgoals
        for r in s.measures
    )
    assert "prognos" not in ctx.summary_text.lower()
    replaced = dataclasses.replace(
        plan.settings, decision_proposal="Godkänn {period} för {dokument} {år}."
    )
    plan2 = dataclasses.replace(plan, settings=replaced)
    assert build_context(score(plan2, T2), generated=dt.date(2021, 9, 1)).decision_proposal == (
        "Godkänn delår per augusti 2021 för delårsrapporten 2021."
    )
    assert build_context(score(plan2, Y2020), generated=dt.date(2021, 2, 1)).decision_proposal == (
        "Godkänn helår 2020 för verksamhetsberättelsen 2020."
    )


def test_a_proposal_naming_another_year_stops_the_build(
    run_cli: Callable[..., object], book: Book, tmp_path: Path
) -> None:
    s = interim_sheets()
    set_cell(s, "Inställningar", "Organisation", "Värde", "Testkommun")
    s["Inställningar"].append(
        [
            "Förslag till beslut",
            "Kommunstyrelsen godkänner uppföljningen för 2020 (mandat 2020–2022).",
        ]
    )
    path = book(s)
    out = tmp_path / "ut"
    r = run_cli("build", path, "--period", "2021-T2", "--out", out, "-f", "json")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    err = r.stderr  # type: ignore[attr-defined]
    assert "Förslag till beslut i bladet Inställningar nämner 2020, men rapporten gäller" in err
    assert "{period}" in err and "{dokument}" in err
    assert not out.exists()
    r = run_cli("build", path, "--period", "2020", "--out", out, "-f", "json")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
