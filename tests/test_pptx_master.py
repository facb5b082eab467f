"""The presentation follows the PowerPoint master: placeholders, fonts, a native chart, .potx.

Text goes into the master's placeholders (title, content, slide number, date, footer), the
layout is measured in the master's font, the status chart is a native chart with its data, and
the PDF slides take the master's background, pictures and colours. Tested on data/exempel.xlsx
(full year 2020 and delår per augusti 2021) with the packaged master and with a municipality's
master made here from it: a .potx in DejaVu Sans (much wider than Arial), plum theme colours, a
beige background, a logo at the bottom right and the slide number moved to the bottom left.
PPTX files are read back with python-pptx, PDFs with pypdf, ``pdftotext -bbox`` and
``pdftoppm``; LibreOffice renders the PPTX to check that no text leaves its box.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, libreoffice_pdf
from ksreport.context import MEASURE_STATUSES, ReportContext, build_context, status_view
from ksreport.model import Status
from ksreport.periods import Period, PeriodKind
from ksreport.pipeline import report_changes
from ksreport.scoring import score
from ksreport.slides import CONTINUED, HOUSE_FRAME, ContentSlide, TextBlock, build_slides
from ksreport.status_style import STATUS_STYLE
from ksreport.validate import load_plan
from test_presentation import _check_slides_fit, _invoke, _pdf_pages, _slide_title, flat

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU_PER_PT = 12700
NBSP = "\u00a0"
WIDE_FONT = "DejaVu Sans"
PLUM = "6B1D4F"
BEIGE = "F3EDE2"
LOGO = (840.0, 500.0, 80.0, 40.0)
"""Where the test master has its logo: where ksreport's own slide number used to be."""
FULL_YEAR = Period(2020)
INTERIM = Period(2021, PeriodKind.T2)


# --- A municipality's master -----------------------------------------------------------------


def _logo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((5, 5, 95, 95), fill=(200, 30, 40, 255))
    draw.rectangle((110, 20, 195, 80), fill=(20, 90, 160, 255))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _as_template(data: bytes) -> bytes:
    """A .pptx as PowerPoint saves it as a .potx: only the main part's content type differs."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"
                )
            dst.writestr(info, body)
    return out.getvalue()


def make_master(path: Path, *, font: str = WIDE_FONT, potx: bool = True) -> Path:
    """The packaged master in a municipality's profile: ``font`` in the theme, plum headings,
    a beige background, a logo bottom right, the slide number bottom left, own layout names."""
    from lxml import etree
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml.shapes.picture import CT_Picture
    from pptx.util import Pt

    from ksreport.render import package_template_dir

    prs = Presentation(str(package_template_dir() / "presentation.pptx"))
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for latin in root.findall(".//a:fontScheme//a:latin", NS):
        latin.set("typeface", font)
    for name, colour in (("dk2", PLUM), ("accent1", PLUM), ("lt2", "EADFF0")):
        slot = root.find(f".//a:clrScheme/a:{name}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=colour)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    c_sld = master._element.find("p:cSld", NS)
    for old in c_sld.findall("p:bg", NS):
        c_sld.remove(old)
    c_sld.insert(
        0,
        etree.fromstring(
            f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:srgbClr val="{BEIGE}"/>'
            "</a:solidFill><a:effectLst/></p:bgPr></p:bg>"
        ),
    )
    _, rid = master.part.get_or_add_image_part(io.BytesIO(_logo_png()))
    logo = CT_Picture.new_pic(100, "Kommunlogga", "Kommunens logotyp", rid, *map(Pt, LOGO))
    master.shapes._spTree.append(logo)
    for sp in master.shapes._spTree.iterchildren():
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") == "sldNum":
            sp.find("p:spPr/a:xfrm/a:off", NS).set("x", str(48 * EMU_PER_PT))
            sp.find("p:txBody/a:lstStyle/a:lvl1pPr", NS).set("algn", "l")
    for layout in master.slide_layouts:
        name = {"Rubrikbild": "Profil försättsblad", "Rubrik och innehåll": "Profil innehåll"}
        layout._element.cSld.set("name", name.get(layout.name, layout.name))
    buf = io.BytesIO()
    prs.save(buf)
    path.write_bytes(_as_template(buf.getvalue()) if potx else buf.getvalue())
    return path


# --- Builds ------------------------------------------------------------------------------------


def _context(period: Period) -> ReportContext:
    plan, _ = load_plan(EXAMPLE)
    report = score(plan, period)
    return build_context(report, generated=dt.date(2021, 9, 15), changes=report_changes(report))


@pytest.fixture(scope="module")
def contexts() -> dict[Period, ReportContext]:
    return {p: _context(p) for p in (FULL_YEAR, INTERIM)}


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_master(tmp_path_factory.mktemp("profil") / "profil.potx")


def _pptx(ctx: ReportContext, folder: Path, name: str, template: Path | None = None) -> Path:
    from ksreport.render.pptx import render_presentation_pptx

    path = folder / name
    path.write_bytes(render_presentation_pptx(ctx, template=template))
    return path


@pytest.fixture(scope="module")
def house(
    tmp_path_factory: pytest.TempPathFactory, contexts: dict[Period, ReportContext]
) -> dict[Period, Path]:
    folder = tmp_path_factory.mktemp("hus")
    return {p: _pptx(c, folder, f"{p.code}.pptx") for p, c in contexts.items()}


@dataclasses.dataclass(frozen=True)
class Built:
    pptx: Path
    pdf: Path


@pytest.fixture(scope="module")
def profile_build(tmp_path_factory: pytest.TempPathFactory, profile: Path) -> Built:
    """The real CLI at 2021-T2 with the .potx as --pptx-template."""
    out = tmp_path_factory.mktemp("profilbygge") / "ut"
    r = _invoke(
        "build", EXAMPLE, "--period", "2021-T2", "--out", out, "-f", "pdf,pptx",
        "--pptx-template", profile,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    stem = "kommunstyrelsen-2021-T2-presentation"
    return Built(out / f"{stem}.pptx", out / f"{stem}.pdf")


def _open(path: Path) -> Any:
    from pptx import Presentation

    return Presentation(str(path))


def _ph_type(shape: Any) -> str | None:
    for xpath in ("./p:nvSpPr/p:nvPr/p:ph", "./p:nvGraphicFramePr/p:nvPr/p:ph"):
        found = shape._element.xpath(xpath)
        if found:
            return str(found[0].get("type", "obj"))
    return None


def _of_type(slide: Any, *kinds: str) -> list[Any]:
    return [s for s in slide.shapes if _ph_type(s) in kinds]


# --- Placeholders ------------------------------------------------------------------------------


@pytest.mark.parametrize("period", [FULL_YEAR, INTERIM], ids=["helår", "delår"])
def test_text_goes_into_the_masters_placeholders(
    house: dict[Period, Path], contexts: dict[Period, ReportContext], period: Period
) -> None:
    prs = _open(house[period])
    ctx = contexts[period]
    slides = build_slides(ctx, HOUSE_FRAME)
    assert len(prs.slides) == len(slides)
    cover = prs.slides[0]
    [title] = _of_type(cover, "ctrTitle")
    assert title.text_frame.text == f"Måluppfyllelse\n{ctx.period_heading}"
    [sub] = _of_type(cover, "subTitle")
    assert sub.text_frame.text == "Exempelkommun\nKommunstyrelsen"
    [facts] = _of_type(cover, "dt")
    assert facts.text_frame.text == "Mandatperiod 2020–2022\n15 september 2021"
    assert not _of_type(cover, "sldNum")  # no number on the title slide, as in the PDF
    for n, (slide, planned) in enumerate(zip(prs.slides, slides, strict=True), 1):
        if n == 1:
            continue
        assert isinstance(planned, ContentSlide)
        [title] = _of_type(slide, "title")
        assert title.text_frame.text == planned.title
        [number] = _of_type(slide, "sldNum")
        fields = number._element.xpath(".//a:fld[@type='slidenum']/a:t/text()")
        assert fields == [str(n)]
        assert not number._element.xpath(".//a:rPr/@sz")  # the master sets its size
        [content] = _of_type(slide, "obj")  # the first text block, table or chart
        first = next(b for b in planned.blocks if not hasattr(b, "status"))
        if isinstance(first, TextBlock):
            paras = [f"{p.lead} {p.text}" if p.lead else p.text for p in first.paragraphs]
            assert content.text_frame.text.replace("\v", "\n") == "\n".join(paras)
        else:
            assert content.has_chart or content.has_table
        own = [s.name for s in slide.shapes if not s.is_placeholder]
        assert "Bildnummer" not in own
        numbers = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == str(n)]
        assert numbers == [number]


def test_the_packaged_master_is_the_house_frame() -> None:
    """The slide layout is read from the packaged master, and equals the layout's own numbers,
    so the PDF and PPTX agree without a template too."""
    from ksreport.render.pptx_master import master_for

    master = master_for(None)
    assert master.frame == HOUSE_FRAME
    assert master.content.number is not None and master.content.number.text.size == 16.0
    assert master.content.footer is None and master.content.date is None


def _latin_fonts(path: Path) -> collections.Counter[str]:
    """Every font a part of the package names."""
    found: collections.Counter[str] = collections.Counter()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                found.update(re.findall(r'<a:latin typeface="([^"]*)"', text))
    return found


def test_the_packaged_master_names_arial(house: dict[Period, Path]) -> None:
    fonts = _latin_fonts(house[FULL_YEAR])
    named = {f for f in fonts if not f.startswith("+")}
    assert named == {"Arial"}, fonts
    with zipfile.ZipFile(house[FULL_YEAR]) as z:
        everything = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert b"Liberation" not in everything and b"Calibri" not in everything


# --- The native chart --------------------------------------------------------------------------


def _charts(path: Path) -> list[Any]:
    return [
        shape
        for slide in _open(path).slides
        if _slide_title(slide).startswith("Mätvärden per status och mål")
        for shape in slide.shapes
        if shape.has_chart
    ]


def _expected_series(ctx: ReportContext) -> dict[str, list[int]]:
    """Per series (symbol and status, forecasts apart), the count per goal."""
    forecasts = any(r.forecasts for r in ctx.summary_rows)
    out: dict[str, list[int]] = {}
    for i, status in enumerate(MEASURE_STATUSES):
        for forecast in (False, True) if forecasts and status.is_assessed else (False,):
            view = status_view(status, ctx.status_words, forecast)
            name = f"{STATUS_STYLE[status].symbol} {view.label}"
            counts = []
            for row in ctx.summary_rows:
                n_forecast = row.forecast_counts[i] if row.forecast_counts else 0
                counts.append(n_forecast if forecast else row.counts[i] - n_forecast)
            out[name] = counts
    return out


@pytest.mark.parametrize("period", [FULL_YEAR, INTERIM], ids=["helår", "delår"])
def test_status_chart_is_a_native_chart_with_its_data(
    house: dict[Period, Path], contexts: dict[Period, ReportContext], period: Period
) -> None:
    from openpyxl import load_workbook
    from pptx.enum.chart import XL_CHART_TYPE

    ctx = contexts[period]
    charts = _charts(house[period])
    assert charts
    categories: list[str] = []
    values: dict[str, list[int]] = collections.defaultdict(list)
    for frame in charts:
        chart = frame.chart
        assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
        assert chart.has_legend and chart.category_axis.reverse_order
        descr = frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0]
        assert descr.startswith("Stapeldiagram över mätvärdenas status per mål")
        cats = list(chart.plots[0].categories)
        categories += cats
        for series in chart.plots[0].series:
            values[series.name] += [int(v or 0) for v in series.values]
            labels = series.data_labels
            assert labels.show_value and labels.number_format == "0"
        workbook = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
        sheet = workbook.active
        assert [sheet.cell(i, 1).value for i in range(2, len(cats) + 2)] == cats
    assert categories == [r.goal_heading for r in ctx.summary_rows]
    assert dict(values) == _expected_series(ctx)
    if period.is_interim:
        assert "● Grönt (prognos)" in values and sum(values["● Grönt (prognos)"]) > 0
    else:
        assert list(values) == [
            "● Grönt",
            "▲ Gult",
            "■ Rött",
            "○ Följs upp senare",
            "? Utfall saknas",
        ]


def test_chart_series_carry_the_status_colours(house: dict[Period, Path]) -> None:
    [frame, *_] = _charts(house[INTERIM])
    fills = {s.name: str(s.format.fill.fore_color.rgb) for s in frame.chart.plots[0].series}
    assert fills["● Grönt"] == STATUS_STYLE[Status.GREEN].chart_fill
    assert fills["● Grönt (prognos)"] == STATUS_STYLE[Status.GREEN].fill
    assert fills["■ Rött"] == STATUS_STYLE[Status.RED].chart_fill
    outline = frame.chart.plots[0].series[1].format.line.color.rgb
    assert str(outline) == STATUS_STYLE[Status.GREEN].chart_fill  # the forecast's edge


# --- A municipality's .potx --------------------------------------------------------------------


def test_potx_master_decides_layouts_fonts_and_the_slide_number(
    profile_build: Built, profile: Path
) -> None:
    prs = _open(profile_build.pptx)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Profil försättsblad" and set(layouts[1:]) == {"Profil innehåll"}
    fonts = {f for f in _latin_fonts(profile_build.pptx) if not f.startswith("+")}
    assert WIDE_FONT in fonts and "Arial" not in fonts
    logo = next(s for s in prs.slide_master.shapes if s.name == "Kommunlogga")
    assert (logo.left, logo.top) == (round(LOGO[0] * EMU_PER_PT), round(LOGO[1] * EMU_PER_PT))
    for slide in list(prs.slides)[1:]:
        [number] = _of_type(slide, "sldNum")
        assert number.left == 48 * EMU_PER_PT  # where the master puts it, not ours
        for shape in slide.shapes:  # nothing of ours on the logo
            if shape is number:
                continue
            right, bottom = shape.left + shape.width, shape.top + shape.height
            assert right <= LOGO[0] * EMU_PER_PT or bottom <= LOGO[1] * EMU_PER_PT, shape.name
    _check_slides_fit(profile_build.pptx)
    wide = build_slides(_context(INTERIM), _frame(profile))
    house_slides = build_slides(_context(INTERIM), HOUSE_FRAME)
    assert len(prs.slides) == len(wide) >= len(house_slides)


def _frame(template: Path) -> Any:
    from ksreport.render.pptx_master import master_for

    return master_for(template).frame


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) on one page, from pdftotext -bbox."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out,
    )
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def _pixel(pdf: Path, page: int, x: float, y: float, tmp: Path) -> tuple[int, int, int]:
    """The colour at (x, y) points on a page rendered by pdftoppm at 72 dpi."""
    from PIL import Image

    folder = tmp / f"bild-{page}-{round(x)}-{round(y)}"
    folder.mkdir(parents=True)
    base = folder / "sida"
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", str(page), "-l", str(page), str(pdf), str(base)],
        check=True,
    )
    [png] = folder.glob("sida*.png")
    rgb = Image.open(png).convert("RGB").getpixel((round(x), round(y)))
    assert isinstance(rgb, tuple)
    return rgb[0], rgb[1], rgb[2]


def _images_per_page(pdf: Path) -> dict[int, list[tuple[int, int]]]:
    """(width, height) of each image drawn on each page, from pdfimages -list."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    found: dict[int, list[tuple[int, int]]] = collections.defaultdict(list)
    for line in out.splitlines()[2:]:
        page, _, kind, width, height, *_ = line.split()
        if kind == "image":
            found[int(page)].append((int(width), int(height)))
    return found


def _close(rgb: tuple[int, int, int], hex_colour: str, tolerance: int = 6) -> bool:
    want = [int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)]
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils saknas")
def test_pdf_slides_take_the_masters_background_logo_colours_and_number(
    profile_build: Built, tmp_path: Path
) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(str(profile_build.pdf))
    pages = _pdf_pages(profile_build.pdf)
    assert len(pages) == len(_open(profile_build.pptx).slides)
    drawn = _images_per_page(profile_build.pdf)
    for n in range(1, len(pages) + 1):
        assert drawn[n] == [(200, 100)], n  # the logo, on every slide
        assert _close(_pixel(profile_build.pdf, n, 5, 5, tmp_path), BEIGE), n
    centre = (LOGO[0] + LOGO[2] * 0.25, LOGO[1] + LOGO[3] / 2)  # the red disc of the logo
    assert _close(_pixel(profile_build.pdf, 2, *centre, tmp_path), "C81E28", 12)
    last = len(pages)  # the decision: a title and text only
    words = _words(profile_build.pdf, last)
    [(_, x0, y0, _, _)] = [w for w in words if w[0] == str(last)]
    assert abs(x0 - 48) < 2 and y0 > 496  # the number where the master has it
    stream = ContentStream(reader.pages[last - 1].get_contents(), reader)
    fills = {
        tuple(round(float(v), 2) for v in operands)
        for operands, op in stream.operations
        if op == b"rg"
    }
    plum = tuple(round(int(PLUM[i : i + 2], 16) / 255, 2) for i in (0, 2, 4))
    assert plum in fills  # the title in the theme's colour
    assert (0.12, 0.23, 0.37) not in fills  # not in ksreport's own heading colour 1F3A5F
    assert "Prognos helår för målet:" in flat(" ".join(pages))


def test_pdf_master_pictures_are_not_content(profile_build: Built) -> None:
    """The logo is part of the page background (an artifact), not a figure without alt text."""
    from pypdf import PdfReader

    from test_report import _structure

    reader = PdfReader(str(profile_build.pdf))
    found: dict[str, list[Any]] = {}
    _structure(reader.trailer["/Root"]["/StructTreeRoot"], found)
    alts = [str(f.get("/Alt", "")) for f in found.get("/Figure", [])]
    assert alts and all(a.startswith("Stapeldiagram") for a in alts)


def test_pdf_slides_without_template_are_ksreports(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from ksreport.render.slides_pdf import render_presentation_pdf

    ctx = _context(FULL_YEAR)
    pdf = tmp_path / "hus.pdf"
    pdf.write_bytes(render_presentation_pdf(ctx))
    reader = PdfReader(str(pdf))
    assert not _images_per_page(pdf)
    assert _close(_pixel(pdf, 2, 5, 5, tmp_path), "FFFFFF")
    last = len(reader.pages)
    [(_, _, y0, x1, _)] = [w for w in _words(pdf, last) if w[0] == str(last)]
    assert x1 > 900 and y0 > 500  # bottom right, as before


def test_a_font_missing_on_this_computer_is_measured_with_room(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from ksreport.render.pptx_master import UNKNOWN_FONT_SPREAD, find_font

    master = make_master(tmp_path / "okänd.potx", font="Kommunens Egen Sans")
    frame = _frame(master)
    assert frame.font.family == "Kommunens Egen Sans"
    assert frame.font.spread == UNKNOWN_FONT_SPREAD
    assert "Kommunens Egen Sans" in caplog.text and "finns inte på den här datorn" in caplog.text
    assert find_font("Arial").regular == "" and find_font("DejaVu Sans").regular.endswith(".ttf")
    slides = build_slides(_context(FULL_YEAR), frame)
    assert len(slides) >= len(build_slides(_context(FULL_YEAR), HOUSE_FRAME))


def test_narrow_master_never_splits_a_word_in_a_table(tmp_path: Path) -> None:
    """python-pptx's own 4:3 master, widened without scaling: its content area is 648 pt."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    path = tmp_path / "smal.pptx"
    prs.save(str(path))
    frame = _frame(path)
    assert frame.content_width < 660
    for slide in build_slides(_context(FULL_YEAR), frame):
        for block in getattr(slide, "blocks", ()):
            if not hasattr(block, "columns"):
                continue
            for column in block.columns:
                widest = max(
                    frame.font.width(word, 16, bold=True)
                    for word in re.split(r"[ \n]", column.header)
                    if word
                )
                assert widest <= column.width - 12, (column.header, column.width)


# --- LibreOffice: nothing leaves its box in a wide font ----------------------------------------


def _boxes(slide: Any) -> Iterator[tuple[str, str, tuple[float, float, float, float]]]:
    """(where, text, box in points) of every text frame and table cell on a slide."""

    def pt(emu: int) -> float:
        return emu / EMU_PER_PT

    for shape in slide.shapes:
        left, top, width = pt(shape.left), pt(shape.top), pt(shape.width)
        if shape.has_table:
            table = shape.table
            y = top
            for row in table.rows:
                x = left
                for j, cell in enumerate(row.cells):
                    w = sum(pt(table.columns[k].width) for k in range(j, j + cell.span_width))
                    if not cell.is_spanned:
                        yield shape.name, cell.text, (x, y, x + w, y + pt(row.height))
                    x += pt(table.columns[j].width)
                y += pt(row.height)
        elif shape.has_text_frame or shape.has_chart:
            text = shape.text_frame.text if shape.has_text_frame else ""
            yield shape.name, text, (left, top, left + width, top + pt(shape.height))


def _tokens(text: str) -> list[str]:
    """Words, also split after a hyphen, where LibreOffice may break a line (``e-``)."""
    words = text.replace("\v", " ").replace(NBSP, " ").split()
    return [part for word in words for part in re.split(r"(?<=-)(?=.)", word) if part]


def _overflow(pptx: Path, pdf: Path) -> list[str]:
    """Text that LibreOffice drew outside the box it belongs to, or outside every box."""
    problems = []
    tolerance = 1.5
    for n, slide in enumerate(_open(pptx).slides, 1):
        words = [
            (t, (y0 + y1) / 2, x0, x1) for w, x0, y0, x1, y1 in _words(pdf, n) for t in _tokens(w)
        ]
        boxes = list(_boxes(slide))
        for where, text, (left, top, right, bottom) in boxes:
            inside = collections.Counter(
                t
                for t, cy, x0, x1 in words
                if top - tolerance <= cy <= bottom + tolerance
                and left - tolerance <= x0
                and x1 <= right + tolerance
            )
            missing = collections.Counter(_tokens(text)) - inside
            if missing:
                problems.append(f"bild {n}, {where}: {sorted(missing)} utanför {text[:60]!r}")
        for t, cy, x0, x1 in words:
            if not any(
                le - tolerance <= x0 and x1 <= r + tolerance and to - tolerance <= cy <= b
                for _, _, (le, to, r, b) in boxes
            ):
                problems.append(f"bild {n}: {t!r} ligger utanför alla rutor")
    return problems


@pytest.mark.libreoffice
@pytest.mark.parametrize("period", [FULL_YEAR, INTERIM], ids=["helår", "delår"])
def test_libreoffice_keeps_every_text_in_its_box_with_a_wide_font(
    tmp_path: Path, profile: Path, period: Period
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils saknas")
    ctx = _context(period)
    pptx = _pptx(ctx, tmp_path, "bred.pptx", template=profile)
    pdf = libreoffice_pdf(pptx)
    assert (
        "DejaVuSans"
        in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    )
    assert len(_pdf_pages(pdf)) == len(_open(pptx).slides)
    assert _overflow(pptx, pdf) == []
    if period == FULL_YEAR:  # "Ytterligare 18 mätvärden …" above the changes table
        prs = _open(pptx)
        slide = next(s for s in prs.slides if _slide_title(s).startswith("Förändringar"))
        [text] = [
            s for s in slide.shapes if s.has_text_frame and "Ytterligare" in s.text_frame.text
        ]
        [table, *_] = [s for s in slide.shapes if s.has_table]
        assert text.top + text.height <= table.top
        page = flat(_pdf_pages(pdf)[list(prs.slides).index(slide)])
        assert "Ytterligare 18 mätvärden har ändrats" in page


@pytest.mark.libreoffice
def test_overflow_check_finds_text_outside_its_box(tmp_path: Path, profile: Path) -> None:
    """The check above, on a file where a text box is made too small on purpose."""
    ctx = _context(FULL_YEAR)
    pptx = _pptx(ctx, tmp_path, "trång.pptx", template=profile)
    prs = _open(pptx)
    slide = next(s for s in prs.slides if _slide_title(s).startswith("Förändringar"))
    shape = next(s for s in slide.shapes if s.has_text_frame and "Ytterligare" in s.text_frame.text)
    shape.width = shape.width // 2
    body_pr = shape.text_frame._txBody.bodyPr
    for child in list(body_pr):
        body_pr.remove(child)  # no shrinking: the text runs out of the box
    prs.save(str(pptx))
    problems = _overflow(pptx, libreoffice_pdf(pptx))
    assert any("Ytterligare" in p or "utanför" in p for p in problems), problems


def test_a_continued_title_keeps_its_suffix_in_a_wide_font(profile: Path) -> None:
    slides = build_slides(_context(FULL_YEAR), _frame(profile))
    titles = [s.title for s in slides if isinstance(s, ContentSlide) and s.continued]
    assert titles and all(t.endswith(CONTINUED) for t in titles)


def test_other_kinds_of_file_are_refused_in_swedish(profile: Path, tmp_path: Path) -> None:
    book = tmp_path / "bok.xlsx"
    shutil.copy(EXAMPLE, book)
    odp = tmp_path / "profil.odp"
    shutil.copy(profile, odp)
    r = _invoke("build", book, "--out", tmp_path / "ut", "-f", "pptx", "--pptx-template", odp)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert 'PowerPoint-mallen "' in r.stderr and ".pptx- eller .potx-fil" in r.stderr
