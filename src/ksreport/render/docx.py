"""Render stage, DOCX: the report as a Word document over ``templates/verksamhetsberattelse.docx``.

Built with python-docx (no docxtpl): every text goes in as a run, so workbook text can never
become markup. The title in the Title style (Rubrik), sections and goals in Heading 1, sub-goals
in Heading 2, a table of contents field pre-filled as Word's own update fills it, header rows
that repeat, status cells shaded and written as symbol and word, charts as PNG with alt text
(the summary table holds the chart's data), language sv-SE, fonts named Arial. A user may
restyle the template in Word and pass it with ``--docx-template`` (``.dotx`` or ``.docx``);
styles the template lacks are added with the house sizes and colours, in the template's font.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ksreport.charts import chart_size_inches, render_png
from ksreport.context import (
    Assessed,
    ChangesView,
    Definition,
    Figure,
    GoalSection,
    HistoryTable,
    ListedMeasure,
    ReportContext,
    StatusView,
    SubGoalSection,
)
from ksreport.errors import RenderError
from ksreport.render import (
    GROUP_FILL,
    HEAD_FILL,
    HEADING,
    MUTED,
    OFFICE_FONT_FAMILY,
    RULE,
    RULE_LIGHT,
    clean,
    open_office_template,
    package_template_dir,
    report_core_properties,
    unbroken,
)
from ksreport.reproducible import normalize_zip

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TEMPLATE_NAME = "verksamhetsberattelse.docx"
LANG = "sv-SE"

TEXT_WIDTH = 170 * 36000
"""The line length of the packaged template (A4 less 22 + 18 mm margins), in EMU."""

TABLE_TEXT = "Ksreport Tabelltext"
TABLE_POINTS = 8  # its size
TABLE_SMALL = "Ksreport Liten"
TABLE_STYLE = "Ksreport tabell"
CHART_DPI = 200

# --- Styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ParaStyle:
    name: str
    size: float
    bold: bool = False
    colour: str | None = None
    before: float = 0
    after: float = 4
    keep_next: bool = False
    outline: int | None = None
    indent_cm: float = 0
    line: float | None = None
    based_on: str = "Normal"


_PARA_STYLES = (
    _ParaStyle("Title", 24, True, HEADING, 0, 14, True, line=1.0),
    _ParaStyle("Heading 1", 16, True, HEADING, 6, 8, True, 0, line=1.0),
    _ParaStyle("Heading 2", 12, True, HEADING, 16, 4, True, 1, line=1.0),
    _ParaStyle("Heading 3", 11, True, HEADING, 12, 3, True, 2, line=1.0),
    _ParaStyle("TOC Heading", 15, True, HEADING, 18, 6, True, 9, line=1.0),
    _ParaStyle("Caption", 8, False, MUTED, 2, 10),
    _ParaStyle("Header", 8, False, MUTED, 0, 0),
    _ParaStyle("Footer", 8, False, MUTED, 0, 0),
    _ParaStyle("toc 1", 10, False, None, 3, 1),
    _ParaStyle("toc 2", 9, False, None, 0, 1, indent_cm=0.6),
    _ParaStyle("toc 3", 9, False, None, 0, 1, indent_cm=1.2),
    _ParaStyle(TABLE_TEXT, TABLE_POINTS, False, None, 0, 0, line=1.05),
    _ParaStyle(TABLE_SMALL, 7, False, MUTED, 1, 0, line=1.0),
)


def _set_fonts(rpr: Any, family: str) -> None:
    """Set the run font on every script, dropping theme fonts (which would win over it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), family)


def _set_lang(rpr: Any, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")


def _doc_defaults(doc: Document, *, house_style: bool) -> None:
    """Document language sv-SE (always); the house font and size for a new template."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_lang(rpr, LANG)
    if not house_style:
        return
    _set_fonts(rpr, OFFICE_FONT_FAMILY)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), "20")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        spacing = ppr_default.find(qn("w:pPr") + "/" + qn("w:spacing"))
        if spacing is not None:
            spacing.set(qn("w:after"), "120")
            spacing.set(qn("w:line"), "264")


def _para_style(doc: Document, spec: _ParaStyle, *, replace: bool) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    try:
        style = doc.styles[spec.name]
        if not replace:
            return
    except KeyError:
        style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[spec.based_on]
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(spec.colour) if spec.colour else None
    rpr = style.element.get_or_add_rPr()
    if replace:  # the house template; a style added to a user's template takes its font
        _set_fonts(rpr, OFFICE_FONT_FAMILY)
        for tag in ("w:spacing", "w:kern"):  # the stock Title's letter spacing and kerning
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
    pf = style.paragraph_format
    pf.space_before = Pt(spec.before)
    pf.space_after = Pt(spec.after)
    pf.keep_with_next = spec.keep_next or None
    pf.left_indent = Cm(spec.indent_cm) if spec.indent_cm else None
    if spec.line is not None:
        pf.line_spacing = spec.line
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    if spec.name.startswith("toc ") and not len(pf.tab_stops):
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
        from docx.shared import Emu

        # Word's update puts the page numbers here, right-aligned after dot leaders.
        pf.tab_stops.add_tab_stop(Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    if spec.outline is not None:
        level = ppr.find(qn("w:outlineLvl"))
        if level is None:
            level = OxmlElement("w:outlineLvl")
            ppr.append(level)
        level.set(qn("w:val"), str(spec.outline))
    style.hidden = False
    style.quick_style = True


_TABLE_STYLE_XML = (
    '<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'w:type="table" w:customStyle="1" w:styleId="KsreportTabell">'
    f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'
    "<w:tblPr><w:tblBorders>"
    f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
    f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
    f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE_LIGHT}"/>'
    "</w:tblBorders><w:tblCellMar>"
    '<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr>"
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
)


def _table_style(doc: Document) -> None:
    from docx.oxml import parse_xml

    try:
        doc.styles[TABLE_STYLE]
    except KeyError:
        doc.styles.element.append(parse_xml(_TABLE_STYLE_XML))


def apply_styles(doc: Document, *, house_style: bool) -> None:
    """Give the document every style the renderer uses; ``house_style`` also restyles the
    built-in ones (for the packaged template), otherwise only missing styles are added."""
    _doc_defaults(doc, house_style=house_style)
    for spec in _PARA_STYLES:
        _para_style(doc, spec, replace=house_style)
    _table_style(doc)


def _settings(doc: Document) -> None:
    """Swedish settings; ask Word to refresh fields (the table of contents) on open."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LANG)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        el = settings.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), value)
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # CT_Settings is a sequence: updateFields must come before these (w:compat among them).
        later = (
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        )
        anchor = next((c for c in settings if c.tag.split("}")[-1] in later), None)
        if anchor is not None:
            anchor.addprevious(update)
        else:
            settings.append(update)


def _retag(root: Any) -> bool:
    """sv-SE as every ``w:lang`` and ``w:themeFontLang`` under ``root`` (the language of
    right-to-left text, ``w:bidi``, stays as it is); whether anything changed."""
    from docx.oxml.ns import qn

    changed = False
    for tag in ("w:lang", "w:themeFontLang"):
        for el in root.iter(qn(tag)):
            for attr in (qn("w:val"), qn("w:eastAsia")):
                if el.get(attr) not in (None, LANG):
                    el.set(attr, LANG)
                    changed = True
    return changed


def swedish(doc: Document) -> None:
    """sv-SE wherever a part of the document names a language: a template's styles may say
    en-US, and so may the Word 2010 copy of the styles (``stylesWithEffects.xml``) and the
    settings' theme font language, which python-docx's default template sets to en-US/ja-JP."""
    from docx.oxml import parse_xml
    from lxml import etree

    for part in doc.part.package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/") and name.endswith(".xml")):
            continue
        element = getattr(part, "_element", None)
        if element is not None:
            _retag(element)
            continue
        root = parse_xml(part.blob)
        if _retag(root):
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _page_setup(doc: Document) -> None:
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(22), Mm(18)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)


_ARIAL_FONT = (
    '<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    f'w:name="{OFFICE_FONT_FAMILY}"><w:panose1 w:val="020B0604020202020204"/>'
    '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
)


def _office_fonts(doc: Document) -> None:
    """Arial as the theme's heading and body font (which styles a user adds in Word take) and
    in the font table, so that no part of the template names a font Office lacks."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for rel in doc.part.rels.values():
        if rel.reltype not in (RT.THEME, RT.FONT_TABLE):
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)
        if rel.reltype == RT.THEME:
            for latin in root.iter(f"{a}latin"):
                latin.set("typeface", OFFICE_FONT_FAMILY)
        elif OFFICE_FONT_FAMILY not in {f.get(qn("w:name")) for f in root}:
            root.insert(0, parse_xml(_ARIAL_FONT))
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_template() -> bytes:
    """The packaged Word template: house styles, A4, Swedish, an empty body."""
    from docx import Document as new_document

    doc = new_document()
    apply_styles(doc, house_style=True)
    _settings(doc)
    _page_setup(doc)
    _clear_body(doc)
    _office_fonts(doc)
    core = doc.core_properties
    core.title = "Måluppfyllelse"
    core.language = LANG
    core.author = "ksreport"
    core.last_modified_by = "ksreport"
    core.created = core.modified = dt.datetime(2020, 1, 1)
    core.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), dt.datetime(2020, 1, 1))


# --- Low-level writing ----------------------------------------------------------------------


def _clear_body(doc: Document) -> None:
    """Remove the template's sample content, keeping the section properties."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        tcpr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#"))


def _run_shade(run: Run, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#"))
    run._r.get_or_add_rPr().append(shd)


_CELL_MARGIN = 85 * 635  # the table style's left and right cell margins, in EMU
_UNIT_GAP = re.compile(r"(?<=\d)\u00a0(?=[^\d\s])")  # between a number and its unit

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TOC_BOOKMARK_BASE = 100000000
"""Headings are bookmarked ``_Toc100000001``, ``_Toc100000002``… (Word's own names are ``_Toc``
and a number too), the same in every build."""

SOFT_HYPHEN = "\u00ad"

# Long words of column headings, with where they may break (Word does not hyphenate unless asked
# to, and then not in LibreOffice without a Swedish dictionary). Status and activity words and
# values never break: their columns are wide enough (see ``unbroken``).
_BREAKS = {
    "Utgångsvärde": "Utgångs\u00advärde",
    "Målvärde": "Mål\u00advärde",
}
_BREAK_RE = re.compile("|".join(sorted(_BREAKS, key=len, reverse=True)))


def breakable(text: str) -> str:
    """Mark where the few long words of column headings may break (soft hyphens)."""
    return _BREAK_RE.sub(lambda m: _BREAKS[m.group(0)], text)


def _add_text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool | None = None,
    size: float | None = None,
    colour: str | None = None,
) -> Run | None:
    """Add text as runs, keeping line breaks as breaks and soft hyphens as Word's optional
    hyphens; returns the last run."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt, RGBColor

    last = None
    for i, line in enumerate(clean(text).split("\n")):
        if i:
            paragraph.add_run().add_break()
        run = paragraph.add_run()
        for j, piece in enumerate(line.split(SOFT_HYPHEN)):
            if j:
                run._r.append(OxmlElement("w:softHyphen"))
            for k, segment in enumerate(piece.split("\t")):
                if k:
                    run._r.append(OxmlElement("w:tab"))
                if segment:
                    run._r.add_t(segment)
        if bold is not None:
            run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        last = run
    return last


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complete field (PAGE, NUMPAGES...) with a placeholder result."""
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(el)


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _fld_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _fld_char(paragraph, "separate")


def _field_end(paragraph: Paragraph) -> None:
    _fld_char(paragraph, "end")


def _has_field(part_element: Any, name: str) -> bool:
    from docx.oxml.ns import qn

    return any(name in (t.text or "") for t in part_element.iter(qn("w:instrText")))


# --- The document ---------------------------------------------------------------------------


class DocWriter:
    """Paragraphs, tables, status badges and charts written into a document; shared by the
    report and the council's view (``render/consolidated.py``)."""

    def __init__(self, doc: Document, *, computed_label: str = "Beräknad status") -> None:
        from docx.shared import Emu

        self.doc = doc
        self.computed_label = computed_label
        section = doc.sections[-1]
        width = (
            (section.page_width or Emu(0))
            - (section.left_margin or Emu(0))
            - (section.right_margin or Emu(0))
        )
        self.width = Emu(width) if width > 0 else Emu(int(6.3 * 914400))
        self._style_ids: dict[str, str] = {}
        self._next_shape_id: int | None = None
        self.headings: list[tuple[int, str, str]] = []
        """(level, text, bookmark) of each heading written: the table of contents' entries."""
        self._toc: Any = None

    def style_id(self, name: str) -> str:
        """The style's id, looked up once: python-docx's own look-up per paragraph is slow."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    # paragraphs

    def title(self, text: str) -> Paragraph:
        """The document's title, in the Title style (Rubrik): not a heading, so that Word's
        contents list and navigation start at the sections."""
        p = self.doc.add_paragraph(style="Title")
        _add_text(p, text)
        return p

    def heading(self, text: str, level: int, *, page_break: bool = False) -> Paragraph:
        """A Heading ``level`` paragraph, bookmarked as Word bookmarks the headings its table of
        contents links to."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = self.doc.add_paragraph(style=f"Heading {level}")
        number = len(self.headings) + 1
        name = f"_Toc{TOC_BOOKMARK_BASE + number}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(number))
        start.set(qn("w:name"), name)
        p._p.append(start)
        _add_text(p, text)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(number))
        p._p.append(end)
        if page_break:
            p.paragraph_format.page_break_before = True
        self.headings.append((level, text, name))
        return p

    def toc(self, heading: str) -> None:
        """The contents list's place: a table-of-contents block as Word inserts it (a content
        control holding the heading and a TOC field), filled by :meth:`fill_toc`."""
        from docx.oxml import parse_xml

        sdt = parse_xml(
            f"<w:sdt {_W_NS}><w:sdtPr><w:docPartObj>"
            '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
            "</w:docPartObj></w:sdtPr><w:sdtContent/></w:sdt>"
        )
        p = self.para(heading, style="TOC Heading")
        p._p.addprevious(sdt)
        content = sdt[-1]
        content.append(p._p)
        self._toc = content

    def fill_toc(self) -> None:
        """Fill the contents list with every Heading 1-3 written, as Word's own update does
        (each entry a link to its heading's bookmark), but without page numbers, which only the
        word processor's layout knows: Word adds them when it updates the field on opening."""
        from docx.oxml import parse_xml

        if self._toc is None:
            return
        entries = [(level, text, name) for level, text, name in self.headings if level <= 3]
        twips = int(self.width) // 635
        tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{twips}"/></w:tabs>'
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        for i, (level, text, name) in enumerate(entries):
            words = escape(clean(text).replace("\n", " ").replace("\t", " "))
            self._toc.append(
                parse_xml(
                    f'<w:p {_W_NS}><w:pPr><w:pStyle w:val="{self.style_id(f"toc {level}")}"/>'
                    f"{tab}<w:rPr><w:noProof/></w:rPr></w:pPr>{begin if i == 0 else ''}"
                    f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:rPr><w:noProof/>'
                    f'</w:rPr><w:t xml:space="preserve">{words}</w:t></w:r></w:hyperlink></w:p>'
                )
            )
        self._toc.append(
            parse_xml(
                f"<w:p {_W_NS}>{begin if not entries else ''}"
                '<w:r><w:rPr><w:noProof/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
        )

    def para(self, text: str = "", style: str | None = None, **run: Any) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            _add_text(p, text, **run)
        return p

    def bullet(self, text: str) -> Paragraph:
        """A list item: Word's bullet list style, or a bullet character where a user's template
        lacks the style."""
        try:
            style_id = self.style_id("List Bullet")
        except KeyError:
            return self.para(f"•\u00a0{text}")
        p = self.doc.add_paragraph()
        p._p.style = style_id
        _add_text(p, text)
        return p

    def labelled(self, label: str, text: str) -> Paragraph:
        p = self.doc.add_paragraph()
        _add_text(p, f"{label}: ", bold=True)
        _add_text(p, text)
        return p

    def badge(
        self, paragraph: Paragraph, s: StatusView, *, size: float | None = None, bold: bool = False
    ) -> None:
        """Symbol and word on the status tint: never colour alone."""
        run = _add_text(
            paragraph,
            f"\u00a0{s.symbol}\u00a0{unbroken(s.label)}\u00a0",
            size=size,
            bold=bold,
            colour=s.ink,
        )
        if run is not None:
            _run_shade(run, s.fill)

    # tables

    def table(
        self,
        headers: Sequence[str],
        widths: Sequence[float],
        numeric: Iterable[int] = (),
        *,
        caption: str,
        rows: str,
    ) -> Table:
        """A table with a repeating, shaded header row; ``widths`` are shares of the line.
        ``caption`` is its title for a screen reader and ``rows`` says what a row is ("En rad
        per mätvärde"): its description, with the column names after it."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        table = self.doc.add_table(rows=1, cols=len(headers))
        columns = ", ".join(clean(h).replace("\n", " ") for h in headers)
        describe_table(table, caption, f"{rows}. Kolumner: {columns}.")
        table.style = self.doc.styles[TABLE_STYLE]  # apply_styles made sure it exists
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        self._widths = [int(self.width * w / sum(widths)) for w in widths]
        self._numeric = set(numeric)
        _grid(table, self._widths)
        row = table.rows[0]
        _repeat_header(row)
        for i, (cell, text) in enumerate(zip(row.cells, headers, strict=True)):
            p = self.cell_para(cell, first=True)
            p.paragraph_format.keep_with_next = True  # never a header row alone on a page
            _add_text(p, breakable(text), bold=True)
            if i in self._numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _shade(cell, HEAD_FILL)
        self._size(row)
        return table

    def _size(self, row: Any) -> None:
        from docx.shared import Emu

        for cell, w in zip(row.cells, self._widths, strict=True):
            cell.width = Emu(w)

    def row(self, table: Table) -> list[_Cell]:
        row = table.add_row()
        _cant_split(row)
        self._size(row)
        return list(row.cells)

    def cell_para(
        self, cell: _Cell, *, first: bool = False, style: str = TABLE_TEXT, right: bool = False
    ) -> Paragraph:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = cell.paragraphs[0] if first and cell.paragraphs else cell.add_paragraph()
        p._p.style = self.style_id(style)
        if right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return p

    def cell(
        self, cell: _Cell, text: str, *, index: int = 0, bold: bool = False, small: str = ""
    ) -> None:
        right = index in self._numeric
        p = self.cell_para(cell, first=True, right=right)
        _add_text(p, self._whole(text, index, bold) if right else text, bold=bold or None)
        if small:
            _add_text(self.cell_para(cell, style=TABLE_SMALL, right=right), small)

    def _whole(self, text: str, index: int, bold: bool) -> str:
        """A value that never breaks inside a word or unit: on one line where the column is
        wide enough (measured in the house font), else breaking only between the number and
        its unit ("165" / "kWh/m²") or between words."""
        from ksreport.charts import text_width

        whole = unbroken(text)
        room = self._widths[index] - 2 * _CELL_MARGIN
        if text_width(whole, TABLE_POINTS, bold=bold) * 12700 <= room:
            return whole
        return _UNIT_GAP.sub(" ", text)

    def status_cell(self, cell: _Cell, a: Assessed) -> None:
        _shade(cell, a.status.fill)
        p = self.cell_para(cell, first=True)
        label = f"{a.status.symbol} {unbroken(a.status.label)}"
        _add_text(p, label, colour=a.status.ink, bold=True)
        if a.computed is not None:
            q = self.cell_para(cell, style=TABLE_SMALL)
            _add_text(
                q,
                f"{self.computed_label}: {a.computed.symbol} {a.computed.label}",
                colour=a.status.ink,
            )

    # figures

    def picture(self, paragraph: Paragraph, figure: Figure, max_width: int) -> None:
        from docx.oxml.shape import CT_Inline
        from docx.shared import Emu

        w_in, _ = chart_size_inches(figure.chart)
        width = min(int(w_in * 914400), max_width)
        run = paragraph.add_run()
        # python-docx's add_picture searches the whole document for the next free id, once per
        # picture (quadratic in the number of charts); the ids are counted here instead.
        part = self.doc.part
        r_id, image = part.get_or_add_image(io.BytesIO(render_png(figure.chart, CHART_DPI)))
        cx, cy = image.scaled_dimensions(Emu(width), None)
        if self._next_shape_id is None:
            self._next_shape_id = part.next_id
        inline = CT_Inline.new_pic_inline(self._next_shape_id, r_id, image.filename, cx, cy)
        self._next_shape_id += 1
        run._r.add_drawing(inline)
        doc_pr = inline.docPr
        doc_pr.set("descr", clean(figure.alt))
        doc_pr.set("title", clean(figure.caption))

    def figure(self, figure: Figure) -> None:
        p = self.para()
        p.paragraph_format.keep_with_next = True
        self.picture(p, figure, int(self.width))
        self.para(figure.caption, style="Caption")

    def figure_grid(self, figures: Sequence[Figure]) -> None:
        """Small charts two by two in a borderless layout table."""
        from docx.shared import Emu

        table = self.doc.add_table(rows=0, cols=2)
        table.autofit = False
        layout_table(
            table,
            f"{len(figures)} diagram två och två, vart och ett med alternativtext och bildtext.",
        )
        half = int(self.width) // 2
        _grid(table, [half, half])
        for i in range(0, len(figures), 2):
            row = table.add_row()
            _cant_split(row)
            for cell, fig in zip(row.cells, figures[i : i + 2], strict=False):
                cell.width = Emu(half)
                p = cell.paragraphs[0]
                self.picture(p, fig, half - 120000)
                cap = cell.add_paragraph(style="Caption")
                _add_text(cap, fig.caption)
            for cell in row.cells[len(figures[i : i + 2]) :]:
                cell.width = Emu(half)
        self.para("", style=TABLE_TEXT)


class _Writer(DocWriter):
    def __init__(self, doc: Document, ctx: ReportContext) -> None:
        super().__init__(doc, computed_label=ctx.labels.computed)
        self.ctx = ctx
        self.labels = ctx.labels


def _grid(table: Table, widths: Sequence[int]) -> None:
    """Column widths in the table grid too: LibreOffice reads those, Word the cell widths."""
    from docx.shared import Emu

    for column, w in zip(table.columns, widths, strict=True):
        column.width = Emu(w)


LAYOUT_CAPTION = "Layouttabell"
"""The caption of a table that only places things side by side (no header row): what a screen
reader announces for it, so that no one takes it for data."""


def describe_table(table: Table, caption: str, description: str) -> None:
    """Word's alternative text of a table (``w:tblCaption``, ``w:tblDescription``), which
    python-docx has no API for; they are the last of the table properties in the schema."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
        old = tblpr.find(qn(tag))
        if old is not None:
            tblpr.remove(old)
        el = OxmlElement(tag)
        el.set(qn("w:val"), clean(text).replace("\n", " "))
        tblpr.append(el)


def layout_table(table: Table, description: str) -> None:
    """Mark a table as layout: captioned :data:`LAYOUT_CAPTION`, no header row or first
    column in its look, so that Word's checker and a screen reader treat it as no data."""
    from docx.oxml.ns import qn

    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        for attr, value in (("firstRow", "0"), ("firstColumn", "0"), ("noHBand", "1")):
            look.set(qn(f"w:{attr}"), value)
        look.set(qn("w:val"), "0600")
    describe_table(table, LAYOUT_CAPTION, description)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def header_footer(w: DocWriter, left: str, right: str, page: str, page_of: str) -> None:
    """Running header (``left`` and ``right``) and "Sida X av Y" on every page but the first,
    unless the template has its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT

    section = w.doc.sections[-1]
    section.different_first_page_header_footer = True
    header = section.header
    if not any(p.text.strip() for p in header.paragraphs):
        p = header.paragraphs[0]
        p.style = w.doc.styles["Header"]
        tabs = p.paragraph_format.tab_stops
        for inherited in p.style.paragraph_format.tab_stops:
            tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(w.width, WD_TAB_ALIGNMENT.RIGHT)
        _add_text(p, f"{left}\t{right}")
    for footer in (section.footer, section.first_page_footer):
        if _has_field(footer._element, "PAGE"):
            continue
        p = footer.paragraphs[0]
        p.style = w.doc.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_text(p, f"{page} ")
        _field(p, "PAGE", "1")
        _add_text(p, f" {page_of} ")
        _field(p, "NUMPAGES", "1")


def _title_block(w: _Writer) -> None:
    from docx.shared import Pt

    ctx = w.ctx
    p = w.para(ctx.organisation or ctx.board, size=12, colour=MUTED)
    p.paragraph_format.space_before = Pt(60)
    p.paragraph_format.space_after = Pt(2)
    if ctx.organisation:
        q = w.para(ctx.board, size=15, bold=True, colour=HEADING)
        q.paragraph_format.space_after = Pt(18)
    w.title(f"{ctx.title} {ctx.period_words}")
    facts = [
        (ctx.labels.administration, ctx.administration),
        (ctx.labels.diary_number, ctx.diary_number),
        (ctx.labels.mandate_period, ctx.mandate_period),
        (ctx.labels.generated, ctx.generated_long),
    ]
    for label, value in facts:
        if value:
            w.labelled(label, value).paragraph_format.space_after = Pt(2)


def definitions(
    w: DocWriter, heading: str, intro: str, items: Sequence[Definition], *, level: int = 1
) -> None:
    """ "Så bedöms måluppfyllelsen": each status as badge (or term) with its rule below."""
    from docx.shared import Cm, Pt

    w.heading(heading, level, page_break=True)
    w.para(intro)
    for d in items:
        p = w.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(1)
        if d.status is not None:
            w.badge(p, d.status, bold=True)
        else:
            _add_text(p, d.term, bold=True)
        w.para(d.text).paragraph_format.left_indent = Cm(0.6)


def _summary(w: _Writer) -> None:
    ctx = w.ctx
    w.heading(ctx.labels.summary, 1, page_break=True)
    if ctx.empty_period:
        w.para(ctx.empty_period, bold=True)
    w.para(ctx.summary_text).paragraph_format.keep_with_next = bool(ctx.summary_rows)
    if ctx.summary_rows:
        n = len(ctx.summary_columns)
        extra = 1 if ctx.interim else 0
        headers = [ctx.labels.summary_goal, ctx.labels.status]
        headers += [f"{s.symbol} {s.label}" for s in ctx.summary_columns] + [ctx.labels.total]
        if extra:
            headers.append(ctx.labels.of_which_forecasts)
        numeric = range(2, 3 + n + extra)
        # In mm: the status column holds "● Grönt (prognos)" on one line, each count column
        # its status words whole ("senare", "saknas"); the goal takes the rest.
        columns = [13.0] * (n + 1) + [14.5] * extra
        widths = [max(170 - 27.5 - sum(columns), 30.0), 27.5, *columns]
        t = w.table(
            headers,
            widths,
            numeric,
            caption=f"{ctx.labels.summary}: status per mål",
            rows="En rad per mål med målets status och antalet mätvärden per status; "
            "den sista raden är summan",
        )
        for r in ctx.summary_rows:
            cells = w.row(t)
            w.cell(cells[0], r.goal_heading)
            w.status_cell(cells[1], r.assessed)
            counts = [*r.counts, r.total] + ([r.forecasts] if extra else [])
            for i, count in enumerate(counts, start=2):
                w.cell(cells[i], str(count), index=i, bold=i == 2 + n)
        cells = w.row(t)
        w.cell(cells[0], ctx.labels.total, bold=True)
        totals = [*ctx.summary_totals, ctx.summary_total]
        if extra:
            totals.append(ctx.summary_forecast_total)
        for i, count in enumerate(totals, start=2):
            w.cell(cells[i], str(count), index=i, bold=True)
        w.para("", style=TABLE_TEXT)
    if ctx.summary_figure is not None:
        w.figure(ctx.summary_figure)


def _assessment(w: _Writer, a: Assessed, what: str) -> None:
    labels = w.ctx.labels
    p = w.doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    _add_text(p, f"{a.prefix} för {what}: ", bold=True)
    w.badge(p, a.status, bold=True)
    if a.computed is not None:
        _add_text(p, f" ({labels.board_status.lower()}; {labels.computed.lower()}: ", colour=MUTED)
        w.badge(p, a.computed)
        _add_text(p, ")", colour=MUTED)
    if a.grounds:
        g = w.para(a.grounds, colour=MUTED)
        g.paragraph_format.keep_with_next = True
    if a.justification:
        w.labelled(labels.justification, a.justification).paragraph_format.keep_with_next = True
    if a.decision:
        w.labelled(labels.decision, a.decision).paragraph_format.keep_with_next = True


def _measures_table(w: _Writer, s: SubGoalSection) -> None:
    ctx = w.ctx
    labels = ctx.labels
    headers = [
        labels.measure,
        f"{labels.baseline} (år)",
        f"{labels.target} (år)",
        ctx.col_value,
        ctx.col_previous,
        labels.trend,
        labels.status,
        labels.comment,
    ]
    # In mm of the 170 mm line: the value columns hold "158 kWh/m²" and "Genomförd" whole, the
    # status column "● Grönt (prognos)" on one line.
    t = w.table(
        headers,
        [27, 18.5, 18.5, 19, 18.5, 17, 27.5, 24],
        numeric=(1, 2, 3, 4),
        caption=f"{labels.measure}: {s.heading}",
        rows="En rad per mätvärde eller aktivitet i delmålet",
    )
    for r in s.measures:
        cells = w.row(t)
        w.cell(cells[0], r.name, small=r.meta)
        for note in r.notes:
            _add_text(w.cell_para(cells[0], style=TABLE_SMALL), note)
        w.cell(
            cells[1], r.baseline, index=1, small=f"({r.baseline_year})" if r.baseline_year else ""
        )
        w.cell(cells[2], r.target, index=2, small=f"({r.target_year})")
        if r.latest:
            w.cell(cells[3], r.latest_value, index=3, small=r.latest_note)
        else:
            w.cell(cells[3], r.value, index=3, bold=True)
        w.cell(cells[4], r.previous_value, index=4)
        w.cell(cells[5], r.trend.text if r.trend else "–")
        w.status_cell(cells[6], r.assessed)
        p = w.cell_para(cells[7], first=True)
        _add_text(p, r.comment)
        a = r.assessed
        for label, text in (
            (labels.justification, a.justification),
            (labels.decision, a.decision),
            (labels.analysis, a.analysis),
        ):
            if text:
                q = w.cell_para(cells[7])
                _add_text(q, f"{label}: ", bold=True)
                _add_text(q, text)
    w.para("", style=TABLE_TEXT)


def _goal(w: _Writer, g: GoalSection) -> None:
    from docx.shared import Cm, Pt

    labels = w.ctx.labels
    w.heading(g.heading, 1, page_break=True)
    if g.description:
        w.para(g.description, size=11)
    if g.council_goal:
        w.labelled(labels.council_goal, g.council_goal).paragraph_format.space_after = Pt(2)
    if g.agenda2030:
        w.labelled(labels.agenda2030, ", ".join(g.agenda2030))
    _assessment(w, g.assessed, "målet")
    if g.assessed.analysis:
        p = w.para(labels.analysis, bold=True)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(1)
        q = w.para(g.assessed.analysis)
        q.paragraph_format.left_indent = Cm(0.4)
    for s in g.subgoals:
        w.heading(s.heading, 2)
        if s.description:
            w.para(s.description).paragraph_format.keep_with_next = True
        _assessment(w, s.assessed, "delmålet")
        if s.assessed.analysis:
            w.labelled(labels.analysis, s.assessed.analysis).paragraph_format.keep_with_next = True
        if s.measures:
            _measures_table(w, s)
        if s.figures:
            w.figure_grid(s.figures)


def _changes(w: _Writer, changes: ChangesView) -> None:
    labels = w.ctx.labels
    w.heading(changes.heading, 1)
    w.para(changes.intro).paragraph_format.keep_with_next = bool(changes.rows)
    if changes.rows:
        t = w.table(
            [labels.level, labels.name, labels.before, labels.after, labels.change],
            [17, 67, 31, 31, 24],  # mm: each status badge on one line
            caption=changes.heading,
            rows="En rad per mål, delmål eller mätvärde vars status har ändrats",
        )
        for r in changes.rows:
            cells = w.row(t)
            w.cell(cells[0], r.level)
            w.cell(cells[1], r.name)
            for cell, status in ((cells[2], r.before), (cells[3], r.after)):
                _shade(cell, status.fill)
                w.badge(w.cell_para(cell, first=True), status)
            w.cell(cells[4], r.direction)
        w.para("", style=TABLE_TEXT)
    for heading, items in changes.lists:
        w.heading(heading, 2)
        for item in items:
            w.bullet(item)


def _listing(w: _Writer, heading: str, items: Sequence[ListedMeasure], *, page_break: bool) -> None:
    labels = w.ctx.labels
    w.heading(heading, 1, page_break=page_break)
    if not items:
        w.para(labels.none_listed)
        return
    t = w.table(
        [labels.measure, labels.subgoal, labels.target_year, w.ctx.col_value],
        [3.2, 3.2, 0.8, 1.2],
        numeric=(2, 3),
        caption=heading,
        rows="En rad per mätvärde",
    )
    for item in items:
        cells = w.row(t)
        w.cell(cells[0], item.name)
        w.cell(cells[1], item.where)
        w.cell(cells[2], item.target_year, index=2)
        w.cell(cells[3], item.value, index=3)
    w.para("", style=TABLE_TEXT)


def _history(w: _Writer, tables: Sequence[HistoryTable]) -> None:
    from docx.shared import Pt

    labels = w.ctx.labels
    w.heading(labels.appendix, 1, page_break=True)
    w.para(labels.period_key, size=8.5, colour=MUTED)
    for ht in tables:
        p = w.para(ht.caption, style="Caption")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
        n = len(ht.periods)
        period = min(18.5, (170 - 22 - 40) / max(n, 1))  # mm; "165 kWh/m²" whole
        t = w.table(
            [labels.measure, f"{labels.target} (år)", *ht.periods],
            [170 - 22 - period * n, 22] + [period] * n,
            numeric=range(1, n + 2),
            caption=ht.caption,
            rows="En rad per mätvärde med dess utfall per period, under en rubrikrad per delmål",
        )
        for group in ht.groups:
            cells = w.row(t)
            merged = cells[0].merge(cells[-1])
            for extra in merged.paragraphs[1:]:
                extra._element.getparent().remove(extra._element)
            _shade(merged, GROUP_FILL)
            _add_text(w.cell_para(merged, first=True), group.heading, bold=True, colour=HEADING)
            for hr in group.rows:
                cells = w.row(t)
                w.cell(cells[0], hr.name)
                w.cell(cells[1], hr.target, index=1)
                for i, text in enumerate(hr.cells, start=2):
                    w.cell(cells[i], text, index=i)
        w.para("", style=TABLE_TEXT)


def open_template(template: Path | None) -> Document:
    """The packaged Word template, or the user's (``.docx`` or ``.dotx``), emptied and with the
    report's styles and settings: the document the report and the council's view are written
    into. A file of another kind, or a broken one, raises :class:`RenderError` in Swedish."""
    from docx import Document as open_document
    from docx.opc.exceptions import PackageNotFoundError

    path = template or package_template_dir() / TEMPLATE_NAME
    package = open_office_template(path, "docx")
    try:
        doc = open_document(package)
    except (PackageNotFoundError, KeyError, ValueError, OSError, SyntaxError):
        raise RenderError(
            f'Word-mallen "{path}" kunde inte öppnas: filen är inte en giltig .docx- eller '
            ".dotx-fil."
        ) from None
    _clear_body(doc)
    apply_styles(doc, house_style=False)
    _settings(doc)
    swedish(doc)
    return doc


def render_report_docx(ctx: ReportContext, *, template: Path | None = None) -> bytes:
    """The report as a Word document (bytes), from the packaged or a user's template."""
    doc = open_template(template)
    w = _Writer(doc, ctx)
    header_footer(
        w,
        ctx.organisation or ctx.board,
        f"{ctx.title} {ctx.period_words}",
        ctx.labels.page,
        ctx.labels.page_of,
    )
    _title_block(w)
    w.toc(ctx.labels.contents)
    definitions(w, ctx.labels.definitions, ctx.definitions_intro, ctx.definitions)
    _summary(w)
    if ctx.changes is not None:
        _changes(w, ctx.changes)
    for g in ctx.goals:
        _goal(w, g)
    if not ctx.goals:
        w.para(ctx.labels.no_goals)
    _listing(w, ctx.labels.later, ctx.later, page_break=True)
    _listing(w, ctx.labels.missing, ctx.missing, page_break=False)
    if ctx.history:
        _history(w, ctx.history)
    w.fill_toc()
    when = report_core_properties(
        doc.core_properties,
        ctx,
        subject=f"{ctx.title} för {ctx.board}, {ctx.period_words}",
        category="Verksamhetsberättelse",
    )
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), when)
