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
    Trend,
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
    goals: tuple[GoalSection, ...]
    later: tuple[ListedMeasure, ...]
    missing: tuple[ListedMeasure, ...]
    history: tuple[HistoryTable, ...]
    decision_proposal: str = ""
    """The proposed decision: the workbook's ``Förslag till beslut``, or a generated default."""
    changes: ChangesView | None = None
    """What changed since the previous report; None when there is no earlier period."""

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every chart in the document, in order (the summary first)."""
        found = [self.summary_figure] if self.summary_figure else []
        found += [f for g in self.goals for s in g.subgoals for f in s.figures]
        return tuple(found)


# --- Builders ---------------------------------------------------------------------------


def status_view(status: Status) -> StatusView:
    style = STATUS_STYLE[status]
    return StatusView(
        code=status.value,
        label=status.label,
        symbol=style.symbol,
        fill="#" + style.fill,
        ink="#" + style.ink,
        accent="#" + style.accent,
    )


def trend_view(trend: Trend | None) -> TrendView | None:
    if trend is None:
        return None
    return TrendView(trend.value, _TREND[trend], trend.label)


def _assessed(status: Status, computed: Status, assessment: Assessment | None) -> Assessed:
    a = assessment
    overridden = a is not None and a.status is not None
    return Assessed(
        status=status_view(status),
        computed=status_view(computed) if overridden else None,
        justification=a.justification.strip() if a else "",
        decision=a.decision.strip() if a else "",
        analysis=a.analysis.strip() if a else "",
    )


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


def _measure_row(
    sm: ScoredMeasure, period: Period, goal_heading: str, subgoal_heading: str
) -> MeasureRow:
    m = sm.measure
    is_indicator = m.kind is Kind.INDICATOR
    return MeasureRow(
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
        value=_value_text(m, sm.value),
        previous_value=_value_text(m, sm.previous_value),
        trend=trend_view(sm.trend),
        assessed=_assessed(sm.status, sm.computed_status, sm.assessment),
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


def _subgoal(ss: ScoredSubGoal, number: str, period: Period, goal_heading: str) -> SubGoalSection:
    heading = f"Delmål {number}: {ss.subgoal.name}"
    return SubGoalSection(
        id=ss.subgoal.id,
        number=number,
        name=ss.subgoal.name,
        heading=heading,
        anchor=f"delmal-{number.replace('.', '-')}",
        description=ss.subgoal.description.strip(),
        assessed=_assessed(ss.status, ss.computed_status, ss.assessment),
        measures=tuple(_measure_row(m, period, goal_heading, heading) for m in ss.measures),
    )


def _goal(sg: ScoredGoal, index: int, period: Period) -> GoalSection:
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
        assessed=_assessed(sg.status, sg.computed_status, sg.assessment),
        subgoals=tuple(
            _subgoal(s, f"{number}.{j}", period, heading) for j, s in enumerate(sg.subgoals, 1)
        ),
    )


def definitions(settings: Settings, period: Period) -> tuple[str, tuple[Definition, ...]]:
    """The rules in force, in Swedish, from the settings: change Tolerans and the text changes."""
    tol = format_percent(settings.tolerance_pct)
    intro = (
        f"Varje mätvärde får en status utifrån utfallet för {period.words}, jämfört med "
        "målvärdet, utgångsvärdet och målåret. Så här bedöms statusen i den här rapporten."
    )
    if period.is_interim:
        intro += (
            " Det här är en delårsrapport: ett mätvärde som bara mäts en gång per år visas "
            "som Följs upp senare."
        )
    defs = [
        Definition(
            Status.GREEN.label,
            "Målvärdet är uppnått: utfallet är lika med eller bättre än målvärdet, även om "
            "målåret inte har kommit. En aktivitet är genomförd.",
            status_view(Status.GREEN),
            "Målvärdet är uppnått, även om målåret inte har kommit. En aktivitet är genomförd.",
        ),
        Definition(
            Status.YELLOW.label,
            "Målåret har kommit men målvärdet är inte uppnått. Utfallet är ändå bättre än "
            f"utgångsvärdet, eller avviker högst {tol} från målvärdet. En aktivitet vars "
            "målår har kommit är påbörjad.",
            status_view(Status.YELLOW),
            "Målåret har kommit och målvärdet är inte uppnått, men utfallet är bättre än "
            f"utgångsvärdet eller högst {tol} från målvärdet. En aktivitet är påbörjad.",
        ),
        Definition(
            Status.RED.label,
            "Målåret har kommit och målvärdet är inte uppnått. Utfallet är inte bättre än "
            f"utgångsvärdet och avviker mer än {tol} från målvärdet. En aktivitet vars målår "
            "har kommit är inte påbörjad.",
            status_view(Status.RED),
            "Målåret har kommit och målvärdet är inte uppnått. Utfallet är inte bättre än "
            f"utgångsvärdet och avviker mer än {tol} från målvärdet. En aktivitet är inte "
            "påbörjad.",
        ),
        Definition(
            Status.LATER.label,
            "Målåret har inte kommit och målvärdet är ännu inte uppnått, eller så finns inget "
            "utfall ännu i en delårsrapport eller före målåret.",
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
        "Ej bedömd."
    )
    defs += [
        Definition("Sammanvägning", rollup, None, rollup_short),
        Definition(
            "Nämndens bedömning",
            "Nämnden kan göra en egen bedömning som ersätter den beräknade statusen. Då visas "
            "båda, med nämndens motivering och beslut, och nämndens bedömning används i "
            "sammanvägningen.",
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


def summary_chart(rows: Sequence[SummaryRow], period_words: str) -> Figure | None:
    """The stacked bar chart of measures per status for ``rows`` (every goal, or a slide's)."""
    if not rows:
        return None
    legend = tuple(
        LegendItem(s.label, STATUS_STYLE[s].symbol, *_chart_colours(s)) for s in MEASURE_STATUSES
    )
    bars = []
    described = []
    for row in rows:
        segments = tuple(
            Segment(s.label, STATUS_STYLE[s].symbol, n, *_chart_colours(s))
            for s, n in zip(MEASURE_STATUSES, row.counts, strict=True)
            if n > 0
        )
        bars.append(BarRow(row.goal_heading, segments))
        parts = [
            f"{n} {s.label.lower()}" for s, n in zip(MEASURE_STATUSES, row.counts, strict=True) if n
        ]
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


def _summary_text(report: ScoredReport) -> str:
    counts = [(s, report.summary.get(s, 0)) for s in MEASURE_STATUSES]
    total = sum(n for _, n in counts)
    if total == 0:
        return "Det finns inga mätvärden att redovisa."
    parts = [f"{n} {s.label.lower()}" for s, n in counts if n]
    goals = len(report.goals)
    return (
        f"Rapporten omfattar {format_count(goals)} mål och {format_count(total)} mätvärden. "
        f"För {report.period.words}: {join_words(parts)}."
    )


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


def default_decision_proposal(board: str, period: Period) -> str:
    """The usual proposal: the board approves the goal fulfilment for its activity report
    (annual) or interim report, in the board's own name."""
    document = REPORT_NAME[period.kind].format(y=period.year)
    return (
        f"{board} godkänner måluppfyllelsen för {period.words} och att den ingår i "
        f"{genitive(board)} {document}."
    )


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


CHANGES_HEADING = "Förändringar sedan förra rapporten"


def changes_view(changes: Changes) -> ChangesView:
    """The comparison with the previous report, in words and status badges."""
    since = changes.previous.words
    labels = {Level.GOAL: "Mål", Level.SUBGOAL: "Delmål", Level.MEASURE: "Mätvärde"}
    order = {Level.GOAL: 0, Level.SUBGOAL: 1, Level.MEASURE: 2}
    rows = tuple(
        ChangeRow(
            labels[c.level],
            f"{c.id} {c.name}",
            status_view(c.before),
            status_view(c.after),
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
                    f"{labels[a.level]} {a.item_id}: {a.status.label if a.status else ''}"
                    + (f" ({a.decision})" if a.decision else "")
                    for a in changes.new_assessments
                ),
            )
        )
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
    return ChangesView(CHANGES_HEADING, intro, rows, tuple(lists), changes.empty)


def build_context(
    report: ScoredReport, *, generated: dt.date, changes: Changes | None = None
) -> ReportContext:
    """Build the shared render context from the scored report; ``generated`` is the date printed
    and stamped in metadata (the caller decides it, e.g. from SOURCE_DATE_EPOCH)."""
    if isinstance(generated, dt.datetime):
        generated = generated.date()
    settings = report.settings
    period = report.period
    goals = tuple(_goal(g, i, period) for i, g in enumerate(report.goals, 1))
    summary_rows = []
    for sg, section in zip(report.goals, goals, strict=True):
        counts = tuple(sum(1 for m in sg.measures if m.status is s) for s in MEASURE_STATUSES)
        summary_rows.append(
            SummaryRow(
                goal_heading=section.heading,
                anchor=section.anchor,
                assessed=section.assessed,
                counts=counts,
                total=sum(counts),
            )
        )
    totals = tuple(sum(r.counts[i] for r in summary_rows) for i in range(len(MEASURE_STATUSES)))
    all_rows = [m for g in goals for s in g.subgoals for m in s.measures]
    intro, defs = definitions(settings, period)
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
        legend=tuple(status_view(s) for s in MEASURE_STATUSES),
        statuses=tuple(status_view(s) for s in Status),
        summary_columns=tuple(status_view(s) for s in MEASURE_STATUSES),
        summary_rows=tuple(summary_rows),
        summary_totals=totals,
        summary_total=sum(totals),
        summary_text=_summary_text(report),
        summary_figure=summary_chart(summary_rows, period.words),
        col_value=f"Utfall {period.words}",
        col_previous=f"Utfall {period.year_earlier().words}",
        goals=goals,
        later=_listed(all_rows, Status.LATER),
        missing=_listed(all_rows, Status.MISSING),
        history=_history_tables(report, goals),
        changes=changes_view(changes) if changes is not None else None,
        decision_proposal=settings.decision_proposal.strip()
        or default_decision_proposal(board, period),
    )
