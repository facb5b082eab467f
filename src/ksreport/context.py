"""Context stage: the scored tree → everything the renderers print, as Swedish text.

``build_context`` runs once per build; every renderer (HTML, PDF, DOCX) takes the same
:class:`ReportContext` and only lays it out, so a reader finds the same words and numbers in each
format. Nothing here re-scores: statuses come from the :class:`~ksreport.model.ScoredReport`;
the plan is read only for each measure's recorded history (appendix and charts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ksreport import context_kolada
from ksreport.changes import ChangeDirection, Changes
from ksreport.charts import BarRow, LegendItem, LineChart, LinePoint, Segment, StackedBarChart
from ksreport.formatting import (
    EMPTY,
    format_count,
    format_date_iso,
    format_date_long,
    format_number,
    format_percent,
    format_quantity,
    format_year,
    join_words,
)
from ksreport.model import (
    ActivityState,
    Assessment,
    Basis,
    Grounds,
    Kind,
    Level,
    Measure,
    RollupMethod,
    ScoredGoal,
    ScoredMeasure,
    ScoredReport,
    ScoredSubGoal,
    Settings,
    Status,
    StatusWords,
    Trend,
    is_forecast,
    status_word,
)
from ksreport.periods import Period, PeriodKind
from ksreport.status_style import STATUS_STYLE

LANG = "sv-SE"
REPORT_TITLE = "Måluppfyllelse"

MEASURE_STATUSES = (Status.GREEN, Status.YELLOW, Status.RED, Status.LATER, Status.MISSING)
"""The statuses a measure can have, in the order tables and charts list them."""

AGENDA_2030 = {
    1: "Ingen fattigdom",
    2: "Ingen hunger",
    3: "Hälsa och välbefinnande",
    4: "God utbildning för alla",
    5: "Jämställdhet",
    6: "Rent vatten och sanitet för alla",
    7: "Hållbar energi för alla",
    8: "Anständiga arbetsvillkor och ekonomisk tillväxt",
    9: "Hållbar industri, innovationer och infrastruktur",
    10: "Minskad ojämlikhet",
    11: "Hållbara städer och samhällen",
    12: "Hållbar konsumtion och produktion",
    13: "Bekämpa klimatförändringarna",
    14: "Hav och marina resurser",
    15: "Ekosystem och biologisk mångfald",
    16: "Fredliga och inkluderande samhällen",
    17: "Genomförande och globalt partnerskap",
}
"""The Swedish names of the 17 global goals (Globala målen)."""

_TREND = {
    Trend.BETTER: "↑",
    Trend.WORSE: "↓",
    Trend.UNCHANGED: "→",
}

# Chart fills: the status hues, but spread in lightness (red 33, green 55, yellow 75, later and
# missing light with an outline) so that the bars also read in greyscale print.


def _chart_colours(status: Status) -> tuple[str, str, str | None]:
    st = STATUS_STYLE[status]
    return (
        "#" + st.chart_fill,
        "#" + st.chart_ink,
        "#" + st.chart_border if st.chart_border else None,
    )


LINE_COLOUR = "#1F4E79"
TARGET_COLOUR = "#8E2A20"
MIN_CHART_POINTS = 3
HISTORY_COLUMNS = 6
"""Periods per appendix table, so the table fits an A4 portrait page."""


# --- Small views ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusView:
    """A status as printed: never colour alone, always symbol and word."""

    code: str
    label: str
    symbol: str
    fill: str
    ink: str
    accent: str
    forecast: bool = False
    """The status rests on a forecast for the full year; ``label`` then says so in words."""

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


@dataclass(frozen=True)
class TrendView:
    code: str
    arrow: str
    label: str

    @property
    def text(self) -> str:
        return f"{self.arrow} {self.label}"


@dataclass(frozen=True)
class Assessed:
    """An item's final status, and where the board overrode it, the computed one and why."""

    status: StatusView
    computed: StatusView | None = None
    justification: str = ""
    decision: str = ""
    analysis: str = ""
    prefix: str = "Status"
    """What the status line calls the status: ``Status``, or ``Prognos helår`` when it rests
    on forecasts at an interim period (``Prognos helår för målet: ● Grönt (prognos)``)."""
    grounds: str = ""
    """What a goal's or sub-goal's status rests on, as a sentence; empty for a measure."""

    @property
    def overridden(self) -> bool:
        return self.computed is not None


@dataclass(frozen=True)
class Figure:
    """A chart with its caption; ``chart.alt`` is the alt text that describes its data."""

    chart: StackedBarChart | LineChart
    caption: str

    @property
    def alt(self) -> str:
        return self.chart.alt


# --- Sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    id: str
    name: str
    kind: str
    unit: str
    direction: str
    meta: str
    """One line under the name: kind, unit and direction (``Indikator · % · högre är bättre``)."""
    baseline: str
    baseline_year: str
    target: str
    target_year: str
    value: str
    previous_value: str
    trend: TrendView | None
    assessed: Assessed
    comment: str
    source: str
    responsible: str
    goal_heading: str
    subgoal_heading: str
    figure: Figure | None = None
    gender_split: str = ""
    """Women's and men's values beside the total: ``Kvinnor 71 %, män 68 %`` (context_kolada)."""
    comparison: str = ""
    """``Jämförelse 2021: riket 70 %, jämförelsegrupp 68 %`` (sheet Jämförelser)."""
    attribution: str = ""
    """``Källa: Kolada`` where the value or the comparison comes from Kolada."""
    forecast: str = EMPTY
    """The forecast for the full year (interim periods), formatted; ``–`` where none."""
    latest: str = ""
    """Where the period has no outcome: the latest known one with its period,
    ``66 % (helår 2020)``; empty otherwise. ``value`` then shows it too."""
    latest_value: str = ""
    """``latest`` in two parts, for tables that set the period apart: ``66 %``…"""
    latest_note: str = ""
    """…and ``(helår 2020)``."""

    @property
    def notes(self) -> tuple[str, ...]:
        """The lines shown under the name besides ``meta``, in order."""
        return tuple(t for t in (self.gender_split, self.comparison, self.attribution) if t)


@dataclass(frozen=True)
class SubGoalSection:
    id: str
    number: str
    name: str
    heading: str
    anchor: str
    description: str
    assessed: Assessed
    measures: tuple[MeasureRow, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(m.figure for m in self.measures if m.figure is not None)


@dataclass(frozen=True)
class GoalSection:
    id: str
    number: str
    name: str
    heading: str
    anchor: str
    description: str
    council_goal: str
    agenda2030: tuple[str, ...]
    assessed: Assessed
    subgoals: tuple[SubGoalSection, ...]


@dataclass(frozen=True)
class SummaryRow:
    goal_heading: str
    anchor: str
    assessed: Assessed
    counts: tuple[int, ...]
    """Measures per status, in the order of :data:`MEASURE_STATUSES`."""
    total: int
    forecast_counts: tuple[int, ...] = ()
    """Of ``counts``, the measures whose status rests on a forecast (interim periods)."""

    @property
    def forecasts(self) -> int:
        return sum(self.forecast_counts)


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    status: StatusView | None = None
    short: str = ""
    """The same rule in one or two lines, for a slide; empty where a slide leaves it out."""


@dataclass(frozen=True)
class ListedMeasure:
    """A measure in the "följs upp senare" or "utfall saknas" list."""

    name: str
    where: str
    target_year: str
    value: str


@dataclass(frozen=True)
class HistoryRow:
    name: str
    unit: str
    target: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class HistoryGroup:
    heading: str
    rows: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class HistoryTable:
    caption: str
    periods: tuple[str, ...]
    groups: tuple[HistoryGroup, ...]


@dataclass(frozen=True)
class Labels:
    """Every fixed Swedish word the renderers print, in one place."""

    contents: str = "Innehåll"
    definitions: str = "Så bedöms måluppfyllelsen"
    summary: str = "Sammanfattning"
    summary_goal: str = "Mål"
    status: str = "Status"
    total: str = "Totalt"
    council_goal: str = "Fullmäktigemål"
    agenda2030: str = "Agenda 2030"
    computed: str = "Beräknad status"
    board_status: str = "Nämndens bedömning"
    justification: str = "Motivering"
    decision: str = "Beslut"
    analysis: str = "Analys"
    measure: str = "Mätvärde"
    baseline: str = "Utgångsvärde"
    target: str = "Målvärde"
    trend: str = "Trend"
    comment: str = "Kommentar"
    unit: str = "Enhet"
    subgoal: str = "Delmål"
    target_year: str = "Målår"
    value: str = "Utfall"
    later: str = "Mätvärden som följs upp senare"
    missing: str = "Utfall saknas"
    none_listed: str = "Inga mätvärden."
    appendix: str = "Bilaga: mätvärdenas historik"
    diary_number: str = "Diarienummer"
    administration: str = "Förvaltning"
    generated: str = "Framtagen"
    mandate_period: str = "Mandatperiod"
    page: str = "Sida"
    page_of: str = "av"
    skip_link: str = "Hoppa till innehållet"
    period_key: str = (
        "T1 = delår per april, H1 = halvår, T2 = delår per augusti, årtal utan tillägg = helår. "
        "– = inget utfall registrerat."
    )
    no_goals: str = "Arbetsboken innehåller inga mål."
    toc_hint: str = "Högerklicka och välj Uppdatera fält om sidnummer saknas."
    decision_proposal: str = "Förslag till beslut"
    level: str = "Nivå"
    name: str = "Namn"
    before: str = "Förra rapporten"
    after: str = "Nu"
    change: str = "Förändring"
    overview: str = "Översikt"
    chart_slide: str = "Mätvärden per status och mål"
    flagged: str = "Röda och gula mätvärden"
    none_flagged: str = "Inga mätvärden är röda eller gula."
    continued: str = "(forts.)"
    of_which_forecasts: str = "Varav prognos"
    changed_assessments: str = "Ändrade bedömningar"


@dataclass(frozen=True)
class ChangeRow:
    level: str  # Mål, Delmål, Mätvärde
    name: str
    before: StatusView
    after: StatusView
    direction: str  # Bättre, Sämre, Ändrad
    notable: bool = True
    """A goal or sub-goal, or a measure that got better or worse (not merely due later)."""


@dataclass(frozen=True)
class ChangesView:
    """What changed since the previous report, formatted (``ksreport.changes``)."""

    heading: str
    intro: str
    rows: tuple[ChangeRow, ...]
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, items) for the lists that have any
    empty: bool


@dataclass(frozen=True)
class ReportContext:
    """Everything a renderer prints, already formatted; built once per build."""

    lang: str
    title: str
    document_title: str
    """Title for metadata and the window: ``Kommunstyrelsen – Måluppfyllelse helår 2020``."""
    organisation: str
    board: str
    administration: str
    diary_number: str
    mandate_period: str
    period_code: str
    period_words: str
    period_heading: str
    previous_period_words: str
    generated: dt.date
    generated_iso: str
    generated_long: str
    labels: Labels
    definitions_intro: str
    definitions: tuple[Definition, ...]
    legend: tuple[StatusView, ...]
    statuses: tuple[StatusView, ...]
    """Every status, for renderers that style them all (CSS classes, Word shading)."""
    summary_columns: tuple[StatusView, ...]
    summary_rows: tuple[SummaryRow, ...]
    summary_totals: tuple[int, ...]
    summary_total: int
    summary_text: str
    summary_figure: Figure | None
    col_value: str
    col_previous: str
    """The second value column: the outcome a year earlier, or at an interim period the
    forecast for the full year (``Prognos helår 2021``); ``MeasureRow.previous_value`` fills it."""
    goals: tuple[GoalSection, ...]
    later: tuple[ListedMeasure, ...]
    missing: tuple[ListedMeasure, ...]
    history: tuple[HistoryTable, ...]
    decision_proposal: str = ""
    """The proposed decision: the workbook's ``Förslag till beslut``, or a generated default."""
    changes: ChangesView | None = None
    """What changed since the previous report; None when there is no earlier period."""
    interim: bool = False
    """An interim report (T1, H1, T2): statuses are forecasts for the full year where given."""
    document_name: str = "verksamhetsberättelsen"
    """The document the section belongs to, definite form: ``delårsrapporten``."""
    col_previous_label: str = "Utfall"
    col_previous_period: str = ""
    summary_forecasts: tuple[int, ...] = ()
    """At an interim period, per summary row: how many of its counted measures rest on a
    forecast (the summary table's column ``Varav prognos``); empty at full year."""
    summary_forecast_total: int = 0
    empty_period: str = ""
    """Set when no outcome or forecast was recorded for the period (``--allow-empty-period``):
    the sentence the documents print to say so."""
    status_words: StatusWords = StatusWords.COLOURS

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every chart in the document, in order (the summary first)."""
        found = [self.summary_figure] if self.summary_figure else []
        found += [f for g in self.goals for s in g.subgoals for f in s.figures]
        return tuple(found)


# --- Builders ---------------------------------------------------------------------------


FORECAST_WORD = "prognos"


def status_view(
    status: Status, words: StatusWords = StatusWords.COLOURS, forecast: bool = False
) -> StatusView:
    """A status as printed. A forecast is never shown by colour alone: under Färger the word
    says so (``Grönt (prognos)``), under Måluppfyllelse the forecast words do (``Bedöms
    uppnås``)."""
    style = STATUS_STYLE[status]
    forecast = forecast and status.is_assessed
    label = status_word(status, words, forecast)
    if forecast and words is StatusWords.COLOURS:
        label += f" ({FORECAST_WORD})"
    return StatusView(
        code=status.value,
        label=label,
        symbol=style.symbol,
        fill="#" + style.fill,
        ink="#" + style.ink,
        accent="#" + style.accent,
        forecast=forecast,
    )


def trend_view(trend: Trend | None) -> TrendView | None:
    if trend is None:
        return None
    return TrendView(trend.value, _TREND[trend], trend.label)


FORECAST_PREFIX = "Prognos helår"


def _assessed(
    status: Status,
    computed: Status,
    assessment: Assessment | None,
    words: StatusWords = StatusWords.COLOURS,
    *,
    forecast: bool = False,
    computed_forecast: bool = False,
    grounds: str = "",
) -> Assessed:
    """``forecast``: the final status is a forecast for the full year (it rests on forecasts,
    or it is the board's own assessment at an interim period)."""
    a = assessment
    overridden = a is not None and a.status is not None
    final = status_view(status, words, forecast)
    return Assessed(
        status=final,
        computed=status_view(computed, words, computed_forecast) if overridden else None,
        justification=a.justification.strip() if a else "",
        decision=a.decision.strip() if a else "",
        analysis=a.analysis.strip() if a else "",
        prefix=FORECAST_PREFIX if final.forecast else "Status",
        grounds=grounds,
    )


def grounds_text(grounds: Grounds, what: str, interim: bool) -> str:
    """``Bedömningen bygger på 5 av 11 mätvärden, varav 3 prognoser.``; ``what`` is the item in
    definite form (``målet``, ``delmålet``)."""
    if grounds.total == 0:
        return f"{capitalise(what)} har inga mätvärden."
    if grounds.counted == 0:
        if grounds.total == 1:
            return f"{capitalise(what)}s enda mätvärde kan inte bedömas ännu."
        return (
            f"Inget av {what}s {format_count(grounds.total)} mätvärden kan bedömas ännu, så "
            f"{what} är inte bedömt."
        )
    text = (
        f"Bedömningen bygger på {format_count(grounds.counted)} av "
        f"{format_count(grounds.total)} mätvärden"
    )
    if interim:
        if grounds.forecasts == 0:
            text += ", inget av dem en prognos"
        elif grounds.forecasts == grounds.counted:
            text += {1: ", en prognos", 2: ", båda prognoser"}.get(
                grounds.counted, ", alla prognoser"
            )
        else:
            n = grounds.forecasts
            text += f", varav {format_count(n)} {'prognos' if n == 1 else 'prognoser'}"
    return text + "."


def _value_text(measure: Measure, value: float | ActivityState | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, ActivityState):
        return value.label
    return format_quantity(value, measure.unit)


def _meta(measure: Measure) -> str:
    parts = [measure.kind.label]
    if measure.unit:
        parts.append(measure.unit)
    if measure.kind is Kind.INDICATOR and measure.direction is not None:
        parts.append(measure.direction.label.lower())
    return " · ".join(parts)


def _history(measure: Measure, upto: Period) -> list[tuple[Period, str, float | None]]:
    """The measure's recorded outcomes up to the report period: (period, text, number)."""
    rows: list[tuple[Period, str, float | None]] = []
    for o in sorted(measure.outcomes, key=lambda o: o.period):
        if o.period > upto:
            continue
        if o.state is not None:
            rows.append((o.period, o.state.label, None))
        elif o.value is not None:
            rows.append((o.period, format_quantity(o.value, measure.unit), o.value))
    return rows


def _line_figure(measure: Measure, upto: Period) -> Figure | None:
    """A history chart for a numeric indicator with at least three values, else None."""
    if measure.kind is not Kind.INDICATOR:
        return None
    points = tuple(
        LinePoint(p.code, v, text) for p, text, v in _history(measure, upto) if v is not None
    )
    if len(points) < MIN_CHART_POINTS:
        return None
    target_text = ""
    described_target = ""
    if measure.target is not None:
        target = format_quantity(measure.target, measure.unit)
        target_text = f"Mål {target}"
        described_target = f" Målvärde {target} till {measure.target_year}."
    values = ", ".join(f"{p.label}: {p.text}" for p in points)
    alt = f"Linjediagram för {measure.name}. Utfall {values}.{described_target}"
    caption = f"{measure.name}: utfall per period"
    if measure.target is not None:
        caption += " och målvärde (streckad linje)"
    national = {c.year: c.national for c in measure.comparisons if c.national is not None}
    comparison = tuple(national.get(int(p.label)) if p.label.isdigit() else None for p in points)
    if any(v is not None for v in comparison):
        shown = ", ".join(
            f"{p.label}: {format_quantity(v, measure.unit)}"
            for p, v in zip(points, comparison, strict=True)
            if v is not None
        )
        alt += f" Riket {shown}."
        caption += ", riket (prickad linje med fyrkanter). Källa för riket: Kolada"
    chart = LineChart(
        alt=alt,
        points=points,
        target=measure.target,
        target_text=target_text,
        line_colour=LINE_COLOUR,
        target_colour=TARGET_COLOUR,
        comparison=comparison if any(v is not None for v in comparison) else (),
        comparison_label="Riket" if any(v is not None for v in comparison) else "",
    )
    return Figure(chart, caption)


def latest_parts(sm: ScoredMeasure, period: Period) -> tuple[str, str]:
    """The latest known outcome where the period has none: (``66 %``, ``(helår 2020)``)."""
    if sm.value is not None or sm.latest_value is None or sm.latest_period is None:
        return "", ""
    if sm.latest_period == period:
        return "", ""
    return _value_text(sm.measure, sm.latest_value), f"({sm.latest_period.words})"


def _measure_row(
    sm: ScoredMeasure,
    period: Period,
    goal_heading: str,
    subgoal_heading: str,
    words: StatusWords = StatusWords.COLOURS,
) -> MeasureRow:
    m = sm.measure
    is_indicator = m.kind is Kind.INDICATOR
    latest_value, latest_note = latest_parts(sm, period)
    latest = f"{latest_value} {latest_note}" if latest_value else ""
    value = latest or _value_text(m, sm.value)
    forecast = _value_text(m, sm.forecast)
    return MeasureRow(
        forecast=forecast,
        latest=latest,
        latest_value=latest_value,
        latest_note=latest_note,
        id=m.id,
        name=m.name,
        kind=m.kind.label,
        unit=m.unit,
        direction=m.direction.label if m.direction is not None else "",
        meta=_meta(m),
        baseline=format_quantity(m.baseline, m.unit) if is_indicator else EMPTY,
        baseline_year=format_year(m.baseline_year) if is_indicator and m.baseline_year else "",
        target=format_quantity(m.target, m.unit) if is_indicator else ActivityState.DONE.label,
        target_year=format_year(m.target_year),
        value=value,
        previous_value=forecast if period.is_interim else _value_text(m, sm.previous_value),
        trend=trend_view(sm.trend),
        assessed=_assessed(
            sm.status,
            sm.computed_status,
            sm.assessment,
            words,
            forecast=is_forecast(sm, period.is_interim),
            computed_forecast=sm.basis is Basis.FORECAST,
        ),
        comment=sm.comment.strip(),
        source=m.source,
        responsible=m.responsible,
        goal_heading=goal_heading,
        subgoal_heading=subgoal_heading,
        figure=_line_figure(m, period),
        gender_split=context_kolada.gender_split(m, period),
        comparison=context_kolada.comparison_text(m, period),
        attribution=context_kolada.attribution(m, period),
    )


def _item_assessed(
    item: ScoredSubGoal | ScoredGoal, period: Period, words: StatusWords, what: str
) -> Assessed:
    """A sub-goal's or goal's status line: a forecast at an interim period where it rests on
    forecasts or is the board's own assessment, with the sentence on what it rests on."""
    forecasts = period.is_interim and item.grounds.forecasts > 0
    return _assessed(
        item.status,
        item.computed_status,
        item.assessment,
        words,
        forecast=is_forecast(item, period.is_interim),
        computed_forecast=forecasts,
        grounds=grounds_text(item.grounds, what, period.is_interim),
    )


def _subgoal(
    ss: ScoredSubGoal,
    number: str,
    period: Period,
    goal_heading: str,
    words: StatusWords = StatusWords.COLOURS,
) -> SubGoalSection:
    heading = f"Delmål {number}: {ss.subgoal.name}"
    return SubGoalSection(
        id=ss.subgoal.id,
        number=number,
        name=ss.subgoal.name,
        heading=heading,
        anchor=f"delmal-{number.replace('.', '-')}",
        description=ss.subgoal.description.strip(),
        assessed=_item_assessed(ss, period, words, "delmålet"),
        measures=tuple(_measure_row(m, period, goal_heading, heading, words) for m in ss.measures),
    )


def _goal(
    sg: ScoredGoal, index: int, period: Period, words: StatusWords = StatusWords.COLOURS
) -> GoalSection:
    number = str(index)
    heading = f"Mål {number}: {sg.goal.name}"
    return GoalSection(
        id=sg.goal.id,
        number=number,
        name=sg.goal.name,
        heading=heading,
        anchor=f"mal-{number}",
        description=sg.goal.description.strip(),
        council_goal=sg.goal.council_goal.strip(),
        agenda2030=tuple(
            f"{n} {AGENDA_2030[n]}" if n in AGENDA_2030 else str(n) for n in sg.goal.agenda2030
        ),
        assessed=_item_assessed(sg, period, words, "målet"),
        subgoals=tuple(
            _subgoal(s, f"{number}.{j}", period, heading, words)
            for j, s in enumerate(sg.subgoals, 1)
        ),
    )


def definitions(settings: Settings, period: Period) -> tuple[str, tuple[Definition, ...]]:
    """The rules in force, in Swedish, from the settings: change Tolerans and the text changes."""
    tol = format_percent(settings.tolerance_pct)
    words = settings.status_words
    if period.is_interim:
        intro = (
            f"Det här är en delårsrapport. Nämnden ska bedöma om målen nås vid årets slut, så "
            f"varje mätvärde som har en prognos för helåret {period.year} bedöms utifrån "
            "prognosen, med samma regler som ett utfall för helåret. Utan prognos bedöms "
            f"utfallet för {period.words}. Så här bedöms statusen i den här rapporten."
        )
    else:
        intro = (
            f"Varje mätvärde får en status utifrån utfallet för {period.words}, jämfört med "
            "målvärdet, utgångsvärdet och målåret. Så här bedöms statusen i den här rapporten."
        )

    def term(status: Status) -> str:
        return status_word(status, words)

    defs = [
        Definition(
            Status.GREEN.label,
            "Målvärdet är uppnått: utfallet är lika med eller bättre än målvärdet, även om "
            "målåret inte har kommit. En aktivitet är genomförd.",
            status_view(Status.GREEN, words),
            "Målvärdet är uppnått, även om målåret inte har kommit. En aktivitet är genomförd.",
        ),
        Definition(
            Status.YELLOW.label,
            "Målåret har kommit men målvärdet är inte uppnått. Utfallet är ändå bättre än "
            f"utgångsvärdet, eller avviker högst {tol} från målvärdet. En aktivitet vars "
            "målår har kommit är påbörjad.",
            status_view(Status.YELLOW, words),
            "Målåret har kommit och målvärdet är inte uppnått, men utfallet är bättre än "
            f"utgångsvärdet eller högst {tol} från målvärdet. En aktivitet är påbörjad.",
        ),
        Definition(
            Status.RED.label,
            "Målåret har kommit och målvärdet är inte uppnått. Utfallet är inte bättre än "
            f"utgångsvärdet och avviker mer än {tol} från målvärdet. En aktivitet vars målår "
            "har kommit är inte påbörjad.",
            status_view(Status.RED, words),
            "Målåret har kommit och målvärdet är inte uppnått. Utfallet är inte bättre än "
            f"utgångsvärdet och avviker mer än {tol} från målvärdet. En aktivitet är inte "
            "påbörjad.",
        ),
        Definition(
            Status.LATER.label,
            "Målåret har inte kommit och målvärdet är ännu inte uppnått, eller så finns inget "
            "utfall ännu i en delårsrapport eller före målåret."
            + (
                " Finns ett tidigare utfall visas det senast kända med sin period."
                if period.is_interim
                else ""
            ),
            status_view(Status.LATER),
            "Målåret har inte kommit och målvärdet är ännu inte uppnått, eller så finns inget "
            "utfall ännu i delåret.",
        ),
        Definition(
            Status.MISSING.label,
            "Det finns inget utfall för perioden, fast det är helår och målåret har kommit.",
            status_view(Status.MISSING),
            "Målåret har kommit, men det finns inget utfall för perioden.",
        ),
    ]
    if settings.rollup is RollupMethod.WORST:
        rollup = (
            "Ett delmål får den sämsta statusen bland sina mätvärden och ett mål den sämsta "
            "bland sina delmål (sammanvägning: Sämsta)."
        )
        rollup_short = (
            "Ett delmål får den sämsta statusen bland sina mätvärden och ett mål den sämsta "
            "bland sina delmål."
        )
    else:
        rollup = (
            "Delmålens status vägs samman från mätvärdenas och målens från delmålens "
            "(sammanvägning: Medel). Grönt ger 2 poäng, gult 1 och rött 0. Ett medelvärde på "
            f"minst {format_number(settings.green_threshold)} ger grönt, minst "
            f"{format_number(settings.yellow_threshold)} gult och lägre rött."
        )
        rollup_short = (
            "Delmål och mål vägs samman: grönt ger 2 poäng, gult 1 och rött 0. Ett medelvärde "
            f"på minst {format_number(settings.green_threshold)} ger grönt, minst "
            f"{format_number(settings.yellow_threshold)} gult och lägre rött."
        )
    rollup += (
        " Följs upp senare och Utfall saknas räknas inte. Kan inget bedömas blir statusen "
        "Ej bedömd. Under varje mål och delmål står hur många mätvärden bedömningen bygger på"
        + (", och hur många av dem som är prognoser." if period.is_interim else ".")
    )
    if period.is_interim:
        forecast_words = (
            f"{term(Status.GREEN)}, {term(Status.YELLOW)} eller {term(Status.RED)} följt av "
            f"({FORECAST_WORD})"
            if words is StatusWords.COLOURS
            else ", ".join(
                status_word(s, words, True) for s in (Status.GREEN, Status.YELLOW, Status.RED)
            )
        )
        defs.append(
            Definition(
                "Prognos",
                f"En prognos är förvaltningens bedömning av helårets utfall {period.year}, "
                "skriven i delårsrapporten. Den bedöms med reglerna ovan för helår, som om den "
                f"vore årets utfall: målåret {period.year} eller tidigare räknas som kommet. En "
                "aktivitet med prognosen Genomförd väntas vara genomförd vid årets slut. En "
                f"status som bygger på en prognos skrivs {forecast_words}, och mål och delmål "
                f"som bygger på prognoser får rubriken {FORECAST_PREFIX}.",
                None,
                f"Prognosen för helåret {period.year} bedöms som ett utfall för helåret. En "
                f"status som bygger på en prognos skrivs {forecast_words}.",
            )
        )
    defs += [
        Definition("Sammanvägning", rollup, None, rollup_short),
        Definition(
            "Nämndens bedömning",
            "Nämnden kan göra en egen bedömning som ersätter den beräknade statusen. Då visas "
            "båda, med nämndens motivering och beslut, och nämndens bedömning används i "
            "sammanvägningen."
            + (
                " I en delårsrapport är nämndens bedömning en bedömning av prognosen för helåret."
                if period.is_interim
                else ""
            ),
            None,
            "Nämnden kan ersätta den beräknade statusen med en egen bedömning. Då visas båda, "
            "med nämndens motivering.",
        ),
        Definition(
            "Trend",
            "Pilen jämför utfallet med samma period ett år tidigare: ↑ bättre, ↓ sämre, "
            "→ oförändrat. Bättre betyder närmare målet, även när lägre är bättre.",
            None,
        ),
    ]
    return intro, tuple(defs)


def _forecast_colours(status: Status) -> tuple[str, str, str | None]:
    """A forecast's segment: the status's light fill, outlined in its chart colour, so that
    forecasts stand apart from outcomes (also in greyscale) and still read as the status."""
    st = STATUS_STYLE[status]
    return ("#" + st.fill, "#" + st.ink, "#" + st.chart_fill)


def _chart_parts(row: SummaryRow, words: StatusWords) -> list[tuple[Status, bool, int]]:
    """(status, forecast, count) per segment, outcomes before forecasts of each status."""
    forecasts = row.forecast_counts or (0,) * len(row.counts)
    parts = []
    for s, n, f in zip(MEASURE_STATUSES, row.counts, forecasts, strict=True):
        parts += [(s, False, n - f), (s, True, f)]
    return [p for p in parts if p[2] > 0]


def summary_chart(
    rows: Sequence[SummaryRow],
    period_words: str,
    words: StatusWords = StatusWords.COLOURS,
) -> Figure | None:
    """The stacked bar chart of measures per status for ``rows`` (every goal, or a slide's);
    forecasts are segments of their own (light, outlined) beside the outcomes."""
    if not rows:
        return None
    with_forecasts = any(r.forecasts for r in rows)
    keys = [(s, False) for s in MEASURE_STATUSES]
    if with_forecasts:
        keys = [(s, f) for s in MEASURE_STATUSES for f in (False, True) if s.is_assessed or not f]
    legend = tuple(
        LegendItem(
            status_view(s, words, f).label,
            STATUS_STYLE[s].symbol,
            *(_forecast_colours(s) if f else _chart_colours(s)),
        )
        for s, f in keys
    )
    bars = []
    described = []
    for row in rows:
        chart_parts = _chart_parts(row, words)
        segments = tuple(
            Segment(
                status_view(s, words, f).label,
                STATUS_STYLE[s].symbol,
                n,
                *(_forecast_colours(s) if f else _chart_colours(s)),
            )
            for s, f, n in chart_parts
        )
        bars.append(BarRow(row.goal_heading, segments))
        parts = [f"{n} {status_view(s, words, f).label.lower()}" for s, f, n in chart_parts]
        described.append(f"{row.goal_heading}: {join_words(parts) or 'inga mätvärden'}")
    alt = (
        "Stapeldiagram över mätvärdenas status per mål, "
        + period_words
        + ". "
        + ". ".join(described)
        + "."
    )
    return Figure(
        StackedBarChart(alt=alt, rows=tuple(bars), legend=legend),
        f"Antal mätvärden per status och mål, {period_words}",
    )


def goals_forecast_sentence(goals: Sequence[ScoredGoal]) -> str:
    """``Prognosen för helåret: 2 av 4 mål bedöms uppnås, 1 bedöms delvis uppnås och 1 kan
    inte bedömas ännu.`` (by the goals' final statuses at an interim period)."""
    n = len(goals)
    counts = [(s, sum(1 for g in goals if g.status is s)) for s in MEASURE_STATUSES]
    phrases = {
        Status.GREEN: "bedöms uppnås",
        Status.YELLOW: "bedöms delvis uppnås",
        Status.RED: "bedöms inte uppnås",
    }
    parts = [f"{format_count(c)} {phrases[s]}" for s, c in counts if c and s in phrases]
    rest = n - sum(c for s, c in counts if s in phrases)
    if rest:
        parts.append(f"{format_count(rest)} kan inte bedömas ännu")
    if not parts:
        return ""
    first, *others = parts
    count, _, words = first.partition(" ")
    head = f"{count} av {format_count(n)} mål {words}"
    return f"Prognosen för helåret: {join_words([head, *others])}."


def _summary_text(report: ScoredReport) -> str:
    words = report.settings.status_words
    counts = [(s, report.summary.get(s, 0)) for s in MEASURE_STATUSES]
    total = sum(n for _, n in counts)
    if total == 0:
        return "Det finns inga mätvärden att redovisa."
    parts = [f"{n} {status_word(s, words).lower()}" for s, n in counts if n]
    goals = len(report.goals)
    text = (
        f"Rapporten omfattar {format_count(goals)} mål och {format_count(total)} mätvärden. "
        f"För {report.period.words}: {join_words(parts)}."
    )
    if report.period.is_interim:
        counted = [m for m in report.measures if m.counted]
        forecasts = sum(1 for m in counted if m.rests_on_forecast)
        outcomes = len(counted) - forecasts
        if counted:
            text += (
                f" Av de {format_count(len(counted))} bedömda mätvärdena bygger "
                f"{format_count(forecasts)} på en prognos för helåret {report.period.year} och "
                f"{format_count(outcomes)} på utfall."
            )
        else:
            text += " Inget mätvärde kan bedömas ännu: det finns varken prognoser eller utfall."
        text += " " + goals_forecast_sentence(report.goals)
    return text


def _history_tables(
    report: ScoredReport, goals: tuple[GoalSection, ...]
) -> tuple[HistoryTable, ...]:
    periods = [p for p in report.plan.periods() if p <= report.period]
    if not periods:
        return ()
    tables = []
    chunks = [periods[i : i + HISTORY_COLUMNS] for i in range(0, len(periods), HISTORY_COLUMNS)]
    for chunk in chunks:
        groups = []
        for sg, section in zip(report.goals, goals, strict=True):
            rows = []
            for m in (sm.measure for sm in sg.measures):
                recorded = {p: text for p, text, _ in _history(m, report.period)}
                target = (
                    format_quantity(m.target, m.unit)
                    if m.kind is Kind.INDICATOR
                    else ActivityState.DONE.label
                )
                rows.append(
                    HistoryRow(
                        name=m.name,
                        unit=m.unit,
                        target=f"{target} ({m.target_year})",
                        cells=tuple(recorded.get(p, EMPTY) for p in chunk),
                    )
                )
            groups.append(HistoryGroup(section.heading, tuple(rows)))
        span = chunk[0].code if len(chunk) == 1 else f"{chunk[0].code} – {chunk[-1].code}"
        caption = f"Utfall per period, {span}"
        tables.append(HistoryTable(caption, tuple(p.code for p in chunk), tuple(groups)))
    return tuple(tables)


def _listed(rows: list[MeasureRow], status: Status) -> tuple[ListedMeasure, ...]:
    found = []
    for row in rows:
        if row.assessed.status.code != status.value:
            continue
        found.append(ListedMeasure(row.name, row.subgoal_heading, row.target_year, row.value))
    return tuple(found)


_BOARD_NOUN = re.compile(
    r"(nämnden|styrelsen|utskottet|fullmäktige|direktionen|revisionen|beredningen)$", re.I
)

REPORT_NAME = {
    PeriodKind.T1: "delårsrapport per april {y}",
    PeriodKind.H1: "delårsrapport per juni {y}",
    PeriodKind.T2: "delårsrapport per augusti {y}",
    PeriodKind.YEAR: "verksamhetsberättelse för {y}",
}


def genitive(board: str) -> str:
    """``Kommunstyrelsen`` → ``kommunstyrelsens`` mid-sentence; a proper name keeps its case,
    an abbreviation takes a colon (``Bostäder AB:s``)."""
    name = board.strip()
    if _BOARD_NOUN.search(name):
        name = name[:1].lower() + name[1:]
    if name[-1:] in ("s", "x", "z"):
        return name
    return name + (":s" if name[-1:].isupper() or name[-1:].isdigit() else "s")


INTERIM_AS_OF = {
    PeriodKind.T1: "per april {y}",
    PeriodKind.H1: "per juni {y}",
    PeriodKind.T2: "per augusti {y}",
}


def default_decision_proposal(board: str, period: Period) -> str:
    """The usual proposal: the board approves the goal fulfilment for its activity report
    (annual) or the follow-up of it for its interim report, in the board's own name."""
    if period.is_interim:
        as_of = INTERIM_AS_OF[period.kind].format(y=period.year)
        return (
            f"{board} godkänner uppföljningen av måluppfyllelsen {as_of} att ingå i "
            f"{genitive(board)} delårsrapport {as_of}."
        )
    document = REPORT_NAME[period.kind].format(y=period.year)
    return (
        f"{board} godkänner måluppfyllelsen för {period.words} och att den ingår i "
        f"{genitive(board)} {document}."
    )


PROPOSAL_PLACEHOLDERS = ("{period}", "{år}", "{dokument}")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_SPAN = re.compile(r"\b(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d\b")


def fill_placeholders(text: str, period: Period) -> str:
    """``{period}``, ``{år}`` and ``{dokument}`` in the workbook's Förslag till beslut: plain
    text replacement, never a template language."""
    return (
        text.replace("{period}", period.words)
        .replace("{år}", str(period.year))
        .replace("{dokument}", DOCUMENT_NAME[period.is_interim])
    )


def proposal_other_years(text: str, period: Period) -> list[str]:
    """Years that a Förslag till beslut names other than the report's (a span such as the
    mandate period, ``2020–2022``, doesn't count)."""
    found = _YEAR.findall(_YEAR_SPAN.sub(" ", text))
    return sorted({y for y in found if y != str(period.year)})


def decision_proposal(settings: Settings, board: str, period: Period) -> str:
    """The workbook's Förslag till beslut with its placeholders filled in, or the generated
    default where the setting is blank."""
    own = settings.decision_proposal.strip()
    return fill_placeholders(own, period) if own else default_decision_proposal(board, period)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


CHANGES_HEADING = "Förändringar sedan förra rapporten"


def changes_view(changes: Changes) -> ChangesView:
    """The comparison with the previous report, in words and status badges. A status that was
    or is a forecast for the full year says so (``Grönt (prognos)``), as in the report."""
    since = changes.previous.words
    words = changes.words
    labels = {Level.GOAL: "Mål", Level.SUBGOAL: "Delmål", Level.MEASURE: "Mätvärde"}
    order = {Level.GOAL: 0, Level.SUBGOAL: 1, Level.MEASURE: 2}
    rows = tuple(
        ChangeRow(
            labels[c.level],
            f"{c.id} {c.name}",
            status_view(c.before, words, c.before_forecast),
            status_view(c.after, words, c.after_forecast),
            c.direction.label,
            c.level is not Level.MEASURE or c.direction is not ChangeDirection.CHANGED,
        )
        for c in sorted(changes.status_changes, key=lambda c: order[c.level])
    )
    lists = []
    if changes.new_assessments:
        lists.append(
            (
                "Nya bedömningar av nämnden",
                tuple(
                    f"{labels[a.level]} {a.item_id}: "
                    + (status_view(a.status, words, changes.interim).label if a.status else "")
                    + (f", beslut {a.decision}" if a.decision else "")
                    for a in changes.new_assessments
                ),
            )
        )
    if changes.forecast_changes:

        def forecast(value: float | ActivityState | None, unit: str) -> str:
            if isinstance(value, ActivityState):
                return value.label
            return format_quantity(value, unit)

        items = tuple(
            f"{f.id} {f.name}: ny prognos {forecast(f.after, f.unit)}"
            if f.before is None
            else f"{f.id} {f.name}: prognos {forecast(f.before, f.unit)} → "
            + ("ingen prognos" if f.after is None else forecast(f.after, f.unit))
            for f in changes.forecast_changes
        )
        lists.append(("Ändrade prognoser", items))
    if changes.first_outcomes:
        lists.append(
            (
                "Mätvärden med utfall för första gången",
                tuple(f"{o.id} {o.name}" for o in changes.first_outcomes),
            )
        )
    if changes.lost_outcomes:
        lists.append(
            (
                "Mätvärden som hade utfall förra gången men saknar det nu",
                tuple(f"{o.id} {o.name}" for o in changes.lost_outcomes),
            )
        )
    if changes.empty:
        intro = f"Inget har ändrats sedan förra rapporten ({since})."
    else:
        n = len(rows)
        intro = f"Jämfört med förra rapporten ({since}) har " + (
            f"{format_count(n)} {'bedömning' if n == 1 else 'bedömningar'} ändrats."
            if n
            else "ingen bedömning ändrats."
        )
        if changes.forecast_changes:
            k = len(changes.forecast_changes)
            intro += (
                " Prognosen för helåret är ny eller ändrad för "
                f"{format_count(k)} {'mätvärde' if k == 1 else 'mätvärden'}."
            )
        if changes.first_forecasts:
            k = changes.first_forecasts
            intro += (
                " Prognoser för helåret lämnas för första gången i den här rapporten "
                f"({format_count(k)} {'mätvärde' if k == 1 else 'mätvärden'})."
            )
    return ChangesView(CHANGES_HEADING, intro, rows, tuple(lists), changes.empty)


DOCUMENT_NAME = {False: "verksamhetsberättelsen", True: "delårsrapporten"}
EMPTY_PERIOD = (
    "Inga utfall och inga prognoser har registrerats för {period}. Rapporten visar därför "
    "inga bedömningar för perioden."
)


def build_context(
    report: ScoredReport,
    *,
    generated: dt.date,
    changes: Changes | None = None,
) -> ReportContext:
    """Build the shared render context from the scored report; ``generated`` is the date printed
    and stamped in metadata (the caller decides it, e.g. from SOURCE_DATE_EPOCH)."""
    if isinstance(generated, dt.datetime):
        generated = generated.date()
    settings = report.settings
    period = report.period
    words = settings.status_words
    goals = tuple(_goal(g, i, period, words) for i, g in enumerate(report.goals, 1))
    summary_rows = []
    for sg, section in zip(report.goals, goals, strict=True):
        counts = tuple(sum(1 for m in sg.measures if m.status is s) for s in MEASURE_STATUSES)
        forecast_counts = tuple(
            sum(1 for m in sg.measures if m.status is s and m.rests_on_forecast)
            for s in MEASURE_STATUSES
        )
        summary_rows.append(
            SummaryRow(
                goal_heading=section.heading,
                anchor=section.anchor,
                assessed=section.assessed,
                counts=counts,
                total=sum(counts),
                forecast_counts=forecast_counts if period.is_interim else (),
            )
        )
    totals = tuple(sum(r.counts[i] for r in summary_rows) for i in range(len(MEASURE_STATUSES)))
    all_rows = [m for g in goals for s in g.subgoals for m in s.measures]
    intro, defs = definitions(settings, period)
    if period.is_interim:
        previous_label, previous_period = "Prognos", f"helår {period.year}"
    else:
        previous_label, previous_period = "Utfall", period.year_earlier().words
    board = settings.board.strip() or "Kommunstyrelsen"
    return ReportContext(
        lang=LANG,
        title=REPORT_TITLE,
        document_title=f"{board} – {REPORT_TITLE} {period.words}",
        organisation=settings.organisation.strip(),
        board=board,
        administration=settings.administration.strip(),
        diary_number=settings.diary_number.strip(),
        mandate_period=settings.mandate_period,
        period_code=period.code,
        period_words=period.words,
        period_heading=capitalise(period.words),
        previous_period_words=period.year_earlier().words,
        generated=generated,
        generated_iso=format_date_iso(generated),
        generated_long=format_date_long(generated),
        labels=Labels(),
        definitions_intro=intro,
        definitions=defs,
        legend=tuple(status_view(s, words) for s in MEASURE_STATUSES),
        statuses=tuple(status_view(s, words) for s in Status),
        summary_columns=tuple(status_view(s, words) for s in MEASURE_STATUSES),
        summary_rows=tuple(summary_rows),
        summary_totals=totals,
        summary_total=sum(totals),
        summary_text=_summary_text(report),
        summary_figure=summary_chart(summary_rows, period.words, words),
        col_value=f"Utfall {period.words}",
        col_previous=f"{previous_label} {previous_period}",
        col_previous_label=previous_label,
        col_previous_period=previous_period,
        interim=period.is_interim,
        document_name=DOCUMENT_NAME[period.is_interim],
        summary_forecasts=tuple(r.forecasts for r in summary_rows) if period.is_interim else (),
        summary_forecast_total=sum(r.forecasts for r in summary_rows),
        empty_period=EMPTY_PERIOD.format(period=period.words)
        if period not in report.plan.reported_periods()
        else "",
        goals=goals,
        later=_listed(all_rows, Status.LATER),
        missing=_listed(all_rows, Status.MISSING),
        history=_history_tables(report, goals),
        changes=changes_view(changes) if changes is not None else None,
        decision_proposal=decision_proposal(settings, board, period),
        status_words=words,
    )
