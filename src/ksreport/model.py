"""The validated domain model and the scored tree: frozen dataclasses and enums, no logic beyond
labels. ``validate`` builds a :class:`Plan`; ``scoring`` turns it into a :class:`ScoredReport`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum

from ksreport.periods import Period


class Kind(Enum):
    INDICATOR = "indicator"
    ACTIVITY = "activity"

    @property
    def label(self) -> str:
        return {Kind.INDICATOR: "Indikator", Kind.ACTIVITY: "Aktivitet"}[self]


class Direction(Enum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return {Direction.HIGHER: "Högre är bättre", Direction.LOWER: "Lägre är bättre"}[self]


class ActivityState(IntEnum):
    """An activity's progress, ordered so that a larger value is further along."""

    NOT_STARTED = 0
    STARTED = 1
    DONE = 2

    @property
    def label(self) -> str:
        return {
            ActivityState.NOT_STARTED: "Ej påbörjad",
            ActivityState.STARTED: "Påbörjad",
            ActivityState.DONE: "Genomförd",
        }[self]


class Status(Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    LATER = "later"
    MISSING = "missing"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_assessed(self) -> bool:
        """Green, yellow and red are assessments; the others say why there is none."""
        return self in (Status.GREEN, Status.YELLOW, Status.RED)


STATUS_LABELS = {
    Status.GREEN: "Grönt",
    Status.YELLOW: "Gult",
    Status.RED: "Rött",
    Status.LATER: "Följs upp senare",
    Status.MISSING: "Utfall saknas",
    Status.NOT_ASSESSED: "Ej bedömd",
}


class StatusWords(Enum):
    """``Statusord``: the words printed for green, yellow and red. Only the words change, never
    the codes, the rules or the symbols."""

    COLOURS = "colours"  # Färger: Grönt, Gult, Rött
    ATTAINMENT = "attainment"  # Måluppfyllelse: Uppnått, Delvis uppnått, Inte uppnått

    @property
    def label(self) -> str:
        return {StatusWords.COLOURS: "Färger", StatusWords.ATTAINMENT: "Måluppfyllelse"}[self]


ATTAINMENT_LABELS = {
    Status.GREEN: "Uppnått",
    Status.YELLOW: "Delvis uppnått",
    Status.RED: "Inte uppnått",
}
ATTAINMENT_FORECAST_LABELS = {
    Status.GREEN: "Bedöms uppnås",
    Status.YELLOW: "Bedöms delvis uppnås",
    Status.RED: "Bedöms inte uppnås",
}


def status_word(status: Status, words: StatusWords, forecast: bool = False) -> str:
    """The word for a status under ``Statusord``; a forecast under Måluppfyllelse reads
    "Bedöms uppnås". Statuses that are not assessments keep their one word."""
    if words is StatusWords.ATTAINMENT and status.is_assessed:
        return (ATTAINMENT_FORECAST_LABELS if forecast else ATTAINMENT_LABELS)[status]
    return status.label


class Basis(Enum):
    """What a measure's computed status rests on."""

    OUTCOME = "outcome"
    FORECAST = "forecast"
    NONE = "none"


class Trend(Enum):
    BETTER = "better"
    WORSE = "worse"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return {Trend.BETTER: "Bättre", Trend.WORSE: "Sämre", Trend.UNCHANGED: "Oförändrat"}[self]


class Level(Enum):
    GOAL = "goal"
    SUBGOAL = "subgoal"
    MEASURE = "measure"

    @property
    def label(self) -> str:
        return {Level.GOAL: "Mål", Level.SUBGOAL: "Delmål", Level.MEASURE: "Mätvärde"}[self]


class RollupMethod(Enum):
    MEAN = "mean"
    WORST = "worst"

    @property
    def label(self) -> str:
        return {RollupMethod.MEAN: "Medel", RollupMethod.WORST: "Sämsta"}[self]


@dataclass(frozen=True)
class Settings:
    """Document and scoring settings from ``Inställningar``, with the defaults in one place."""

    organisation: str = ""
    board: str = "Kommunstyrelsen"
    administration: str = ""
    diary_number: str = ""
    municipality_code: str = ""  # Kommunkod: four digits, "0000" = the whole country
    comparison_group: str = ""  # Jämförelsegrupp: a Kolada municipality group id, e.g. "G37411"
    mandate_start: int | None = None
    mandate_end: int | None = None
    report_period: Period | None = None
    case_officer: str = ""
    responsible_officer: str = ""
    decision_proposal: str = ""
    send_decision_to: tuple[str, ...] = ()
    council_goals: tuple[str, ...] = ()  # Fullmäktigemål: the council's goals, as written
    tolerance_pct: float = 5.0
    rollup: RollupMethod = RollupMethod.MEAN
    green_threshold: float = 1.5
    yellow_threshold: float = 0.75
    status_words: StatusWords = StatusWords.COLOURS

    @property
    def mandate_period(self) -> str:
        if self.mandate_start is None or self.mandate_end is None:
            return ""
        return f"{self.mandate_start}–{self.mandate_end}"


@dataclass(frozen=True)
class Outcome:
    """One recorded outcome: a number for an indicator, a state for an activity."""

    measure_id: str
    period: Period
    value: float | None = None
    state: ActivityState | None = None
    comment: str = ""
    place: str = ""  # the cell it came from, e.g. "Utfall!C7"
    gender: str = "T"  # Kön: "T" (total, the only one scored), "K" (women) or "M" (men)
    forecast: float | None = None
    """``Prognos`` of an indicator: the expected full-year outcome (interim periods only)."""
    forecast_state: ActivityState | None = None
    """``Prognos`` of an activity: its expected state at year end (interim periods only)."""

    @property
    def has_value(self) -> bool:
        return self.value is not None or self.state is not None

    @property
    def has_forecast(self) -> bool:
        return self.forecast is not None or self.forecast_state is not None


@dataclass(frozen=True)
class Comparison:
    """A row of ``Jämförelser``: the national value and the comparison group's for one year."""

    measure_id: str
    year: int
    national: float | None = None
    group: float | None = None
    source: str = ""
    place: str = ""


@dataclass(frozen=True)
class Measure:
    id: str
    subgoal_id: str
    name: str
    kind: Kind
    target_year: int
    unit: str = ""
    direction: Direction | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    source: str = ""
    responsible: str = ""
    outcomes: tuple[Outcome, ...] = ()
    """The totals (Kön T or empty): the only outcomes that are scored."""
    gender_outcomes: tuple[Outcome, ...] = ()
    """Outcomes for women (K) and men (M), shown beside the total; never scored."""
    comparisons: tuple[Comparison, ...] = ()


@dataclass(frozen=True)
class SubGoal:
    id: str
    goal_id: str
    name: str
    description: str = ""
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    description: str = ""
    council_goal: str = ""
    agenda2030: tuple[int, ...] = ()
    subgoals: tuple[SubGoal, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """A row of ``Bedömningar``: the board's own status (optional), justification and analysis."""

    level: Level
    item_id: str
    period: Period
    status: Status | None = None
    justification: str = ""
    analysis: str = ""
    decision: str = ""


@dataclass(frozen=True)
class CaseText:
    """A paragraph of ``Ärendetext`` for one section of the tjänsteskrivelse."""

    heading: str  # one of contract.CASE_HEADINGS, as written there
    text: str


@dataclass(frozen=True)
class Plan:
    """The whole validated workbook."""

    settings: Settings
    goals: tuple[Goal, ...]
    assessments: tuple[Assessment, ...] = ()
    case_texts: tuple[CaseText, ...] = ()

    def periods(self) -> list[Period]:
        """Every period that has at least one outcome, in order (a row whose comment only says
        why there is no value does not count)."""
        found = {
            o.period
            for g in self.goals
            for s in g.subgoals
            for m in s.measures
            for o in m.outcomes
            if o.has_value
        }
        return sorted(found)

    def reported_periods(self) -> list[Period]:
        """Every period with at least one outcome or forecast (``Värde`` or ``Prognos``) of a
        total, in order: the periods a report can be built for."""
        found = {
            o.period
            for g in self.goals
            for s in g.subgoals
            for m in s.measures
            for o in m.outcomes
            if o.has_value or o.has_forecast
        }
        return sorted(found)


class _Assessable:
    """A scored item that the board may have assessed itself."""

    assessment: Assessment | None

    @property
    def overridden(self) -> bool:
        """True when the board gave its own status for this item and period."""
        return self.assessment is not None and self.assessment.status is not None


@dataclass(frozen=True)
class ScoredMeasure(_Assessable):
    measure: Measure
    value: float | ActivityState | None
    previous_value: float | ActivityState | None
    trend: Trend | None
    computed_status: Status
    status: Status
    assessment: Assessment | None = None
    comment: str = ""
    forecast: float | ActivityState | None = None
    """The ``Prognos`` for the full year, written on the row of this (interim) period."""
    basis: Basis = Basis.OUTCOME
    """What the computed status rests on: the forecast, the outcome, or nothing (not counted)."""
    latest_value: float | ActivityState | None = None
    """The most recent recorded outcome at or before the period, and its period."""
    latest_period: Period | None = None

    @property
    def counted(self) -> bool:
        """The final status is green, yellow or red, so it counts in the roll-up."""
        return self.status.is_assessed

    @property
    def rests_on_forecast(self) -> bool:
        return self.counted and self.basis is Basis.FORECAST


@dataclass(frozen=True)
class Grounds:
    """What a sub-goal's or goal's status rests on: ``counted`` of ``total`` measures have a
    green, yellow or red status, ``forecasts`` of those on a forecast."""

    counted: int = 0
    total: int = 0
    forecasts: int = 0


@dataclass(frozen=True)
class ScoredSubGoal(_Assessable):
    subgoal: SubGoal
    measures: tuple[ScoredMeasure, ...]
    computed_status: Status
    status: Status
    assessment: Assessment | None = None

    @property
    def grounds(self) -> Grounds:
        return grounds_of(self.measures)


@dataclass(frozen=True)
class ScoredGoal(_Assessable):
    goal: Goal
    subgoals: tuple[ScoredSubGoal, ...]
    computed_status: Status
    status: Status
    assessment: Assessment | None = None

    @property
    def grounds(self) -> Grounds:
        return grounds_of(self.measures)

    @property
    def measures(self) -> tuple[ScoredMeasure, ...]:
        return tuple(m for s in self.subgoals for m in s.measures)


def is_forecast(item: ScoredMeasure | ScoredSubGoal | ScoredGoal, interim: bool) -> bool:
    """The item's final status is a forecast for the full year, as every output marks it: at an
    interim period, a green, yellow or red status that is the board's own assessment or rests
    on forecasts (a measure's own, or at least one counted measure's under a goal)."""
    if not interim or not item.status.is_assessed:
        return False
    if item.overridden:
        return True
    if isinstance(item, ScoredMeasure):
        return item.basis is Basis.FORECAST
    return item.grounds.forecasts > 0


def grounds_of(measures: tuple[ScoredMeasure, ...]) -> Grounds:
    counted = [m for m in measures if m.counted]
    return Grounds(len(counted), len(measures), sum(1 for m in counted if m.rests_on_forecast))


@dataclass(frozen=True)
class ScoredReport:
    """The scored tree for one report period: what every renderer is built from."""

    settings: Settings
    period: Period
    goals: tuple[ScoredGoal, ...]
    plan: Plan
    summary: dict[Status, int] = field(default_factory=dict)

    @property
    def measures(self) -> tuple[ScoredMeasure, ...]:
        return tuple(m for g in self.goals for m in g.measures)
