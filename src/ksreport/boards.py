"""Read stage for the council's view (``ksreport build --consolidated``): several boards'
workbooks, each read and validated as ``ksreport validate`` does, every problem naming its file;
the one report period they are all scored for; and the council's document in each format.

Everything is gathered before anything stops: the problems of every file (and boards given
twice) are raised together as one :class:`~ksreport.errors.ValidationError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ksreport.consolidated import Consolidated, board_key, latest_common_period, report_periods
from ksreport.errors import KsreportError, Problem, ValidationError, WorkbookError
from ksreport.model import Plan, ScoredReport
from ksreport.output import slug
from ksreport.periods import Period
from ksreport.render import DEFAULT_VARIANT


@dataclass(frozen=True)
class Board:
    """One board's validated workbook, and how messages name its file."""

    path: Path
    label: str
    plan: Plan

    @property
    def name(self) -> str:
        return self.plan.settings.board.strip()


def skip_lock_files(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The workbooks among the paths given (``ksreport build *.xlsx``), without the lock files
    Excel and LibreOffice keep beside an open workbook; and a note for each lock file skipped
    and for each workbook that seems to be open. Lock files given alone are kept: reading one
    says what it is."""
    from ksreport.io.workbook import lock_file_owner, open_workbook_note

    locks = {
        p: owner for p in paths if (owner := lock_file_owner(p)) is not None and not _is_zip(p)
    }
    if len(locks) == len(paths):
        return list(paths), []
    notes = [
        f'Obs: "{lock.name}" hoppas över: det är ingen arbetsbok utan den låsfil som {program} '
        f'lägger bredvid "{workbook.name}" medan arbetsboken är öppen. Spara arbetsboken i '
        f"{program} så att dina senaste ändringar kommer med."
        for lock, (program, workbook) in locks.items()
    ]
    kept = [p for p in paths if p not in locks]
    told = {workbook.absolute() for _, workbook in locks.values()}
    notes += [n for p in kept if p.absolute() not in told and (n := open_workbook_note(p))]
    return kept, notes


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(2) == b"PK"
    except OSError:
        return False


def file_labels(paths: Sequence[Path]) -> list[str]:
    """How messages name each file: its name (``bun.xlsx``), or the path as given where two
    files share a name."""
    names = [p.name for p in paths]
    return [p.name if names.count(p.name) == 1 else str(p) for p in paths]


def _named(label: str, problem: Problem) -> Problem:
    place = f"{label}: {problem.place}" if problem.place else label
    return replace(problem, place=place)


def _duplicates(boards: Sequence[Board]) -> list[Problem]:
    """An error for each workbook whose board an earlier workbook already has."""
    problems = []
    first: dict[str, Board] = {}
    for b in boards:
        earlier = first.setdefault(board_key(b.name), b)
        if earlier is b:
            continue
        if earlier.path.resolve() == b.path.resolve():
            message = "Filen är angiven två gånger; ange varje nämnds arbetsbok en gång."
        else:
            message = (
                f'Nämnden "{b.name}" finns redan i {earlier.label}. Varje arbetsbok ska vara en '
                "egen nämnds: ändra Nämnd i bladet Inställningar eller ta bort den ena filen."
            )
        problems.append(Problem(f"{b.label}: Inställningar", message))
    return problems


def load_boards(paths: Sequence[Path]) -> tuple[list[Board], list[Problem]]:
    """Read and validate every workbook; returns the boards and the warnings, each naming its
    file. Raises :class:`ValidationError` with every file's problems when any is an error."""
    from ksreport.io.workbook import read_workbook
    from ksreport.validate import validate

    problems: list[Problem] = []
    boards: list[Board] = []
    for path, label in zip(paths, file_labels(paths), strict=True):
        try:
            plan, found = validate(read_workbook(path))
        except WorkbookError as exc:
            problems.append(Problem("", str(exc)))  # the message names the file already
            continue
        problems += [_named(label, p) for p in found]
        if plan is not None:
            boards.append(Board(path, label, plan))
    problems += _duplicates(boards)
    if any(p.is_error for p in problems):
        raise ValidationError(problems)
    return boards, problems


def choose_period(boards: Sequence[Board], requested: Period | None) -> tuple[Period, list[str]]:
    """``--period``; else the Rapportperiod the workbooks agree on (those that give one); else
    the latest period every workbook has outcomes for. Returns the period and notes for the
    user (why a fallback was taken, which boards have no outcomes for it)."""
    plans = [b.plan for b in boards]
    notes: list[str] = []
    settings = report_periods(plans)
    period = requested or (settings[0] if len(settings) == 1 else latest_common_period(plans))
    if requested is None and len(settings) > 1:
        given = ", ".join(
            f"{b.label}: {b.plan.settings.report_period.code}"
            for b in boards
            if b.plan.settings.report_period is not None
        )
        if period is None:
            raise KsreportError(
                f"Arbetsböckerna har olika Rapportperiod ({given}) och ingen period som alla "
                "har utfall för. Ange perioden med --period, t.ex. --period 2020."
            )
        notes.append(
            f"Obs: arbetsböckerna har olika Rapportperiod ({given}). Rapporten gäller den "
            f"senaste perioden som alla har utfall för, {period.code}; ange en annan med --period."
        )
    if period is None:
        raise KsreportError(
            "Det finns ingen period som alla arbetsböcker har utfall för, och ingen av dem anger "
            "Rapportperiod i bladet Inställningar. Ange perioden med --period, t.ex. "
            "--period 2020."
        )
    _refuse_outside_mandate(boards, period)
    for b in boards:
        if period not in b.plan.reported_periods():
            notes.append(
                f"Obs: {b.label} ({b.name}) har inga utfall för perioden {period.code}; "
                "nämndens mätvärden bedöms utan utfall."
            )
    return period, notes


def _refuse_outside_mandate(boards: Sequence[Board], period: Period) -> None:
    """A period that no workbook has outcomes or forecasts for, outside every mandate period
    the workbooks give (``--period 1999``), is a mistake: say which periods have data."""
    if any(period in b.plan.reported_periods() for b in boards):
        return
    mandates = {
        (s.mandate_start, s.mandate_end)
        for b in boards
        if (s := b.plan.settings).mandate_start is not None and s.mandate_end is not None
    }
    if not mandates or any(start <= period.year <= end for start, end in mandates):
        return
    shown = ", ".join(f"{start}–{end}" for start, end in sorted(mandates))
    known = sorted({p for b in boards for p in b.plan.reported_periods()})
    raise KsreportError(
        f"Perioden {period.code}{f' ({period.words})' if period.is_interim else ''} ligger "
        f"utanför mandatperioden {shown}, och ingen av arbetsböckerna har utfall eller "
        "prognoser för den. Perioder med utfall eller prognoser: "
        f"{', '.join(p.code for p in known) or 'inga'}. Välj en av dem med --period."
    )


def score_boards(boards: Sequence[Board], period: Period) -> list[ScoredReport]:
    from ksreport.scoring import score

    return [score(b.plan, period) for b in boards]


def organisation_note(organisations: Sequence[str]) -> str:
    """A warning when the workbooks name different organisations (the first is used)."""
    if len(organisations) < 2:
        return ""
    return (
        f"Obs: arbetsböckerna anger olika Organisation ({', '.join(organisations)}); "
        f"rapporten använder den första, {organisations[0]}."
    )


CONSOLIDATED_FORMATS = ("docx", "pdf", "html")
"""The formats of the council's document."""


def file_stem(c: Consolidated) -> str:
    """``exempelkommun-2020-fullmaktigemal``: the organisation, the period and what it is."""
    return f"{slug(c.organisation or 'kommunen')}-{c.period.code}-fullmaktigemal"


def render_consolidated(
    c: Consolidated,
    formats: Sequence[str],
    generated: dt.date,
    *,
    pdf_variant: str = DEFAULT_VARIANT,
    template_dir: Path | None = None,
    docx_template: Path | None = None,
) -> dict[str, bytes]:
    """Every asked-for format of the council's document, rendered to bytes (nothing written)."""
    from ksreport.context_consolidated import build_consolidated_context
    from ksreport.render import consolidated as render

    ctx = build_consolidated_context(c, generated=generated)
    stem = file_stem(c)
    files: dict[str, bytes] = {}
    if "docx" in formats:
        files[f"{stem}.docx"] = render.render_consolidated_docx(ctx, template=docx_template)
    if "pdf" in formats:
        files[f"{stem}.pdf"] = render.render_consolidated_pdf(
            ctx, variant=pdf_variant, template_dir=template_dir
        )
    if "html" in formats:
        files[f"{stem}.html"] = render.render_consolidated_html(ctx, template_dir=template_dir)
    return files
