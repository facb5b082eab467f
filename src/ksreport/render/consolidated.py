"""Render stage, the council's view: :class:`ConsolidatedContext` → a web page, a tagged A4 PDF
and a Word document, the same content in each.

HTML and PDF share one template (``consolidated.html.j2``, autoescaped) and the report's
stylesheets, fonts and restricted URL fetcher; the DOCX goes through the report's Word writer
(real headings, status cells shaded and written as symbol and word, text added run by run), so
workbook text is never read as markup in any format.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ksreport.context import StatusView
from ksreport.context_consolidated import BoardGoalRow, ConsolidatedContext
from ksreport.render import DEFAULT_VARIANT, MUTED, midnight, set_core_properties
from ksreport.render.html import (
    Medium,
    render_template,
    report_stylesheet,
    status_rules,
    template_dirs,
)
from ksreport.render.pdf import check_variant, write_pdf

if TYPE_CHECKING:
    from ksreport.render.docx import DocWriter

TEMPLATE = "consolidated.html.j2"
STYLESHEET = "consolidated.css"


def consolidated_markup(
    ctx: ConsolidatedContext, medium: Medium, *, user_dir: Path | None = None
) -> str:
    """The council's document as HTML for ``screen`` (web page) or ``print`` (the PDF)."""
    dirs = template_dirs(user_dir)
    return render_template(
        dirs,
        TEMPLATE,
        ctx=ctx,
        labels=ctx.labels,
        screen=medium == "screen",
        stylesheet=report_stylesheet(dirs, medium, status_rules(ctx.statuses), STYLESHEET),
    )


def render_consolidated_html(
    ctx: ConsolidatedContext, *, template_dir: Path | None = None
) -> bytes:
    """The council's document as one standalone, accessible web page (CSS inline), UTF-8."""
    return consolidated_markup(ctx, "screen", user_dir=template_dir).encode("utf-8")


def render_consolidated_pdf(
    ctx: ConsolidatedContext,
    *,
    variant: str = DEFAULT_VARIANT,
    template_dir: Path | None = None,
) -> bytes:
    """The council's document as a tagged A4 PDF with bookmarks (PDF/UA-1 by default)."""
    check_variant(variant)
    markup = consolidated_markup(ctx, "print", user_dir=template_dir)
    return write_pdf(markup, template_dirs(template_dir), variant)


# --- Word -------------------------------------------------------------------------------------


def _title_block(w: DocWriter, ctx: ConsolidatedContext) -> None:
    from docx.shared import Pt

    labels = ctx.labels
    if ctx.organisation:
        p = w.para(ctx.organisation, size=12, colour=MUTED)
        p.paragraph_format.space_before = Pt(60)
        p.paragraph_format.space_after = Pt(2)
    h = w.title(ctx.heading)
    if not ctx.organisation:
        h.paragraph_format.space_before = Pt(60)
    h.paragraph_format.space_after = Pt(14)
    for label, value in (
        (labels.boards_fact, ctx.boards_text),
        (labels.generated, ctx.generated_long),
    ):
        w.labelled(label, value).paragraph_format.space_after = Pt(2)


def _count_headers(first: str, columns: Sequence[StatusView], total: str) -> list[str]:
    return [first, *(f"{s.symbol} {s.label}" for s in columns), total]


def _overview(w: DocWriter, ctx: ConsolidatedContext) -> None:
    from ksreport.render.docx import TABLE_TEXT, _shade

    labels = ctx.labels
    w.heading(labels.overview, 1)
    w.para(ctx.overview_text)
    if not ctx.council_goals:
        return
    n = len(ctx.goal_columns)
    headers = [labels.council_goal, labels.council_status]
    headers += [f"{s.symbol} {s.label}" for s in ctx.goal_columns] + [labels.total]
    t = w.table(
        headers,
        [3.6, 1.6] + [0.85] * (n + 1),
        numeric=range(2, 3 + n),
        caption=labels.overview,
        rows="En rad per fullmäktigemål med dess status och antalet nämndmål per status; "
        "den sista raden är summan",
    )
    for c in ctx.council_goals:
        cells = w.row(t)
        w.cell(cells[0], c.name)
        _shade(cells[1], c.assessed.status.fill)
        w.badge(w.cell_para(cells[1], first=True), c.assessed.status, bold=True)
        for i, count in enumerate([*c.counts, c.total], start=2):
            w.cell(cells[i], str(count), index=i, bold=i == 2 + n)
    cells = w.row(t)
    w.cell(cells[0], labels.total, bold=True)
    for i, count in enumerate([*ctx.council_totals, sum(ctx.council_totals)], start=2):
        w.cell(cells[i], str(count), index=i, bold=True)
    w.para("", style=TABLE_TEXT)


def _board_goals(
    w: DocWriter, ctx: ConsolidatedContext, rows: Sequence[BoardGoalRow], caption: str
) -> None:
    from ksreport.render.docx import TABLE_TEXT, _add_text

    labels = ctx.labels
    t = w.table(
        [labels.board, labels.board_goal, labels.status, labels.justification],
        [1.6, 2.6, 1.6, 2.6],
        caption=caption,
        rows="En rad per nämndmål",
    )
    for r in rows:
        cells = w.row(t)
        w.cell(cells[0], r.board, bold=True)
        w.cell(cells[1], r.goal)
        w.status_cell(cells[2], r.assessed)
        _add_text(w.cell_para(cells[3], first=True), r.assessed.justification)
        if r.assessed.decision:
            q = w.cell_para(cells[3])
            _add_text(q, f"{labels.decision}: ", bold=True)
            _add_text(q, r.assessed.decision)
    w.para("", style=TABLE_TEXT)


def _council_goals(w: DocWriter, ctx: ConsolidatedContext) -> None:
    from ksreport.render.docx import _add_text

    for c in ctx.council_goals:
        w.heading(c.heading, 1)
        p = w.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        _add_text(p, f"{c.assessed.prefix}: ", bold=True)
        w.badge(p, c.assessed.status, bold=True)
        q = w.para(f"{c.text} {c.assessed.grounds}" if c.assessed.grounds else c.text)
        q.paragraph_format.keep_with_next = bool(c.rows)
        if c.rows:
            _board_goals(w, ctx, c.rows, f"{ctx.labels.board_goal}: {c.heading}")


def _unlinked(w: DocWriter, ctx: ConsolidatedContext) -> None:
    w.heading(ctx.labels.unlinked, 1)
    w.para(ctx.unlinked_text).paragraph_format.keep_with_next = bool(ctx.unlinked)
    if ctx.unlinked:
        _board_goals(w, ctx, ctx.unlinked, ctx.labels.unlinked)


def _boards(w: DocWriter, ctx: ConsolidatedContext) -> None:
    from docx.shared import Pt

    from ksreport.render.docx import TABLE_TEXT

    labels = ctx.labels
    w.heading(labels.boards, 1)
    w.para(ctx.boards_intro)
    tables = (
        (labels.goals_table, ctx.goal_columns, [r.goals for r in ctx.board_rows], ctx.goal_totals),
        (
            labels.measures_table,
            ctx.measure_columns,
            [r.measures for r in ctx.board_rows],
            ctx.measure_totals,
        ),
    )
    for caption, columns, counts, totals in tables:
        p = w.para(f"{caption}, {ctx.period_words}", style="Caption")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
        n = len(columns)
        t = w.table(
            _count_headers(labels.board, columns, labels.total),
            [3.0] + [0.9] * (n + 1),
            numeric=range(1, n + 2),
            caption=f"{caption}, {ctx.period_words}",
            rows="En rad per nämnd; den sista raden är summan",
        )
        for r, row_counts in zip(ctx.board_rows, counts, strict=True):
            cells = w.row(t)
            w.cell(cells[0], r.board)
            for i, count in enumerate([*row_counts, sum(row_counts)], start=1):
                w.cell(cells[i], str(count), index=i, bold=i == n + 1)
        cells = w.row(t)
        w.cell(cells[0], labels.total, bold=True)
        for i, count in enumerate([*totals, sum(totals)], start=1):
            w.cell(cells[i], str(count), index=i, bold=True)
        w.para("", style=TABLE_TEXT)


def render_consolidated_docx(ctx: ConsolidatedContext, *, template: Path | None = None) -> bytes:
    """The council's document as a Word document (bytes), on the packaged or a user's template."""
    from ksreport.render.docx import LANG, DocWriter, definitions, header_footer, open_template
    from ksreport.reproducible import normalize_zip

    doc = open_template(template)
    w = DocWriter(doc, computed_label=ctx.labels.computed)
    header_footer(w, ctx.organisation, ctx.heading, ctx.labels.page, ctx.labels.page_of)
    _title_block(w, ctx)
    w.toc(ctx.labels.contents)
    definitions(w, ctx.labels.definitions, ctx.definitions_intro, ctx.definitions)
    _overview(w, ctx)
    _council_goals(w, ctx)
    _unlinked(w, ctx)
    _boards(w, ctx)
    w.fill_toc()
    when = midnight(ctx.generated)
    set_core_properties(
        doc.core_properties,
        title=ctx.document_title,
        subject=f"{ctx.heading}: {ctx.boards_text}",
        author=ctx.organisation or "ksreport",
        keywords=f"{ctx.title}; {ctx.period_code}",
        category="Måluppfyllelse",
        lang=LANG,
        when=when,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), when)
