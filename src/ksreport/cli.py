"""Command line: parse arguments, run the pipeline, print user errors in Swedish, set exit codes.

Exit codes: 0 success, 1 bad input or a failed build (a Swedish message, never a traceback),
2 usage errors (click's own, in Swedish).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from ksreport import __version__
from ksreport.errors import KsreportError, Problem, ValidationError
from ksreport.kolada import DEFAULT_API_URL as KOLADA_API_URL
from ksreport.model import ScoredReport
from ksreport.periods import PERIOD_FORMAT_HELP, Period, parse_period
from ksreport.render import DEFAULT_VARIANT, PDF_VARIANTS

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ksreport.pipeline import BuildOptions

T = TypeVar("T")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class PeriodType(click.ParamType):
    name = "period"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        if isinstance(value, Period):
            return value
        period = parse_period(value)
        if period is None:
            self.fail(f'"{value}" är ingen period; skriv {PERIOD_FORMAT_HELP}.', param, ctx)
        return period


PERIOD = PeriodType()
PERIOD_HELP = (
    "Rapportperioden: ÅÅÅÅ, ÅÅÅÅ-T1, ÅÅÅÅ-H1 eller ÅÅÅÅ-T2, t.ex. 2020 eller 2021-T1. "
    "Standard: Rapportperiod i arbetsboken, annars den senaste perioden med utfall."
)
WORKBOOK = click.Path(path_type=Path, dir_okay=False)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def print_problems(problems: list[Problem], *, err: bool) -> None:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        click.echo(f"Fel ({len(errors)}):", err=err)
        for p in errors:
            click.echo(f"  {p}", err=err)
    if warnings:
        if errors:
            click.echo("", err=err)
        click.echo(f"Varningar ({len(warnings)}):", err=err)
        for p in warnings:
            click.echo(f"  {p}", err=err)


def fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body; user errors become a Swedish message and exit 1, never a traceback."""
    try:
        return fn()
    except click.exceptions.Exit:
        raise
    except KeyboardInterrupt:
        click.echo("\nAvbrutet. Inga filer har skrivits.", err=True)
        sys.exit(130)
    except Exception as exc:
        explain(exc)
        sys.exit(1)


def explain(exc: Exception, *, watching: bool = False) -> None:
    """Tell the user what went wrong, in Swedish, without a traceback (unless KSREPORT_DEBUG is
    set and it is a bug). ``watching``: ksreport builds again when the workbook is saved."""
    again = (
        "Rätta felen och spara arbetsboken, så bygger ksreport om"
        if watching
        else "Rätta felen och kör igen"
    )
    if isinstance(exc, ValidationError):
        print_problems(exc.problems, err=True)
        n_err = sum(p.is_error for p in exc.problems)
        n_warn = len(exc.problems) - n_err
        click.echo(
            f"\nArbetsboken har {_plural(n_err, 'fel', 'fel')} och "
            f"{_plural(n_warn, 'varning', 'varningar')}. {again}; inga filer har skrivits.",
            err=True,
        )
    elif isinstance(exc, KsreportError):
        click.echo(f"Fel: {exc}", err=True)
    else:
        if os.environ.get("KSREPORT_DEBUG"):
            raise exc
        click.echo(
            "Ett oväntat fel inträffade i ksreport (det är ett fel i programmet, inte i din "
            f"arbetsbok): {exc.__class__.__name__}: {exc}\nInga filer har skrivits. Kör igen "
            "med miljövariabeln KSREPORT_DEBUG=1 för detaljer och rapportera felet.",
            err=True,
        )


@click.group(
    context_settings=CONTEXT,
    options_metavar="[FLAGGOR]",
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
)
@click.version_option(
    __version__,
    "--version",
    prog_name="ksreport",
    message="%(prog)s %(version)s",
    help="Visa versionen och avsluta.",
)
def cli() -> None:
    """ksreport: måluppfyllelse för nämnder och styrelser, från en Excel-arbetsbok.

    Arbetsgång: skapa en arbetsbok med "ksreport init", fyll i den, kontrollera med
    "ksreport validate" och skapa rapporterna med "ksreport build".
    """


@cli.command("init", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
def init_cmd(file: Path) -> None:
    """Skapa en tom arbetsbok ARBETSBOK med alla blad, rubriker, instruktioner och listval."""

    def run() -> None:
        from ksreport.io.template import init_workbook

        init_workbook(file)
        click.echo(
            f'Skapade arbetsboken "{file}". Läs bladet Instruktioner, fyll i bladen och '
            f'kontrollera sedan med: ksreport validate "{file}"'
        )

    guarded(run)


@cli.command("validate", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
def validate_cmd(file: Path) -> None:
    """Kontrollera arbetsboken ARBETSBOK och lista alla fel och varningar på en gång."""

    def run() -> None:
        from ksreport.io.workbook import open_workbook_note, read_workbook
        from ksreport.validate import validate

        plan, problems = validate(read_workbook(file))
        if note := open_workbook_note(file):
            click.echo(note + "\n", err=True)
        print_problems(problems, err=False)
        n_err = sum(p.is_error for p in problems)
        n_warn = len(problems) - n_err
        if plan is None:
            click.echo(
                f"\nArbetsboken har {_plural(n_err, 'fel', 'fel')} och "
                f"{_plural(n_warn, 'varning', 'varningar')}. Rätta felen och kör igen."
            )
            sys.exit(1)
        goals = len(plan.goals)
        subs = sum(len(g.subgoals) for g in plan.goals)
        measures = [m for g in plan.goals for s in g.subgoals for m in s.measures]
        outcomes = sum(len(m.outcomes) for m in measures)
        periods = ", ".join(p.code for p in plan.periods()) or "inga"
        forecast_periods = ", ".join(
            p.code
            for p in sorted({o.period for m in measures for o in m.outcomes if o.has_forecast})
        )
        if problems:
            click.echo("")
        click.echo(
            f'Arbetsboken "{file.name}" är godkänd: {_plural(goals, "mål", "mål")}, '
            f"{_plural(subs, 'delmål', 'delmål')}, "
            f"{_plural(len(measures), 'mätvärde', 'mätvärden')}"
            f" och {_plural(outcomes, 'utfall', 'utfall')}"
            + (f" ({_plural(n_warn, 'varning', 'varningar')})" if n_warn else "")
            + f".\nPerioder med utfall: {periods}."
            + (f"\nPerioder med prognoser: {forecast_periods}." if forecast_periods else "")
        )

    guarded(run)


@cli.command("doctor", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
def doctor_cmd(file: Path) -> None:
    """Visa vad ksreport läser i ARBETSBOK, blad för blad.

    Rubrikraden, kolumnerna som läses och inte används, hur många rader som lästes och vilka
    som hoppades över och varför, och vilka talformat som läses som procent. Till hjälp när
    ett värde "försvinner".
    """

    def run() -> None:
        from ksreport.doctor import explain
        from ksreport.io.workbook import open_workbook_note, read_workbook
        from ksreport.validate import validate

        raw = read_workbook(file)
        plan, problems = validate(raw)
        click.echo(f'Så läser ksreport arbetsboken "{file.name}":\n')
        if note := open_workbook_note(file):
            click.echo(note + "\n")
        for line in explain(raw):
            click.echo(line)
        print_problems(problems, err=False)
        n_err = sum(p.is_error for p in problems)
        n_warn = len(problems) - n_err
        if problems:
            click.echo("")
        if plan is None:
            click.echo(
                f"Arbetsboken har {_plural(n_err, 'fel', 'fel')} och "
                f"{_plural(n_warn, 'varning', 'varningar')}. Rätta felen och kör igen."
            )
            sys.exit(1)
        click.echo(
            "Arbetsboken är godkänd"
            + (f" ({_plural(n_warn, 'varning', 'varningar')})" if n_warn else "")
            + f'. Skapa rapporterna med: ksreport build "{file}"'
        )

    guarded(run)


def _scored(
    file: Path,
    period: Period | None,
    *,
    quiet: bool = False,
    check_proposal: bool = False,
    allow_empty: bool = True,
) -> ScoredReport:
    from ksreport.scoring import default_period, score
    from ksreport.validate import load_plan

    plan, warnings = load_plan(file)
    if warnings and not quiet:
        print_problems(warnings, err=True)
        click.echo("", err=True)
    chosen = period or default_period(plan)
    if chosen is None:
        raise KsreportError(
            "Det finns inga utfall i arbetsboken och ingen Rapportperiod i bladet Inställningar. "
            "Ange perioden med --period, t.ex. --period 2020."
        )
    if chosen not in plan.reported_periods():
        known = ", ".join(p.code for p in plan.reported_periods()) or "inga"
        settings = plan.settings
        if (
            settings.mandate_start is not None
            and settings.mandate_end is not None
            and not settings.mandate_start <= chosen.year <= settings.mandate_end
        ):
            raise KsreportError(
                f"Perioden {chosen.code}{f' ({chosen.words})' if chosen.is_interim else ''} "
                f"ligger utanför mandatperioden {settings.mandate_period}, och arbetsboken har "
                f"inga utfall eller prognoser för den. Perioder med utfall eller prognoser: "
                f"{known}. "
                + (
                    "Välj en av dem med --period."
                    if period is not None
                    else "Perioden kommer från Rapportperiod i bladet Inställningar: ändra den "
                    "där, eller välj en av perioderna med --period."
                )
            )
        if not allow_empty:
            raise KsreportError(
                f"Det finns inga utfall och inga prognoser för {chosen.words} ({chosen.code}) "
                f"i arbetsboken. Perioder med utfall eller prognoser: {known}. Välj en av dem "
                "med --period, eller lägg till --allow-empty-period för att ändå skapa "
                "rapporten; den säger då att inga utfall har registrerats för perioden."
            )
        click.echo(
            f"Obs: det finns inga utfall för perioden {chosen.code} i arbetsboken; "
            f"alla mätvärden bedöms utan utfall. Perioder med utfall eller prognoser: {known}.",
            err=True,
        )
    stale = stale_proposal(plan.settings.decision_proposal, chosen)
    if stale and check_proposal:
        raise KsreportError(stale)
    return score(plan, chosen)


def stale_proposal(proposal: str, period: Period) -> str:
    """An error message when the workbook's Förslag till beslut names another year than the
    report's (it is easily left from the previous report); empty otherwise."""
    from ksreport.context import proposal_other_years

    years = proposal_other_years(proposal, period)
    if not years:
        return ""
    shown = " ".join(proposal.split())
    if len(shown) > 160:
        shown = shown[:157] + "…"
    return (
        f"Förslag till beslut i bladet Inställningar nämner {', '.join(years)}, men rapporten "
        f'gäller {period.words}: "{shown}". Skriv {{period}}, {{år}} eller {{dokument}} i '
        "stället för årtalet, så passar texten varje period (t.ex. "
        '"Kommunstyrelsen godkänner måluppfyllelsen för {period} att ingå i {dokument}."), '
        "eller lämna inställningen tom så skriver ksreport ett förslag."
    )


@cli.command("score", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
@click.option("--period", "-p", type=PERIOD, default=None, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def score_cmd(file: Path, period: Period | None, as_json: bool) -> None:
    """Bedöm arbetsboken ARBETSBOK och visa resultatet för en period."""

    def run() -> None:
        from ksreport.io.workbook import open_workbook_note

        if note := open_workbook_note(file):
            click.echo(note, err=True)
        report = _scored(file, period, quiet=as_json)
        if as_json:
            from ksreport.render.json import render_json

            sys.stdout.buffer.write(render_json(report))
            sys.stdout.flush()
        else:
            from ksreport.render.text import render_text

            click.echo(render_text(report), nl=False)

    guarded(run)


@cli.command("build", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("files", type=WORKBOOK, metavar="ARBETSBOK...", nargs=-1, required=True)
@click.option("--period", "-p", type=PERIOD, default=None, help=PERIOD_HELP)
@click.option(
    "--consolidated",
    is_flag=True,
    help="Skapa den samlade rapporten per fullmäktigemål av flera nämnders arbetsböcker "
    "(docx, pdf och html), i stället för en nämnds rapporter.",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="MAPP",
    default=Path("output"),
    show_default=True,
    help="Mapp för de skapade filerna.",
)
@click.option(
    "--format",
    "-f",
    "formats",
    default=None,
    metavar="FORMAT[,FORMAT…]",
    help="Vilka format som skapas: json, xlsx, docx, pdf, pptx, html. Standard: alla. "
    "pdf ger både rapporten och presentationen som PDF, pptx presentationen i PowerPoint.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS, case_sensitive=False),
    default=DEFAULT_VARIANT,
    show_default=True,
    help="PDF-variant: pdf/ua-1 är tillgänglig för skärmläsare; pdf/a-2b, pdf/a-3b m.fl. är "
    "för arkivering i e-arkiv. Alla varianter är taggade.",
)
@click.option(
    "--template-dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="MAPP",
    default=None,
    help="Egen mapp med mallar och stilmallar (t.ex. report.css) som används före de "
    "inbyggda, för kommunens grafiska profil.",
)
@click.option(
    "--docx-template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FIL",
    default=None,
    help="Egen Word-mall (.dotx eller .docx) vars formatmallar rapporten använder, och "
    "tjänsteskrivelsen om inte --memo-template anges.",
)
@click.option(
    "--memo-template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FIL",
    default=None,
    help="Egen Word-mall (.dotx eller .docx) för tjänsteskrivelsen, t.ex. kommunens mall för "
    "tjänsteskrivelser. Standard: mallen från --docx-template, annars den inbyggda.",
)
@click.option(
    "--pptx-template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FIL",
    default=None,
    help="Egen PowerPoint-mall (.potx eller .pptx) med kommunens grafiska profil; "
    "presentationen använder dess bakgrund, typsnitt och layouter.",
)
@click.option(
    "--compare-with",
    type=PERIOD,
    default=None,
    metavar="PERIOD",
    help="Perioden som avsnittet Förändringar sedan förra rapporten jämför med. Standard: den "
    "senaste tidigare perioden med utfall (2021-T1 jämförs med 2020).",
)
@click.option(
    "--allow-empty-period",
    is_flag=True,
    help="Skapa rapporten även för en period utan utfall och prognoser; dokumenten säger då "
    "att inga utfall har registrerats för perioden.",
)
@click.option(
    "--watch",
    "-w",
    is_flag=True,
    help="Bevaka arbetsboken: bygg om rapporterna varje gång den sparas, medan du skriver "
    "analyserna. Avsluta med Ctrl+C.",
)
def build_cmd(
    files: tuple[Path, ...],
    period: Period | None,
    consolidated: bool,
    out_dir: Path,
    formats: str | None,
    pdf_variant: str,
    template_dir: Path | None,
    docx_template: Path | None,
    pptx_template: Path | None,
    memo_template: Path | None,
    compare_with: Period | None,
    allow_empty_period: bool,
    watch: bool,
) -> None:
    """Bedöm arbetsboken ARBETSBOK och skapa rapporterna i mappen --out.

    Med --consolidated: läs flera nämnders arbetsböcker och skapa den samlade rapporten per
    fullmäktigemål.
    """
    from ksreport import pipeline

    options = pipeline.BuildOptions(
        pdf_variant,
        template_dir,
        docx_template,
        pptx_template,
        compare_with,
        memo_template=memo_template,
    )

    try:
        chosen = pipeline.parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(
            f'okänt format "{exc}"; tillåtna format: {", ".join(pipeline.FORMATS)}',
            param_hint="--format",
        ) from None
    files = _without_lock_files(files)
    if consolidated:
        if watch:
            raise click.UsageError("--watch går inte att använda med --consolidated.")
        _build_consolidated(files, period, out_dir, chosen, options)
        return
    if len(files) > 1:
        raise click.UsageError(
            f"Du angav {len(files)} arbetsböcker. Lägg till --consolidated för att skapa den "
            "samlade rapporten per fullmäktigemål av flera nämnders arbetsböcker, eller ange "
            "en arbetsbok."
        )
    file = files[0]

    def build_once(workers: Executor | None) -> None:
        from ksreport.output import check_out_dir, write_outputs

        generated = pipeline.generation_time()
        report = _scored(file, period, check_proposal=True, allow_empty=allow_empty_period)
        check_out_dir(out_dir)
        outputs = pipeline.plan_outputs(report, chosen, generated, options)
        rendered = pipeline.render_all(outputs, workers)
        written = write_outputs(out_dir, rendered)
        click.echo(
            f"Måluppfyllelse {report.period.words} för {report.settings.board}: "
            f"skrev {_plural(len(written), 'fil', 'filer')} till {out_dir}/"
        )
        for path in written:
            click.echo(f"  {path.name}")

    if watch:
        _watch(file, "pdf" in chosen, build_once)
        return

    def run() -> None:
        from ksreport import workers as pdf_workers

        workers = pdf_workers.start() if "pdf" in chosen else None
        finished = False
        try:
            build_once(workers)
            finished = True
        finally:
            if workers is not None:
                pdf_workers.stop(workers, finished=finished)

    guarded(run)


def _without_lock_files(files: tuple[Path, ...]) -> tuple[Path, ...]:
    """``build *.xlsx`` while a workbook is open in Excel also names Excel's lock file
    ``~$….xlsx``: skip it with a note (and note a workbook that seems to be open)."""
    from ksreport.boards import skip_lock_files

    kept, notes = skip_lock_files(files)
    for note in notes:
        click.echo(note, err=True)
    return tuple(kept)


def _watch(file: Path, pdf: bool, build_once: Callable[[Executor | None], None]) -> None:
    """Build, then build again each time ``file`` is saved, until Ctrl+C. The PDF workers stay
    up between builds, with WeasyPrint imported and warm, so a rebuild starts at once."""
    import datetime as dt
    from concurrent.futures import BrokenExecutor

    from ksreport import workers as pdf_workers
    from ksreport.watch import signature, wait_for_change

    workers = pdf_workers.start() if pdf else None
    click.echo(
        f"Bevakar {file}: rapporterna byggs om varje gång arbetsboken sparas. Avsluta med Ctrl+C."
    )
    seen = signature(file)
    try:
        while True:
            try:
                build_once(workers)
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                explain(exc, watching=True)
                if workers is not None and isinstance(exc, BrokenExecutor):
                    pdf_workers.stop(workers, finished=False)  # a worker died: start afresh
                    workers = pdf_workers.start()
            else:
                if workers is not None:
                    pdf_workers.release(workers)
            click.echo(f"\nVäntar på att {file.name} sparas …")
            seen = wait_for_change(file, seen)
            click.echo(f"{dt.datetime.now():%H:%M:%S} {file.name} har sparats; bygger om.")
    except KeyboardInterrupt:
        click.echo("\nSlutar bevaka.")
    finally:
        if workers is not None:
            pdf_workers.stop(workers, finished=False)


def _build_consolidated(
    files: tuple[Path, ...],
    period: Period | None,
    out_dir: Path,
    chosen: tuple[str, ...],
    options: BuildOptions,
) -> None:
    """``build --consolidated``: every board's workbook → the council's document."""
    from ksreport import boards, pipeline

    if chosen == pipeline.FORMATS:
        chosen = boards.CONSOLIDATED_FORMATS
    other = [f for f in chosen if f not in boards.CONSOLIDATED_FORMATS]
    if other:
        raise click.BadParameter(
            f'formatet "{other[0]}" finns inte för --consolidated; tillåtna format: '
            f"{', '.join(boards.CONSOLIDATED_FORMATS)}",
            param_hint="--format",
        )
    unused = [
        flag
        for flag, value in (
            ("--compare-with", options.compare_with),
            ("--pptx-template", options.pptx_template),
            ("--memo-template", options.memo_template),
        )
        if value is not None
    ]
    if unused:
        raise click.UsageError(f"{' och '.join(unused)} kan inte användas med --consolidated.")

    def run() -> None:
        from ksreport.consolidated import consolidate
        from ksreport.output import check_out_dir, write_outputs

        generated = pipeline.generation_time()
        try:
            found, warnings = boards.load_boards(files)
        except ValidationError as exc:
            print_problems(exc.problems, err=True)
            n_err = sum(p.is_error for p in exc.problems)
            n_warn = len(exc.problems) - n_err
            fail(
                f"\nArbetsböckerna har {_plural(n_err, 'fel', 'fel')} och "
                f"{_plural(n_warn, 'varning', 'varningar')}. Rätta felen och kör igen; "
                "inga filer har skrivits."
            )
        if warnings:
            print_problems(warnings, err=True)
            click.echo("", err=True)
        chosen_period, notes = boards.choose_period(found, period)
        result = consolidate(boards.score_boards(found, chosen_period))
        for note in [*notes, boards.organisation_note(result.organisations)]:
            if note:
                click.echo(note, err=True)
        check_out_dir(out_dir)
        files_out = boards.render_consolidated(
            result,
            chosen,
            generated,
            pdf_variant=options.pdf_variant,
            template_dir=options.template_dir,
            docx_template=options.docx_template,
        )
        written = write_outputs(out_dir, files_out)
        click.echo(
            f"Måluppfyllelse per fullmäktigemål {chosen_period.words} för "
            f"{result.organisation or 'kommunen'} ({_plural(len(found), 'nämnd', 'nämnder')}): "
            f"skrev {_plural(len(written), 'fil', 'filer')} till {out_dir}/"
        )
        for path in written:
            click.echo(f"  {path.name}")

    guarded(run)


@cli.command("kolada", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
@click.option(
    "--years",
    "years_text",
    metavar="ÅR",
    default=None,
    help="Åren som hämtas, t.ex. 2019-2022, 2021 eller 2019,2021. Standard: mandatperioden i "
    "bladet Inställningar, annars de tre senaste åren.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FIL",
    default=None,
    help="Den nya arbetsboken. Standard: ARBETSBOK-kolada.xlsx bredvid arbetsboken.",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Skriv ändringarna i arbetsboken själv i stället för i en ny fil.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Ersätt utfall som redan finns men skiljer sig från Kolada. Utan flaggan listas de bara.",
)
@click.option(
    "--compare",
    is_flag=True,
    help="Hämta också rikets värde och jämförelsegruppens medelvärde till bladet Jämförelser.",
)
@click.option(
    "--api-url",
    metavar="ADRESS",
    default=KOLADA_API_URL,
    show_default=True,
    help="Adressen till Koladas API (version 3), t.ex. en lokal spegel.",
)
def kolada_cmd(
    file: Path,
    years_text: str | None,
    out: Path | None,
    in_place: bool,
    overwrite: bool,
    compare: bool,
    api_url: str,
) -> None:
    """Hämta utfall från Kolada till bladet Utfall i ARBETSBOK.

    Mätvärden vars Källa är ett nyckeltal i Kolada (t.ex. "Kolada N00914") får helårsutfall för
    kommunen i Kommunkod. Källa: Kolada.
    """
    from ksreport.kolada_import import ImportOptions, default_target, parse_years

    if in_place and out is not None:
        raise click.UsageError("Ange antingen --out eller --in-place, inte båda.")
    years: tuple[int, ...] | None = None
    if years_text is not None:
        try:
            years = tuple(parse_years(years_text))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--years") from None
    target = file if in_place else (out or default_target(file))
    if not in_place and target.resolve() == file.resolve():
        raise click.BadParameter(
            "--out är samma fil som arbetsboken; använd --in-place för att skriva i den.",
            param_hint="--out",
        )
    options = ImportOptions(years, overwrite, compare, api_url, in_place)

    def run() -> None:
        import hashlib

        from ksreport.io.workbook import lock_file_of
        from ksreport.kolada_import import (
            open_in_message,
            run_import,
            summary_lines,
            write_atomically,
        )

        if not in_place and target.exists():
            raise KsreportError(
                f'Filen "{target}" finns redan. Välj ett annat namn med --out, ta bort filen '
                "eller skriv i arbetsboken med --in-place."
            )
        if not target.parent.is_dir():
            raise KsreportError(f'Mappen "{target.parent}" finns inte.')
        if in_place and (open_in := lock_file_of(file)) is not None:
            raise KsreportError(open_in_message(file, *open_in))
        result = run_import(file, options)
        for line in summary_lines(result):
            click.echo(line)
        if result.data is None:
            click.echo("Inga ändringar behövs. Ingen fil har skrivits.")
            return
        if in_place:
            if hashlib.sha256(file.read_bytes()).hexdigest() != result.source_digest:
                raise KsreportError(
                    f'Arbetsboken "{file.name}" ändrades medan utfallen hämtades (är den öppen i '
                    "Excel?). Inget har skrivits; kör kommandot igen."
                )
            write_atomically(file, result.data, like=file)
        else:
            write_atomically(target, result.data)
        click.echo(f'Skrev "{target}". Kontrollera med: ksreport validate "{target}"')

    guarded(run)


def main() -> None:
    import gc

    from ksreport.cli_sv import install

    # ksreport is a short batch run that builds millions of small objects (WeasyPrint's boxes,
    # openpyxl's cells): collecting the youngest generation every 700 allocations costs a third
    # of the PDF layout time. Collect far less often; memory still stays bounded.
    gc.set_threshold(50_000, 20, 20)
    install()
    cli.main(prog_name="ksreport")
