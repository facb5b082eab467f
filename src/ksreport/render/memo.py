"""Render stage, tjänsteskrivelse: the memo (``ksreport.memo.Memo``) as PDF and as Word.

The PDF goes through the same WeasyPrint path as the report (packaged fonts, tagging, the
restricted URL fetcher); the DOCX is built run by run with python-docx, so workbook text is
never read as markup.
"""

from __future__ import annotations

import io
from pathlib import Path

from markupsafe import Markup

from ksreport.memo import Memo
from ksreport.render import DEFAULT_VARIANT, FONT_FAMILY, clean
from ksreport.render.html import read_resource, render_template, template_dirs
from ksreport.render.pdf import check_variant, write_pdf

TEMPLATE = "memo.html.j2"


def memo_markup(memo: Memo, *, user_dir: Path | None = None) -> str:
    dirs = template_dirs(user_dir)
    css = [read_resource(dirs, "fonts.css"), read_resource(dirs, "memo.css")]
    return render_template(
        dirs,
        TEMPLATE,
        memo=memo,
        stylesheet=Markup("\n".join(css)),  # our own files, not workbook text
    )


def render_memo_pdf(
    memo: Memo, *, variant: str = DEFAULT_VARIANT, template_dir: Path | None = None
) -> bytes:
    """The memo as a tagged A4 PDF."""
    check_variant(variant)
    return write_pdf(memo_markup(memo, user_dir=template_dir), template_dirs(template_dir), variant)


def render_memo_docx(memo: Memo) -> bytes:
    """The memo as a Word document with real headings, in the packaged fonts' family."""
    import datetime as dt

    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    from ksreport.reproducible import normalize_zip

    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT_FAMILY
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 17), ("Heading 1", 12.5), ("Heading 2", 10.5)):
        st = styles[name]
        st.font.name = FONT_FAMILY
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F) if name != "Heading 2" else None
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    p = left.paragraphs[0]
    p.add_run(clean(memo.organisation)).bold = True
    left.add_paragraph(clean(memo.administration))
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(memo.memo_label).bold = True
    for line in (memo.date, f"{memo.diary_label} {memo.diary_number}" if memo.diary_number else ""):
        if line:
            right.add_paragraph(clean(line)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    doc.add_paragraph().add_run(clean(memo.to)).bold = True
    doc.add_paragraph(clean(memo.title), style="Title")
    doc.add_paragraph(clean(memo.decision_heading), style="Heading 1")
    doc.add_paragraph(clean(memo.decision))
    doc.add_paragraph(clean(memo.summary_heading), style="Heading 1")
    for text in memo.summary:
        doc.add_paragraph(clean(text))
    doc.add_paragraph(clean(memo.case_heading), style="Heading 1")
    for s in memo.sections:
        doc.add_paragraph(clean(f"{s.number}. {s.heading}"), style="Heading 2")
        for text in s.paragraphs:
            doc.add_paragraph(clean(text))
        for item, file in s.listed:
            text = f"{item} ({file})" if file else item
            doc.add_paragraph(clean(text), style="List Bullet")
        for text in s.closing:
            doc.add_paragraph(clean(text))
    if memo.send_to:
        doc.add_paragraph(clean(memo.send_to_heading), style="Heading 1")
        for r in memo.send_to:
            doc.add_paragraph(clean(r), style="List Bullet")
    for label, name in (
        (memo.responsible_label, memo.responsible_officer),
        (memo.case_officer_label, memo.case_officer),
    ):
        if name:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(12)
            run = p.add_run(label)
            run.font.size = Pt(9)
            doc.add_paragraph(clean(name))
    core = doc.core_properties
    core.title = memo.document_title
    core.author = memo.organisation or "ksreport"
    core.language = memo.lang
    when = dt.datetime.fromisoformat(memo.date)
    core.created = when
    core.modified = when
    core.last_modified_by = "ksreport"
    core.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), when)
