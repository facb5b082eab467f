"""Command line: parse arguments, run the pipeline, print user errors in Swedish, set exit codes.

Exit codes: 0 success, 1 bad input or a failed build (a Swedish message, never a traceback),
2 usage errors (click's own, in Swedish).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from ksreport import __version__
from ksreport.errors import KsreportError, Problem, ValidationError
from ksreport.periods import PERIOD_FORMAT_HELP, Period, parse_period
from ksreport.render import DEFAULT_VARIANT, PDF_VARIANTS

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
    except ValidationError as exc:
        print_problems(exc.problems, err=True)
        n_err = sum(p.is_error for p in exc.problems)
        n_warn = len(exc.problems) - n_err
        fail(
            f"\nArbetsboken har {_plural(n_err, 'fel', 'fel')} och "
            f"{_plural(n_warn, 'varning', 'varningar')}. Rätta felen och kör igen; "
            "inga filer har skrivits."
        )
    except KsreportError as exc:
        fail(f"Fel: {exc}")
    except KeyboardInterrupt:
        click.echo("\nAvbrutet. Inga filer har skrivits.", err=True)
        sys.exit(130)
    except click.exceptions.Exit:
        raise
    except Exception as exc:
        if os.environ.get("KSREPORT_DEBUG"):
            raise
        fail(
            "Ett oväntat fel inträffade i ksreport (det är ett fel i programmet, inte i din "
            f"arbetsbok): {exc.__class__.__name__}: {exc}\nInga filer har skrivits. Kör igen "
            "med miljövariabeln KSREPORT_DEBUG=1 för detaljer och rapportera felet."
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
        from ksreport.io.workbook import read_workbook
        from ksreport.validate import validate

        plan, problems = validate(read_workbook(file))
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
        if problems:
            click.echo("")
        click.echo(
            f'Arbetsboken "{file.name}" är godkänd: {_plural(goals, "mål", "mål")}, '
            f"{_plural(subs, 'delmål', 'delmål')}, "
            f"{_plural(len(measures), 'mätvärde', 'mätvärden')}"
            f" och {_plural(outcomes, 'utfall', 'utfall')}"
            + (f" ({_plural(n_warn, 'varning', 'varningar')})" if n_warn else "")
            + f".\nPerioder med utfall: {periods}."
        )

    guarded(run)


def _scored(file: Path, period: Period | None, *, quiet: bool = False):  # type: ignore[no-untyped-def]
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
    if chosen not in plan.periods():
        click.echo(
            f"Obs: det finns inga utfall för perioden {chosen.code} i arbetsboken; "
            "alla mätvärden bedöms utan utfall.",
            err=True,
        )
    return score(plan, chosen)


@cli.command("score", context_settings=CONTEXT, options_metavar="[FLAGGOR]")
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
@click.option("--period", "-p", type=PERIOD, default=None, help=PERIOD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def score_cmd(file: Path, period: Period | None, as_json: bool) -> None:
    """Bedöm arbetsboken ARBETSBOK och visa resultatet för en period."""

    def run() -> None:
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
@click.argument("file", type=WORKBOOK, metavar="ARBETSBOK")
@click.option("--period", "-p", type=PERIOD, default=None, help=PERIOD_HELP)
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
    help="Vilka format som skapas: json, xlsx, docx, pdf, html. Standard: alla.",
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
    help="Egen Word-mall (.docx) vars formatmallar rapporten använder.",
)
def build_cmd(
    file: Path,
    period: Period | None,
    out_dir: Path,
    formats: str | None,
    pdf_variant: str,
    template_dir: Path | None,
    docx_template: Path | None,
) -> None:
    """Bedöm arbetsboken ARBETSBOK och skapa rapporterna i mappen --out."""
    from ksreport import pipeline

    options = pipeline.BuildOptions(pdf_variant, template_dir, docx_template)

    try:
        chosen = pipeline.parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(
            f'okänt format "{exc}"; tillåtna format: {", ".join(pipeline.FORMATS)}',
            param_hint="--format",
        ) from None

    def run() -> None:
        from ksreport.output import write_outputs

        generated = pipeline.generation_time()
        report = _scored(file, period)
        files = pipeline.render_all(pipeline.plan_outputs(report, chosen, generated, options))
        written = write_outputs(out_dir, files)
        click.echo(
            f"Måluppfyllelse {report.period.words} för {report.settings.board}: "
            f"skrev {_plural(len(written), 'fil', 'filer')} till {out_dir}/"
        )
        for path in written:
            click.echo(f"  {path.name}")

    guarded(run)


def main() -> None:
    from ksreport.cli_sv import install

    install()
    cli.main(prog_name="ksreport")
