"""Context stage for the tjänsteskrivelse (the officer's memo that carries the report to the
board): its content, built once from the scored report and the shared report context.

Every section takes the workbook's own text (sheet ``Ärendetext``) where it is given, and
otherwise a plain generated text in the formal, short style of a Swedish municipal memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ksreport import contract
from ksreport.context import (
    AGENDA_2030,
    INTERIM_AS_OF,
    MEASURE_STATUSES,
    REPORT_NAME,
    ReportContext,
    capitalise,
    genitive,
    goals_forecast_sentence,
    grounds_text,
)
from ksreport.formatting import format_count, join_words
from ksreport.model import Grounds, ScoredGoal, ScoredReport, Status, StatusWords
from ksreport.periods import Period, PeriodKind

MEMO_TITLE = "Tjänsteskrivelse"


@dataclass(frozen=True)
class MemoSection:
    number: int
    heading: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()  # a list after the paragraphs (e.g. the attachments)
    closing: tuple[str, ...] = ()  # paragraphs after the list
    files: tuple[str, ...] = ()
    """Per item, the file it names (shown in brackets after it, never broken across lines in
    the PDF); empty where none."""

    @property
    def listed(self) -> tuple[tuple[str, str], ...]:
        """The items with their file names (``""`` where none)."""
        return tuple(zip(self.items, self.files + ("",) * len(self.items), strict=False))


@dataclass(frozen=True)
class Memo:
    lang: str
    document_title: str
    organisation: str
    administration: str
    board: str
    diary_number: str
    to: str
    date: str
    title: str
    decision_heading: str
    decision: str
    summary_heading: str
    summary: tuple[str, ...]
    case_heading: str
    sections: tuple[MemoSection, ...]
    send_to_heading: str
    send_to: tuple[str, ...]
    case_officer: str
    responsible_officer: str
    memo_label: str = MEMO_TITLE
    diary_label: str = "Dnr"
    case_officer_label: str = "Handläggare"
    responsible_label: str = "Ansvarig tjänsteman"
    page_label: str = "Sida"  # "Sida 2 av 3" in the Word file's footer
    page_of_label: str = "av"


@dataclass(frozen=True)
class Attachment:
    """A document this build wrote that goes with the memo."""

    title: str
    file_name: str


def _count(n: int, one: str, many: str) -> str:
    return f"{format_count(n)} {one if n == 1 else many}"


_ADJECTIVES = {
    StatusWords.COLOURS: {
        Status.GREEN: ("grönt", "gröna"),
        Status.YELLOW: ("gult", "gula"),
        Status.RED: ("rött", "röda"),
    },
    StatusWords.ATTAINMENT: {
        Status.GREEN: ("uppnått", "uppnådda"),
        Status.YELLOW: ("delvis uppnått", "delvis uppnådda"),
        Status.RED: ("inte uppnått", "inte uppnådda"),
    },
}


def _adjective(status: Status, words: StatusWords) -> str:
    """``grönt`` (or ``uppnått`` under Statusord Måluppfyllelse); a status that is no
    assessment by its own word."""
    return _ADJECTIVES[words].get(status, (status.label.lower(),))[0]


def assessed_phrase(statuses: Sequence[Status], words: StatusWords = StatusWords.COLOURS) -> str:
    """``2 som gröna, 1 som gult och 1 som rött``; empty when none is green, yellow or red."""
    parts = []
    for status, (one, many) in _ADJECTIVES[words].items():
        n = sum(1 for s in statuses if s is status)
        if n:
            parts.append(f"{format_count(n)} som {one if n == 1 else many}")
    return join_words(parts)


def summary_paragraphs(report: ScoredReport, ctx: ReportContext) -> list[str]:
    """What the scored model says, in prose: counts and where the board judged differently.

    At an interim period every status is a judgement of the full year: the summary leads with
    the goals' forecast and says on how many measures, and how many forecasts, it rests.
    """
    board = ctx.board
    measures = report.summary
    total = sum(measures.values())
    goals = report.goals
    interim = report.period.is_interim
    words = report.settings.status_words
    first = (
        f"{board} har {_count(len(goals), 'mål', 'mål')} för mandatperioden"
        f"{' ' + ctx.mandate_period if ctx.mandate_period else ''}, med "
        f"{_count(sum(len(g.subgoals) for g in goals), 'delmål', 'delmål')} som följs upp med "
        f"{_count(total, 'mätvärde', 'mätvärden')}."
    )
    assessed = assessed_phrase(
        [x for status in MEASURE_STATUSES for x in [status] * measures.get(status, 0)], words
    )
    rest = []
    if measures.get(Status.LATER, 0):
        rest.append(f"{format_count(measures[Status.LATER])} följs upp senare")
    if measures.get(Status.MISSING, 0):
        n = measures[Status.MISSING]
        rest.append(f"för {format_count(n)} saknas utfall")
    when = f"helåret {report.period.year}" if interim else ctx.period_words
    if assessed:
        second = f"För {when} bedöms {assessed} av mätvärdena"
        second += f"; {join_words(rest)}." if rest else "."
    elif rest:
        second = f"För {when} kan inget mätvärde bedömas ännu: {join_words(rest)}."
    else:
        second = f"För {when} finns inga mätvärden att redovisa."
    if interim:
        grounds = _grounds(goals)
        as_of = INTERIM_AS_OF[report.period.kind].format(y=report.period.year)
        paragraphs = [
            first,
            f"I delårsrapporten {as_of} bedöms för varje mål om det nås vid årets slut, "
            "utifrån prognoser för helåret och de utfall som finns. "
            + goals_forecast_sentence(goals),
            f"{second} {_grounds_sentence(grounds)}",
        ]
        if ctx.empty_period:
            paragraphs.append(ctx.empty_period)
    else:
        paragraphs = [first, second]
        goal_phrase = assessed_phrase([g.status for g in goals], words)
        if goal_phrase:
            paragraphs.append(f"Sammantaget bedöms {goal_phrase} av målen.")
    for g in goals:
        if g.overridden:
            paragraphs.append(_override_sentence(g, board, report.period, words))
    others = [s.subgoal.id for g in goals for s in g.subgoals if s.overridden]
    others += [m.measure.id for g in goals for m in g.measures if m.overridden]
    if others:
        of = " av prognosen för" if interim else " av"
        paragraphs.append(
            f"{board} har också gjort en egen bedömning{of} "
            f"{_count(len(others), 'delmål eller mätvärde', 'delmål och mätvärden')}; "
            "de redovisas med motivering i rapporten."
        )
    return paragraphs


def _grounds(goals: Sequence[ScoredGoal]) -> Grounds:
    """The grounds of all goals together."""
    return Grounds(
        counted=sum(g.grounds.counted for g in goals),
        total=sum(g.grounds.total for g in goals),
        forecasts=sum(g.grounds.forecasts for g in goals),
    )


def _grounds_sentence(grounds: Grounds) -> str:
    if grounds.total and not grounds.counted:
        return (
            f"Inget av de {format_count(grounds.total)} mätvärdena kan bedömas ännu: det finns "
            "varken prognoser eller utfall som räcker för en bedömning."
        )
    return grounds_text(grounds, "uppföljningen", interim=True) if grounds.total else ""


# At an interim period: what a goal's status says about the full year.
_ATTAINS = {
    Status.GREEN: "uppnås",
    Status.YELLOW: "delvis uppnås",
    Status.RED: "inte uppnås",
}


def _override_sentence(g: ScoredGoal, board: str, period: Period, words: StatusWords) -> str:
    """The board's own assessment of a goal; at an interim period an assessment of the
    full-year prognosis."""
    a = g.assessment
    assert a is not None
    if not period.is_interim:
        computed = (
            f"det beräknade resultatet är {_adjective(g.computed_status, words)}"
            if g.computed_status.is_assessed
            else f"det inte finns något beräknat resultat ({g.computed_status.label.lower()})"
        )
        return (
            f"{board} har bedömt mål {g.goal.id}, {g.goal.name}, som "
            f"{_adjective(g.status, words)}, medan {computed}"
            + (f" ({a.decision})" if a.decision else "")
            + f". Motivering: {a.justification}"
        )

    def attains(status: Status) -> str:
        # the colour in brackets ties the words to the report's symbols; under Statusord
        # Måluppfyllelse the words are the report's own
        colour = f" ({_adjective(status, words)})" if words is StatusWords.COLOURS else ""
        return f"{_ATTAINS[status]}{colour}"

    name = f"mål {g.goal.id}, {g.goal.name},"
    verdict = (
        f"att {name} {attains(g.status)}"
        if g.status.is_assessed
        else f"att {name} inte kan bedömas ännu"
    )
    computed = (
        f"den beräknade prognosen är att målet {attains(g.computed_status)}"
        if g.computed_status.is_assessed
        else "enligt de beräknade resultaten kan målet inte bedömas ännu"
    )
    return (
        f"{capitalise(genitive(board))} egen bedömning av prognosen för helåret {period.year}"
        + (f" ({a.decision})" if a.decision else "")
        + f" är {verdict}; {computed}. Motivering: {a.justification}"
    )


def _next_period(period: Period) -> str:
    if period.kind is PeriodKind.YEAR:
        return f"delårsrapporten per april {period.year + 1}"
    if period.kind in (PeriodKind.T1, PeriodKind.H1):
        return f"delårsrapporten per augusti {period.year}"
    return f"årsredovisningen för {period.year}"


def _as_of(period: Period) -> str:
    """``per augusti 2021`` at an interim period, ``för helår 2020`` at full year."""
    if period.is_interim:
        return INTERIM_AS_OF[period.kind].format(y=period.year)
    return f"för {period.words}"


def _overall_text(report: ScoredReport, board: str, period_words: str) -> str:
    """Förvaltningens helhetsbedömning: the goals' statuses; at an interim period the forecast
    for the full year."""
    goals = report.goals
    overall = assessed_phrase([g.status for g in goals], report.settings.status_words)
    if not report.period.is_interim:
        if not overall:
            return f"Inget av målen kan bedömas för {period_words} ännu."
        return (
            f"Av {genitive(board)} {_count(len(goals), 'mål', 'mål')} bedöms {overall} "
            f"för {period_words}."
        )
    year = report.period.year
    if not overall:
        return f"Inget av målen kan ännu bedömas för helåret {year}."
    n = sum(1 for g in goals if not g.status.is_assessed)
    rest = f"; {format_count(n)} kan inte bedömas ännu" if n else ""
    return (
        f"Enligt prognosen för helåret {year} bedöms {overall} av {genitive(board)} "
        f"{_count(len(goals), 'mål', 'mål')}{rest}."
    )


def _generated_sections(
    report: ScoredReport, ctx: ReportContext, attachments: Sequence[Attachment]
) -> dict[str, MemoSection]:
    """The default text of every numbered section, from the scored model."""
    board = ctx.board
    goals = report.goals
    interim = report.period.is_interim
    year = report.period.year
    boards = capitalise(genitive(board))
    council = sorted({g.goal.council_goal for g in goals if g.goal.council_goal})
    decisions = [
        f"{a.decision} ({a.level.label.lower()} {a.item_id})"
        for a in report.plan.assessments
        if a.period == report.period and a.decision
    ]
    agenda = sorted({n for g in goals for n in g.goal.agenda2030})
    document = REPORT_NAME[report.period.kind].format(y=report.period.year)
    mandate = f" {ctx.mandate_period}" if ctx.mandate_period else ""
    org = ctx.organisation or "Kommunen"
    texts: dict[str, tuple[list[str], list[str], list[str]]] = {
        "Bakgrund": (
            [
                f"{org}s kommunfullmäktige har fastställt övergripande mål för mandatperioden"
                f"{mandate}. {board} har utifrån dem beslutat om "
                f"{_count(len(goals), 'eget mål', 'egna mål')} med delmål som följs upp med "
                "indikatorer och aktiviteter.",
                f"Uppföljningen av måluppfyllelsen {_as_of(report.period)} redovisas i "
                f"{genitive(board)} {document}, med utfallen hittills och prognosen för helåret "
                f"{year}. Rapporten bifogas."
                if interim
                else f"Måluppfyllelsen för {ctx.period_words} redovisas i {genitive(board)} "
                f"{document}. Rapporten bifogas.",
            ],
            [],
            [],
        ),
        "Ekonomiska konsekvenser": (
            ["Ärendet har inga direkta ekonomiska konsekvenser."],
            [],
            [],
        ),
        "Politiska mål och beslut kopplade till ärendet": (
            [f"{boards} mål bidrar till kommunfullmäktiges mål:"]
            if council
            else [
                f"{boards} mål för mandatperioden{mandate} har inte kopplats till "
                "kommunfullmäktiges mål i arbetsboken."
            ],
            council,
            [
                f"{board} har beslutat om egna bedömningar"
                f"{f' av prognosen för helåret {year}' if interim else ''}: "
                f"{join_words(decisions)}."
            ]
            if decisions
            else [],
        ),
        "Agenda 2030": (
            [f"{boards} mål bidrar till följande globala mål i Agenda 2030:"]
            if agenda
            else ["Målen har inte kopplats till de globala målen i Agenda 2030."],
            [f"{n} {AGENDA_2030.get(n, '')}".strip() for n in agenda],
            [],
        ),
        "Samråd": (
            [
                "Uppföljningen bygger på de utfall"
                + (" och prognoser" if interim else "")
                + " som de ansvariga för respektive mätvärde har rapporterat."
            ],
            [],
            [],
        ),
        "Uppföljning och utvärdering": (
            [
                "Måluppfyllelsen följs upp i delårsrapporterna och i årsredovisningen. "
                f"Nästa uppföljning sker i {_next_period(report.period)}."
            ],
            [],
            [],
        ),
        "Förvaltningens helhetsbedömning": (
            [_overall_text(report, board, ctx.period_words)],
            [],
            [],
        ),
        "Handlingar och bilagor": (
            [],
            [f"{MEMO_TITLE} {ctx.generated_iso}"] + [a.title for a in attachments],
            [],
        ),
    }
    files = ("", *(a.file_name for a in attachments))
    return {
        heading: MemoSection(
            number,
            heading,
            tuple(p),
            tuple(i),
            tuple(c),
            files if heading == "Handlingar och bilagor" else (),
        )
        for number, heading in enumerate(contract.CASE_SECTIONS, start=1)
        for p, i, c in [texts[heading]]
    }


def memo_title(board: str, period: Period) -> str:
    """``Kommunstyrelsens måluppfyllelse helår 2020``; at an interim period the follow-up for the
    delårsrapport: ``Uppföljning av kommunstyrelsens måluppfyllelse, delårsrapport per augusti
    2021``."""
    if period.is_interim:
        return (
            f"Uppföljning av {genitive(board)} måluppfyllelse, "
            f"{REPORT_NAME[period.kind].format(y=period.year)}"
        )
    return f"{capitalise(genitive(board))} måluppfyllelse {period.words}"


def build_memo(
    report: ScoredReport, ctx: ReportContext, attachments: Sequence[Attachment] = ()
) -> Memo:
    """The memo's content: the workbook's ``Ärendetext`` where given, generated text elsewhere.

    Own text replaces a section's generated text; under Handlingar och bilagor the list of the
    files this build wrote is kept below it.
    """
    own: dict[str, list[str]] = {}
    for t in report.plan.case_texts:
        own.setdefault(t.heading, []).append(t.text)
    sections = []
    for heading, section in _generated_sections(report, ctx, attachments).items():
        if heading in own:
            keep = heading == "Handlingar och bilagor"
            section = MemoSection(
                section.number,
                heading,
                tuple(own[heading]),
                section.items if keep else (),
                files=section.files if keep else (),
            )
        sections.append(section)
    settings = report.settings
    board = ctx.board
    title = memo_title(board, report.period)
    send_to = settings.send_decision_to or tuple(x for x in (settings.administration,) if x)
    return Memo(
        lang=ctx.lang,
        document_title=f"{MEMO_TITLE}: {title}",
        organisation=ctx.organisation,
        administration=ctx.administration,
        board=board,
        diary_number=ctx.diary_number,
        to=f"Till {board}",
        date=ctx.generated_iso,
        title=title,
        decision_heading=ctx.labels.decision_proposal,
        decision=ctx.decision_proposal,
        summary_heading=contract.CASE_SUMMARY,
        summary=tuple(own.get(contract.CASE_SUMMARY, []) + summary_paragraphs(report, ctx)),
        case_heading="Ärende",
        sections=tuple(sections),
        send_to_heading="Beslutet ska skickas till",
        send_to=send_to,
        case_officer=settings.case_officer,
        responsible_officer=settings.responsible_officer,
    )
