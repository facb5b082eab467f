"""Scoring-stage comparison: what changed since the previous report.

Pure functions over two scored reports of the same plan (the report period and the previous
report period); no I/O. The previous report period is the latest earlier period in the workbook
that has outcomes (2021-T1 follows 2020; 2020 follows 2020-T2), unless the user names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ksreport.model import (
    ActivityState,
    Assessment,
    Level,
    Plan,
    ScoredGoal,
    ScoredMeasure,
    ScoredReport,
    ScoredSubGoal,
    Status,
    StatusWords,
    is_forecast,
)
from ksreport.periods import Period

_RANK = {Status.RED: 0, Status.YELLOW: 1, Status.GREEN: 2}


class ChangeDirection(Enum):
    BETTER = "better"
    WORSE = "worse"
    CHANGED = "changed"  # to or from a status that is not an assessment (later, missing…)

    @property
    def label(self) -> str:
        return {
            ChangeDirection.BETTER: "Bättre",
            ChangeDirection.WORSE: "Sämre",
            ChangeDirection.CHANGED: "Ändrad",
        }[self]


@dataclass(frozen=True)
class StatusChange:
    level: Level
    id: str
    name: str
    before: Status
    after: Status
    before_forecast: bool = False
    """The status before was a forecast for the full year (so it reads "Grönt (prognos)")."""
    after_forecast: bool = False

    @property
    def direction(self) -> ChangeDirection:
        if self.before in _RANK and self.after in _RANK:
            better = _RANK[self.after] > _RANK[self.before]
            return ChangeDirection.BETTER if better else ChangeDirection.WORSE
        return ChangeDirection.CHANGED


@dataclass(frozen=True)
class OutcomeChange:
    id: str
    name: str


Value = float | ActivityState


@dataclass(frozen=True)
class ForecastChange:
    """A measure's forecast for the full year that differs from the previous report's: changed,
    new (``before`` None) or no longer given (``after`` None)."""

    id: str
    name: str
    unit: str
    before: Value | None
    after: Value | None


@dataclass(frozen=True)
class Changes:
    previous: Period
    status_changes: tuple[StatusChange, ...]
    new_assessments: tuple[Assessment, ...]
    first_outcomes: tuple[OutcomeChange, ...]
    lost_outcomes: tuple[OutcomeChange, ...]
    forecast_changes: tuple[ForecastChange, ...] = ()
    """Only between interim periods of the same year; empty otherwise."""
    first_forecasts: int = 0
    """At an interim period compared with a full year or another year: how many measures
    have a forecast for the full year (all of them given for the first time)."""
    interim: bool = False
    """The report period is an interim one: the board's own statuses are forecasts."""
    words: StatusWords = StatusWords.COLOURS
    """The report's ``Statusord``, so the comparison prints statuses as the report does."""

    @property
    def empty(self) -> bool:
        return not (
            self.status_changes
            or self.new_assessments
            or self.first_outcomes
            or self.lost_outcomes
            or self.forecast_changes
            or self.first_forecasts
        )


def previous_period(plan: Plan, period: Period) -> Period | None:
    """The latest period before ``period`` that has any outcome or forecast; None when there is
    none."""
    earlier = [p for p in plan.reported_periods() if p < period]
    return earlier[-1] if earlier else None


def forecasts_comparable(now: Period, before: Period) -> bool:
    """Both periods are interim periods of one year, so their forecasts are of one outcome."""
    return now.is_interim and before.is_interim and now.year == before.year


def compare(now: ScoredReport, before: ScoredReport) -> Changes:
    """What changed between two scored reports of the same plan."""
    changes: list[StatusChange] = []
    prev_goals = {g.goal.id: g for g in before.goals}
    prev_subs = {s.subgoal.id: s for g in before.goals for s in g.subgoals}
    prev_measures = {m.measure.id: m for m in before.measures}
    first: list[OutcomeChange] = []
    lost: list[OutcomeChange] = []
    forecasts: list[ForecastChange] = []
    # Forecasts are compared only with an earlier report of the same year that gave some: when
    # the previous report had none, every forecast is new, and one sentence says so.
    comparable = forecasts_comparable(now.period, before.period) and any(
        m.forecast is not None for m in before.measures
    )

    def change(
        level: Level,
        id: str,
        name: str,
        was: ScoredGoal | ScoredSubGoal | ScoredMeasure,
        item: ScoredGoal | ScoredSubGoal | ScoredMeasure,
    ) -> StatusChange:
        return StatusChange(
            level,
            id,
            name,
            was.status,
            item.status,
            is_forecast(was, before.period.is_interim),
            is_forecast(item, now.period.is_interim),
        )

    for g in now.goals:
        pg = prev_goals.get(g.goal.id)
        if pg is not None and pg.status is not g.status:
            changes.append(change(Level.GOAL, g.goal.id, g.goal.name, pg, g))
        for s in g.subgoals:
            ps = prev_subs.get(s.subgoal.id)
            if ps is not None and ps.status is not s.status:
                changes.append(change(Level.SUBGOAL, s.subgoal.id, s.subgoal.name, ps, s))
            for m in s.measures:
                x = m.measure
                pm = prev_measures.get(x.id)
                if pm is None:
                    continue
                if pm.status is not m.status:
                    changes.append(change(Level.MEASURE, x.id, x.name, pm, m))
                if comparable and pm.forecast != m.forecast:
                    forecasts.append(ForecastChange(x.id, x.name, x.unit, pm.forecast, m.forecast))
                had_before = any(
                    o.period <= before.period
                    for o in x.outcomes
                    if o.value is not None or o.state is not None
                )
                if m.value is not None and not had_before:
                    first.append(OutcomeChange(x.id, x.name))
                if pm.value is not None and m.value is None and m.status is Status.MISSING:
                    lost.append(OutcomeChange(x.id, x.name))
    before_keys = {
        (a.level, a.item_id)
        for a in before.plan.assessments
        if a.period == before.period and a.status is not None
    }
    new = tuple(
        a
        for a in now.plan.assessments
        if a.period == now.period
        and a.status is not None
        and (a.level, a.item_id) not in before_keys
    )
    first_forecasts = 0
    if now.period.is_interim and not comparable:
        first_forecasts = sum(1 for m in now.measures if m.forecast is not None)
    return Changes(
        before.period,
        tuple(changes),
        new,
        tuple(first),
        tuple(lost),
        tuple(forecasts),
        first_forecasts,
        now.period.is_interim,
        now.settings.status_words,
    )
