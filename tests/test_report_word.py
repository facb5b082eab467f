"""The report as Word and the PDF as an office uses them (issue 13): Title and heading levels, the
contents list as Word fills it, fonts Office has, real Word templates (.dotx), and headings kept
with what follows them, status words never split.

The report is built from ``data/exempel.xlsx`` at 2021-T1, 2021-T2 (which has a change list
under "Förändringar sedan förra rapporten") and 2020, read back with python-docx, pypdf and
``pdftotext -bbox-layout``; the contents list is updated by LibreOffice headless (a Basic macro)
and compared with the PDF's bookmarks.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import signal
import subprocess
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from conftest import EXAMPLE, Result, libreoffice_pdf
from ksreport.context import ReportContext, build_context
from ksreport.errors import RenderError
from ksreport.periods import Period, PeriodKind
from ksreport.pipeline import report_changes
from ksreport.render import check_template_kind, open_office_template
from ksreport.scoring import score
from ksreport.validate import load_plan
from workbooks import Sheets

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NBSP = "\u00a0"
PERIODS = {
    "2021-T1": Period(2021, PeriodKind.T1),
    "2021-T2": Period(2021, PeriodKind.T2),
    "2020": Period(2020),
}
DOCX_TEMPLATE_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)
DOCX_DOCUMENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)


@cache
def context(code: str) -> ReportContext:
    plan, _ = load_plan(EXAMPLE)
    report = score(plan, PERIODS[code])
    return build_context(report, generated=dt.date(2021, 9, 15), changes=report_changes(report))


@cache
def docx_bytes(code: str) -> bytes:
    from ksreport.render.docx import render_report_docx

    return render_report_docx(context(code))


@cache
def pdf_bytes(code: str) -> bytes:
    from ksreport.render.pdf import render_report_pdf

    return render_report_pdf(context(code))


def _document(data: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _style(p: Any) -> str:
    el = p.find(f"{W}pPr/{W}pStyle")
    return "" if el is None else str(el.get(f"{W}val"))


def _toc_block(root: Any) -> Any:
    """The content control Word keeps its table of contents in."""
    (sdt,) = [
        s
        for s in root.iter(f"{W}sdt")
        if s.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery[@{W}val='Table of Contents']")
        is not None
    ]
    return sdt.find(f"{W}sdtContent")


def _toc_entries(root: Any) -> list[tuple[int, str]]:
    """(level, text) of each entry of the contents list, page numbers dropped; the level is the
    entry style's number (``toc 2`` in ours, ``Contents 2`` in LibreOffice's)."""
    entries = []
    for p in _toc_block(root).iter(f"{W}p"):
        level = re.search(r"(\d)$", _style(p))
        if level is None:
            continue
        words = []
        for el in p.iter(f"{W}t", f"{W}tab"):
            if el.tag == f"{W}tab" and el.getparent().tag == f"{W}r":
                break  # the page number follows
            words.append(el.text or "")
        entries.append((int(level.group(1)), "".join(words)))
    return entries


def _headings(doc: Any) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every PDF bookmark, in order."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None, item.title
                found.append((level, str(item.title), page))

    walk(reader.outline, 1)
    return found


def _contents_list(ctx: ReportContext) -> list[str]:
    """The entries of the PDF's printed contents list, in order (the PDF prints this HTML)."""
    from ksreport.render.html import report_markup

    markup = report_markup(ctx, "print")
    nav = markup[markup.index('<nav class="toc"') : markup.index("</nav>")]
    return [
        " ".join(re.sub(r"<[^>]+>", "", a).split()) for a in re.findall(r"<a [^>]*>(.*?)</a>", nav)
    ]


# --- Title, headings and the contents list --------------------------------------------------


def test_title_is_title_style_goals_heading_1_subgoals_heading_2() -> None:
    from docx import Document

    ctx = context("2021-T2")
    doc = Document(io.BytesIO(docx_bytes("2021-T2")))
    headings = _headings(doc)
    assert headings[0] == ("Title", "Måluppfyllelse delår per augusti 2021")
    assert [t for s, t in headings if s == "Title"] == [headings[0][1]]
    assert ctx.changes is not None and ctx.changes.lists
    assert [t for s, t in headings if s == "Heading 1"] == [
        "Så bedöms måluppfyllelsen",
        "Sammanfattning",
        "Förändringar sedan förra rapporten",
        *(g.heading for g in ctx.goals),
        "Mätvärden som följs upp senare",
        "Utfall saknas",
        "Bilaga: mätvärdenas historik",
    ]
    assert [t for s, t in headings if s == "Heading 2"] == [
        *(heading for heading, _ in ctx.changes.lists),
        *(s.heading for g in ctx.goals for s in g.subgoals),
    ]
    assert not [s for s, _ in headings if s == "Heading 3"]
    assert doc.styles["Title"].element.find(f"{W}pPr/{W}outlineLvl") is None  # not in the TOC


def test_contents_list_is_prefilled_as_word_fills_it() -> None:
    from docx import Document

    data = docx_bytes("2021-T2")
    root = _document(data)
    doc = Document(io.BytesIO(data))
    block = _toc_block(root)
    paragraphs = block.findall(f"{W}p")
    assert _text(paragraphs[0]) == "Innehåll" and _style(paragraphs[0]) == "TOCHeading"
    # The field: begin, instruction and separator in the first entry, end in its own paragraph.
    first = paragraphs[1]
    chars = [c.get(f"{W}fldCharType") for c in first.iter(f"{W}fldChar")]
    assert chars == ["begin", "separate"]
    assert (
        "".join(t.text or "" for t in first.iter(f"{W}instrText")).strip()
        == 'TOC \\o "1-3" \\h \\z \\u'
    )
    assert [c.get(f"{W}fldCharType") for c in paragraphs[-1].iter(f"{W}fldChar")] == ["end"]
    # One entry per heading, in document order, each linking to a bookmark on its heading.
    level = {"Heading 1": 1, "Heading 2": 2}
    expected = [(level[s], t) for s, t in _headings(doc) if s in level]
    assert _toc_entries(root) == expected
    bookmarks = {
        b.get(f"{W}name"): _text(b.getparent())
        for b in root.iter(f"{W}bookmarkStart")
        if _style(b.getparent()).startswith("Heading")
    }
    links = [(h.get(f"{W}anchor"), _text(h)) for h in block.iter(f"{W}hyperlink")]
    assert len(links) == len(expected)
    for anchor, text in links:
        assert anchor.startswith("_Toc") and bookmarks[anchor] == text
    # No page numbers of our own (Word adds them), and no printed hint.
    assert "PAGEREF" not in etree.tostring(block).decode()
    assert "Högerklicka" not in etree.tostring(root).decode()
    # Every section of the PDF's contents list is in Word's, in the same order.
    word = [t for _, t in expected]
    pdf_list = _contents_list(context("2021-T2"))
    assert "Förändringar sedan förra rapporten" in pdf_list
    assert pdf_list == word
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings


def test_pdf_bookmarks_follow_the_word_levels_and_the_page_keeps_one_h1() -> None:
    from ksreport.render.html import render_report_html

    ctx = context("2021-T1")
    outline = _outline(pdf_bytes("2021-T1"))
    assert not [t for _, t, _ in outline if t.startswith("Måluppfyllelse")]  # no title bookmark
    levels = {title: level for level, title, _ in outline}
    for g in ctx.goals:
        assert levels[g.heading] == 1
        for s in g.subgoals:
            assert levels[s.heading] == 2
    assert levels["Förändringar sedan förra rapporten"] == 1
    page = render_report_html(ctx).decode("utf-8")
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert len(re.findall(r"<h2[ >]", page)) >= len(ctx.goals) + 4


# --- Fonts and templates --------------------------------------------------------------------


def test_the_word_file_names_arial_and_no_liberation_sans() -> None:
    from docx import Document

    data = docx_bytes("2020")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    assert not [n for n, xml in parts.items() if "Liberation" in xml]
    styles = etree.fromstring(parts["word/styles.xml"].encode())
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert {defaults.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Arial"}
    theme = next(xml for n, xml in parts.items() if n.startswith("word/theme/"))
    assert re.findall(r'<a:latin typeface="([^"]*)"', theme) == ["Arial", "Arial"]
    doc = Document(io.BytesIO(data))
    for name in ("Title", "Heading 1", "Heading 2", "toc 1", "Ksreport Tabelltext"):
        assert doc.styles[name].font.name == "Arial", name


def _dotx(tmp_path: Path) -> Path:
    """A Word template (.dotx) in a municipality's profile: Georgia, a dark red Title and
    Heading 1, made as Word saves a template (the main part's content type changed)."""
    from docx import Document
    from docx.shared import RGBColor

    doc = Document()
    doc.styles["Normal"].font.name = "Georgia"
    for name in ("Title", "Heading 1"):
        doc.styles[name].font.name = "Georgia"
        doc.styles[name].font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
    doc.add_paragraph("Mallens exempeltext")
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(DOCX_DOCUMENT_TYPE.encode(), DOCX_TEMPLATE_TYPE.encode())
            dst.writestr(info, blob)
    path = tmp_path / "kommunens profil.dotx"
    path.write_bytes(out.getvalue())
    return path


def test_a_dotx_template_is_used(run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import RGBColor

    template = _dotx(tmp_path)
    with pytest.raises(ValueError, match="template"):
        Document(str(template))  # python-docx alone refuses it
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--out", out, "-f", "docx", "--docx-template", template)
    assert r.exit_code == 0, r.output
    result = out / "kommunstyrelsen-2020-verksamhetsberattelse.docx"
    types = zipfile.ZipFile(result).read("[Content_Types].xml").decode()
    assert DOCX_DOCUMENT_TYPE in types and DOCX_TEMPLATE_TYPE not in types
    settings = zipfile.ZipFile(result).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings  # the template had none
    doc = Document(str(result))
    assert "Mallens exempeltext" not in [p.text for p in doc.paragraphs]
    for name in ("Title", "Heading 1"):
        assert doc.styles[name].font.name == "Georgia", name
        assert doc.styles[name].font.color.rgb == RGBColor(0x8B, 0x00, 0x00), name
    assert doc.styles["Normal"].font.name == "Georgia"
    # A style the template lacks takes the template's font, not ours.
    added = doc.styles["Ksreport Tabelltext"]
    assert added.font.name is None and added.base_style.name == "Normal"
    assert ("Title", "Måluppfyllelse helår 2020") in _headings(doc)
    assert template.read_bytes()[:2] == b"PK"  # the user's file is left as it was
    assert DOCX_TEMPLATE_TYPE in zipfile.ZipFile(template).read("[Content_Types].xml").decode()


def test_a_wrong_kind_of_template_gets_a_swedish_message(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    workbook = book(sheets)
    out = tmp_path / "ut"
    odt = tmp_path / "profil.odt"
    odt.write_bytes(b"PK\x03\x04 inte en Word-mall")
    r = run_cli("build", workbook, "--out", out, "-f", "docx", "--docx-template", odt)
    assert r.exit_code == 1
    assert (
        f'Word-mallen "{odt}" kan inte användas: mallen ska vara en .docx- eller .dotx-fil.'
        in r.stderr
    )
    assert "content type" not in r.output and "Traceback" not in r.output
    assert not out.exists() or not list(out.iterdir())  # nothing written
    broken = tmp_path / "trasig.dotx"
    broken.write_bytes(b"inte en mall")
    r = run_cli("build", workbook, "--out", out, "-f", "docx", "--docx-template", broken)
    assert r.exit_code == 1
    assert f'Word-mallen "{broken}" kunde inte öppnas: filen är inte en giltig' in r.stderr
    assert not out.exists() or not list(out.iterdir())  # nothing written
    # The same check for PowerPoint templates (which the presentation's renderer calls).
    with pytest.raises(RenderError, match=r"PowerPoint-mallen .* ska vara en \.pptx- eller \.potx"):
        check_template_kind(tmp_path / "profil.ppt", "pptx")
    check_template_kind(tmp_path / "profil.POTX", "pptx")
    potx = tmp_path / "trasig.potx"
    potx.write_bytes(b"inte en mall")
    with pytest.raises(RenderError, match=r"inte en giltig \.pptx- eller \.potx-fil"):
        open_office_template(potx, "pptx")


# --- Keep together, never split -------------------------------------------------------------


def test_docx_headings_keep_with_their_text_and_table() -> None:
    from docx import Document

    data = docx_bytes("2021-T1")
    doc = Document(io.BytesIO(data))
    for name in ("Title", "Heading 1", "Heading 2"):
        assert doc.styles[name].paragraph_format.keep_with_next, name
    measured = {s.heading for g in context("2021-T1").goals for s in g.subgoals if s.measures}
    checked = 0
    for p in doc.element.body.iter(f"{W}p"):
        if _style(p) != "Heading2" or _text(p) not in measured:
            continue
        block = p.getnext()
        while block is not None and block.tag == f"{W}p":
            assert block.find(f"{W}pPr/{W}keepNext") is not None, _text(block)
            block = block.getnext()
        assert block is not None and block.tag == f"{W}tbl", _text(p)
        header = block.find(f"{W}tr")
        for q in header.iter(f"{W}p"):
            assert q.find(f"{W}pPr/{W}keepNext") is not None
        checked += 1
    assert checked == len(measured)


def test_docx_never_hyphenates_status_words_or_values() -> None:
    root = _document(docx_bytes("2021-T1"))
    for tbl in root.iter(f"{W}tbl"):
        for tr in tbl.findall(f"{W}tr")[1:]:  # the header row may hyphenate "Utgångs-värde"
            assert tr.find(f".//{W}softHyphen") is None, _text(tr)
    texts = [_text(p) for p in root.iter(f"{W}p")]
    assert f"▲ Gult{NBSP}(prognos)" in texts and f"● Grönt{NBSP}(prognos)" in texts
    assert f"158{NBSP}kWh/m²" in texts and "Genomförd" in texts


def _pages(pdf: Path) -> list[str]:
    """Each page's text in reading order, its running header and footer left out."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        height = float(page.get("height"))
        lines = []
        for line in page.iter(f"{XHTML}line"):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            if bottom < 0.08 * height or top > 0.93 * height:
                continue
            words = " ".join(w.text or "" for w in line.iter(f"{XHTML}word"))
            lines.append((top, float(line.get("xMin")), words))
        pages.append(" ".join(" ".join(t for *_, t in sorted(lines)).split()))
    return pages


def _check_kept_together(
    pdf: Path, ctx: ReportContext, outline: list[tuple[int, str, int]]
) -> None:
    """No bookmarked heading ends its page, and each sub-goal with measures has its status line,
    grounds and the start of its table on the same page as its heading."""
    pages = _pages(pdf)
    measured = {s.heading for g in ctx.goals for s in g.subgoals if s.measures}
    assert outline
    for _, title, page in outline:
        text = pages[page]
        at = text.rfind(title)
        assert at >= 0, (title, page + 1)
        after = text[at + len(title) :].strip()
        assert after, f"{title} ends page {page + 1}"
        if title in measured:
            assert "Mätvärde" in after, f"{title} is parted from its table on page {page + 1}"


# Words that never split over two lines, with or without a hyphen ("Genom-\nförd", "kWh/\nm²").
WHOLE = (
    "Genomförd",
    "Påbörjad",
    "påbörjad",
    "Oförändrat",
    "kWh/m²",
    "Grönt (prognos)",
    "Gult (prognos)",
    "Rött (prognos)",
    "senare",
    "saknas",
    "prognos",
)


def _split_words(text: str) -> list[str]:
    found = []
    for word in WHOLE:
        for k in range(1, len(word)):
            head, tail = word[:k].rstrip(" "), word[k:].lstrip(" ")
            pattern = rf"(?<!\w){re.escape(head)}[-\u2010\u00ad]?\n+\s*{re.escape(tail)}(?!\w)"
            found += re.findall(pattern, text)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("code", ["2021-T1", "2021-T2"])
def test_pdf_headings_stay_with_what_follows(code: str, tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf_bytes(code))
    _check_kept_together(path, context(code), _outline(pdf_bytes(code)))


@pytest.mark.slow
@pytest.mark.parametrize("code", ["2021-T1", "2021-T2", "2020"])
def test_pdf_never_splits_status_words_units_or_activity_words(code: str, tmp_path: Path) -> None:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf_bytes(code))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert _split_words(text.decode("utf-8")) == []
    assert _split_words("Genom\u2010\nförd och 165 kWh/\nm²") == ["Genom\u2010\nförd", "kWh/\nm²"]


# --- LibreOffice ----------------------------------------------------------------------------

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub UpdateToc(source As String, target As String)
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = &quot;Hidden&quot;
  hidden(0).Value = True
  doc = StarDesktop.loadComponentFromURL(source, &quot;_blank&quot;, 0, hidden())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = &quot;FilterName&quot;
  filter(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(target, filter())
  doc.close(True)
End Sub
</script:module>
"""


def _soffice(*args: str) -> None:
    """Run LibreOffice headless; on a hang (a dialog nobody sees) end it and all it started."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) saknas")
    process = subprocess.Popen(
        [soffice, *args, "--headless"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.wait(timeout=120) == 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def libreoffice_update_toc(source: Path) -> Path:
    """``source`` with its table of contents updated by LibreOffice headless, as a user's
    *Verktyg › Uppdatera › Uppdatera alla* does: a Basic macro in a private profile."""
    profile = source.parent / "lo-toc-profile"
    env = f"-env:UserInstallation={profile.as_uri()}"
    _soffice(env, "--terminate_after_init")  # makes the profile and its Basic library
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(_MACRO, "utf-8")
    target = source.with_name(f"{source.stem}-uppdaterad.docx")
    _soffice(env, f'macro:///Standard.Module1.UpdateToc("{source.as_uri()}","{target.as_uri()}")')
    assert target.exists(), "LibreOffice did not write the updated document"
    return target


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_updates_the_contents_list_to_the_pdf_bookmarks(tmp_path: Path) -> None:
    source = tmp_path / "rapport.docx"
    source.write_bytes(docx_bytes("2021-T2"))
    updated = libreoffice_update_toc(source)
    entries = _toc_entries(etree.fromstring(zipfile.ZipFile(updated).read("word/document.xml")))
    bookmarks = [(level, title) for level, title, _ in _outline(pdf_bytes("2021-T2"))]
    assert "Förändringar sedan förra rapporten" in [t for _, t in entries]
    assert entries == bookmarks
    assert entries == _toc_entries(_document(docx_bytes("2021-T2")))  # as pre-filled


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_shows_the_docx_with_headings_kept_and_words_whole(tmp_path: Path) -> None:
    source = tmp_path / "rapport.docx"
    source.write_bytes(docx_bytes("2021-T2"))
    pdf = libreoffice_pdf(source)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    assert _split_words(text.decode("utf-8")) == []
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout
    if b"LiberationSans" not in fonts:
        pytest.skip("fontconfig has no Liberation Sans for Arial (Debian: fonts-liberation)")
    _check_kept_together(pdf, context("2021-T2"), _outline(pdf.read_bytes()))
