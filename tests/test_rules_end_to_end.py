"""Every scoring rule and boundary of docs/scoring.md, end to end: a real workbook, the real CLI
(``ksreport score --json``), the status in its output.

Each rule is held by two independent tests, a unit test (on model objects, or on ``validate`` for
the workbook's own rules) and an end-to-end test, so that neither a changed rule nor a changed
wiring between the stages goes unnoticed. End-to-end tests without a module are in this file;
``test_the_rule_table_names_real_tests`` keeps the names below true.

Rule (docs/scoring.md)
    unit  unit test(s)
    e2e   end-to-end test(s)
----------------------------------------------------------------------------------------------
Higher is better: equal to the target or above it meets it
    unit  test_scoring::test_higher_is_better
    e2e   test_measure_status[higher-equal-target-green, higher-above-target-green]
Lower is better: equal to the target or below it meets it
    unit  test_scoring::test_lower_is_better
    e2e   test_measure_status[lower-equal-target-green, lower-below-target-green]
Improved: strictly better than the baseline, in the measure's direction
    unit  test_scoring::test_higher_is_better, test_scoring::test_lower_is_better
    e2e   test_measure_status[*-improved-yellow, *-baseline-red]
Without a baseline nothing is improved
    unit  test_scoring::test_no_baseline_means_not_improved
    e2e   test_measure_status[no-baseline-red]
Near: |v - t| <= tolerance of |t|, inclusive at the edge, red just outside, both directions
    unit  test_scoring::test_tolerance_boundary_is_inclusive_in_both_directions,
          test_scoring::test_near_target_without_improvement_is_yellow_and_boundary_is_inclusive
    e2e   test_measure_status[tolerance-*]
Tolerans (setting) changes near
    unit  test_scoring::test_tolerance_setting_changes_near,
          test_scoring::test_tolerance_boundary_is_inclusive_in_both_directions
    e2e   test_measure_status[tolerans-10-*]
Target 0: only 0 is near
    unit  test_scoring::test_target_zero_tolerance_is_exact
    e2e   test_measure_status[target-zero-*]
Percent cells are read in percent points; 0,575 as 57,5 % meets 57,5
    unit  test_scoring::test_percent_fraction_rounding_does_not_miss_equal_target
    e2e   test_measure_status[percent-cell-equal-to-target-green]
Target met before the target year: green; not met: later
    unit  test_scoring::test_before_target_year_not_met_is_later_but_met_is_green
    e2e   test_measure_status[met-before-target-year-green, not-met-before-target-year-later]
No outcome: missing when due, later before the target year or at an interim period
    unit  test_scoring::test_no_outcome
    e2e   test_measure_status[no-outcome-*]
An indicator's outcome is the value for exactly the period
    unit  test_scoring::test_indicator_uses_exactly_the_period
    e2e   test_measure_status[other-period-does-not-count]
Activity: Genomförd green, Påbörjad yellow, Ej påbörjad red; not done before Målår later
    unit  test_scoring::test_activity_states, test_scoring::test_activity_before_target_year
    e2e   test_measure_status[activity-done-green, activity-started-yellow,
          activity-not-started-red, activity-before-target-year-later,
          activity-done-before-target-year-green]
Activity: latest state at or before the period, and done stays done
    unit  test_scoring::test_activity_latest_state_at_or_before_period_and_done_stays_done
    e2e   test_measure_status[activity-latest-state-before-the-period, activity-done-stays-done,
          activity-later-state-does-not-count]
Interim period: a forecast is scored by the full-year rules
    unit  test_forecast::test_a_forecast_is_scored_by_the_full_year_rules
    e2e   test_measure_status[forecast-meets-green, forecast-improved-yellow,
          forecast-near-yellow, forecast-red]
Interim period: a forecast before the target year that misses it is later
    unit  test_forecast::test_a_forecast_before_the_target_year_that_does_not_meet_it_is_later
    e2e   test_measure_status[forecast-before-target-year-*]
Interim period: the forecast wins over the outcome so far
    unit  test_forecast::test_the_forecast_wins_over_the_outcome_so_far
    e2e   test_measure_status[forecast-wins-over-outcome]
Interim period without a forecast: the outcome for exactly the period
    unit  test_forecast::test_without_a_forecast_the_interim_rules_are_unchanged
    e2e   test_measure_status[interim-outcome-*, no-outcome-interim-later]
Only the forecast on the row of exactly the period counts
    unit  test_forecast::test_only_the_forecast_of_exactly_the_period_counts
    e2e   test_measure_status[forecast-of-t1-not-used-at-t2]
Activity forecasts
    unit  test_forecast::test_activity_forecasts
    e2e   test_measure_status[activity-forecast-*]
Trend: against the same period a year earlier
    unit  test_scoring::test_trend_against_same_period_a_year_earlier
    e2e   test_trend[interim-against-the-same-interim, no-previous-none]
Trend: in the measure's direction (lower is better: a fall is better)
    unit  test_scoring::test_trend_follows_the_direction
    e2e   test_trend[lower-*, higher-*]
Trend of activities: Ej påbörjad < Påbörjad < Genomförd
    unit  test_scoring::test_activity_trend
    e2e   test_trend[activity-better]
The board's status replaces the computed one, which is kept, and is what rolls up
    unit  test_scoring::test_override_replaces_status_keeps_computed_and_propagates
    e2e   test_board_assessment_replaces_the_status_and_rolls_up
An assessment for another period, or one without a status, overrides nothing
    unit  test_scoring::test_goal_override_and_other_period_ignored,
          test_scoring::test_analysis_without_status_is_not_an_override
    e2e   test_assessments_that_do_not_override
An own status needs a Motivering
    unit  test_validate::test_override_without_justification
    e2e   test_bad_input::test_bad_workbook[override-without-justification]
Roll-up Medel: mean points, both bounds inclusive (ties at 1,5 and 0,75)
    unit  test_scoring::test_rollup_mean
    e2e   test_rollup[mean-*]
Roll-up counts only green, yellow and red; with none, not assessed
    unit  test_scoring::test_rollup_mean
    e2e   test_rollup[only-assessed-count, none-assessed-not-assessed]
Roll-up Sämsta, and the settings Gräns grönt and Gräns gult
    unit  test_scoring::test_rollup_worst_and_custom_thresholds
    e2e   test_rollup[worst-*, threshold-*]
A goal rolls up its sub-goals' statuses, not its measures'
    unit  test_scoring::test_override_replaces_status_keeps_computed_and_propagates
    e2e   test_a_goal_rolls_up_its_subgoals_not_its_measures
Default period: Rapportperiod, else the latest with an outcome
    unit  test_scoring::test_default_period
    e2e   test_cli::test_score_default_period_and_text_table
Summary: a count of every status
    unit  test_scoring::test_summary_counts_every_status
    e2e   test_cli::test_score_json_tree
Duplicate ids of goals, sub-goals and measures are errors
    unit  test_validate::test_duplicate_ids, test_validate::test_duplicate_subgoal_ids
    e2e   test_bad_input::test_bad_workbook[duplicate-goal-id, duplicate-subgoal-id,
          duplicate-measure-id]
A second outcome for the same measure and period is an error
    unit  test_validate::test_duplicate_outcome_and_assessment_rows
    e2e   test_bad_input::test_bad_workbook[duplicate-outcome]
Unknown goal, sub-goal, measure or assessed item ids are errors
    unit  test_validate::test_dangling_references
    e2e   test_bad_input::test_bad_workbook[dangling-*]

The sample's own statuses are pinned as a literal table in
``test_cli::test_example_workbook_statuses_are_pinned``.
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result
from workbooks import Cell, Sheets, base_sheets

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]

HIGHER, LOWER = "Högre är bättre", "Lägre är bättre"
DONE, STARTED, NOT_STARTED = "Genomförd", "Påbörjad", "Ej påbörjad"
Row = tuple[str, str, object] | tuple[str, str, object, object]  # id, period, value[, forecast]


def _measure_row(cells: dict[str, object]) -> list[object]:
    return [cells.get(header) for header in base_sheets()["Mätvärden"][0]]


def indicator(
    mid: str = "M",
    *,
    direction: str = HIGHER,
    target: object = 100,
    baseline: object = None,
    target_year: int = 2020,
    sub: str = "1.1",
) -> list[object]:
    return _measure_row(
        {
            "Mätvärde-id": mid,
            "Delmål-id": sub,
            "Mätvärde": f"Mått {mid}",
            "Typ": "Indikator",
            "Enhet": "st",
            "Riktning": direction,
            "Utgångsvärde": baseline,
            "Utgångsår": 2019 if baseline is not None else None,
            "Målvärde": target,
            "Målår": target_year,
        }
    )


def activity(mid: str = "M", *, target_year: int = 2020, sub: str = "1.1") -> list[object]:
    return _measure_row(
        {
            "Mätvärde-id": mid,
            "Delmål-id": sub,
            "Mätvärde": f"Aktivitet {mid}",
            "Typ": "Aktivitet",
            "Målår": target_year,
        }
    )


def workbook(
    measures: list[list[object]],
    outcomes: list[Row],
    *,
    subgoals: tuple[tuple[str, str], ...] = (("1.1", "1"),),
    settings: tuple[tuple[str, object], ...] = (),
    assessments: tuple[tuple[object, ...], ...] = (),
) -> Sheets:
    """One goal per goal id named in ``subgoals``, the sub-goals, measures and outcome rows."""
    s = base_sheets()
    s["Inställningar"] += [list(row) for row in settings]
    goals = dict.fromkeys(goal for _, goal in subgoals)
    s["Mål"][1:] = [[g, f"Mål {g}", "", "", ""] for g in goals]
    s["Delmål"][1:] = [[sid, gid, f"Delmål {sid}", ""] for sid, gid in subgoals]
    s["Mätvärden"][1:] = measures
    s["Utfall"] = [["Mätvärde-id", "Period", "Värde", "Kommentar", "Kön", "Prognos"]]
    for mid, period, value, *forecast in outcomes:
        s["Utfall"].append([mid, period, value, "", None, forecast[0] if forecast else None])
    s["Bedömningar"] += [list(row) for row in assessments]
    return s


def scored(run_cli: Run, path: Path, period: str) -> dict[str, dict[str, Any]]:
    """Every goal, sub-goal and measure in ``score --json``'s output, by id."""
    r = run_cli("score", path, "--period", period, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["period"] == period
    items: dict[str, dict[str, Any]] = {}
    for g in data["goals"]:
        items[g["id"]] = g
        for s in g["subgoals"]:
            items[s["id"]] = s
            items.update((m["id"], m) for m in s["measures"])
    return items


# --- One measure ----------------------------------------------------------------------------


def higher(**kw: Any) -> list[object]:
    return indicator(direction=HIGHER, **kw)


def lower(**kw: Any) -> list[object]:
    return indicator(direction=LOWER, **kw)


Y2020, T2 = "2020", "2021-T2"

# id → (measure M, its outcomes {period: value, or (value, Prognos)}, expected status). Targets
# are 100 for 2020, without a baseline, unless the case says otherwise.
FULL_YEAR_CASES: dict[str, tuple[list[object], dict[str, Any], str]] = {
    "higher-equal-target-green": (higher(target=70, baseline=60), {Y2020: 70}, "green"),
    "higher-above-target-green": (higher(target=70, baseline=60), {Y2020: 75}, "green"),
    "higher-improved-yellow": (higher(target=70, baseline=60), {Y2020: 65}, "yellow"),
    "higher-baseline-red": (higher(target=70, baseline=60), {Y2020: 60}, "red"),
    "lower-equal-target-green": (lower(target=20, baseline=30), {Y2020: 20}, "green"),
    "lower-below-target-green": (lower(target=20, baseline=30), {Y2020: 15}, "green"),
    "lower-improved-yellow": (lower(target=20, baseline=30), {Y2020: 25}, "yellow"),
    "lower-baseline-red": (lower(target=20, baseline=30), {Y2020: 35}, "red"),
    # Worse than the baseline, so only being near the target can make these yellow.
    "tolerance-edge-higher-yellow": (higher(baseline=101), {Y2020: 95}, "yellow"),
    "tolerance-outside-higher-red": (higher(baseline=101), {Y2020: 94.99}, "red"),
    "tolerance-edge-lower-yellow": (lower(baseline=99), {Y2020: 105}, "yellow"),
    "tolerance-outside-lower-red": (lower(baseline=99), {Y2020: 105.01}, "red"),
    "tolerans-10-edge-yellow": (higher(), {Y2020: 90}, "yellow"),
    "tolerans-10-outside-red": (higher(), {Y2020: 89.99}, "red"),
    "target-zero-zero-green": (lower(target=0), {Y2020: 0}, "green"),
    "target-zero-above-red": (lower(target=0), {Y2020: 0.001}, "red"),
    "no-baseline-red": (higher(), {Y2020: 90}, "red"),
    # 0,575 shown as 57,5 %: 0.575 × 100 is 57.49999999999999 in floating point.
    "percent-cell-equal-to-target-green": (
        higher(target=57.5),
        {Y2020: Cell(0.575, "0%")},
        "green",
    ),
    "met-before-target-year-green": (higher(target_year=2022), {Y2020: 101}, "green"),
    "not-met-before-target-year-later": (higher(target_year=2022), {Y2020: 50}, "later"),
    "no-outcome-due-missing": (higher(), {}, "missing"),
    "no-outcome-not-due-later": (higher(target_year=2021), {}, "later"),
    "other-period-does-not-count": (higher(), {"2020-T2": 120}, "missing"),
    "activity-done-green": (activity(), {Y2020: DONE}, "green"),
    "activity-started-yellow": (activity(), {Y2020: STARTED}, "yellow"),
    "activity-not-started-red": (activity(), {Y2020: NOT_STARTED}, "red"),
    "activity-before-target-year-later": (activity(target_year=2021), {Y2020: STARTED}, "later"),
    "activity-done-before-target-year-green": (activity(target_year=2021), {Y2020: DONE}, "green"),
    "activity-latest-state-before-the-period": (activity(), {"2020-T1": STARTED}, "yellow"),
    "activity-done-stays-done": (activity(), {"2020-T1": DONE, Y2020: STARTED}, "green"),
    "activity-later-state-does-not-count": (activity(), {"2021": DONE}, "missing"),
}
INTERIM_CASES: dict[str, tuple[list[object], dict[str, Any], str]] = {
    "no-outcome-interim-later": (higher(), {}, "later"),
    "forecast-meets-green": (higher(target_year=2021), {T2: (80, 100)}, "green"),
    "forecast-improved-yellow": (higher(target_year=2021, baseline=60), {T2: (80, 90)}, "yellow"),
    "forecast-near-yellow": (higher(target_year=2021, baseline=101), {T2: (80, 95)}, "yellow"),
    "forecast-red": (higher(target_year=2021, baseline=60), {T2: (80, 50)}, "red"),
    "forecast-wins-over-outcome": (higher(target_year=2021, baseline=60), {T2: (120, 50)}, "red"),
    "forecast-before-target-year-later": (higher(target_year=2022), {T2: (80, 90)}, "later"),
    "forecast-before-target-year-met-green": (higher(target_year=2022), {T2: (80, 101)}, "green"),
    "forecast-of-t1-not-used-at-t2": (higher(target_year=2021), {"2021-T1": (None, 100)}, "later"),
    "interim-outcome-without-forecast-green": (higher(target_year=2021), {T2: 100}, "green"),
    "interim-outcome-without-forecast-red": (higher(target_year=2021), {T2: 50}, "red"),
    "activity-forecast-done-green": (activity(target_year=2021), {T2: (STARTED, DONE)}, "green"),
    "activity-forecast-started-yellow": (
        activity(target_year=2021),
        {T2: (STARTED, STARTED)},
        "yellow",
    ),
    "activity-forecast-not-started-red": (
        activity(target_year=2021),
        {T2: (None, NOT_STARTED)},
        "red",
    ),
    "activity-forecast-before-target-year-later": (
        activity(target_year=2022),
        {T2: (STARTED, STARTED)},
        "later",
    ),
}
MEASURE_CASES = {
    **{case: (Y2020, *c) for case, c in FULL_YEAR_CASES.items()},
    **{case: (T2, *c) for case, c in INTERIM_CASES.items()},
}
# What an interim case's status rests on, where it is not the forecast.
INTERIM_BASIS = {
    "no-outcome-interim-later": "none",
    "forecast-of-t1-not-used-at-t2": "none",
    "interim-outcome-without-forecast-green": "outcome",
    "interim-outcome-without-forecast-red": "outcome",
}
MEASURE_SETTINGS = {
    "tolerans-10-edge-yellow": (("Tolerans", 10),),
    "tolerans-10-outside-red": (("Tolerans", 10),),
}


@pytest.mark.parametrize("case", list(MEASURE_CASES))
def test_measure_status(run_cli: Run, book: Book, case: str) -> None:
    """Measure M's status; a measure F with outcomes for 2020 and 2021-T2 beside it makes every
    period here one that has data."""
    period, measure, outcomes, expected = MEASURE_CASES[case]
    rows: list[Row] = [
        (("M", p, *v) if isinstance(v, tuple) else ("M", p, v)) for p, v in outcomes.items()
    ]
    sheets = workbook(
        [measure, indicator("F", target_year=2022)],
        [*rows, ("F", Y2020, 1), ("F", T2, 1)],
        settings=MEASURE_SETTINGS.get(case, ()),
    )
    m = scored(run_cli, book(sheets), period)["M"]
    assert (m["computed_status"], m["status"]) == (expected, expected)
    if case in INTERIM_CASES:
        assert m["basis"] == INTERIM_BASIS.get(case, "forecast")


# --- Trend ----------------------------------------------------------------------------------


# id → (measure M, its outcomes, period, the outcome a year earlier, trend).
TREND_CASES: dict[str, tuple[list[object], dict[str, Any], str, object, str | None]] = {
    "lower-fall-better": (lower(), {"2019": 30, Y2020: 25}, Y2020, 30, "better"),
    "lower-rise-worse": (lower(), {"2019": 25, Y2020: 30}, Y2020, 25, "worse"),
    "lower-same-unchanged": (lower(), {"2019": 25, Y2020: 25}, Y2020, 25, "unchanged"),
    "higher-rise-better": (higher(), {"2019": 25, Y2020: 30}, Y2020, 25, "better"),
    "higher-fall-worse": (higher(), {"2019": 30, Y2020: 25}, Y2020, 30, "worse"),
    "no-previous-none": (higher(), {Y2020: 25}, Y2020, None, None),
    "interim-against-the-same-interim": (
        higher(target_year=2021),
        {"2020": 50, "2020-T2": 70, T2: 60},
        T2,
        70,
        "worse",
    ),
    "activity-better": (
        activity(),
        {"2019": NOT_STARTED, Y2020: STARTED},
        Y2020,
        NOT_STARTED,
        "better",
    ),
}


@pytest.mark.parametrize("case", list(TREND_CASES))
def test_trend(run_cli: Run, book: Book, case: str) -> None:
    measure, outcomes, period, previous, expected = TREND_CASES[case]
    sheets = workbook([measure], [("M", p, v) for p, v in outcomes.items()])
    m = scored(run_cli, book(sheets), period)["M"]
    assert (m["previous_value"], m["trend"]) == (previous, expected)


# --- The board's assessment -----------------------------------------------------------------


def _red_red_green(*assessments: tuple[object, ...]) -> Sheets:
    """Sub-goal 1.1 with two red measures, 1.2 with one green, both under goal 1."""
    return workbook(
        [indicator("R1"), indicator("R2"), indicator("G1", sub="1.2")],
        [("R1", "2020", 50), ("R2", "2020", 50), ("G1", "2020", 100)],
        subgoals=(("1.1", "1"), ("1.2", "1")),
        assessments=assessments,
    )


def test_board_assessment_replaces_the_status_and_rolls_up(run_cli: Run, book: Book) -> None:
    items = scored(run_cli, book(_red_red_green()), "2020")
    assert [items[i]["status"] for i in ("R1", "1.1", "1")] == ["red", "red", "yellow"]
    assessed = ("Mätvärde", "R1", 2020, "Grönt", "Ny mätning visar bättre läge", "", "§ 12")
    items = scored(run_cli, book(_red_red_green(assessed)), "2020")
    r1 = items["R1"]
    assert (r1["status"], r1["computed_status"]) == ("green", "red")
    assert (r1["justification"], r1["decision"]) == ("Ny mätning visar bättre läge", "§ 12")
    sub = items["1.1"]  # (2 + 0) / 2 = 1: the board's green counts
    assert (sub["status"], sub["computed_status"]) == ("yellow", "yellow")
    goal = items["1"]  # (1 + 2) / 2 = 1.5
    assert (goal["status"], goal["computed_status"]) == ("green", "green")


def test_assessments_that_do_not_override(run_cli: Run, book: Book) -> None:
    """A status for another period, or an analysis without a status, leaves the status alone."""
    other_year = ("Delmål", "1.1", 2021, "Grönt", "Gäller 2021", "", "")
    analysis_only = ("Mål", "1", 2020, None, None, "Analystext", "")
    items = scored(run_cli, book(_red_red_green(other_year, analysis_only)), "2020")
    sub, goal = items["1.1"], items["1"]
    assert (sub["status"], sub["computed_status"], sub["justification"]) == ("red", "red", None)
    assert (goal["status"], goal["computed_status"]) == ("yellow", "yellow")
    assert (goal["justification"], goal["analysis"]) == (None, "Analystext")


# --- Roll-up --------------------------------------------------------------------------------

# Status → (outcome for 2020, target year) of an indicator with the target 100.
_CHILD = {
    "green": (100, 2020),
    "yellow": (96, 2020),  # within 5 % of 100
    "red": (50, 2020),
    "later": (50, 2022),
    "missing": (None, 2020),
}


@pytest.mark.parametrize(
    ("children", "settings", "expected"),
    [
        pytest.param(["green", "yellow"], (), "green", id="mean-tie-at-green-bound-green"),
        pytest.param(["green", "yellow", "yellow"], (), "yellow", id="mean-below-green-yellow"),
        pytest.param(
            ["yellow", "red", "red", "green"], (), "yellow", id="mean-tie-at-yellow-bound-yellow"
        ),
        pytest.param(["yellow", "red", "red", "red"], (), "red", id="mean-below-yellow-red"),
        pytest.param(["green", "later", "missing"], (), "green", id="only-assessed-count"),
        pytest.param(["later", "missing"], (), "not_assessed", id="none-assessed-not-assessed"),
        pytest.param(
            ["green", "green", "yellow"],
            (("Sammanvägning", "Sämsta"),),
            "yellow",
            id="worst-yellow",
        ),
        pytest.param(["green", "red"], (("Sammanvägning", "Sämsta"),), "red", id="worst-red"),
        pytest.param(
            ["green", "yellow"], (("Gräns grönt", 1.6),), "yellow", id="threshold-green-raised"
        ),
        pytest.param(
            ["yellow", "red"], (("Gräns gult", 0.5),), "yellow", id="threshold-yellow-lowered"
        ),
    ],
)
def test_rollup(
    run_cli: Run,
    book: Book,
    children: list[str],
    settings: tuple[tuple[str, object], ...],
    expected: str,
) -> None:
    measures, outcomes = [], []
    for i, child in enumerate(children):
        value, year = _CHILD[child]
        measures.append(indicator(f"M{i}", target_year=year))
        if value is not None:
            outcomes.append((f"M{i}", "2020", value))
    items = scored(run_cli, book(workbook(measures, outcomes, settings=settings)), "2020")
    assert [items[f"M{i}"]["status"] for i in range(len(children))] == children
    assert (items["1.1"]["status"], items["1"]["status"]) == (expected, expected)


def test_a_goal_rolls_up_its_subgoals_not_its_measures(run_cli: Run, book: Book) -> None:
    """Sub-goals green and red (mean 1: yellow); its measures green, red, red would be 0,67."""
    items = scored(run_cli, book(_red_red_green()), "2020")
    assert [items[i]["status"] for i in ("G1", "R1", "R2")] == ["green", "red", "red"]
    assert (items["1.2"]["status"], items["1.1"]["status"]) == ("green", "red")
    assert items["1"]["status"] == "yellow"


# --- The table above ------------------------------------------------------------------------

_REFERENCE = re.compile(r"(?:(test_\w+)::)?(test_\w+)(?:\[([^\]]*)\])?")


def _param_ids(test: Callable[..., object]) -> list[str]:
    ids: list[str] = []
    for mark in getattr(test, "pytestmark", []):
        if mark.name == "parametrize":
            ids += [v.id if hasattr(v, "id") else str(v) for v in mark.args[1]]
    return ids


def test_the_rule_table_names_real_tests() -> None:
    """Every test the docstring's table names exists, and every bracketed pattern matches at
    least one of its parameter ids, so the table cannot silently point at nothing."""
    table = (__doc__ or "").split("-" * 94)[1].split("The sample's own statuses")[0]
    # A reference's bracket may continue on the next line.
    text = re.sub(r",\n\s+(?=[\w*-]+[,\]])", ", ", table)
    references = [m for line in text.splitlines() for m in _REFERENCE.finditer(line)]
    assert len(references) >= 60
    for module_name, name, patterns in (m.groups() for m in references):
        module = importlib.import_module(module_name) if module_name else sys.modules[__name__]
        test = getattr(module, name, None)
        assert callable(test), f"{module_name or __name__}::{name} finns inte"
        ids = _param_ids(test)
        for pattern in (patterns or "").split(","):
            if pattern.strip():
                assert fnmatch.filter(ids, pattern.strip()), f"{name}[{pattern.strip()}]"
