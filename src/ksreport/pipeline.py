"""The build pipeline after validation: score → build context → render every output to bytes.

Writing is left to the caller (``output.write_outputs``), so nothing touches the disk until every
output has been rendered. Renderers are imported only when their format is asked for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ksreport.errors import KsreportError
from ksreport.model import ScoredReport
from ksreport.output import slug
from ksreport.periods import Period
from ksreport.workers import Job

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ksreport.changes import Changes
    from ksreport.context import ReportContext

# Every output format, in the order outputs are listed to the user.
FORMATS = ("json", "xlsx", "docx", "pdf", "pptx", "html")


def generation_time() -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise KsreportError(
                f'SOURCE_DATE_EPOCH "{epoch}" är inte ett giltigt antal sekunder sedan 1970.'
            ) from None
    return dt.datetime.now().replace(microsecond=0)


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``"docx,pdf"`` → ("docx", "pdf"); None or "alla" → every format."""
    if text is None or text.strip().casefold() in ("", "alla", "all"):
        return FORMATS
    wanted = [p.strip().casefold().lstrip(".") for p in text.split(",") if p.strip()]
    unknown = [w for w in wanted if w not in FORMATS]
    if unknown or not wanted:
        raise ValueError(", ".join(unknown) or text)
    return tuple(f for f in FORMATS if f in wanted)


@dataclass(frozen=True)
class BuildOptions:
    """What the user chose beyond the formats: PDF variant and their own templates."""

    pdf_variant: str = "pdf/ua-1"
    template_dir: Path | None = None  # HTML/CSS templates searched before the packaged ones
    docx_template: Path | None = None  # a Word document whose styles the report uses
    pptx_template: Path | None = None  # a PowerPoint master whose layouts the slides use
    compare_with: Period | None = None  # the earlier report to compare with; default: previous
    memo_template: Path | None = None  # the memo's Word template; default: docx_template

    @property
    def memo_docx_template(self) -> Path | None:
        """The Word template of the memo: its own, else the report's (one graphic profile for
        both), else the packaged one (None)."""
        return self.memo_template or self.docx_template


@dataclass(frozen=True)
class Output:
    name: str
    render: Callable[[], bytes]
    job: Job | None = None
    """The same render as a picklable call, for the outputs rendered in a worker process."""


def file_stem(report: ScoredReport) -> str:
    return f"{slug(report.settings.board)}-{report.period.code}"


def report_kind(period: Period) -> str:
    """The report's file-name part: ``delarsrapport`` at an interim period, else
    ``verksamhetsberattelse``."""
    return "delarsrapport" if period.is_interim else "verksamhetsberattelse"


def plan_outputs(
    report: ScoredReport,
    formats: tuple[str, ...],
    generated: dt.datetime,
    options: BuildOptions | None = None,
) -> list[Output]:
    """The outputs to render for the formats asked for, each as a name and a render call."""
    stem = file_stem(report)
    outputs: list[Output] = []
    if "json" in formats:
        from ksreport.render.json import render_json

        outputs.append(Output(f"{stem}-resultat.json", lambda: render_json(report)))
    if "xlsx" in formats:
        from ksreport.render.xlsx import render_results_xlsx

        outputs.append(
            Output(f"{stem}-resultat.xlsx", lambda: render_results_xlsx(report, generated))
        )
    documents = [f for f in ("docx", "pdf", "pptx", "html") if f in formats]
    if documents:
        outputs.extend(
            _document_outputs(report, documents, generated, stem, options or BuildOptions())
        )
    return outputs


def report_changes(report: ScoredReport, compare_with: Period | None = None) -> Changes | None:
    """What changed since the previous report period (or ``compare_with``), by scoring the plan
    for that period too; None when the workbook has no earlier period."""
    from ksreport.changes import compare, previous_period
    from ksreport.scoring import score

    previous = compare_with or previous_period(report.plan, report.period)
    if previous is None:
        return None
    if previous >= report.period:
        raise KsreportError(
            f"Jämförelseperioden {previous.code} måste ligga före rapportperioden "
            f"{report.period.code}."
        )
    return compare(report, score(report.plan, previous))


def _document_outputs(
    report: ScoredReport,
    formats: Sequence[str],
    generated: dt.datetime,
    stem: str,
    options: BuildOptions,
) -> list[Output]:
    from ksreport.context import build_context

    ctx = build_context(
        report, generated=generated, changes=report_changes(report, options.compare_with)
    )
    variant, template_dir = options.pdf_variant, options.template_dir
    report_stem = f"{stem}-{report_kind(report.period)}"
    outputs = []
    if "docx" in formats:
        from ksreport.render.docx import render_report_docx

        outputs.append(
            Output(
                f"{report_stem}.docx",
                lambda: render_report_docx(ctx, template=options.docx_template),
            )
        )
    if "pdf" in formats:
        from ksreport.render.pdf import render_report_pdf
        from ksreport.render.slides_pdf import render_presentation_pdf

        pdf_args = {"variant": variant, "template_dir": template_dir}
        outputs.append(
            Output(
                f"{report_stem}.pdf",
                lambda: render_report_pdf(ctx, **pdf_args),  # type: ignore[arg-type]
                job=(render_report_pdf, (ctx,), pdf_args),
            )
        )
        slides_args = {**pdf_args, "pptx_template": options.pptx_template}  # the master's look
        outputs.append(
            Output(
                f"{stem}-presentation.pdf",
                lambda: render_presentation_pdf(ctx, **slides_args),  # type: ignore[arg-type]
                job=(render_presentation_pdf, (ctx,), slides_args),
            )
        )
    if "pptx" in formats:
        from ksreport.render.pptx import render_presentation_pptx

        outputs.append(
            Output(
                f"{stem}-presentation.pptx",
                lambda: render_presentation_pptx(ctx, template=options.pptx_template),
            )
        )
    if "html" in formats:
        from ksreport.render.html import render_report_html

        outputs.append(
            Output(
                f"{report_stem}.html",
                lambda: render_report_html(ctx, template_dir=template_dir),
            )
        )
    if "docx" in formats or "pdf" in formats:
        outputs.extend(_memo_outputs(report, ctx, formats, stem, options, list(outputs)))
    return outputs


_ATTACHMENT_TITLES = {
    "verksamhetsberattelse": "Måluppfyllelse {period}, avsnitt i verksamhetsberättelsen",
    "delarsrapport": "Måluppfyllelse {period}, avsnitt i delårsrapporten",
    "presentation": "Presentation av måluppfyllelsen {period}",
}


def _memo_outputs(
    report: ScoredReport,
    ctx: ReportContext,
    formats: Sequence[str],
    stem: str,
    options: BuildOptions,
    documents: list[Output],
) -> list[Output]:
    """The tjänsteskrivelse, listing the report and presentation this build writes (as PDF
    where the build writes PDF, which is what the board receives)."""
    from ksreport.memo import Attachment, build_memo

    attachments = []
    for kind, title in _ATTACHMENT_TITLES.items():
        names = [o.name for o in documents if o.name.startswith(f"{stem}-{kind}.")]
        chosen = next((n for n in names if n.endswith(".pdf")), names[0] if names else None)
        if chosen:
            attachments.append(Attachment(title.format(period=ctx.period_words), chosen))
    memo = build_memo(report, ctx, attachments)
    outputs = []
    if "docx" in formats:
        from ksreport.render.memo import render_memo_docx

        outputs.append(
            Output(
                f"{stem}-tjansteskrivelse.docx",
                lambda: render_memo_docx(memo, template=options.memo_docx_template),
            )
        )
    if "pdf" in formats:
        from ksreport.render.memo import render_memo_pdf

        memo_args = {"variant": options.pdf_variant, "template_dir": options.template_dir}
        outputs.append(
            Output(
                f"{stem}-tjansteskrivelse.pdf",
                lambda: render_memo_pdf(memo, **memo_args),  # type: ignore[arg-type]
                job=(render_memo_pdf, (memo,), memo_args),
            )
        )
    return outputs


def render_all(outputs: list[Output], workers: Executor | None = None) -> dict[str, bytes]:
    """Render every output to bytes; any failure stops the build before anything is written.

    With ``workers`` (``ksreport.workers.start``), the outputs that have a ``job`` (the PDFs, the
    report first) render there while the rest render here, so both cores are used; the result
    is the same bytes in the same order.
    """
    remote = [o for o in outputs if o.job is not None] if workers is not None else []
    future = None
    if workers is not None and remote:
        from ksreport.workers import submit

        future = submit(workers, [o.job for o in remote if o.job is not None])
    results = {o.name: o.render() for o in outputs if o not in remote}
    if future is not None:
        from ksreport.workers import release_memory

        release_memory()  # while the PDF worker, which needs the most, is still at work
        results.update(zip([o.name for o in remote], future.result(), strict=True))
    return {o.name: results[o.name] for o in outputs}
