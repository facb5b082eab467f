"""Every scoring rule and boundary, on model objects (scoring is pure: no workbook needed)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ksreport.model import (
    ActivityState,
    Assessment,
    Direction,
    Goal,
    Kind,
    Level,
    Measure,
    Outcome,
    Plan,
    RollupMethod,
    Settings,
    Status,
    SubGoal,
    Trend,
)
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import default_period, rollup, score, score_measure

Y2020 = Period(2020)
T1_2021 = Period(2021, PeriodKind.T1)
S = Settings()


def indicator(
    target: float = 70,
    direction: Direction = Direction.HIGHER,
    baseline: float | None = 60,
    target_year: int = 2020,
    values: dict[Period, float] | None = None,
) -> Measure:
    outcomes = tuple(Outcome("M", p, v) for p, v in (values or {}).items())
    return Measure(
        "M",
        "S",
        "Mätvärde",
        Kind.INDICATOR,
        target_year,
        "%",
        direction,
        baseline,
        2019,
        target,
        outcomes=outcomes,
    )


def activity(target_year: int = 2020, states: dict[Period, ActivityState] | None = None) -> Measure:
    outcomes = tuple(Outcome("A", p, None, s) for p, s in (states or {}).items())
    return Measure("A", "S", "Aktivitet", Kind.ACTIVITY, target_year, outcomes=outcomes)


def status(measure: Measure, period: Period = Y2020, settings: Settings = S) -> Status:
    return score_measure(measure, period, settings).computed_status


# --- indicators, higher is better -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (70, Status.GREEN),  # equal to target meets it
        (75, Status.GREEN),
        (69.9, Status.YELLOW),  # below target but better than baseline
        (66.5, Status.YELLOW),  # exactly 5 % below target, and improved
        (60, Status.RED),  # equal to baseline is not improved; 14 % from target
        (55, Status.RED),
    ],
)
def test_higher_is_better(value: float, expected: Status) -> None:
    assert status(indicator(values={Y2020: value})) is expected


def test_near_target_without_improvement_is_yellow_and_boundary_is_inclusive() -> None:
    m = indicator(target=100, baseline=99, values={Y2020: 95})  # worse than baseline
    assert status(m) is Status.YELLOW  # |95 − 100| = 5 = 5 % of 100
    m = indicator(target=100, baseline=99, values={Y2020: 94.99})
    assert status(m) is Status.RED


@pytest.mark.parametrize(
    ("direction", "baseline", "tolerance", "edge", "outside"),
    [
        (Direction.HIGHER, 101, 5, 95, 94.99),  # worse than the baseline: only near can help
        (Direction.LOWER, 99, 5, 105, 105.01),
        (Direction.HIGHER, None, 10, 90, 89.99),
        (Direction.LOWER, None, 10, 110, 110.01),
    ],
)
def test_tolerance_boundary_is_inclusive_in_both_directions(
    direction: Direction, baseline: float | None, tolerance: float, edge: float, outside: float
) -> None:
    settings = replace(S, tolerance_pct=tolerance)
    m = indicator(target=100, direction=direction, baseline=baseline, values={Y2020: edge})
    assert status(m, settings=settings) is Status.YELLOW  # |v − 100| = tolerance % of 100
    m = indicator(target=100, direction=direction, baseline=baseline, values={Y2020: outside})
    assert status(m, settings=settings) is Status.RED


def test_no_baseline_means_not_improved() -> None:
    m = indicator(target=100, baseline=None, values={Y2020: 90})
    assert status(m) is Status.RED


# --- indicators, lower is better --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20, Status.GREEN),  # equal to target
        (15, Status.GREEN),
        (21, Status.YELLOW),  # within 5 % of 20
        (25, Status.YELLOW),  # above target, better than baseline 30
        (30, Status.RED),  # equal to baseline
        (35, Status.RED),
    ],
)
def test_lower_is_better(value: float, expected: Status) -> None:
    m = indicator(target=20, direction=Direction.LOWER, baseline=30, values={Y2020: value})
    assert status(m) is expected


def test_tolerance_setting_changes_near() -> None:
    m = indicator(target=100, baseline=None, values={Y2020: 91})
    assert status(m) is Status.RED
    assert status(m, settings=replace(S, tolerance_pct=10)) is Status.YELLOW
    assert status(m, settings=replace(S, tolerance_pct=0)) is Status.RED


def test_target_zero_tolerance_is_exact() -> None:
    m = indicator(target=0, direction=Direction.LOWER, baseline=None, values={Y2020: 0.001})
    assert status(m) is Status.RED
    m = indicator(target=0, direction=Direction.LOWER, baseline=None, values={Y2020: 0})
    assert status(m) is Status.GREEN


def test_percent_fraction_rounding_does_not_miss_equal_target() -> None:
    # 0.575 × 100 in floating point is 57.49999999999999; the reader rounds, scoring tolerates.
    assert 0.575 * 100 != 57.5
    m = indicator(target=57.5, values={Y2020: 0.575 * 100})
    assert status(m) is Status.GREEN
    assert 0.07 * 100 != 7  # 7.000000000000001: just above a lower-is-better target
    m = indicator(target=7, direction=Direction.LOWER, values={Y2020: 0.07 * 100})
    assert status(m) is Status.GREEN


# --- before the target year, interim periods, missing ------------------------------------------


def test_before_target_year_not_met_is_later_but_met_is_green() -> None:
    assert status(indicator(target_year=2022, values={Y2020: 65})) is Status.LATER
    assert status(indicator(target_year=2022, values={Y2020: 71})) is Status.GREEN


def test_no_outcome() -> None:
    assert status(indicator(target_year=2020)) is Status.MISSING
    assert status(indicator(target_year=2021)) is Status.LATER
    t2 = Period(2020, PeriodKind.T2)
    assert status(indicator(target_year=2020), t2) is Status.LATER  # interim: measured yearly
    assert status(indicator(target_year=2019), Period(2020, PeriodKind.H1)) is Status.LATER


def test_indicator_uses_exactly_the_period() -> None:
    m = indicator(values={Period(2020, PeriodKind.T2): 75})
    assert status(m, Y2020) is Status.MISSING  # T2 value does not count for the full year
    assert status(m, Period(2020, PeriodKind.T2)) is Status.GREEN


def test_interim_value_scored_when_target_year_reached() -> None:
    m = indicator(target_year=2021, values={T1_2021: 55})
    assert status(m, T1_2021) is Status.RED


# --- activities ---------------------------------------------------------------------------------


def test_activity_states() -> None:
    assert status(activity(states={Y2020: ActivityState.DONE})) is Status.GREEN
    assert status(activity(states={Y2020: ActivityState.STARTED})) is Status.YELLOW
    assert status(activity(states={Y2020: ActivityState.NOT_STARTED})) is Status.RED
    assert status(activity()) is Status.MISSING


def test_activity_before_target_year() -> None:
    assert status(activity(2021, {Y2020: ActivityState.STARTED})) is Status.LATER
    assert status(activity(2021, {Y2020: ActivityState.NOT_STARTED})) is Status.LATER
    assert status(activity(2021, {Y2020: ActivityState.DONE})) is Status.GREEN


def test_activity_latest_state_at_or_before_period_and_done_stays_done() -> None:
    t1 = Period(2020, PeriodKind.T1)
    m = activity(states={t1: ActivityState.STARTED})
    scored = score_measure(m, Y2020, S)
    assert scored.value is ActivityState.STARTED
    assert scored.computed_status is Status.YELLOW
    m = activity(states={t1: ActivityState.DONE, Y2020: ActivityState.STARTED})
    assert score_measure(m, Y2020, S).value is ActivityState.DONE
    m = activity(states={Period(2021): ActivityState.DONE})
    assert score_measure(m, Y2020, S).value is None  # a later outcome does not count


# --- trend ---------------------------------------------------------------------------------------


def test_trend_against_same_period_a_year_earlier() -> None:
    m = indicator(values={Period(2019): 60, Y2020: 65})
    s = score_measure(m, Y2020, S)
    assert (s.previous_value, s.trend) == (60, Trend.BETTER)
    m = indicator(direction=Direction.LOWER, values={Period(2019): 60, Y2020: 65})
    assert score_measure(m, Y2020, S).trend is Trend.WORSE
    m = indicator(values={Period(2019): 65, Y2020: 65})
    assert score_measure(m, Y2020, S).trend is Trend.UNCHANGED
    t2 = Period(2020, PeriodKind.T2)
    m = indicator(values={Period(2019): 50, Period(2019, PeriodKind.T2): 70, t2: 60})
    s = score_measure(m, t2, S)
    assert (s.previous_value, s.trend) == (70, Trend.WORSE)
    m = indicator(values={Y2020: 65})
    assert score_measure(m, Y2020, S).trend is None


@pytest.mark.parametrize(
    ("direction", "previous", "value", "expected"),
    [
        (Direction.LOWER, 30, 25, Trend.BETTER),  # lower is better: a fall is an improvement
        (Direction.LOWER, 25, 30, Trend.WORSE),
        (Direction.LOWER, 25, 25, Trend.UNCHANGED),
        (Direction.HIGHER, 25, 30, Trend.BETTER),
        (Direction.HIGHER, 30, 25, Trend.WORSE),
    ],
)
def test_trend_follows_the_direction(
    direction: Direction, previous: float, value: float, expected: Trend
) -> None:
    m = indicator(direction=direction, values={Period(2019): previous, Y2020: value})
    assert score_measure(m, Y2020, S).trend is expected


def test_activity_trend() -> None:
    m = activity(states={Period(2019): ActivityState.NOT_STARTED, Y2020: ActivityState.STARTED})
    s = score_measure(m, Y2020, S)
    assert (s.previous_value, s.trend) == (ActivityState.NOT_STARTED, Trend.BETTER)


# --- roll-up -------------------------------------------------------------------------------------

G, Yw, R = Status.GREEN, Status.YELLOW, Status.RED


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([G, Yw], G),  # mean 1.5 is green (inclusive)
        ([G, Yw, Yw], Yw),  # 1.33
        ([Yw, R, R, G], Yw),  # 0.75 is yellow (inclusive)
        ([Yw, R, R, R], R),  # 0.25
        ([G, Status.LATER, Status.MISSING], G),  # only green/yellow/red count
        ([Status.LATER, Status.MISSING], Status.NOT_ASSESSED),
        ([], Status.NOT_ASSESSED),
    ],
)
def test_rollup_mean(children: list[Status], expected: Status) -> None:
    assert rollup(children, S) is expected


def test_rollup_worst_and_custom_thresholds() -> None:
    assert rollup([G, G, Yw], replace(S, rollup=RollupMethod.WORST)) is Yw
    assert rollup([G, R], replace(S, rollup=RollupMethod.WORST)) is R
    assert rollup([G, Yw], replace(S, green_threshold=1.6)) is Yw
    assert rollup([Yw, R], replace(S, yellow_threshold=0.5)) is Yw


# --- overrides and their propagation ----------------------------------------------------------


def _plan(assessments: tuple[Assessment, ...] = ()) -> Plan:
    red = indicator(values={Y2020: 50})  # red
    red2 = replace(red, id="M2")
    green = replace(indicator(values={Y2020: 80}), id="M3")
    s1 = SubGoal("1.1", "1", "A", measures=(red, red2))
    s2 = SubGoal("1.2", "1", "B", measures=(green,))
    return Plan(Settings(), (Goal("1", "Mål", subgoals=(s1, s2)),), assessments)


def test_override_replaces_status_keeps_computed_and_propagates() -> None:
    base = score(_plan(), Y2020)
    assert base.goals[0].subgoals[0].status is Status.RED
    assert base.goals[0].status is Status.YELLOW  # (0 + 2) / 2 = 1.0
    a = Assessment(Level.MEASURE, "M", Y2020, Status.GREEN, "Nytt underlag visar bättre läge")
    r = score(_plan((a,)), Y2020)
    m = r.goals[0].subgoals[0].measures[0]
    assert (m.status, m.computed_status, m.overridden) == (Status.GREEN, Status.RED, True)
    assert m.assessment is a
    assert r.goals[0].subgoals[0].computed_status is Status.YELLOW  # (2 + 0) / 2
    assert r.goals[0].computed_status is Status.GREEN  # (1 + 2) / 2 = 1.5
    assert r.summary[Status.GREEN] == 2 and r.summary[Status.RED] == 1


def test_goal_override_and_other_period_ignored() -> None:
    a = Assessment(Level.GOAL, "1", Y2020, Status.GREEN, "Styrelsen väger in helheten")
    other = Assessment(Level.SUBGOAL, "1.1", Period(2021), Status.GREEN, "Annat år")
    r = score(_plan((a, other)), Y2020)
    g = r.goals[0]
    assert (g.status, g.computed_status, g.overridden) == (Status.GREEN, Status.YELLOW, True)
    assert g.subgoals[0].status is Status.RED


def test_analysis_without_status_is_not_an_override() -> None:
    a = Assessment(Level.GOAL, "1", Y2020, None, "", "Analystext")
    g = score(_plan((a,)), Y2020).goals[0]
    assert g.status is g.computed_status and not g.overridden
    assert g.assessment is not None and g.assessment.analysis == "Analystext"


def test_summary_counts_every_status() -> None:
    r = score(_plan(), Y2020)
    assert list(r.summary) == list(Status)
    assert sum(r.summary.values()) == 3


def test_default_period() -> None:
    plan = _plan()
    assert default_period(plan) == Y2020
    s = replace(plan.settings, report_period=T1_2021)
    assert default_period(replace(plan, settings=s)) == T1_2021
