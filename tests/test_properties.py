"""Property-based tests (hypothesis) of the scoring rules and Swedish number parsing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ksreport.formatting import format_number
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
)
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import POINTS, rollup, score, score_measure
from ksreport.validate import parse_number_text

RANK = {Status.RED: 0, Status.YELLOW: 1, Status.LATER: 1, Status.GREEN: 2}
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
periods = st.builds(Period, st.integers(2018, 2024), st.sampled_from(list(PeriodKind)))
directions = st.sampled_from(list(Direction))
assessed = st.sampled_from([Status.GREEN, Status.YELLOW, Status.RED])
settings_st = st.builds(
    Settings,
    tolerance_pct=st.floats(0, 50),
    rollup=st.sampled_from(list(RollupMethod)),
)


def indicator(
    direction: Direction,
    target: float,
    baseline: float | None,
    target_year: int,
    period: Period,
    value: float,
) -> Measure:
    return Measure(
        "M",
        "S",
        "m",
        Kind.INDICATOR,
        target_year,
        "",
        direction,
        baseline,
        2019,
        target,
        outcomes=(Outcome("M", period, value),),
    )


@given(
    directions,
    numbers,
    st.none() | numbers,
    st.integers(2018, 2024),
    periods,
    numbers,
    numbers,
    settings_st,
)
def test_a_better_outcome_never_gives_a_worse_status(
    direction: Direction,
    target: float,
    baseline: float | None,
    target_year: int,
    period: Period,
    a: float,
    b: float,
    s: Settings,
) -> None:
    worse, better = (
        (min(a, b), max(a, b)) if direction is Direction.HIGHER else (max(a, b), min(a, b))
    )
    st_worse = score_measure(
        indicator(direction, target, baseline, target_year, period, worse), period, s
    ).computed_status
    st_better = score_measure(
        indicator(direction, target, baseline, target_year, period, better), period, s
    ).computed_status
    assert RANK[st_better] >= RANK[st_worse]


@given(
    st.lists(st.sampled_from(list(ActivityState)), min_size=2, max_size=2),
    periods,
    st.integers(2018, 2024),
)
def test_activity_further_along_is_never_worse(
    states: list[ActivityState], period: Period, target_year: int
) -> None:
    lo, hi = sorted(states)
    status = {}
    for state in (lo, hi):
        m = Measure(
            "A", "S", "a", Kind.ACTIVITY, target_year, outcomes=(Outcome("A", period, None, state),)
        )
        status[state] = score_measure(m, period, Settings()).computed_status
    assert RANK[status[hi]] >= RANK[status[lo]]


@given(st.lists(assessed, min_size=1, max_size=6), assessed, st.sampled_from(list(Level)), periods)
def test_an_override_always_wins(
    children: list[Status], board: Status, level: Level, period: Period
) -> None:
    measures = tuple(
        Measure(
            f"M{i}",
            "1.1",
            "m",
            Kind.INDICATOR,
            2018,
            "",
            Direction.HIGHER,
            None,
            None,
            50.0,
            outcomes=(
                Outcome(
                    f"M{i}", period, {Status.GREEN: 60.0, Status.YELLOW: 49.0, Status.RED: 10.0}[c]
                ),
            ),
        )
        for i, c in enumerate(children)
    )
    item = {Level.GOAL: "1", Level.SUBGOAL: "1.1", Level.MEASURE: "M0"}[level]
    plan = Plan(
        Settings(),
        (Goal("1", "g", subgoals=(SubGoal("1.1", "1", "s", measures=measures),)),),
        (Assessment(level, item, period, board, "Motivering"),),
    )
    g = score(plan, period).goals[0]
    node = {Level.GOAL: g, Level.SUBGOAL: g.subgoals[0], Level.MEASURE: g.subgoals[0].measures[0]}[
        level
    ]
    assert node.status is board and node.overridden


@given(st.integers(1, 20), settings_st)
def test_rollup_of_all_green_is_green(n: int, s: Settings) -> None:
    assert rollup([Status.GREEN] * n, s) is Status.GREEN


@given(st.lists(st.sampled_from(list(Status)), max_size=8), settings_st)
def test_rollup_lies_between_worst_and_best_child(children: list[Status], s: Settings) -> None:
    result = rollup(children, s)
    counted = [c for c in children if c.is_assessed]
    if not counted:
        assert result is Status.NOT_ASSESSED
    else:
        assert min(POINTS[c] for c in counted) <= POINTS[result] <= max(POINTS[c] for c in counted)


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    ),
    st.sampled_from(["", " %", "\u00a0%"]),
)
def test_swedish_number_text_round_trips(value: object, suffix: str) -> None:
    number = float(value)  # type: ignore[arg-type]
    text = format_number(number, max_decimals=2) + suffix
    for variant in (text, text.replace("\u00a0", " "), text.replace("\u00a0", "")):
        parsed = parse_number_text(variant.replace("-", "−") if number < 0 else variant)
        assert parsed is not None and abs(parsed - round(number, 2)) < 1e-6, variant


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_number_parsing_never_raises(text: str) -> None:
    result = parse_number_text(text)
    assert result is None or isinstance(result, float)


@given(st.floats(0, 1, allow_nan=False), periods)
def test_percent_fraction_equal_to_target_is_green(fraction: float, period: Period) -> None:
    value = round(fraction * 100, 9)
    m = indicator(Direction.HIGHER, value, None, period.year, period, value)
    assert score_measure(replace(m), period, Settings()).computed_status is Status.GREEN
