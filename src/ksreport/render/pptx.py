"""Render stage, PowerPoint: the slides (``ksreport.slides``) as an editable 16:9 presentation.

Built with python-pptx over ``templates/presentation.pptx`` or the user's own master
(``--pptx-template``): the slides use the master's layouts (title slide, title only), its
background, theme fonts and theme text colours; every text is a native text box or table that
the presenter can edit, charts are PNG pictures with alt text. Where each block sits comes from
the slide layout, so nothing overflows and the slides match the PDF. Status cells carry the
status colour, symbol and word. Speaker notes hold the goal's description and analysis.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksreport import slides as geo
from ksreport.charts import render_png
from ksreport.context import ReportContext
from ksreport.errors import RenderError
from ksreport.render import (
    HEAD_FILL,
    HEADING,
    INK,
    RULE,
    RULE_LIGHT,
    package_template_dir,
    report_core_properties,
)
from ksreport.reproducible import normalize_zip
from ksreport.slides import (
    Block,
    Cell,
    Chart,
    ContentSlide,
    Row,
    StatusLine,
    Table,
    Text,
    TextBlock,
    TitleSlide,
    build_slides,
)

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide, SlideLayout
    from pptx.text.text import TextFrame, _Paragraph, _Run

log = logging.getLogger("ksreport")

TEMPLATE_NAME = "presentation.pptx"
LANG = "sv-SE"
CHART_DPI = 300
EMU_PER_PT = 12700
NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
"""PowerPoint's built-in "No Style, No Grid": every fill and rule is set per cell."""
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
MUTED_BRIGHTNESS = 0.35
"""The muted text: the theme's text colour lightened, so it follows a dark or light master."""

# The packaged template: python-pptx's default master, made 16:9, Swedish and in house colours.
HOUSE_THEME = {"dk1": INK, "dk2": HEADING, "lt2": HEAD_FILL, "accent1": HEADING}
HOUSE_FONT = "Arial"
"""Metric-compatible with the packaged Liberation Sans that the layout is measured in."""
LAYOUT_NAMES_SV = {
    "Title Slide": "Rubrikbild",
    "Title and Content": "Rubrik och innehåll",
    "Section Header": "Avsnittsrubrik",
    "Two Content": "Två innehåll",
    "Comparison": "Jämförelse",
    "Title Only": "Endast rubrik",
    "Blank": "Tom",
    "Content with Caption": "Innehåll med bildtext",
    "Picture with Caption": "Bild med bildtext",
    "Title and Vertical Text": "Rubrik och lodrät text",
    "Vertical Title and Text": "Lodrät rubrik och text",
}


def _emu(points: float) -> int:
    return round(points * EMU_PER_PT)


# --- The master: size and layouts ----------------------------------------------------------


def _scale_shapes(tree: Any, sx: float, sy: float) -> None:
    """Scale the shapes of a master or layout to a new slide size; pictures keep their shape."""
    from pptx.oxml.ns import qn

    for el in tree.iterchildren():
        xfrm = el.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
        if xfrm is None:
            xfrm = el.find(qn("p:xfrm"))
        if xfrm is None:
            xfrm = el.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
        if xfrm is None:
            continue  # a placeholder that inherits its place from the master
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is None or ext is None:
            continue
        x, y = int(off.get("x")), int(off.get("y"))
        cx, cy = int(ext.get("cx")), int(ext.get("cy"))
        if el.tag == qn("p:pic"):
            k = min(sx, sy)
            centre_x, centre_y = (x + cx / 2) * sx, (y + cy / 2) * sy
            cx, cy = round(cx * k), round(cy * k)
            x, y = round(centre_x - cx / 2), round(centre_y - cy / 2)
        else:
            x, y, cx, cy = round(x * sx), round(y * sy), round(cx * sx), round(cy * sy)
        off.set("x", str(x))
        off.set("y", str(y))
        ext.set("cx", str(cx))
        ext.set("cy", str(cy))


def fit_slide_size(prs: Presentation) -> bool:
    """Make the presentation 16:9 widescreen (13,33 × 7,5 in), scaling the master and its
    layouts as PowerPoint does; True if the size changed."""
    width, height = _emu(geo.SLIDE_WIDTH), _emu(geo.SLIDE_HEIGHT)
    old_w, old_h = prs.slide_width or width, prs.slide_height or height
    if (old_w, old_h) == (width, height):
        return False
    sx, sy = width / old_w, height / old_h
    for master in prs.slide_masters:
        _scale_shapes(master.shapes._spTree, sx, sy)
        for layout in master.slide_layouts:
            _scale_shapes(layout.shapes._spTree, sx, sy)
    from pptx.util import Emu

    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    prs.part._element.sldSz.attrib.pop("type", None)
    return True


def _placeholder_types(layout: Any) -> set[Any]:
    return {ph.placeholder_format.type for ph in layout.placeholders}


@dataclass(frozen=True)
class Layouts:
    """The master's layouts the slides use, picked by their placeholders, not their names."""

    title: SlideLayout
    content: SlideLayout


def pick_layouts(prs: Presentation) -> Layouts:
    """Title slide: a centred title (or title and subtitle); content: title only, else title
    and content, else any with a title, else blank; the first layout when nothing matches."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    titles = {PH.TITLE, PH.CENTER_TITLE}
    footers = {PH.DATE, PH.FOOTER, PH.SLIDE_NUMBER}
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    if not layouts:
        raise RenderError("PowerPoint-mallen har inga layouter.")

    def first(*tests: Any) -> SlideLayout | None:
        for test in tests:
            found = [layout for layout in layouts if test(_placeholder_types(layout))]
            if found:
                return found[0]
        return None

    content = first(
        lambda t: PH.TITLE in t and not t - titles - footers,
        lambda t: PH.TITLE in t and t & {PH.OBJECT, PH.BODY},
        lambda t: bool(t & titles),
        lambda t: not t - footers,
    )
    title = first(
        lambda t: PH.CENTER_TITLE in t,
        lambda t: PH.TITLE in t and PH.SUBTITLE in t,
    )
    content = content or layouts[0]
    return Layouts(title or content, content)


def _remove_slides(prs: Presentation) -> None:
    """Drop the template's own slides; their parts are no longer referenced and not saved."""
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


# --- Text ----------------------------------------------------------------------------------


Colour = str | None
"""``ink``, ``heading``, ``muted`` (the theme's text colours, so a dark master keeps its
contrast), ``RRGGBB`` (status colours), or None to inherit from the master (titles)."""


def _set_colour(color: Any, colour: Colour) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_THEME_COLOR

    if colour is None:
        return
    if colour in ("ink", "muted"):
        color.theme_color = MSO_THEME_COLOR.TEXT_1
        if colour == "muted":
            color.brightness = MUTED_BRIGHTNESS
    elif colour == "heading":
        color.theme_color = MSO_THEME_COLOR.TEXT_2
    else:
        color.rgb = RGBColor.from_string(colour.lstrip("#"))


def _run(paragraph: _Paragraph, text: str, size: float, bold: bool, colour: Colour) -> _Run:
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_colour(run.font.color, colour)
    run.font._rPr.set("lang", LANG)
    return run


def _add_text(
    paragraph: _Paragraph, text: str, size: float, *, bold: bool = False, colour: Colour = "ink"
) -> None:
    """Text as runs, line breaks kept as breaks (never as new paragraphs)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_line_break()
        if line:
            _run(paragraph, line, size, bold, colour)


def _paragraph(frame: TextFrame, first: bool, size: float, line: float = geo.LINE) -> _Paragraph:
    """A left-aligned paragraph at the layout's exact line pitch (the master may centre)."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.line_spacing = Pt(size * line)
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    return paragraph


def _frame(frame: TextFrame, *, middle: bool = False) -> None:
    """No insets, no autofit, wrapped: the frame is exactly the area the layout measured."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Emu

    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if middle else MSO_ANCHOR.TOP


def _textbox(
    slide: Slide,
    name: str,
    box: tuple[float, float, float, float],
    *,
    middle: bool = False,
) -> TextFrame:
    """A text box at ``box`` = (left, top, width, height) in points."""
    from pptx.util import Pt

    shape = slide.shapes.add_textbox(*(Pt(v) for v in box))
    shape.name = name
    _frame(shape.text_frame, middle=middle)
    return shape.text_frame


def _place(shape: Any, left: float, top: float, width: float, height: float) -> None:
    from pptx.util import Pt

    shape.left, shape.top, shape.width, shape.height = Pt(left), Pt(top), Pt(width), Pt(height)


# --- Blocks --------------------------------------------------------------------------------


def _text_block(slide: Slide, block: TextBlock) -> None:
    frame = _textbox(slide, "Text", (geo.MARGIN_X, block.top, geo.CONTENT_WIDTH, block.height))
    for i, para in enumerate(block.paragraphs):
        p = _paragraph(frame, i == 0, para.size)
        _paragraph_text(p, para)


def _paragraph_text(p: _Paragraph, para: Text) -> None:
    from pptx.util import Pt

    p.space_before = Pt(para.space_before)
    if para.lead:
        _run(p, para.lead + " ", para.size, True, "heading")
    colour = "muted" if para.muted else "ink"
    _add_text(p, para.text, para.size, bold=para.bold, colour=colour)


def _status_line(slide: Slide, block: StatusLine) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    gap = geo.STATUS_GAP
    x = geo.MARGIN_X
    label = _textbox(slide, "Status", (x, block.top, block.label_width, block.height), middle=True)
    _run(_paragraph(label, True, block.size), block.label, block.size, True, "heading")
    x += block.label_width + gap
    badge = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, Pt(x), Pt(block.top), Pt(block.badge_width), Pt(block.height)
    )
    badge.name = f"Status: {block.status.label}"
    badge.adjustments[0] = 0.15
    _fill(badge, block.status.fill)
    _plain(badge)
    frame = badge.text_frame
    _frame(frame, middle=True)
    p = _paragraph(frame, True, block.size)
    p.alignment = PP_ALIGN.CENTER
    _run(p, block.status.text, block.size, True, block.status.ink)
    x += block.badge_width + gap
    if block.note:
        width = geo.MARGIN_X + geo.CONTENT_WIDTH - x
        note = _textbox(slide, "Bedömning", (x, block.top, width, block.height), middle=True)
        _run(_paragraph(note, True, block.size), block.note, block.size, False, "muted")


def _plain(shape: Any) -> None:
    """No outline and no theme style (whose shadow LibreOffice draws despite an empty effect
    list): the shape is only its fill."""
    shape.line.fill.background()
    for style in shape._element.xpath("./p:style"):
        shape._element.remove(style)


def _fill(shape: Any, colour: Colour) -> None:
    """A solid fill in a status colour (RRGGBB) or a theme role."""
    shape.fill.solid()
    _set_colour(shape.fill.fore_color, colour)


def _rule_below(cell: Any, colour: str, width: float = geo.RULE) -> None:
    """A rule under the cell; ``a:lnB`` goes before the fill in ``a:tcPr``."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("a:lnB")):
        tc_pr.remove(old)
    line = OxmlElement("a:lnB")
    line.set("w", str(_emu(width)))
    fill = OxmlElement("a:solidFill")
    rgb = OxmlElement("a:srgbClr")
    rgb.set("val", colour)
    fill.append(rgb)
    line.append(fill)
    tc_pr.insert(0, line)


def _cell(cell: Any, content: Cell, align: str, *, header: bool, group: bool) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Pt

    cell.margin_left = cell.margin_right = Pt(geo.CELL_PAD_X)
    cell.margin_top = cell.margin_bottom = Pt(geo.CELL_PAD_Y)
    cell.vertical_anchor = MSO_ANCHOR.BOTTOM if header else MSO_ANCHOR.TOP
    frame = cell.text_frame
    frame.word_wrap = True
    frame.clear()
    status = content.status
    if status is not None:
        _fill(cell, status.fill)
    elif header or group:
        _theme_fill(cell)
    else:
        cell.fill.background()
    colour: Colour = status.ink if status else ("heading" if header or group else "ink")
    bold = header or group or content.bold or status is not None
    p = _paragraph(frame, True, geo.TABLE_PT)
    p.alignment = {"right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}.get(align, PP_ALIGN.LEFT)
    _add_text(p, content.text, geo.TABLE_PT, bold=bold, colour=colour)
    if content.note:
        note = _paragraph(frame, False, geo.TABLE_PT)
        note.alignment = p.alignment
        _add_text(note, content.note, geo.TABLE_PT, colour=status.ink if status else "muted")


def _theme_fill(cell: Any) -> None:
    """The header fill: the theme's light second background (house: EEF2F6)."""
    from pptx.enum.dml import MSO_THEME_COLOR

    cell.fill.solid()
    cell.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_2


def _table(slide: Slide, block: Table) -> None:
    from pptx.util import Pt

    rows: list[Row] = ([block.header] if block.header else []) + list(block.rows)
    shape = slide.shapes.add_table(
        len(rows),
        len(block.columns),
        Pt(geo.MARGIN_X),
        Pt(block.top),
        Pt(geo.CONTENT_WIDTH),
        Pt(block.height),
    )
    shape.name = "Tabell"
    shape._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0].set("descr", block.label)
    shape._element.xpath(".//a:tblPr/a:tableStyleId")[0].text = NO_TABLE_STYLE
    table = shape.table
    table.first_row = block.header is not None
    table.horz_banding = False
    table.first_col = block.row_headers
    for j, col in enumerate(block.columns):
        table.columns[j].width = Pt(col.width)
    for i, row in enumerate(rows):
        header = block.header is not None and i == 0
        table.rows[i].height = Pt(row.height)
        if row.group:
            first = table.cell(i, 0)
            if len(block.columns) > 1:
                first.merge(table.cell(i, len(block.columns) - 1))
            _cell(first, row.cells[0], "left", header=False, group=True)
            for j in range(len(block.columns)):
                _rule_below(table.cell(i, j), RULE_LIGHT)
            continue
        for j, (content, col) in enumerate(zip(row.cells, block.columns, strict=True)):
            cell = table.cell(i, j)
            _cell(cell, content, col.align, header=header, group=False)
            _rule_below(cell, RULE if header else RULE_LIGHT)


def _chart(slide: Slide, block: Chart) -> None:
    from pptx.util import Pt

    png = render_png(block.spec, CHART_DPI)
    pic = slide.shapes.add_picture(
        io.BytesIO(png), Pt(geo.MARGIN_X), Pt(block.top), Pt(block.width), Pt(block.height)
    )
    pic.name = "Diagram"
    pic._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", block.alt)


def _block(slide: Slide, block: Block) -> None:
    if isinstance(block, TextBlock):
        _text_block(slide, block)
    elif isinstance(block, StatusLine):
        _status_line(slide, block)
    elif isinstance(block, Table):
        _table(slide, block)
    else:
        _chart(slide, block)


# --- Slides --------------------------------------------------------------------------------


def _keep_placeholders(slide: Slide, keep: Iterable[Any]) -> None:
    """Remove the layout's empty placeholders the slide does not use ("Klicka för att ...")."""
    kept = {id(k._element) for k in keep}
    for ph in list(slide.placeholders):
        if id(ph._element) not in kept:
            ph._element.getparent().remove(ph._element)


def _title_placeholder(slide: Slide) -> Any | None:
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    for ph in slide.placeholders:
        if ph.placeholder_format.type in (PH.TITLE, PH.CENTER_TITLE):
            return ph
    return None


def _title_frame(slide: Slide, ph: Any, box: tuple[float, float, float, float]) -> TextFrame:
    """The layout's title placeholder moved to ``box`` (its style is the master's), or a text
    box where the layout has none."""
    if ph is None:
        return _textbox(slide, "Rubrik", box)
    _place(ph, *box)
    frame: TextFrame = ph.text_frame
    _frame(frame)
    return frame


def _title(slide: Slide, title: str, size: float, lines: int) -> Any:
    ph = _title_placeholder(slide)
    box = (geo.MARGIN_X, geo.TITLE_TOP, geo.CONTENT_WIDTH, lines * size * geo.TITLE_LINE)
    frame = _title_frame(slide, ph, box)
    p = _paragraph(frame, True, size, geo.TITLE_LINE)
    _add_text(p, title, size, bold=True, colour=None if ph is not None else "heading")
    return ph


def _slide_number(slide: Slide, number: int) -> None:
    """The number as a slide-number field, so it follows when the presenter reorders."""
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.xmlchemy import OxmlElement

    width = 80.0
    box = (geo.SLIDE_WIDTH - geo.MARGIN_X - width, geo.NUMBER_TOP, width, geo.NUMBER_PT * geo.LINE)
    frame = _textbox(slide, "Bildnummer", box)
    p = _paragraph(frame, True, geo.NUMBER_PT)
    p.alignment = PP_ALIGN.RIGHT
    run = _run(p, str(number), geo.NUMBER_PT, False, "muted")
    field = OxmlElement("a:fld")
    field.set("id", SLIDE_NUMBER_FIELD)
    field.set("type", "slidenum")
    r = run._r
    for child in list(r):
        field.append(child)
    r.addprevious(field)
    r.getparent().remove(r)


def _notes(slide: Slide, notes: str) -> None:
    if not notes:
        return
    frame = slide.notes_slide.notes_text_frame
    if frame is None:
        return
    for i, part in enumerate(notes.split("\n")):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if part:
            r = p.add_run()
            r.text = part
            r.font._rPr.set("lang", LANG)


def _title_slide(prs: Presentation, layout: SlideLayout, s: TitleSlide) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.shapes import PP_PLACEHOLDER as PH
    from pptx.util import Pt

    slide = prs.slides.add_slide(layout)
    x, width = geo.MARGIN_X, geo.CONTENT_WIDTH
    if s.organisation:
        org = _textbox(slide, "Organisation", (x, geo.TS_TOP, width, s.org_height))
        p = _paragraph(org, True, geo.TS_ORG_PT)
        _add_text(p, s.organisation, geo.TS_ORG_PT, colour="muted")
    board = _textbox(slide, "Nämnd", (x, s.board_top, width, s.board_height))
    p = _paragraph(board, True, geo.TS_BOARD_PT)
    _add_text(p, s.board, geo.TS_BOARD_PT, bold=True, colour="heading")
    rule = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Pt(x), Pt(s.rule_top), Pt(width), Pt(geo.TS_RULE)
    )
    rule.name = "Linje"
    _fill(rule, "heading")
    _plain(rule)
    title = _title_placeholder(slide)
    frame = _title_frame(slide, title, (x, s.title_top, width, s.title_height))
    p = _paragraph(frame, True, geo.TS_TITLE_PT, geo.TITLE_LINE)
    _add_text(p, s.title, geo.TS_TITLE_PT, bold=True, colour=None if title else "heading")
    p = _paragraph(frame, False, geo.TS_PERIOD_PT, geo.TITLE_LINE)
    _add_text(p, s.period, geo.TS_PERIOD_PT, colour="ink")
    subtitle = next(
        (ph for ph in slide.placeholders if ph.placeholder_format.type == PH.SUBTITLE), None
    )
    box = (x, s.facts_top, width, len(s.facts) * geo.TS_FACTS_PT * geo.LINE)
    if subtitle is None:
        frame = _textbox(slide, "Uppgifter", box)
    else:
        _place(subtitle, *box)
        frame = subtitle.text_frame
        _frame(frame)
    for i, fact in enumerate(s.facts):
        p = _paragraph(frame, i == 0, geo.TS_FACTS_PT)
        _add_text(p, fact, geo.TS_FACTS_PT, colour="muted")
    _keep_placeholders(slide, [ph for ph in (title, subtitle) if ph is not None])
    _notes(slide, s.notes)


def _content_slide(prs: Presentation, layout: SlideLayout, s: ContentSlide) -> None:
    slide = prs.slides.add_slide(layout)
    title = _title(slide, s.title, s.title_size, s.title_lines)
    _keep_placeholders(slide, [title] if title is not None else [])
    for block in s.blocks:
        _block(slide, block)
    _slide_number(slide, s.number)
    _notes(slide, s.notes)


# --- The document --------------------------------------------------------------------------


def _open(path: Path) -> Presentation:
    from pptx import Presentation as open_presentation

    try:
        return open_presentation(str(path))
    except Exception as exc:  # python-pptx raises many kinds for a broken or foreign file
        raise RenderError(f'PowerPoint-mallen "{path}" kunde inte öppnas: {exc}') from None


def render_presentation_pptx(ctx: ReportContext, *, template: Path | None = None) -> bytes:
    """The presentation as an editable 16:9 PowerPoint file (bytes), reproducible."""
    path = template or package_template_dir() / TEMPLATE_NAME
    prs = _open(path)
    _remove_slides(prs)
    if fit_slide_size(prs):
        log.warning(
            "PowerPoint-mallen %s är inte 16:9 (33,867 × 19,05 cm); dess layouter har skalats "
            "om till det formatet.",
            path.name,
        )
    layouts = pick_layouts(prs)
    for s in build_slides(ctx):
        if isinstance(s, TitleSlide):
            _title_slide(prs, layouts.title, s)
        else:
            _content_slide(prs, layouts.content, s)
    when = report_core_properties(
        prs.core_properties,
        ctx,
        subject=f"Presentation: {ctx.title} för {ctx.board}, {ctx.period_words}",
        category="Presentation",
    )
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue(), when)


# --- The packaged template -----------------------------------------------------------------


def _house_theme(blob: bytes) -> bytes:
    from lxml import etree

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    root = etree.fromstring(blob)
    root.set("name", "ksreport")
    for name, colour in HOUSE_THEME.items():
        slot = root.find(f".//a:clrScheme/a:{name}", ns)
        if slot is None:
            continue
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{ns['a']}}}srgbClr", val=colour)
    for latin in root.findall(".//a:fontScheme//a:latin", ns):
        latin.set("typeface", HOUSE_FONT)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def build_template() -> bytes:
    """The packaged master: python-pptx's default made 16:9, Swedish, Arial, house colours."""
    from pptx import Presentation as new_presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml.xmlchemy import OxmlElement

    prs = new_presentation()
    fit_slide_size(prs)
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _house_theme(theme.blob)
    for el in master._element.xpath(".//p:titleStyle/a:lvl1pPr"):
        el.set("algn", "l")
    for el in master._element.xpath(".//p:titleStyle//a:defRPr"):
        for fill in el.xpath("./a:solidFill"):
            el.remove(fill)
        fill = OxmlElement("a:solidFill")
        scheme = OxmlElement("a:schemeClr")
        scheme.set("val", "tx2")
        fill.append(scheme)
        el.insert(0, fill)
        el.set("b", "1")
    for layout in master.slide_layouts:
        layout._element.cSld.set("name", LAYOUT_NAMES_SV.get(layout.name, layout.name))
    for part in (prs.part, master.part, *(layout.part for layout in master.slide_layouts)):
        for el in part._element.xpath(".//*[@lang]"):
            el.set("lang", LANG)
    core = prs.core_properties
    core.title = "Måluppfyllelse"
    core.language = LANG
    core.author = "ksreport"
    core.last_modified_by = "ksreport"
    when = dt.datetime(2020, 1, 1)
    core.created = core.modified = when
    core.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue(), when)
