"""Scoring stage: pure functions from a validated :class:`Plan` and a period to a
:class:`ScoredReport`. No I/O. The rules are documented in ``docs/scoring.md``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ksreport.model import (
    ActivityState,
    Assessment,
    Basis,
    Direction,
    Kind,
    Level,
    Measure,
    Plan,
    RollupMethod,
    ScoredGoal,
    ScoredMeasure,
    ScoredReport,
    ScoredSubGoal,
    Settings,
    Status,
    Trend,
)
from ksreport.periods import Period

POINTS = {Status.GREEN: 2, Status.YELLOW: 1, Status.RED: 0}
_EPS = 1e-9

Value = float | ActivityState


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS * max(1.0, abs(a), abs(b))


def is_better(direction: Direction, value: float, reference: float) -> bool:
    """True when ``value`` is strictly better than ``reference`` in the given direction."""
    if _close(value, reference):
        return False
    return value > reference if direction is Direction.HIGHER else value < reference


def meets_target(direction: Direction, value: float, target: float) -> bool:
    """The target is met: at or above it (higher is better) or at or below it (lower is better)."""
    return _close(value, target) or is_better(direction, value, target)


def is_near(value: float, target: float, tolerance_pct: float) -> bool:
    """Within ``tolerance_pct`` percent of the target: |v − target| <= tolerance × |target|."""
    limit = tolerance_pct / 100.0 * abs(target)
    return abs(value - target) <= limit + _EPS * max(1.0, abs(limit))


def outcome_value(measure: Measure, period: Period) -> Value | None:
    """The measure's outcome for the period.

    An indicator's is the value recorded for exactly that period. An activity's is its latest state
    recorded at or before the period, and once completed it stays completed.
    """
    if measure.kind is Kind.INDICATOR:
        for o in measure.outcomes:
            if o.period == period and o.value is not None:
                return o.value
        return None
    recorded = sorted(
        (o for o in measure.outcomes if o.period <= period and o.state is not None),
        key=lambda o: o.period,
    )
    if not recorded:
        return None
    if any(o.state is ActivityState.DONE for o in recorded):
        return ActivityState.DONE
    return recorded[-1].state


def forecast_value(measure: Measure, period: Period) -> Value | None:
    """The ``Prognos`` on the measure's row for exactly ``period`` (interim periods only)."""
    if not period.is_interim:
        return None
    for o in measure.outcomes:
        if o.period == period:
            if measure.kind is Kind.INDICATOR and o.forecast is not None:
                return o.forecast
            if measure.kind is Kind.ACTIVITY and o.forecast_state is not None:
                return o.forecast_state
    return None


def latest_outcome(measure: Measure, period: Period) -> tuple[Value | None, Period | None]:
    """The value of the most recent outcome row (total) at or before ``period``, and its period."""
    for o in sorted(measure.outcomes, key=lambda o: o.period, reverse=True):
        if o.period > period:
            continue
        if measure.kind is Kind.INDICATOR and o.value is not None:
            return o.value, o.period
        if measure.kind is Kind.ACTIVITY and o.state is not None:
            return o.state, o.period
    return None, None


def outcome_comment(measure: Measure, period: Period) -> str:
    for o in measure.outcomes:
        if o.period == period:
            return o.comment
    return ""


def measure_status(
    measure: Measure, value: Value | None, period: Period, settings: Settings
) -> Status:
    """The computed status of one measure for the period, by the default rules."""
    before_target_year = period.year < measure.target_year
    if value is None:
        return Status.LATER if period.is_interim or before_target_year else Status.MISSING
    if measure.kind is Kind.ACTIVITY:
        assert isinstance(value, ActivityState)
        if value is ActivityState.DONE:
            return Status.GREEN
        if before_target_year:
            return Status.LATER
        return Status.YELLOW if value is ActivityState.STARTED else Status.RED
    assert measure.direction is not None and measure.target is not None
    v = float(value)
    if meets_target(measure.direction, v, measure.target):
        return Status.GREEN
    if before_target_year:
        return Status.LATER
    improved = measure.baseline is not None and is_better(measure.direction, v, measure.baseline)
    if improved or is_near(v, measure.target, settings.tolerance_pct):
        return Status.YELLOW
    return Status.RED


def trend(measure: Measure, value: Value | None, previous: Value | None) -> Trend | None:
    """Compare the outcome with the same period one year earlier; None where either is missing."""
    if value is None or previous is None:
        return None
    if measure.kind is Kind.ACTIVITY:
        if value == previous:
            return Trend.UNCHANGED
        return Trend.BETTER if value > previous else Trend.WORSE
    assert measure.direction is not None
    v, p = float(value), float(previous)
    if _close(v, p):
        return Trend.UNCHANGED
    return Trend.BETTER if is_better(measure.direction, v, p) else Trend.WORSE


def rollup(statuses: Iterable[Status], settings: Settings) -> Status:
    """Combine children's final statuses; only green, yellow and red count."""
    assessed = [s for s in statuses if s.is_assessed]
    if not assessed:
        return Status.NOT_ASSESSED
    if settings.rollup is RollupMethod.WORST:
        return min(assessed, key=lambda s: POINTS[s])
    mean = sum(POINTS[s] for s in assessed) / len(assessed)
    if mean >= settings.green_threshold - _EPS:
        return Status.GREEN
    if mean >= settings.yellow_threshold - _EPS:
        return Status.YELLOW
    return Status.RED


def count_statuses(statuses: Iterable[Status]) -> dict[Status, int]:
    """A count per status, every status present (zero where none), in the enum's order."""
    counts = dict.fromkeys(Status, 0)
    for s in statuses:
        counts[s] += 1
    return counts


AssessmentIndex = dict[tuple[Level, str, Period], Assessment]


def index_assessments(assessments: Sequence[Assessment]) -> AssessmentIndex:
    return {(a.level, a.item_id, a.period): a for a in assessments}


def _final(computed: Status, assessment: Assessment | None) -> Status:
    if assessment is not None and assessment.status is not None:
        return assessment.status
    return computed


def score_measure(
    measure: Measure, period: Period, settings: Settings, assessment: Assessment | None = None
) -> ScoredMeasure:
    """One measure's status for the period. At an interim period with a ``Prognos``, the forecast
    is scored by the full-year rules for the period's year, as if it were the year's outcome."""
    value = outcome_value(measure, period)
    previous = outcome_value(measure, period.year_earlier())
    forecast = forecast_value(measure, period)
    latest, latest_period = latest_outcome(measure, period)
    if forecast is not None:
        computed = measure_status(measure, forecast, Period(period.year), settings)
        basis = Basis.FORECAST
    else:
        computed = measure_status(measure, value, period, settings)
        basis = Basis.OUTCOME if value is not None else Basis.NONE
    return ScoredMeasure(
        forecast=forecast,
        basis=basis,
        latest_value=latest,
        latest_period=latest_period,
        measure=measure,
        value=value,
        previous_value=previous,
        trend=trend(measure, value, previous),
        computed_status=computed,
        status=_final(computed, assessment),
        assessment=assessment,
        comment=outcome_comment(measure, period),
    )


def score(plan: Plan, period: Period) -> ScoredReport:
    """Score every measure for the period, apply the board's assessments and roll up."""
    settings = plan.settings
    index = index_assessments(plan.assessments)
    goals = []
    for goal in plan.goals:
        subgoals = []
        for sub in goal.subgoals:
            measures = tuple(
                score_measure(m, period, settings, index.get((Level.MEASURE, m.id, period)))
                for m in sub.measures
            )
            computed = rollup((m.status for m in measures), settings)
            a = index.get((Level.SUBGOAL, sub.id, period))
            subgoals.append(ScoredSubGoal(sub, measures, computed, _final(computed, a), a))
        computed = rollup((s.status for s in subgoals), settings)
        a = index.get((Level.GOAL, goal.id, period))
        goals.append(ScoredGoal(goal, tuple(subgoals), computed, _final(computed, a), a))
    all_measures = [m for g in goals for s in g.subgoals for m in s.measures]
    return ScoredReport(
        settings=settings,
        period=period,
        goals=tuple(goals),
        plan=plan,
        summary=count_statuses(m.status for m in all_measures),
    )


def default_period(plan: Plan) -> Period | None:
    """``Rapportperiod`` from the workbook, else the latest period that has any outcome or
    forecast."""
    if plan.settings.report_period is not None:
        return plan.settings.report_period
    periods = plan.reported_periods()
    return periods[-1] if periods else None
