"""Render stage, tjänsteskrivelse: the memo (``ksreport.memo.Memo``) as PDF and as Word.

The PDF goes through the same WeasyPrint path as the report (packaged fonts, tagging, the
restricted URL fetcher). The DOCX is written into the report's Word template (the packaged one,
``--docx-template`` or ``--memo-template``) through the report's writer, so it has the report's
page, margins, fonts and heading styles, and workbook text goes in run by run, never as markup.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ksreport.memo import Memo
from ksreport.render import (
    DEFAULT_VARIANT,
    HEAD_FILL,
    HEADING,
    MUTED,
    RULE,
    clean,
    midnight,
    set_core_properties,
)
from ksreport.render.html import read_resource, render_template, template_dirs
from ksreport.render.pdf import check_variant, write_pdf

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from ksreport.render.docx import DocWriter

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


# --- Word -------------------------------------------------------------------------------------

PANEL_STYLE = "Ksreport Beslutsförslag"
"""The paragraph style of the proposed decision: shaded, a heavy rule at the left and a thin
frame, as in the PDF. A paragraph style rather than direct formatting or a one-cell table: a
user's template restyles it by defining a style of this name, restyling the document in Word
leaves it whole, and a screen reader meets one plain paragraph under its heading."""

# per side: width in eighths of a point, space to the text in points, colour
_PANEL_BORDERS = {
    "top": (4, 4, RULE),
    "left": (18, 6, HEADING),
    "bottom": (4, 4, RULE),
    "right": (4, 6, RULE),
}


# The schema's order of the properties this module sets, and of those that may follow them.
_PPR_ORDER = (  # noqa: SIM905
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
_TBLPR_ORDER = ["tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption"]


def _put(parent: Any, xml: str, order: list[str]) -> None:
    """Put one property element (``w:pBdr``, ``w:tblBorders``...) into a ``w:pPr`` or
    ``w:tblPr``, replacing one already there, in the schema's ``order``."""
    from docx.oxml import parse_xml

    el = parse_xml(xml)
    old = parent.find(el.tag)
    if old is not None:
        parent.remove(old)
    later = order[order.index(el.tag.split("}")[-1]) + 1 :]
    parent.insert_element_before(el, *(f"w:{tag}" for tag in later))


def _panel_style(doc: Document) -> None:
    """Add the panel style, unless the template has its own."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    if _has_style(doc, PANEL_STYLE):
        return
    style = doc.styles.add_style(PANEL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    pf = style.paragraph_format
    pf.keep_together = True
    pf.space_before, pf.space_after = Pt(6), Pt(12)
    # the border sits outside the text: the indents keep the frame inside the margins
    pf.left_indent, pf.right_indent = Pt(9), Pt(7)
    ppr = style.element.get_or_add_pPr()
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'
        for side, (size, space, colour) in _PANEL_BORDERS.items()
    )
    _put(ppr, f"<w:pBdr {nsdecls('w')}>{sides}</w:pBdr>", _PPR_ORDER)
    shading = f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/>'
    _put(ppr, shading, _PPR_ORDER)


def _has_style(doc: Document, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def _keep(paragraph: Paragraph, *, with_next: bool = True) -> Paragraph:
    """Never split ``paragraph`` over two pages; with ``with_next``, never leave it at the foot
    of a page without the paragraph after it."""
    pf = paragraph.paragraph_format
    pf.keep_together = True
    if with_next:
        pf.keep_with_next = True
    return paragraph


def _head(w: DocWriter, memo: Memo) -> None:
    """The first page's letterhead, in the text (not the page header, so that it is read
    first): sender at the left; kind of document, date and Dnr at the right; a rule below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import nsdecls
    from docx.shared import Emu, Pt, RGBColor

    from ksreport.render.docx import layout_table

    table = w.doc.add_table(rows=1, cols=2)
    table.autofit = False
    tblpr = table._tbl.tblPr
    rule, nil = f'w:val="single" w:sz="6" w:space="0" w:color="{HEADING}"', 'w:val="nil"'
    sides = "".join(
        f"<w:{side} {rule if side == 'bottom' else nil}/>"
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    _put(tblpr, f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>", _TBLPR_ORDER)
    # no cell padding at the sides: the letterhead lines up with the text below it
    _put(
        tblpr,
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>',
        _TBLPR_ORDER,
    )
    layout_table(
        table,
        "Brevhuvud: avsändaren till vänster; dokumentets slag, datum och diarienummer till höger.",
    )
    half = Emu(int(w.width) // 2)
    for column in table.columns:
        column.width = half
    left, right = table.rows[0].cells
    blocks = (
        (left, [(memo.organisation, True), (memo.administration, False)]),
        (
            right,
            [
                (memo.memo_label, True),
                (memo.date, False),
                (f"{memo.diary_label} {memo.diary_number}" if memo.diary_number else "", False),
            ],
        ),
    )
    for cell, lines in blocks:
        cell.width = half
        shown = [(text, strong) for text, strong in lines if text]
        for i, (text, strong) in enumerate(shown):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            pf = p.paragraph_format
            pf.space_before = Pt(0)
            pf.space_after = Pt(6) if i == len(shown) - 1 else Pt(0)
            if cell is right:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(clean(text))
            if strong:
                run.bold = True
            if cell is left and i == 0 and memo.organisation:
                run.font.size = Pt(12)
                run.font.color.rgb = RGBColor.from_string(HEADING)
            elif not strong:
                run.font.color.rgb = RGBColor.from_string(MUTED)


def _section_heading(w: DocWriter, text: str) -> Paragraph:
    """A Heading 1 after running text, with more air above it than the report's style gives
    (there, Heading 1 starts a page)."""
    from docx.shared import Pt

    p = w.heading(text, 1)
    p.paragraph_format.space_before = Pt(18)
    return p


def _case(w: DocWriter, memo: Memo) -> Paragraph | None:
    """Ärende and its numbered sections; returns the last paragraph written."""
    _section_heading(w, memo.case_heading)
    last = None
    for s in memo.sections:
        w.heading(f"{s.number}. {s.heading}", 2)
        intro = [w.para(text) for text in s.paragraphs]
        if intro:
            last = intro[-1]
            # the words that introduce a list stay with it
            last.paragraph_format.keep_with_next = bool(s.listed) or None
        for i, (item, file) in enumerate(s.listed, start=1):
            last = w.bullet(item)
            if file:
                _file_name(last, file)
            _keep(last, with_next=i < len(s.listed))  # a short list is never split
        for text in s.closing:
            last = w.para(text)
    return last


def _file_name(paragraph: Paragraph, name: str) -> None:
    """`` (name)`` after an attachment, never broken at its hyphens (Word's non-breaking
    hyphen, which copies as a hyphen), as the PDF keeps it on one line."""
    from docx.oxml import OxmlElement

    paragraph.add_run(" (")
    run = paragraph.add_run()
    for i, piece in enumerate(clean(name).split("-")):
        if i:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            run._r.add_t(piece)
    paragraph.add_run(")")


def _closing(w: DocWriter, memo: Memo, last: Paragraph | None) -> None:
    """Beslutet ska skickas till and the signatures, kept together and with the last lines
    before them: never on a page of their own."""
    kept = []
    if memo.send_to:
        kept.append(_section_heading(w, memo.send_to_heading))
        kept += [w.bullet(r) for r in memo.send_to]
    kept += _signatures(w, memo)
    if kept and last is not None:
        last.paragraph_format.keep_with_next = True  # its last lines, at least, go along
    for i, p in enumerate(kept):
        _keep(p, with_next=i < len(kept) - 1)


def _signatures(w: DocWriter, memo: Memo) -> list[Paragraph]:
    """Ansvarig tjänsteman and Handläggare, each a small label over the name."""
    from docx.shared import Pt

    written: list[Paragraph] = []
    for label, name in (
        (memo.responsible_label, memo.responsible_officer),
        (memo.case_officer_label, memo.case_officer),
    ):
        if name:
            p = w.para(label, size=9, colour=MUTED)
            p.paragraph_format.space_before = Pt(10 if written else 18)
            p.paragraph_format.space_after = Pt(0)
            written += [p, w.para(name)]
    return written


def render_memo_docx(memo: Memo, *, template: Path | None = None) -> bytes:
    """The memo as a Word document in the report's template (the packaged one or ``template``):
    its page, margins, fonts and heading styles; running header with organisation and Dnr,
    "Sida X av Y" as fields; the proposed decision as a panel; language sv-SE throughout."""
    from docx.shared import Pt

    from ksreport.render.docx import DocWriter, header_footer, open_template
    from ksreport.reproducible import normalize_zip

    doc = open_template(template)
    _panel_style(doc)
    w = DocWriter(doc)
    sender = memo.organisation or memo.administration or memo.board
    dnr = f", {memo.diary_label} {memo.diary_number}" if memo.diary_number else ""
    header_footer(
        w, sender, f"{memo.memo_label} {memo.date}{dnr}", memo.page_label, memo.page_of_label
    )
    _head(w, memo)
    to = w.para(memo.to, bold=True)
    to.paragraph_format.space_before = Pt(24)
    to.paragraph_format.space_after = Pt(12)
    if _has_style(doc, "Title"):
        w.para(memo.title, style="Title")
    else:  # a user's template made in Word may lack it
        w.para(memo.title, size=17, bold=True, colour=HEADING)
    w.heading(memo.decision_heading, 1)
    w.para(memo.decision, style=PANEL_STYLE)
    _section_heading(w, memo.summary_heading)
    for text in memo.summary:
        w.para(text)
    _closing(w, memo, _case(w, memo))
    when = midnight(dt.date.fromisoformat(memo.date))
    set_core_properties(
        doc.core_properties,
        title=memo.document_title,
        subject=memo.title,
        author=memo.organisation or memo.board,
        keywords="; ".join(x for x in (memo.board, memo.diary_number) if x),
        category=memo.memo_label,
        lang=memo.lang,
        when=when,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), when)
