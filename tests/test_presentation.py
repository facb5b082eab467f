"""The board presentation: 16:9 PDF slides and an editable PowerPoint file, from the same slides.

Most tests run the real CLI ``build`` on test workbooks and read the results back: the PPTX with
python-pptx, the PDF with pypdf. Lines are counted here with the packaged font's metrics (Liberation
Sans, metric-compatible with Arial), independently of how ``ksreport.slides`` counts them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, Result, libreoffice_pdf
from ksreport.charts import text_width
from ksreport.context import ReportContext, build_context, default_decision_proposal
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import score
from ksreport.slides import (
    CONTINUED,
    MIN_PT,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    ContentSlide,
    Table,
    TextBlock,
    TitleSlide,
    build_slides,
)
from ksreport.validate import load_plan
from test_report import _structure
from workbooks import Sheets, base_sheets, write_book

Run = Callable[..., Result]
EMU_PER_PT = 12700
NBSP = "\u00a0"
STEM = "kommunstyrelsen-2020"
HOSTILE_GOAL = 'Hållbar organisation <b>&"x"'
HOSTILE_MEASURE = "Handläggningstid {{ 7*7 }}"
JUSTIFICATION = "Nämnden bedömer målet som gult; {{ 7*7 }} är ingen beräkning. <i>Kursiv</i>"
GOALS = ("Mål 1: Nöjda invånare", f"Mål 2: {HOSTILE_GOAL}")
MANY = 25


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " ")).strip()


# --- Workbooks and builds -------------------------------------------------------------------


def _test_sheets() -> Sheets:
    """Two goals; hostile text in a goal and a measure name; the board overrides goal 2."""
    s = base_sheets()
    s["Mål"][2][1] = HOSTILE_GOAL
    s["Mätvärden"][3][2] = HOSTILE_MEASURE
    s["Bedömningar"].append(["Mål", "2", 2020, "Gult", JUSTIFICATION, "", "KS 2021-03-10 § 45"])
    return s


def _many_sheets() -> Sheets:
    """Goal 1 gets MANY red indicators in one more sub-goal."""
    s = base_sheets()
    s["Delmål"].append(["1.3", "1", "Många mätvärden", ""])
    for i in range(1, MANY + 1):
        mid = f"R{i}"
        name = f"Rött mätvärde nummer {i} med ett ganska långt namn som tar plats"
        s["Mätvärden"].append(
            [mid, "1.3", name, "Indikator", "%", "Högre är bättre", 50, 2019, 80, 2020, "", ""]
        )
        s["Utfall"].append([mid, 2020, 40, ""])
    return s


def _invoke(*args: str | Path) -> Result:
    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()
    r = CliRunner().invoke(cli, [str(a) for a in args], prog_name="ksreport")
    return Result(r.exit_code, r.stdout, r.stderr)


@dataclasses.dataclass(frozen=True)
class Built:
    pptx: Path
    pdf: Path


def _build(folder: Path, book: Path, *extra: str | Path) -> Built:
    r = _invoke("build", book, "--out", folder, "-f", "pdf,pptx", *extra)
    assert r.exit_code == 0, r.output
    return Built(folder / f"{STEM}-presentation.pptx", folder / f"{STEM}-presentation.pdf")


@pytest.fixture(scope="module")
def test_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("test")
    return _build(folder / "ut", write_book(folder / "test.xlsx", _test_sheets()))


@pytest.fixture(scope="module")
def many_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("many")
    return _build(folder / "ut", write_book(folder / "many.xlsx", _many_sheets()))


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("example"), EXAMPLE)


def _context(sheets: Sheets, tmp_path: Path) -> ReportContext:
    plan, _ = load_plan(write_book(tmp_path / "bok.xlsx", sheets))
    return build_context(score(plan, Period(2020)), generated=dt.date(2026, 11, 29))


# --- Reading the files back -----------------------------------------------------------------


def _presentation(path: Path) -> Any:
    from pptx import Presentation

    return Presentation(str(path))


def _slide_texts(slide: Any) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [c.text for row in shape.table.rows for c in row.cells]
    return texts


def _slide_title(slide: Any) -> str:
    title = slide.shapes.title
    return str(title.text_frame.text).replace("\v", " ").replace("\n", " ") if title else ""


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _outline(path: Path) -> list[str]:
    from pypdf import PdfReader

    def titles(items: list[Any]) -> Iterator[str]:
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield str(item.title)

    return list(titles(PdfReader(str(path)).outline))


def _bookmarks(titles: list[str]) -> list[str]:
    """The PDF's bookmarks for the PPTX slide titles: the title slide's reads as one phrase."""
    assert titles[0] == "Måluppfyllelse Helår 2020"
    return ["Måluppfyllelse helår 2020", *titles[1:]]


# --- Structure ------------------------------------------------------------------------------


def test_slide_count_order_and_titles(test_build: Built) -> None:
    prs = _presentation(test_build.pptx)
    titles = [_slide_title(s) for s in prs.slides]
    assert titles == [
        "Måluppfyllelse Helår 2020",
        "Så bedöms måluppfyllelsen",
        "Översikt: helår 2020",
        "Mätvärden per status och mål",
        "Förändringar sedan förra rapporten",  # the workbook has 2020-T1 before 2020
        *GOALS,
        "Mätvärden som följs upp senare",
        "Förslag till beslut",
    ]
    assert len(_pdf_pages(test_build.pdf)) == len(titles) == 9
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


def test_every_goal_appears_with_its_status_word(test_build: Built) -> None:
    prs = _presentation(test_build.pptx)
    pages = _pdf_pages(test_build.pdf)
    expected = {GOALS[0]: "● Grönt", GOALS[1]: "▲ Gult"}
    for goal, status in expected.items():
        found = [i for i, s in enumerate(prs.slides) if _slide_title(s) == goal]
        assert len(found) == 1, goal
        texts = _slide_texts(prs.slides[found[0]])
        assert any(status in t for t in texts), (goal, texts)
        assert goal in flat(pages[found[0]]) and status in pages[found[0]]
    goal2 = flat(pages[titles_index(prs, GOALS[1])])
    assert "Nämndens bedömning. Beräknad status: – Ej bedömd." in goal2
    assert "Motivering:" in goal2 and "Beslut: KS 2021-03-10 § 45" in goal2
    overview = flat(pages[2])
    for goal in GOALS:
        assert goal in overview


def titles_index(prs: Any, title: str) -> int:
    return next(i for i, s in enumerate(prs.slides) if _slide_title(s) == title)


def test_red_and_yellow_measures_show_outcome_and_target(test_build: Built) -> None:
    prs = _presentation(test_build.pptx)
    slide = prs.slides[titles_index(prs, GOALS[0])]
    tables = [s.table for s in slide.shapes if s.has_table]
    rows = [[c.text for c in r.cells] for r in tables[-1].rows]
    assert rows[0][0] == "Röda och gula mätvärden" and rows[0][1] == "Utfall helår 2020"
    assert rows[1] == [HOSTILE_MEASURE, f"25{NBSP}dagar", f"20{NBSP}dagar (2020)", "▲ Gult"]
    assert [[c.text for c in r.cells] for r in tables[0].rows][1:] == [
        ["1.1 Bra service", "● Grönt"],
        ["1.2 Snabb handläggning", "▲ Gult"],
    ]


def test_workbook_text_appears_literally(test_build: Built) -> None:
    prs = _presentation(test_build.pptx)
    everything = "\n".join(t for s in prs.slides for t in _slide_texts(s))
    assert HOSTILE_GOAL in everything and HOSTILE_MEASURE in everything
    assert "{{ 7*7 }} är ingen beräkning. <i>Kursiv</i>" in everything
    pdf = flat("\n".join(_pdf_pages(test_build.pdf)))
    assert HOSTILE_GOAL in pdf and HOSTILE_MEASURE in pdf and "<i>Kursiv</i>" in pdf
    assert "49" not in pdf.replace("2019", "")


def test_many_measures_continue_on_forts_slides(many_build: Built) -> None:
    prs = _presentation(many_build.pptx)
    titles = [_slide_title(s) for s in prs.slides]
    goal = [i for i, t in enumerate(titles) if t.startswith("Mål 1: Nöjda invånare")]
    assert len(goal) >= 2
    assert titles[goal[0]] == "Mål 1: Nöjda invånare"
    assert all(titles[i] == f"Mål 1: Nöjda invånare {CONTINUED}" for i in goal[1:])
    names = [
        c.text
        for i in goal
        for shape in prs.slides[i].shapes
        if shape.has_table
        for c in (r.cells[0] for r in shape.table.rows)
    ]
    red = [n for n in names if n.startswith("Rött mätvärde")]
    assert red == [
        f"Rött mätvärde nummer {i} med ett ganska långt namn som tar plats"
        for i in range(1, MANY + 1)
    ]
    for i in goal[1:]:  # the header repeats on every continuation
        tables = [s.table for s in prs.slides[i].shapes if s.has_table]
        assert tables[0].cell(0, 0).text == "Röda och gula mätvärden"
    pages = _pdf_pages(many_build.pdf)
    assert len(pages) == len(titles)  # no slide spilled onto a second page
    assert sum(pages[i].count("Rött mätvärde nummer") for i in goal) == MANY
    assert _outline(many_build.pdf) == _bookmarks(titles)


# --- Nothing overflows ----------------------------------------------------------------------


def _tokens(paragraph: Any) -> Iterator[tuple[str, bool, bool]]:
    """(word, bold, breaks_before) for each word of a paragraph, by run."""
    pending_break = False
    for run in paragraph.runs:
        for i, part in enumerate(run.text.split("\v")):
            if i:
                pending_break = True
            for word in part.split(" "):
                if word:
                    yield word, bool(run.font.bold), pending_break
                    pending_break = False


def _paragraph_lines(paragraph: Any, width: float) -> tuple[int, float]:
    """How many lines a paragraph takes in ``width`` points, and its font size."""
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
    fields = paragraph._p.xpath("./a:fld/a:rPr/@sz")
    sizes += [int(s) / 100 for s in fields]
    if not paragraph.text:
        return 1, MIN_PT  # an empty cell: one line at the paragraph's exact pitch
    assert sizes, f"no explicit font size: {paragraph.text!r}"
    size = max(sizes)
    assert min(sizes) >= MIN_PT, paragraph.text
    lines, used = 1, 0.0
    space = text_width(" ", size)
    for word, bold, hard in _tokens(paragraph):
        w = text_width(word, size, bold=bold)
        if hard or (used and used + space + w > width):
            lines, used = lines + 1, w
        else:
            used += (space if used else 0) + w
    return lines, size


def _frame_fits(frame: Any, width: float, height: float, where: str) -> None:
    needed = 0.0
    for p in frame.paragraphs:
        lines, size = _paragraph_lines(p, width)
        pitch = p.line_spacing.pt if hasattr(p.line_spacing, "pt") else size * 1.2
        before = p.space_before.pt if p.space_before is not None else 0.0
        needed += before + lines * pitch
    assert needed <= height + 0.5, f"{where}: {frame.text!r} needs {needed:.1f} pt of {height:.1f}"


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def _master_sized(shape: Any) -> bool:
    """The slide number, date and footer: placeholders whose text the master sets."""
    return (
        shape.is_placeholder
        and shape.placeholder_format.idx > 0
        and any(
            shape._element.xpath(f"./p:nvSpPr/p:nvPr/p:ph[@type='{kind}']")
            for kind in ("sldNum", "dt", "ftr")
        )
    )


def _check_slides_fit(path: Path) -> int:
    checked = 0
    for n, slide in enumerate(_presentation(path).slides, 1):
        extents: list[tuple[float, float]] = []
        for shape in slide.shapes:
            left, top = _pt(shape.left), _pt(shape.top)
            width, height = _pt(shape.width), _pt(shape.height)
            where = f"bild {n}, {shape.name}"
            if shape.has_table:
                height = sum(_pt(r.height) for r in shape.table.rows)
                for r in shape.table.rows:
                    for j, cell in enumerate(r.cells):
                        if cell.is_spanned:
                            continue
                        span = range(j, j + cell.span_width)
                        cw = sum(_pt(shape.table.columns[k].width) for k in span)
                        inner = cw - _pt(cell.margin_left) - _pt(cell.margin_right)
                        room = _pt(r.height) - _pt(cell.margin_top) - _pt(cell.margin_bottom)
                        _frame_fits(cell.text_frame, inner, room, where)
                        checked += 1
            elif shape.has_text_frame and shape.text_frame.text and not _master_sized(shape):
                frame = shape.text_frame
                inner = width - _pt(frame.margin_left) - _pt(frame.margin_right)
                room = height - _pt(frame.margin_top) - _pt(frame.margin_bottom)
                _frame_fits(frame, inner, room, where)
                checked += 1
            assert left >= 0 and top >= 0, where
            assert left + width <= SLIDE_WIDTH + 0.5 and top + height <= SLIDE_HEIGHT + 0.5, where
            extents.append((top, top + height))
        extents.sort()
        for (top_a, bottom_a), (top_b, _) in itertools.pairwise(extents):
            assert top_b >= bottom_a - 0.5 or top_b == top_a, f"bild {n}: shapes overlap"
    return checked


def test_no_text_frame_holds_more_lines_than_fit(
    test_build: Built, many_build: Built, example_build: Built
) -> None:
    for built in (test_build, many_build, example_build):
        assert _check_slides_fit(built.pptx) > 20


def test_long_justification_continues_without_losing_text(tmp_path: Path) -> None:
    s = _test_sheets()
    sentence = "Nämnden har vägt in mycket mer än siffrorna i sin bedömning av målet. "
    long_text = (sentence * 60).strip()
    s["Bedömningar"][-1][4] = long_text
    ctx = _context(s, tmp_path)
    slides = [
        x for x in build_slides(ctx) if isinstance(x, ContentSlide) and x.title.startswith(GOALS[1])
    ]
    assert len(slides) >= 3
    parts = [
        p
        for x in slides
        for b in x.blocks
        if isinstance(b, TextBlock)
        for p in b.paragraphs
        if not p.lead.startswith("Beslut") and p.text != "Inga mätvärden är röda eller gula."
    ]
    assert " ".join(p.text for p in parts) == long_text
    for x in slides:
        assert x.blocks[-1].top + x.blocks[-1].height <= 496.0


def test_a_continued_table_never_leaves_a_row_alone(tmp_path: Path) -> None:
    ctx = _context(_many_sheets(), tmp_path)
    parts = [
        block
        for slide in build_slides(ctx)
        if isinstance(slide, ContentSlide) and slide.kind == "goal"
        for block in slide.blocks
        if isinstance(block, Table)
        and block.header
        and block.header.cells[0].text.startswith("Röda")
    ]
    assert len(parts) >= 2 and all(len(t.rows) >= 2 for t in parts)
    assert sum(len(t.rows) for t in parts) == MANY + 1  # and the yellow one


# --- PDF slides -----------------------------------------------------------------------------


def test_pdf_slides_are_16_9_tagged_swedish_with_one_bookmark_per_slide(
    example_build: Built,
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(example_build.pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None
    assert reader.metadata.title == "Kommunstyrelsen – Måluppfyllelse helår 2020"
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((960, 540), abs=0.1)
        assert round(float(box.width) / 72 * 25.4, 2) == 338.67
    prs = _presentation(example_build.pptx)
    titles = [_slide_title(s) for s in prs.slides]
    assert _outline(example_build.pdf) == _bookmarks(titles)
    assert len(reader.pages) == len(titles)
    found: dict[str, list[Any]] = {}
    _structure(root["/StructTreeRoot"], found)
    assert len(found["/H1"]) == 1 and len(found["/H2"]) == len(titles) - 1
    assert found["/TH"] and found["/Table"]
    alts = [str(f.get("/Alt", "")) for f in found["/Figure"]]
    assert alts and all(a.startswith("Stapeldiagram över mätvärdenas status") for a in alts)


def test_pdf_uses_only_the_packaged_fonts(example_build: Built) -> None:
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(str(example_build.pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        names |= {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    families = {n.split("+", 1)[-1].lstrip("/") for n in names}
    assert families and all(f.startswith("Ksreport-") for f in families), families


# --- PowerPoint -----------------------------------------------------------------------------


def test_status_is_fill_symbol_and_word_and_charts_have_alt_text(example_build: Built) -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = _presentation(example_build.pptx)
    fills = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                for row in list(shape.table.rows)[1:]:
                    for cell in row.cells:
                        word = cell.text.split("\n")[0]
                        if word in ("● Grönt", "▲ Gult", "■ Rött"):
                            fills.setdefault(word, set()).add(str(cell.fill.fore_color.rgb))
    assert fills == {"● Grönt": {"B7E1CD"}, "▲ Gult": {"FCE8A6"}, "■ Rött": {"F4B6B0"}}
    # The status badges of the goal and sub-goal slides: the same fill per status.
    badges: dict[str, set[str]] = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name.startswith("Status: "):
                badges.setdefault(shape.text_frame.text, set()).add(str(shape.fill.fore_color.rgb))
    assert badges == {"● Grönt": {"B7E1CD"}, "▲ Gult": {"FCE8A6"}}, badges  # the sample's
    charts = [shape for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert charts
    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for x in prs.slides for s in x.shapes)
    for chart in charts:
        descr = chart._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0]
        assert descr.startswith("Stapeldiagram över mätvärdenas status per mål")
        assert "Mål 1: Invånarna får god service och kan påverka" in descr


def test_pptx_is_editable_swedish_and_has_notes(example_build: Built) -> None:
    prs = _presentation(example_build.pptx)
    core = prs.core_properties
    assert core.title == "Kommunstyrelsen – Måluppfyllelse helår 2020" and core.language == "sv-SE"
    assert core.created is not None
    langs = {
        r.font._rPr.get("lang")
        for s in prs.slides
        for shape in s.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    }
    assert langs == {"sv-SE"}
    goal2 = prs.slides[titles_index(prs, _goal_title(prs, "Mål 2:"))]
    notes = goal2.notes_slide.notes_text_frame.text
    assert "Analys:" in notes and "Fullmäktigemål: Hållbar tillväxt" in notes
    for slide in prs.slides:
        for ph in slide.placeholders:
            if ph.has_text_frame:
                assert ph.text_frame.text, "an empty placeholder was left on a slide"


def _goal_title(prs: Any, prefix: str) -> str:
    return next(_slide_title(s) for s in prs.slides if _slide_title(s).startswith(prefix))


def test_presentation_is_reproducible(tmp_path: Path) -> None:
    from ksreport.render.pptx import render_presentation_pptx
    from ksreport.render.slides_pdf import render_presentation_pdf

    ctx = _context(_test_sheets(), tmp_path)
    assert render_presentation_pptx(ctx) == render_presentation_pptx(ctx)
    assert render_presentation_pdf(ctx) == render_presentation_pdf(ctx)
    prs = _presentation_bytes(render_presentation_pptx(ctx))
    assert prs.core_properties.created.replace(tzinfo=None) == dt.datetime(2026, 11, 29)


def _presentation_bytes(data: bytes) -> Any:
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def test_packaged_pptx_template_is_current() -> None:
    from ksreport.render import package_template_dir
    from ksreport.render.pptx import TEMPLATE_NAME, build_template

    shipped = (package_template_dir() / TEMPLATE_NAME).read_bytes()
    assert shipped == build_template(), "run: python tools/make_pptx_template.py"


def _user_template(path: Path, *, widescreen: bool) -> Path:
    """A municipality's master: renamed layouts, a logo on the master and a sample slide."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu, Inches

    prs = Presentation()
    if widescreen:
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    names = {"Title Slide": "Kommunens försättsblad", "Title and Content": "Kommunens innehåll"}
    for layout in prs.slide_layouts:
        layout._element.cSld.set("name", names.get(layout.name, layout.name))
    sample = prs.slides.add_slide(prs.slide_layouts[0])
    sample.shapes.title.text = "Exempelbild som ska bort"
    logo = sample.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(9), Inches(0.2), Inches(0.8), Inches(0.5)
    )
    logo.name = "Kommunlogga"
    prs.slide_master.shapes._spTree.append(logo._element)
    prs.save(str(path))
    return path


@pytest.mark.parametrize("widescreen", [True, False], ids=["16x9", "4x3"])
def test_user_pptx_template_layouts_are_used(
    run_cli: Run, tmp_path: Path, widescreen: bool, caplog: pytest.LogCaptureFixture
) -> None:
    template = _user_template(tmp_path / "profil.pptx", widescreen=widescreen)
    book = write_book(tmp_path / "bok.xlsx", _test_sheets())
    out = tmp_path / "ut"
    r = run_cli("build", book, "--out", out, "-f", "pptx", "--pptx-template", template)
    assert r.exit_code == 0, r.output
    assert ("inte 16:9" in caplog.text) is not widescreen
    prs = _presentation(out / f"{STEM}-presentation.pptx")
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Kommunens försättsblad"
    assert set(layouts[1:]) == {"Kommunens innehåll"}
    logo = next(s for s in prs.slide_master.shapes if s.name == "Kommunlogga")
    assert logo.left + logo.width <= prs.slide_width
    assert (logo.left == 9 * 914400) is widescreen  # a 4:3 master is scaled to 16:9
    everything = "\n".join(t for s in prs.slides for t in _slide_texts(s))
    assert "Exempelbild som ska bort" not in everything
    titles = {_slide_title(s).removesuffix(f" {CONTINUED}") for s in prs.slides}
    assert len(titles) == 9  # the master's larger text may need "forts." slides
    _check_slides_fit(out / f"{STEM}-presentation.pptx")


def test_template_without_title_layouts_falls_back(run_cli: Run, tmp_path: Path) -> None:
    from pptx import Presentation

    prs = Presentation()
    layouts = prs.slide_layouts
    for layout in list(layouts):
        if layout.name != "Blank":
            layouts.remove(layout)
    template = tmp_path / "tom.pptx"
    prs.save(str(template))
    out = tmp_path / "ut"
    book = write_book(tmp_path / "bok.xlsx", _test_sheets())
    r = run_cli("build", book, "--out", out, "-f", "pptx", "--pptx-template", template)
    assert r.exit_code == 0, r.output
    result = _presentation(out / f"{STEM}-presentation.pptx")
    assert {s.slide_layout.name for s in result.slides} == {"Blank"}
    texts = [t for s in result.slides for t in _slide_texts(s)]
    assert GOALS[0] in texts and "Förslag till beslut" in texts


def test_pptx_template_errors(run_cli: Run, tmp_path: Path) -> None:
    book = write_book(tmp_path / "bok.xlsx", _test_sheets())
    out = tmp_path / "ut"
    r = run_cli("build", book, "--out", out, "--pptx-template", tmp_path / "saknas.pptx")
    assert r.exit_code == 2 and "finns inte" in r.stderr
    broken = tmp_path / "trasig.pptx"
    broken.write_bytes(b"inte en presentation")
    r = run_cli("build", book, "--out", out, "-f", "pptx", "--pptx-template", broken)
    assert r.exit_code == 1 and "PowerPoint-mallen" in r.stderr and "Traceback" not in r.output
    assert not out.exists()


def test_format_pptx_alone(run_cli: Run, tmp_path: Path) -> None:
    book = write_book(tmp_path / "bok.xlsx", _test_sheets())
    out = tmp_path / "ut"
    r = run_cli("build", book, "--out", out, "-f", "pptx")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}-presentation.pptx"]
    assert "pptx" in run_cli("build", "--help").stdout


# --- The proposed decision ------------------------------------------------------------------


def test_decision_proposal_from_the_workbook_or_generated(tmp_path: Path) -> None:
    assert default_decision_proposal("Kommunstyrelsen", Period(2020)) == (
        "Kommunstyrelsen godkänner måluppfyllelsen för helår 2020 och att den ingår i "
        "kommunstyrelsens verksamhetsberättelse för 2020."
    )
    assert default_decision_proposal("Kultur- och fritidsnämnden", Period(2021, PeriodKind.T1)) == (
        "Kultur- och fritidsnämnden godkänner uppföljningen av måluppfyllelsen per april 2021 "
        "att ingå i kultur- och fritidsnämndens delårsrapport per april 2021."
    )
    s = _test_sheets()
    ctx = _context(s, tmp_path)
    last = build_slides(ctx)[-1]
    assert isinstance(last, ContentSlide) and last.title == "Förslag till beslut"
    assert "kommunstyrelsens verksamhetsberättelse för 2020" in ctx.decision_proposal
    own = "Kommunstyrelsen noterar uppföljningen."
    s["Inställningar"].append(["Förslag till beslut", own])
    assert _context(s, tmp_path).decision_proposal == own


def test_title_slide(tmp_path: Path) -> None:
    first = build_slides(_context(_test_sheets(), tmp_path))[0]
    assert isinstance(first, TitleSlide)
    assert (first.organisation, first.board, first.title, first.period) == (
        "Testkommun",
        "Kommunstyrelsen",
        "Måluppfyllelse",
        "Helår 2020",
    )
    assert first.facts == ("Mandatperiod 2020–2022", "29 november 2026")


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_converts_the_pptx(test_build: Built, tmp_path: Path) -> None:
    source = tmp_path / "presentation.pptx"
    shutil.copy(test_build.pptx, source)
    pages = _pdf_pages(libreoffice_pdf(source))
    assert len(pages) == len(_presentation(test_build.pptx).slides)
    text = flat("\n".join(pages))
    for goal in GOALS:
        assert goal in text
    assert "● Grönt" in text and "Förslag till beslut" in text


def test_a_continued_group_repeats_its_heading() -> None:
    plan, _ = load_plan(EXAMPLE)
    ctx = build_context(score(plan, Period(2020, PeriodKind.T2)), generated=dt.date(2021, 9, 1))
    later = [s for s in build_slides(ctx) if isinstance(s, ContentSlide) and s.kind == "later"]
    assert len(later) >= 2
    for slide in later[1:]:
        table = slide.blocks[0]
        assert isinstance(table, Table) and table.rows[0].group
        assert table.rows[0].cells[0].text.startswith("Målår")
    headings = [
        r.cells[0].text
        for s in later
        for b in s.blocks
        if isinstance(b, Table)
        for r in b.rows
        if r.group
    ]
    assert "Målår 2020" in headings and f"Målår 2020 {CONTINUED}" in headings
