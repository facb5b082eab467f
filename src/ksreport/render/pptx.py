"""Render stage, PowerPoint: the slides (``ksreport.slides``) as an editable 16:9 presentation.

Built with python-pptx over ``templates/presentation.pptx`` or the user's own master
(``--pptx-template``, a .pptx or .potx): the slides use the master's layouts (title slide, title
and content), and their text goes into the master's placeholders: the title into the title, the
first text block, table or chart into the content placeholder, the slide number, date and footer
into theirs, so the master decides positions, fonts, colours and how the number looks. The
layout is measured in the master's font (``render.pptx_master``), so the text fits the boxes it
is given; the boxes of ksreport's own (the status line, further text blocks) shrink their text
if a font differs after all. The status chart is a native chart with its data; tables are native
tables whose status cells carry the status colour, symbol and word. Speaker notes hold the goal's
description and analysis.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksreport import slides as geo
from ksreport.context import ReportContext
from ksreport.render import (
    HEAD_FILL,
    HEADING,
    INK,
    OFFICE_FONT_FAMILY,
    RULE,
    RULE_LIGHT,
    report_core_properties,
)
from ksreport.render.pptx_master import (
    BODIES,
    EMU_PER_PT,
    MUTED_MOD,
    TEMPLATE_NAME,
    TITLES,
    Master,
    Placeholder,
    fit_slide_size,
    footer_texts,
    load,
    one_line,
    ph_of,
)
from ksreport.reproducible import normalize_zip, workbook_bytes
from ksreport.slides import (
    Block,
    Box,
    Cell,
    Chart,
    ContentSlide,
    CoverText,
    Frame,
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

__all__ = ["TEMPLATE_NAME", "build_template", "fit_slide_size", "render_presentation_pptx"]

log = logging.getLogger("ksreport")

LANG = "sv-SE"
NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
"""PowerPoint's built-in "No Style, No Grid": every fill and rule is set per cell."""
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
MUTED_BRIGHTNESS = MUTED_MOD[1] / 100000
"""The muted text: the theme's text colour lightened, so it follows a dark or light master."""
CHART_GAP_WIDTH = 60

# The packaged template: python-pptx's default master, made 16:9, Swedish and in house colours.
HOUSE_THEME = {"dk1": INK, "dk2": HEADING, "lt2": HEAD_FILL, "accent1": HEADING}
HOUSE_FONT = OFFICE_FONT_FAMILY
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


def _remove_slides(prs: Presentation) -> None:
    """Drop the template's own slides; their parts are no longer referenced and not saved."""
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


# --- Text ----------------------------------------------------------------------------------


Colour = str | None
"""``ink``, ``heading``, ``muted`` (the theme's text colours, so a dark master keeps its
contrast), ``RRGGBB`` (status colours), or None to inherit from the master (placeholders)."""


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


def _run(paragraph: _Paragraph, text: str, size: float, bold: bool | None, colour: Colour) -> _Run:
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_colour(run.font.color, colour)
    run.font._rPr.set("lang", LANG)
    return run


def _add_text(
    paragraph: _Paragraph,
    text: str,
    size: float,
    *,
    bold: bool | None = False,
    colour: Colour = "ink",
) -> None:
    """Text as runs, line breaks kept as breaks (never as new paragraphs)."""
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_line_break()
        if line:
            _run(paragraph, line, size, bold, colour)


def _paragraph(
    frame: TextFrame,
    first: bool,
    size: float,
    line: float = geo.LINE,
    *,
    align: str | None = "left",
) -> _Paragraph:
    """A paragraph at the layout's exact line pitch, left-aligned (None: as the master says),
    without the master's bullet or indent."""
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.xmlchemy import OxmlElement
    from pptx.util import Pt

    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    if align is not None:
        paragraph.alignment = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}.get(
            align, PP_ALIGN.LEFT
        )
    paragraph.line_spacing = Pt(size * line)
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", "0")
    p_pr.set("indent", "0")
    if p_pr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}buNone") is None:
        p_pr.append(OxmlElement("a:buNone"))
    return paragraph


def _frame(frame: TextFrame, *, middle: bool = False) -> None:
    """No insets, wrapped, text shrunk on overflow: the frame is the area the layout measured,
    and should a renderer's font be wider after all, the text still stays inside."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Emu

    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
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


def _place(shape: Any, box: Box, ph: Placeholder | None = None) -> None:
    """Put ``shape`` where its text fills ``box``: the box widened by the placeholder's insets."""
    from pptx.util import Emu

    left, top, right, bottom = ph.insets if ph is not None else (0.0, 0.0, 0.0, 0.0)
    shape.left, shape.top = Emu(_emu(box.left - left)), Emu(_emu(box.top - top))
    shape.width = Emu(_emu(box.width + left + right))
    shape.height = Emu(_emu(box.height + top + bottom))
    if ph is not None and shape.has_text_frame:  # the master's insets, spelled out
        frame = shape.text_frame
        frame.margin_left, frame.margin_top = Emu(_emu(left)), Emu(_emu(top))
        frame.margin_right, frame.margin_bottom = Emu(_emu(right)), Emu(_emu(bottom))


def _placeholder_frame(shape: Any) -> TextFrame:
    """A placeholder's text frame, emptied; its insets, anchor and autofit stay the master's."""
    frame: TextFrame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    return frame


# --- Blocks --------------------------------------------------------------------------------


def _write_paragraphs(frame: TextFrame, block: TextBlock) -> None:
    from pptx.util import Pt

    for i, para in enumerate(block.paragraphs):
        p = _paragraph(frame, i == 0, para.size)
        p.space_before = Pt(para.space_before)
        _paragraph_text(p, para)


def _text_block(slide: Slide, f: Frame, block: TextBlock, body: Any | None) -> None:
    box = Box(f.left, block.top, f.content_width, block.height)
    if body is not None:
        shape, ph = body
        _place(shape, box, ph)
        frame = _placeholder_frame(shape)
    else:
        frame = _textbox(slide, "Text", (box.left, box.top, box.width, box.height))
    _write_paragraphs(frame, block)


def _paragraph_text(p: _Paragraph, para: Text) -> None:
    if para.lead:
        _run(p, para.lead + " ", para.size, True, "heading")
    colour = "muted" if para.muted else "ink"
    _add_text(p, para.text, para.size, bold=para.bold, colour=colour)


def _status_line(slide: Slide, f: Frame, block: StatusLine) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    gap = geo.STATUS_GAP
    x = f.left
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
    p = _paragraph(frame, True, block.size, align="center")
    _run(p, block.status.text, block.size, True, block.status.ink)
    x += block.badge_width + gap
    if block.note:
        width = f.left + f.content_width - x
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
    from pptx.enum.text import MSO_ANCHOR
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
    p = _paragraph(frame, True, geo.TABLE_PT, align=align)
    _add_text(p, content.text, geo.TABLE_PT, bold=bold, colour=colour)
    if content.note:
        note = _paragraph(frame, False, geo.TABLE_PT, align=align)
        _add_text(note, content.note, geo.TABLE_PT, colour=status.ink if status else "muted")


def _theme_fill(cell: Any) -> None:
    """The header fill: the theme's light second background (house: EEF2F6)."""
    from pptx.enum.dml import MSO_THEME_COLOR

    cell.fill.solid()
    cell.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_2


def _describe(shape: Any, descr: str, title: str = "") -> None:
    """Alt text (and a title) on a table or chart frame, as PowerPoint's "Alternativ text"."""
    c_nv_pr = shape._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0]
    c_nv_pr.set("descr", descr)
    if title:
        c_nv_pr.set("title", title)


def _bind(shape: Any, body: Any | None) -> None:
    """Put a table or chart into the layout's content placeholder (as PowerPoint does when one
    is inserted there), so it moves with the layout; the placeholder shape itself goes."""
    from pptx.oxml.xmlchemy import OxmlElement

    if body is None:
        return
    placeholder, _ = body
    ph = OxmlElement("p:ph")
    ph.set("idx", str(placeholder.placeholder_format.idx))
    shape._element.xpath("./p:nvGraphicFramePr/p:nvPr")[0].append(ph)
    placeholder._element.getparent().remove(placeholder._element)


def _table(slide: Slide, f: Frame, block: Table, body: Any | None) -> None:
    from pptx.util import Pt

    rows: list[Row] = ([block.header] if block.header else []) + list(block.rows)
    shape = slide.shapes.add_table(
        len(rows),
        len(block.columns),
        Pt(f.left),
        Pt(block.top),
        Pt(f.content_width),
        Pt(block.height),
    )
    shape.name = "Tabell"
    _describe(shape, block.label)
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
    _bind(shape, body)


def _chart_values(block: Chart) -> list[tuple[str, str, str | None, str, list[int | None]]]:
    """One series per status (forecasts apart): its name, fill, outline, label colour and its
    count per goal (None where none, so no "0" label is drawn)."""
    spec = block.spec
    series = []
    for item in spec.legend:
        counts = [
            next((s.count for s in row.segments if s.label == item.label), 0) or None
            for row in spec.rows
        ]
        series.append((f"{item.symbol} {item.label}", item.fill, item.stroke, item.ink, counts))
    return series


def _chart_workbook(categories: list[str], series: list[Any], when: dt.datetime) -> bytes:
    """The chart's data as PowerPoint edits it ("Redigera data"), stamped ``when``: python-pptx
    writes its workbook with the current time, which would make every build differ."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.cell(1, 1, "Mål")
    for i, name in enumerate(categories, 2):
        ws.cell(i, 1, name)
    for j, (label, *_, counts) in enumerate(series, 2):
        ws.cell(1, j, label)
        for i, count in enumerate(counts, 2):
            if count is not None:
                ws.cell(i, j, count)
    return workbook_bytes(wb, when)


def _chart(slide: Slide, f: Frame, block: Chart, body: Any | None, when: dt.datetime) -> None:
    """The status chart as a native stacked bar chart: a series per status in its colour,
    goals as categories top to bottom, counts as data labels, the legend below."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    categories = [row.label for row in block.spec.rows]
    series = _chart_values(block)
    data = CategoryChartData(number_format="0")
    data.categories = categories
    for name, *_, counts in series:
        data.add_series(name, counts)
    shape: Any = slide.shapes.add_chart(  # a graphic frame (python-pptx's hint says Chart)
        XL_CHART_TYPE.BAR_STACKED,
        Pt(f.left),
        Pt(block.top),
        Pt(block.width),
        Pt(block.height),
        data,  # type: ignore[arg-type]
    )
    shape.name = "Diagram"
    _describe(shape, block.alt, block.caption)
    chart = shape.chart
    chart.font.size = Pt(geo.TABLE_PT)
    chart.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width = CHART_GAP_WIDTH
    plot.overlap = 100
    categories_axis = chart.category_axis
    categories_axis.reverse_order = True  # the first goal on top, as in the report
    categories_axis.has_major_gridlines = False
    categories_axis.format.line.fill.background()
    values_axis = chart.value_axis
    values_axis.visible = False
    values_axis.has_major_gridlines = False
    for s, (_, fill, stroke, ink, _) in zip(plot.series, series, strict=True):
        s.invert_if_negative = False
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
        if stroke:
            s.format.line.color.rgb = RGBColor.from_string(stroke.lstrip("#"))
            s.format.line.width = Pt(1)
        else:
            s.format.line.fill.background()
        labels = s.data_labels
        labels.show_value = True
        labels.position = XL_LABEL_POSITION.CENTER
        labels.number_format = "0"
        labels.number_format_is_linked = False
        labels.font.size = Pt(geo.TABLE_PT)
        labels.font.bold = True
        labels.font.color.rgb = RGBColor.from_string(ink.lstrip("#"))
    chart.part.chart_workbook.update_from_xlsx_blob(_chart_workbook(categories, series, when))
    _bind(shape, body)


def _block(slide: Slide, f: Frame, block: Block, body: Any | None, when: dt.datetime) -> None:
    if isinstance(block, TextBlock):
        _text_block(slide, f, block, body)
    elif isinstance(block, StatusLine):
        _status_line(slide, f, block)
    elif isinstance(block, Table):
        _table(slide, f, block, body)
    else:
        _chart(slide, f, block, body, when)


# --- Slides --------------------------------------------------------------------------------


def _keep_placeholders(slide: Slide, keep: Iterable[Any]) -> None:
    """Remove the layout's empty placeholders the slide does not use ("Klicka för att ...")."""
    kept = {id(k._element) for k in keep}
    for ph in list(slide.placeholders):
        if id(ph._element) not in kept:
            ph._element.getparent().remove(ph._element)


def _slide_ph(slide: Slide, kinds: set[str]) -> Any | None:
    found = sorted(
        ((ph_of(ph._element) or ("", 0))[1], i, ph)
        for i, ph in enumerate(slide.placeholders)
        if (ph_of(ph._element) or ("",))[0] in kinds
    )
    return found[0][2] if found else None


PLACEHOLDER_NAMES = {
    "title": "Rubrik",
    "ctrTitle": "Rubrik",
    "subTitle": "Underrubrik",
    "obj": "Innehåll",
    "body": "Innehåll",
    "sldNum": "Bildnummer",
    "dt": "Datum",
    "ftr": "Sidfot",
}
"""The placeholders' names in PowerPoint's selection pane, in Swedish."""


def _name_placeholders(slide: Slide) -> None:
    for shape in slide.placeholders:
        kind = (ph_of(shape._element) or ("",))[0]
        if kind in PLACEHOLDER_NAMES and not (shape.has_chart or shape.has_table):
            shape.name = f"{PLACEHOLDER_NAMES[kind]} {shape.shape_id}"


def _clone(slide: Slide, layout: SlideLayout, kind: str) -> Any | None:
    """The layout's date, footer or slide-number placeholder on the slide (python-pptx leaves
    them out of a new slide, as PowerPoint does until they are switched on)."""
    placeholders: Iterable[Any] = layout.placeholders
    source = next((ph for ph in placeholders if (ph_of(ph._element) or ("",))[0] == kind), None)
    if source is None:
        return None
    slide.shapes.clone_placeholder(source)
    return _slide_ph(slide, {kind})


def _as_field(run: _Run, kind: str) -> None:
    """The run as a live field (``slidenum``), its formatting kept."""
    fld = _xml("a:fld", id=SLIDE_NUMBER_FIELD, type=kind)
    r = run._r
    for child in list(r):
        fld.append(child)
    r.addprevious(fld)
    r.getparent().remove(r)


def _field_text(shape: Any, text: str, field: str | None = None) -> None:
    """A footer placeholder's text in the master's style; ``field`` makes it a live field."""
    frame = shape.text_frame
    frame.clear()
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font._rPr.set("lang", LANG)
    if field is not None:
        _as_field(run, field)


def _slide_number(slide: Slide, layout: SlideLayout, number: int) -> Any | None:
    """The master's slide-number placeholder with a slide-number field, so it follows when the
    presenter reorders; where the layout has none, a text box in the slide-number band."""
    shape = _clone(slide, layout, "sldNum")
    if shape is not None:
        _field_text(shape, str(number), "slidenum")
        return shape
    width = geo.NUMBER_WIDTH
    box = (geo.SLIDE_WIDTH - geo.MARGIN_X - width, geo.NUMBER_TOP, width, geo.NUMBER_PT * geo.LINE)
    frame = _textbox(slide, "Bildnummer", box)
    p = _paragraph(frame, True, geo.NUMBER_PT, align="right")
    _as_field(_run(p, str(number), geo.NUMBER_PT, False, "muted"), "slidenum")
    return None


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


def _cover(
    slide: Slide,
    shape: Any | None,
    ph: Placeholder | None,
    text: CoverText,
    name: str,
    *,
    muted: bool,
    line: float = geo.LINE,
) -> Any | None:
    """Paragraphs of the title slide into the master's placeholder (its colours and alignment),
    or into a text box of our own."""
    if shape is not None:
        _place(shape, text.box, ph)
        frame = _placeholder_frame(shape)
        align = None
    else:
        b = text.box
        frame = _textbox(slide, name, (b.left, b.top, b.width, b.height))
        align = text.align
    for i, (words, size, bold, quiet) in enumerate(text.paragraphs):
        p = _paragraph(frame, i == 0, size, line, align=align)
        colour: Colour = "muted" if quiet and muted else None
        if shape is None:
            colour = "muted" if quiet else "heading"
        _add_text(p, words, size, bold=bold, colour=colour)
    return shape


def _title_slide(prs: Presentation, layout: SlideLayout, s: TitleSlide, m: Master) -> None:
    slide = prs.slides.add_slide(layout)
    title = _slide_ph(slide, TITLES)
    sub = _slide_ph(slide, {"subTitle", "body", "obj"})
    keep = []
    muted = m.cover_muted
    if s.heading_text is not None:
        keep.append(
            _cover(
                slide,
                title,
                m.places.cover_title,
                s.heading_text,
                "Rubrik",
                muted=muted,
                line=geo.TITLE_LINE,
            )
        )
    if s.sub_text is not None:
        keep.append(_cover(slide, sub, m.places.cover_sub, s.sub_text, "Nämnd", muted=muted))
    _keep_placeholders(slide, [k for k in keep if k is not None])
    if s.facts_text is not None:
        date = _clone(slide, layout, "dt")
        _cover(slide, date, m.places.cover_facts, s.facts_text, "Uppgifter", muted=muted)
    _name_placeholders(slide)
    _notes(slide, s.notes)


def _content_slide(
    prs: Presentation,
    layout: SlideLayout,
    s: ContentSlide,
    m: Master,
    ctx: ReportContext,
    when: dt.datetime,
) -> None:
    f = m.frame
    slide = prs.slides.add_slide(layout)
    title = _slide_ph(slide, TITLES)
    if title is not None:
        _place(title, s.title_box, m.places.title)
        frame = _placeholder_frame(title)
        p = _paragraph(frame, True, s.title_size, geo.TITLE_LINE, align=None)
        _add_text(p, s.title, s.title_size, bold=None, colour=None)
    else:
        b = s.title_box
        frame = _textbox(slide, "Rubrik", (b.left, b.top, b.width, b.height))
        p = _paragraph(frame, True, s.title_size, geo.TITLE_LINE)
        _add_text(p, s.title, s.title_size, bold=True, colour="heading")
    content = _slide_ph(slide, BODIES)
    holder = next((b for b in s.blocks if not isinstance(b, StatusLine)), None)
    takes_graphics = content is not None and (ph_of(content._element) or ("",))[0] == "obj"
    if holder is None or (not isinstance(holder, TextBlock) and not takes_graphics):
        holder = None
    _keep_placeholders(slide, [ph for ph in (title, content if holder else None) if ph])
    for block in s.blocks:
        body = (content, m.places.body) if block is holder and content is not None else None
        _block(slide, f, block, body, when)
    _slide_number(slide, layout, s.number)
    footer = _clone(slide, layout, "ftr")
    if footer is not None and m.content.footer is not None:
        texts = footer_texts(ctx.document_title, ctx.title, ctx.period_words, ctx.board)
        _field_text(footer, one_line(m.content.footer, *texts))
    date = _clone(slide, layout, "dt")
    if date is not None:
        _field_text(date, ctx.generated_long)
    _name_placeholders(slide)
    _notes(slide, s.notes)


# --- The document --------------------------------------------------------------------------


def _notes_master_fonts(prs: Presentation, theme_fonts: tuple[str, str]) -> None:
    """The speaker notes in the master's fonts: python-pptx's own notes master names Calibri."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    part = prs.part.part_related_by(RT.NOTES_MASTER)
    theme: Any = part.part_related_by(RT.THEME)
    xml_part = hasattr(theme, "_element")  # python-pptx's new notes theme is an XML part
    root = theme._element if xml_part else etree.fromstring(theme.blob)
    for kind, family in zip(("major", "minor"), theme_fonts, strict=True):
        for latin in root.findall(f".//a:fontScheme/a:{kind}Font/a:latin", ns):
            latin.set("typeface", family)
    if not xml_part:
        theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _has_notes_master(prs: Presentation) -> bool:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return any(rel.reltype == RT.NOTES_MASTER for rel in prs.part.rels.values())


def _swedish(prs: Presentation) -> None:
    """sv-SE on every text property that names a language: python-pptx's own notes master and
    chart XML say en-US, and so may a user's template."""
    for part in prs.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            for el in element.xpath(".//*[@lang]"):
                el.set("lang", LANG)


def render_presentation_pptx(ctx: ReportContext, *, template: Path | None = None) -> bytes:
    """The presentation as an editable 16:9 PowerPoint file (bytes), reproducible."""
    from ksreport.render.pptx_master import read_theme

    prs, layouts, master = load(template)
    had_notes_master = _has_notes_master(prs)
    _remove_slides(prs)
    when = report_core_properties(
        prs.core_properties,
        ctx,
        subject=f"Presentation: {ctx.title} för {ctx.board}, {ctx.period_words}",
        category="Presentation",
    )
    for s in build_slides(ctx, master.frame):
        if isinstance(s, TitleSlide):
            _title_slide(prs, layouts.title, s, master)
        else:
            _content_slide(prs, layouts.content, s, master, ctx, when)
    if not had_notes_master and _has_notes_master(prs):
        theme = read_theme(layouts.content.slide_master)
        _notes_master_fonts(prs, (theme.major, theme.minor))
    _swedish(prs)
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


def _xml(tag: str, **attrs: str) -> Any:
    from pptx.oxml.xmlchemy import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _scheme_fill(colour: str, mods: tuple[int, int] | None = None) -> Any:
    fill = _xml("a:solidFill")
    scheme = _xml("a:schemeClr", val=colour)
    if mods is not None:
        scheme.append(_xml("a:lumMod", val=str(mods[0])))
        scheme.append(_xml("a:lumOff", val=str(mods[1])))
    fill.append(scheme)
    return fill


def _set_box(el: Any, box: Box) -> None:
    """An explicit place for a placeholder of the master or a layout."""
    from pptx.oxml.ns import qn

    sp_pr = el.find(qn("p:spPr"))
    for old in sp_pr.findall(qn("a:xfrm")):
        sp_pr.remove(old)
    xfrm = _xml("a:xfrm")
    xfrm.append(_xml("a:off", x=str(_emu(box.left)), y=str(_emu(box.top))))
    xfrm.append(_xml("a:ext", cx=str(_emu(box.width)), cy=str(_emu(box.height))))
    sp_pr.insert(0, xfrm)


def _set_text(
    el: Any,
    *,
    size: float,
    colour: tuple[str, tuple[int, int] | None] | None = None,
    bold: bool | None = None,
    align: str = "l",
    anchor: str = "t",
) -> None:
    """The first level of a placeholder's text as ksreport's master sets it: no insets, no
    bullet, anchored ``anchor``."""
    from pptx.oxml.ns import qn

    tx_body = el.find(qn("p:txBody"))
    body_pr = tx_body.find(qn("a:bodyPr"))
    for attr in ("lIns", "tIns", "rIns", "bIns"):
        body_pr.set(attr, "0")
    body_pr.set("anchor", anchor)
    for child in list(body_pr):
        body_pr.remove(child)
    body_pr.append(_xml("a:noAutofit"))
    lst = tx_body.find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    level = _xml("a:lvl1pPr", marL="0", indent="0", algn=align)
    level.append(_xml("a:buNone"))
    run = _xml("a:defRPr", sz=str(round(size * 100)))
    if bold is not None:
        run.set("b", "1" if bold else "0")
    if colour is not None:
        run.append(_scheme_fill(*colour))
    level.append(run)
    lst.append(level)


def _house_layout(master: Any) -> None:
    """Every placeholder of the house master where the slide layout (``slides.HOUSE_FRAME``)
    puts it: title, content and slide number; no date or footer on the content slides."""
    f = geo.HOUSE_FRAME
    number = Box(
        geo.SLIDE_WIDTH - geo.MARGIN_X - geo.NUMBER_WIDTH,
        geo.NUMBER_TOP,
        geo.NUMBER_WIDTH,
        round(geo.NUMBER_PT * geo.LINE, 2),
    )
    muted = ("tx1", MUTED_MOD)
    for el in master.shapes._spTree.iterchildren():
        kind = (ph_of(el) or ("",))[0]
        if kind == "title":
            _set_box(el, f.title.box)
            _set_text(el, size=geo.TITLE_PT, colour=("tx2", None), bold=True)
        elif kind in BODIES:
            _set_box(el, f.body.box)
            _set_text(el, size=geo.BODY_PT)
        elif kind == "sldNum":
            _set_box(el, number)
            _set_text(el, size=geo.NUMBER_PT, colour=muted, align="r")
    for layout in master.slide_layouts:
        tree = layout.shapes._spTree
        cover = layout.name == "Title Slide"
        for el in list(tree.iterchildren()):
            kind = (ph_of(el) or ("",))[0]
            unused = ("ftr", "sldNum") if cover else ("dt", "ftr")
            if kind in unused:
                tree.remove(el)
            elif kind == "ctrTitle":
                _set_box(el, f.cover_title.box)
                _set_text(el, size=geo.TS_TITLE_PT, colour=("tx2", None), bold=True)
            elif kind == "subTitle":
                _set_box(el, f.cover_sub.box)
                _set_text(el, size=geo.TS_BOARD_PT, colour=("tx2", None), anchor="b")
            elif kind == "dt" and cover and f.cover_facts is not None:
                _set_box(el, f.cover_facts.box)
                _set_text(el, size=geo.TS_FACTS_PT, colour=muted)
        if cover:
            sub = f.cover_sub.box
            top = sub.bottom + geo.TS_RULE_GAP
            rule = _xml("p:sp")
            nv = _xml("p:nvSpPr")
            nv.append(_xml("p:cNvPr", id="90", name="Linje"))
            nv.append(_xml("p:cNvSpPr"))
            nv.append(_xml("p:nvPr"))
            rule.append(nv)
            sp_pr = _xml("p:spPr")
            rule.append(sp_pr)
            _set_box(rule, Box(sub.left, top, sub.width, geo.TS_RULE))
            geom = _xml("a:prstGeom", prst="rect")
            geom.append(_xml("a:avLst"))
            sp_pr.append(geom)
            sp_pr.append(_scheme_fill("tx2"))
            line = _xml("a:ln")
            line.append(_xml("a:noFill"))
            sp_pr.append(line)
            tree.append(rule)


def build_template() -> bytes:
    """The packaged master: python-pptx's default made 16:9, Swedish, Arial, house colours, its
    placeholders where ksreport's slide layout puts the text."""
    from pptx import Presentation as new_presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml.ns import qn

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
        el.insert(0, _scheme_fill("tx2"))
        el.set("b", "1")
    for el in master._element.xpath(".//p:bodyStyle/a:lvl1pPr"):
        el.set("marL", "0")
        el.set("indent", "0")
        for bullet in (*el.findall(qn("a:buFont")), *el.findall(qn("a:buChar"))):
            el.remove(bullet)
        el.insert(1, _xml("a:buNone"))
        for run in el.findall(qn("a:defRPr")):
            run.set("sz", str(round(geo.BODY_PT * 100)))
    _house_layout(master)
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
