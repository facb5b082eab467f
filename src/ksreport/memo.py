"""Context stage for the tjänsteskrivelse (the officer's memo that carries the report to the
board): its content, built once from the scored report and the shared report context.

Every section takes the workbook's own text (sheet ``Ärendetext``) where it is given, and
otherwise a plain generated text in the formal, short style of a Swedish municipal memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ksreport import contract
from ksreport.context import AGENDA_2030, REPORT_NAME, ReportContext, capitalise, genitive
from ksreport.formatting import format_count, join_words
from ksreport.model import ScoredReport, Status
from ksreport.periods import Period, PeriodKind

MEMO_TITLE = "Tjänsteskrivelse"


@dataclass(frozen=True)
class MemoSection:
    number: int
    heading: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()  # a list after the paragraphs (e.g. the attachments)
    closing: tuple[str, ...] = ()  # paragraphs after the list


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


@dataclass(frozen=True)
class Attachment:
    """A document this build wrote that goes with the memo."""

    title: str
    file_name: str


def _count(n: int, one: str, many: str) -> str:
    return f"{format_count(n)} {one if n == 1 else many}"


_ADJECTIVES = {
    Status.GREEN: ("grönt", "gröna"),
    Status.YELLOW: ("gult", "gula"),
    Status.RED: ("rött", "röda"),
}


def assessed_phrase(statuses: Sequence[Status]) -> str:
    """``2 som gröna, 1 som gult och 1 som rött``; empty when none is green, yellow or red."""
    parts = []
    for status, (one, many) in _ADJECTIVES.items():
        n = sum(1 for s in statuses if s is status)
        if n:
            parts.append(f"{format_count(n)} som {one if n == 1 else many}")
    return join_words(parts)


def summary_paragraphs(report: ScoredReport, ctx: ReportContext) -> list[str]:
    """What the scored model says, in prose: counts and where the board judged differently."""
    board = ctx.board
    measures = report.summary
    total = sum(measures.values())
    goals = report.goals
    first = (
        f"{board} har {_count(len(goals), 'mål', 'mål')} för mandatperioden"
        f"{' ' + ctx.mandate_period if ctx.mandate_period else ''}, med "
        f"{_count(sum(len(g.subgoals) for g in goals), 'delmål', 'delmål')} som följs upp med "
        f"{_count(total, 'mätvärde', 'mätvärden')}."
    )
    assessed = assessed_phrase(
        [x for status in _ADJECTIVES for x in [status] * measures.get(status, 0)]
    )
    rest = []
    if measures.get(Status.LATER, 0):
        rest.append(f"{format_count(measures[Status.LATER])} följs upp senare")
    if measures.get(Status.MISSING, 0):
        n = measures[Status.MISSING]
        rest.append(f"för {format_count(n)} saknas utfall")
    if assessed:
        second = f"För {ctx.period_words} bedöms {assessed} av mätvärdena"
        second += f"; {join_words(rest)}." if rest else "."
    elif rest:
        second = f"För {ctx.period_words} kan inget mätvärde bedömas ännu: {join_words(rest)}."
    else:
        second = f"För {ctx.period_words} finns inga mätvärden att redovisa."
    paragraphs = [first, second]
    goal_phrase = assessed_phrase([g.status for g in goals])
    if goal_phrase:
        paragraphs.append(f"Sammantaget bedöms {goal_phrase} av målen.")
    overridden = [g for g in goals if g.overridden]
    for g in overridden:
        a = g.assessment
        assert a is not None
        paragraphs.append(
            f"{board} har bedömt mål {g.goal.id}, {g.goal.name}, som "
            f"{_ADJECTIVES.get(g.status, (g.status.label.lower(),))[0]}, medan det beräknade "
            f"resultatet är {g.computed_status.label.lower()}"
            + (f" ({a.decision})" if a.decision else "")
            + f". Motivering: {a.justification}"
        )
    others = [s.subgoal.id for g in goals for s in g.subgoals if s.overridden]
    others += [m.measure.id for g in goals for m in g.measures if m.overridden]
    if others:
        paragraphs.append(
            f"{board} har också gjort en egen bedömning av "
            f"{_count(len(others), 'delmål eller mätvärde', 'delmål och mätvärden')}; "
            "de redovisas med motivering i rapporten."
        )
    return paragraphs


def _next_period(period: Period) -> str:
    if period.kind is PeriodKind.YEAR:
        return f"delårsrapporten per april {period.year + 1}"
    if period.kind in (PeriodKind.T1, PeriodKind.H1):
        return f"delårsrapporten per augusti {period.year}"
    return f"årsredovisningen för {period.year}"


def _generated_sections(
    report: ScoredReport, ctx: ReportContext, attachments: Sequence[Attachment]
) -> dict[str, MemoSection]:
    """The default text of every numbered section, from the scored model."""
    board = ctx.board
    goals = report.goals
    boards = capitalise(genitive(board))
    council = sorted({g.goal.council_goal for g in goals if g.goal.council_goal})
    decisions = [
        f"{a.decision} ({a.level.label.lower()} {a.item_id})"
        for a in report.plan.assessments
        if a.period == report.period and a.decision
    ]
    agenda = sorted({n for g in goals for n in g.goal.agenda2030})
    document = REPORT_NAME[report.period.kind].format(y=report.period.year)
    overall = assessed_phrase([g.status for g in goals])
    mandate = f" {ctx.mandate_period}" if ctx.mandate_period else ""
    org = ctx.organisation or "Kommunen"
    texts: dict[str, tuple[list[str], list[str], list[str]]] = {
        "Bakgrund": (
            [
                f"{org}s kommunfullmäktige har fastställt övergripande mål för mandatperioden"
                f"{mandate}. {board} har utifrån dem beslutat om "
                f"{_count(len(goals), 'eget mål', 'egna mål')} med delmål som följs upp med "
                "indikatorer och aktiviteter.",
                f"Måluppfyllelsen för {ctx.period_words} redovisas i {genitive(board)} "
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
            [f"{board} har beslutat om egna bedömningar: {join_words(decisions)}."]
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
                "Uppföljningen bygger på de utfall som de ansvariga för respektive mätvärde har "
                "rapporterat."
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
            [
                f"Av {genitive(board)} {_count(len(goals), 'mål', 'mål')} bedöms {overall} "
                f"för {ctx.period_words}."
                if overall
                else f"Inget av målen kan bedömas för {ctx.period_words} ännu."
            ],
            [],
            [],
        ),
        "Handlingar och bilagor": (
            [],
            [f"{MEMO_TITLE} {ctx.generated_iso}"]
            + [f"{a.title} ({a.file_name})" for a in attachments],
            [],
        ),
    }
    return {
        heading: MemoSection(number, heading, tuple(p), tuple(i), tuple(c))
        for number, heading in enumerate(contract.CASE_SECTIONS, start=1)
        for p, i, c in [texts[heading]]
    }


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
            keep = section.items if heading == "Handlingar och bilagor" else ()
            section = MemoSection(section.number, heading, tuple(own[heading]), keep)
        sections.append(section)
    settings = report.settings
    board = ctx.board
    send_to = settings.send_decision_to or tuple(x for x in (settings.administration,) if x)
    return Memo(
        lang=ctx.lang,
        document_title=f"{MEMO_TITLE}: {capitalise(genitive(board))} måluppfyllelse "
        f"{ctx.period_words}",
        organisation=ctx.organisation,
        administration=ctx.administration,
        board=board,
        diary_number=ctx.diary_number,
        to=f"Till {board}",
        date=ctx.generated_iso,
        title=f"{capitalise(genitive(board))} måluppfyllelse {ctx.period_words}",
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
