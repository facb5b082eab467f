"""Context stage for the council's view: :class:`~ksreport.consolidated.Consolidated` → every
text the renderers print, in Swedish, built once and shared by the HTML, PDF and DOCX renderers
(``ksreport.render.consolidated``).

Statuses are the boards' own (scored once per board); nothing here re-scores. Status views,
definitions and number formatting come from ``ksreport.context`` so the council's document reads
like the boards' reports. At an interim period a status that is a forecast for the full year says
so in words (``Grönt (prognos)``, ``Prognos helår``), and a council goal says when its status
rests on the boards' own assessments rather than on the computed results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ksreport.consolidated import BoardGoal, Consolidated, CouncilGoal
from ksreport.context import (
    FORECAST_PREFIX,
    LANG,
    MEASURE_STATUSES,
    Assessed,
    Definition,
    StatusView,
    capitalise,
    status_view,
)
from ksreport.formatting import (
    format_count,
    format_date_iso,
    format_date_long,
    format_number,
    join_words,
)
from ksreport.model import RollupMethod, Status

TITLE = "Måluppfyllelse per fullmäktigemål"

GOAL_STATUSES = (Status.GREEN, Status.YELLOW, Status.RED, Status.NOT_ASSESSED)
"""The statuses a goal (a board's or the council's) can have, in the order tables list them."""

# A goal is "ett mål": the adjective agrees in the neuter, singular and plural.
_ADJECTIVES = {
    Status.GREEN: ("grönt", "gröna"),
    Status.YELLOW: ("gult", "gula"),
    Status.RED: ("rött", "röda"),
    Status.NOT_ASSESSED: ("ej bedömt", "ej bedömda"),
}


@dataclass(frozen=True)
class CouncilLabels:
    """Every fixed Swedish word the council's document prints, in one place. The names the
    shared template macros use (``status``, ``computed``, ``board_status``, ``justification``,
    ``decision``) mean the same as in :class:`ksreport.context.Labels`."""

    contents: str = "Innehåll"
    definitions: str = "Så bedöms måluppfyllelsen"
    overview: str = "Översikt"
    council_goal: str = "Fullmäktigemål"
    council_status: str = "Sammanvägd status"
    board: str = "Nämnd"
    board_goal: str = "Nämndmål"
    status: str = "Status"
    computed: str = "Beräknad status"
    board_status: str = "Nämndens bedömning"
    justification: str = "Motivering"
    decision: str = "Beslut"
    total: str = "Totalt"
    unlinked: str = "Utan koppling till fullmäktigemål"
    boards: str = "Nämndernas resultat"
    goals_table: str = "Nämndmål per status"
    measures_table: str = "Mätvärden per status"
    boards_fact: str = "Nämnder"
    generated: str = "Framtagen"
    page: str = "Sida"
    page_of: str = "av"
    skip_link: str = "Hoppa till innehållet"
    toc_hint: str = "Högerklicka och välj Uppdatera fält om sidnummer saknas."
    no_board_goals: str = "Inget nämndmål är kopplat till det här fullmäktigemålet."
    all_linked: str = "Alla nämndmål är kopplade till ett fullmäktigemål."
    no_council_goals: str = "Ingen av arbetsböckerna nämner något fullmäktigemål."
    forecast: str = "Prognos för helåret"


@dataclass(frozen=True)
class BoardGoalRow:
    board: str
    goal: str
    """``Mål 2: …``, numbered as in the board's own report."""
    assessed: Assessed
    """The final status; where the board overrode it, the computed one, justification and
    decision."""


@dataclass(frozen=True)
class CouncilSection:
    name: str
    heading: str
    anchor: str
    assessed: Assessed
    """The rolled-up status (never overridden: the council's view has no assessments). Its
    ``prefix`` names it on the status line: ``Sammanvägd status``, or ``Prognos helår`` where
    it is a forecast; its ``grounds``, at an interim period, say where it rests on the boards'
    own assessments."""
    text: str
    """``Till målet hör 3 nämndmål från 2 nämnder: 2 gröna och 1 gult.``"""
    rows: tuple[BoardGoalRow, ...]
    counts: tuple[int, ...]
    """Board goals per status, in the order of :data:`GOAL_STATUSES`."""

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class BoardRow:
    board: str
    goals: tuple[int, ...]
    """Goals per status, in the order of :data:`GOAL_STATUSES`."""
    measures: tuple[int, ...]
    """Measures per status, in the order of :data:`ksreport.context.MEASURE_STATUSES`."""

    @property
    def goals_total(self) -> int:
        return sum(self.goals)

    @property
    def measures_total(self) -> int:
        return sum(self.measures)


@dataclass(frozen=True)
class ConsolidatedContext:
    """Everything the council's document prints, already formatted."""

    lang: str
    title: str
    heading: str
    """``Måluppfyllelse per fullmäktigemål, helår 2020``: the document's H1."""
    document_title: str
    """For metadata and the window: ``Exempelkommun – Måluppfyllelse per fullmäktigemål, …``."""
    organisation: str
    boards: tuple[str, ...]
    boards_text: str
    period_code: str
    period_words: str
    generated: dt.date
    generated_iso: str
    generated_long: str
    labels: CouncilLabels
    definitions_intro: str
    definitions: tuple[Definition, ...]
    statuses: tuple[StatusView, ...]
    """Every status, for renderers that style them all (CSS classes, Word shading)."""
    goal_columns: tuple[StatusView, ...]
    measure_columns: tuple[StatusView, ...]
    overview_text: str
    council_goals: tuple[CouncilSection, ...]
    council_totals: tuple[int, ...]
    unlinked_text: str
    unlinked: tuple[BoardGoalRow, ...]
    boards_intro: str
    board_rows: tuple[BoardRow, ...]
    goal_totals: tuple[int, ...]
    measure_totals: tuple[int, ...]
    interim: bool = False
    """An interim period (T1, H1, T2): statuses may be forecasts for the full year."""

    @property
    def goal_total(self) -> int:
        return sum(self.goal_totals)

    @property
    def measure_total(self) -> int:
        return sum(self.measure_totals)


def _plural(n: int, one: str, many: str) -> str:
    return f"{format_count(n)} {one if n == 1 else many}"


def status_phrase(counts: Mapping[Status, int]) -> str:
    """``2 gröna, 1 gult och 1 ej bedömt``: goals per status in words; empty when none."""
    return join_words(
        [
            f"{format_count(counts.get(s, 0))} {one if counts.get(s, 0) == 1 else many}"
            for s, (one, many) in _ADJECTIVES.items()
            if counts.get(s, 0)
        ]
    )


def _counts(statuses: Sequence[Status]) -> dict[Status, int]:
    return {s: sum(1 for x in statuses if x is s) for s in GOAL_STATUSES}


def _assessed(g: BoardGoal) -> Assessed:
    a = g.goal.assessment
    computed_forecast = g.interim and g.goal.grounds.forecasts > 0
    return Assessed(
        status=status_view(g.status, forecast=g.forecast),
        computed=status_view(g.computed_status, forecast=computed_forecast)
        if g.overridden
        else None,
        justification=a.justification.strip() if a and g.overridden else "",
        decision=a.decision.strip() if a and g.overridden else "",
    )


def _row(g: BoardGoal) -> BoardGoalRow:
    return BoardGoalRow(g.board, f"Mål {g.number}: {g.goal.goal.name}", _assessed(g))


def own_assessments_text(c: CouncilGoal) -> str:
    """``Bedömningen bygger på nämndernas egna bedömningar för 2 av 3 nämndmål; …``: where the
    board goals weighed carry the boards' own statuses; empty where none does."""
    own = c.own_assessments
    if not own:
        return ""
    k, n = len(own), len(c.counted)
    if k == 1:
        whose = "nämndens egen bedömning"
    elif len({g.board for g in own}) == 1:
        whose = "nämndens egna bedömningar"
    else:
        whose = "nämndernas egna bedömningar"
    if n == 1:
        return f"Bedömningen bygger på {whose} av nämndmålet, inte på det beräknade resultatet."
    if k == n:
        every = "båda nämndmålen" if n == 2 else f"alla {format_count(n)} nämndmål"
        return f"Bedömningen bygger på {whose} för {every}, inte på de beräknade resultaten."
    return (
        f"Bedömningen bygger på {whose} för {format_count(k)} av {format_count(n)} nämndmål; "
        "för övriga på de beräknade resultaten."
    )


def _section(c: CouncilGoal, index: int, interim: bool) -> CouncilSection:
    counts = _counts([g.status for g in c.board_goals])
    if c.board_goals:
        text = (
            f"Till målet hör {_plural(len(c.board_goals), 'nämndmål', 'nämndmål')} från "
            f"{_plural(len(c.boards), 'nämnd', 'nämnder')}: {status_phrase(counts)}."
        )
    else:
        text = CouncilLabels.no_board_goals
    return CouncilSection(
        name=c.name,
        heading=f"{CouncilLabels.council_goal}: {c.name}",
        anchor=f"fm-{index}",
        assessed=Assessed(
            status_view(c.status, forecast=c.forecast),
            prefix=FORECAST_PREFIX if c.forecast else CouncilLabels.council_status,
            grounds=own_assessments_text(c) if interim else "",
        ),
        text=text,
        rows=tuple(_row(g) for g in c.board_goals),
        counts=tuple(counts[s] for s in GOAL_STATUSES),
    )


def rollup_text(c: Consolidated) -> str:
    """How a council goal's status is rolled up, from the first workbook's settings in force."""
    s = c.settings
    source = f"Reglerna kommer från den första arbetsboken ({s.board.strip()})"
    if s.rollup is RollupMethod.WORST:
        text = (
            "Ett fullmäktigemål får den sämsta statusen bland de nämndmål som är kopplade till "
            f"det (sammanvägning: Sämsta). {source}."
        )
    else:
        text = (
            "Ett fullmäktigemåls status vägs samman från statusen för de nämndmål som är kopplade "
            "till det, med samma regler som nämnderna använder för sina mål (sammanvägning: "
            f"Medel). {source}: grönt ger 2 poäng, gult 1 och rött 0, och ett medelvärde på minst "
            f"{format_number(s.green_threshold)} ger grönt, minst "
            f"{format_number(s.yellow_threshold)} gult och lägre rött."
        )
    text += (
        " Nämndmål som är Ej bedömda räknas inte, och ett fullmäktigemål utan bedömda nämndmål "
        "blir Ej bedömt."
    )
    if c.other_rules:
        text += (
            f" {join_words(list(c.other_rules))} har andra regler för sammanvägning i sin "
            "arbetsbok; deras mål är bedömda efter de egna reglerna, men sammanvägningen per "
            "fullmäktigemål följer reglerna ovan."
        )
    return text


def definitions(c: Consolidated) -> tuple[str, tuple[Definition, ...]]:
    intro = (
        f"Rapporten visar hur nämndernas mål för {c.period.words} bidrar till "
        "kommunfullmäktiges mål. Hur varje mätvärde, delmål och nämndmål bedöms står i "
        "nämndernas egna rapporter."
    )
    data = "inga utfall eller prognoser" if c.period.is_interim else "inga utfall"
    defs = (
        Definition(
            "Nämndmålens status",
            "Ett nämndmål har samma status som i nämndens egen rapport för "
            f"{c.period.words}: delmålens status vägs samman till målets enligt reglerna i "
            "nämndens arbetsbok. Har nämnden gjort en egen bedömning gäller den; då visas också "
            "den beräknade statusen och nämndens motivering.",
        ),
        Definition("Sammanvägning per fullmäktigemål", rollup_text(c)),
        Definition(
            "Koppling till fullmäktigemål",
            "Ett nämndmål hör till det fullmäktigemål som står i kolumnen Fullmäktigemål i "
            "bladet Mål i nämndens arbetsbok. Namnen jämförs utan hänsyn till stora och små "
            "bokstäver eller mellanslag och visas som de först skrevs. Ett fullmäktigemål finns "
            "med om någon arbetsbok nämner det, i bladet Mål eller i inställningen "
            "Fullmäktigemål. Nämndmål utan fullmäktigemål listas för sig under "
            f"{CouncilLabels.unlinked}.",
        ),
        Definition(
            Status.NOT_ASSESSED.label,
            f"Det finns inget grönt, gult eller rött att väga samman: {data} ännu för "
            "perioden, eller inga nämndmål kopplade till fullmäktigemålet.",
            status_view(Status.NOT_ASSESSED),
        ),
    )
    if c.period.is_interim:
        forecast = Definition(
            CouncilLabels.forecast,
            f"{capitalise(c.period.words)} är en delårsperiod. Ett nämndmåls status är då en "
            f"prognos för helåret {c.period.year} när den bygger på mätvärdenas prognoser eller "
            "på nämndens egen bedömning; ordet prognos står då vid statusen, till exempel "
            f"{status_view(Status.GREEN, forecast=True).label}. Ett fullmäktigemåls sammanvägda "
            f"status är en prognos, {FORECAST_PREFIX}, när något av de nämndmål som vägs samman "
            "är det. Bygger sammanvägningen på nämndernas egna bedömningar i stället för på de "
            "beräknade resultaten står det under fullmäktigemålet.",
        )
        return intro, (defs[0], forecast, *defs[1:])
    return intro, defs


def _overview_text(c: Consolidated, boards: Sequence[str]) -> str:
    goals = sum(sum(b.goals.values()) for b in c.boards)
    text = (
        f"Rapporten samlar {_plural(goals, 'nämndmål', 'nämndmål')} från "
        f"{_plural(len(boards), 'nämnd', 'nämnder')} ({join_words(list(boards))})"
    )
    if not c.council_goals:
        return f"{text}. {CouncilLabels.no_council_goals}"
    counts = _counts([g.status for g in c.council_goals])
    text += (
        f" under {_plural(len(c.council_goals), 'fullmäktigemål', 'fullmäktigemål')}. "
        f"Sammanvägt för {c.period.words}: {status_phrase(counts)}."
    )
    if c.period.is_interim:
        text += _forecast_sentence(c)
    if c.unlinked:
        n = len(c.unlinked)
        text += f" {capitalise(_plural(n, 'nämndmål', 'nämndmål'))} saknar fullmäktigemål."
    return text


_FORECAST_PHRASES = {
    Status.GREEN: "bedöms uppnås",
    Status.YELLOW: "bedöms delvis uppnås",
    Status.RED: "bedöms inte uppnås",
}


def _forecast_sentence(c: Consolidated) -> str:
    """At an interim period, `` Prognosen för helåret 2021: 1 av 3 fullmäktigemål bedöms
    uppnås, …`` and how many council goals rest on the boards' own assessments (leading space;
    empty where no council goal has a forecast)."""
    goals = c.council_goals
    if not any(g.forecast for g in goals):
        return ""
    parts = [
        f"{format_count(n)} {phrase}"
        for s, phrase in _FORECAST_PHRASES.items()
        if (n := sum(1 for g in goals if g.status is s))
    ]
    rest = sum(1 for g in goals if not g.status.is_assessed)
    if rest:
        parts.append(f"{format_count(rest)} kan inte bedömas ännu")
    first, *others = parts
    count, _, words = first.partition(" ")
    head = f"{count} av {_plural(len(goals), 'fullmäktigemål', 'fullmäktigemål')} {words}"
    text = f" Prognosen för helåret {c.period.year}: {join_words([head, *others])}."
    own = sum(1 for g in goals if g.own_assessments)
    if own:
        text += (
            f" För {_plural(own, 'fullmäktigemål', 'fullmäktigemål')} bygger sammanvägningen "
            "helt eller delvis på nämndernas egna bedömningar."
        )
    return text


def build_consolidated_context(c: Consolidated, *, generated: dt.date) -> ConsolidatedContext:
    """Build the shared render context of the council's document; ``generated`` is the date
    printed and stamped in metadata."""
    if isinstance(generated, dt.datetime):
        generated = generated.date()
    boards = tuple(b.board for b in c.boards)
    heading = f"{TITLE}, {c.period.words}"
    interim = c.period.is_interim
    sections = tuple(_section(g, i, interim) for i, g in enumerate(c.council_goals, 1))
    board_rows = tuple(
        BoardRow(
            b.board,
            tuple(b.goals.get(s, 0) for s in GOAL_STATUSES),
            tuple(b.measures.get(s, 0) for s in MEASURE_STATUSES),
        )
        for b in c.boards
    )
    intro, defs = definitions(c)
    n_unlinked = len(c.unlinked)
    unlinked_text = (
        f"{'Nämndmålet' if n_unlinked == 1 else 'Nämndmålen'} nedan har inget fullmäktigemål i "
        "kolumnen Fullmäktigemål och ingår inte i någon sammanvägning."
        if n_unlinked
        else CouncilLabels.all_linked
    )
    return ConsolidatedContext(
        lang=LANG,
        title=TITLE,
        heading=heading,
        document_title=f"{c.organisation} – {heading}" if c.organisation else heading,
        organisation=c.organisation,
        boards=boards,
        boards_text=join_words(list(boards)),
        period_code=c.period.code,
        period_words=c.period.words,
        generated=generated,
        generated_iso=format_date_iso(generated),
        generated_long=format_date_long(generated),
        labels=CouncilLabels(),
        definitions_intro=intro,
        definitions=defs,
        statuses=tuple(status_view(s) for s in Status),
        goal_columns=tuple(status_view(s) for s in GOAL_STATUSES),
        measure_columns=tuple(status_view(s) for s in MEASURE_STATUSES),
        overview_text=_overview_text(c, boards),
        council_goals=sections,
        council_totals=tuple(sum(s.counts[i] for s in sections) for i in range(len(GOAL_STATUSES))),
        unlinked_text=unlinked_text,
        unlinked=tuple(_row(g) for g in c.unlinked),
        boards_intro=(
            f"Antal nämndmål och mätvärden per status för {c.period.words}, som i varje "
            "nämnds egen rapport."
            + (
                " Statusen är en prognos för helåret där den bygger på prognoser eller på "
                "nämndens egen bedömning."
                if interim
                else ""
            )
        ),
        board_rows=board_rows,
        goal_totals=tuple(sum(r.goals[i] for r in board_rows) for i in range(len(GOAL_STATUSES))),
        measure_totals=tuple(
            sum(r.measures[i] for r in board_rows) for i in range(len(MEASURE_STATUSES))
        ),
        interim=interim,
    )
