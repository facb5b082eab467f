"""The verksamhetsberättelse goal section: context, charts, HTML, PDF and DOCX, tested by content.

The plan is built directly from the model (no workbook), so these tests only need the scoring
stage: two goals, a board override with justification, an indicator with a history chart, an
activity, a measure followed up later, one with a missing outcome, and hostile workbook text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import libreoffice_pdf
from ksreport.charts import LineChart, LinePoint, render_png, render_svg
from ksreport.context import ReportContext, build_context
from ksreport.errors import RenderError
from ksreport.formatting import (
    format_date_long,
    format_number,
    format_percent,
    format_quantity,
)
from ksreport.model import (
    ActivityState,
    Assessment,
    Direction,
    Goal,
    Kind,
    Level,
    Measure,
    Outcome,
    Plan,
    Settings,
    Status,
    SubGoal,
)
from ksreport.periods import Period, PeriodKind
from ksreport.render import package_template_dir
from ksreport.scoring import score

NBSP = "\u00a0"
Y2019, Y2020 = Period(2019), Period(2020)
T1, T2 = Period(2020, PeriodKind.T1), Period(2020, PeriodKind.T2)
GENERATED = dt.date(2026, 11, 29)

HOSTILE_NAME = 'Svar <b>&"x"\n{{ 7*7 }}'
HOSTILE_COMMENT = 'Rad ett <img src="file:///etc/passwd">\nRad två & {{ 7*7 }}'
GOAL_NAMES = ("Nöjda invånare", "Hållbar organisation")
SUBGOAL_NAMES = ("Bra service", "Genomförda satsningar", "Frisk personal")
JUSTIFICATION = "Nämnden bedömer att målet är uppfyllt trots sjukfrånvaron."
DECISION = "KS 2021-03-10 § 45"


def _indicator(
    mid: str,
    sub: str,
    name: str,
    unit: str,
    direction: Direction,
    baseline: float | None,
    target: float,
    target_year: int,
    values: dict[Period, float],
    comments: dict[Period, str] | None = None,
) -> Measure:
    comments = comments or {}
    return Measure(
        id=mid,
        subgoal_id=sub,
        name=name,
        kind=Kind.INDICATOR,
        target_year=target_year,
        unit=unit,
        direction=direction,
        baseline=baseline,
        baseline_year=2019,
        target=target,
        outcomes=tuple(
            Outcome(mid, p, value=v, comment=comments.get(p, "")) for p, v in values.items()
        ),
    )


def make_plan(*, tolerance_pct: float = 5.0) -> Plan:
    m1 = _indicator(
        "M1",
        "1.1",
        "Andel nöjda invånare",
        "%",
        Direction.HIGHER,
        60,
        70,
        2020,
        {Y2019: 60, T1: 65, T2: 68, Y2020: 72.5},
    )
    m2 = _indicator(
        "M2",
        "1.1",
        "Kostnad per ärende",
        "kr",
        Direction.LOWER,
        1300,
        1200,
        2020,
        {Y2019: 1300, Y2020: 1250},
    )
    m3 = _indicator(
        "M3",
        "1.1",
        HOSTILE_NAME,
        "dagar",
        Direction.LOWER,
        20,
        14,
        2020,
        {Y2019: 20, Y2020: 25},
        {Y2020: HOSTILE_COMMENT},
    )
    m4 = Measure(
        id="M4",
        subgoal_id="1.2",
        name="Införa e-tjänst för bygglov",
        kind=Kind.ACTIVITY,
        target_year=2020,
        outcomes=(
            Outcome("M4", T2, state=ActivityState.STARTED),
            Outcome("M4", Y2020, state=ActivityState.DONE, comment="Klar i december."),
        ),
    )
    m5 = _indicator("M5", "1.2", "Andel digitala ärenden", "%", Direction.HIGHER, 20, 50, 2022, {})
    m6 = _indicator(
        "M6", "1.2", "Trygghetsindex", "index", Direction.HIGHER, 60, 65, 2020, {Y2019: 60}
    )
    m7 = _indicator(
        "M7", "2.1", "Sjukfrånvaro", "%", Direction.LOWER, 6, 5.5, 2020, {Y2019: 6, Y2020: 8.4}
    )
    goals = (
        Goal(
            "1",
            GOAL_NAMES[0],
            "Invånarna ska vara nöjda.\nÄven på kvällar.",
            "Ett gott liv",
            (3, 10),
            (
                SubGoal("1.1", "1", SUBGOAL_NAMES[0], "", (m1, m2, m3)),
                SubGoal("1.2", "1", SUBGOAL_NAMES[1], "", (m4, m5, m6)),
            ),
        ),
        Goal(
            "2",
            GOAL_NAMES[1],
            "",
            "Attraktiv arbetsgivare",
            (8,),
            (SubGoal("2.1", "2", SUBGOAL_NAMES[2], "", (m7,)),),
        ),
    )
    settings = Settings(
        organisation="Testkommun",
        board="Kommunstyrelsen",
        diary_number="KS 2021/1",
        mandate_start=2020,
        mandate_end=2022,
        tolerance_pct=tolerance_pct,
    )
    assessments = (
        Assessment(
            Level.GOAL,
            "2",
            Y2020,
            Status.GREEN,
            JUSTIFICATION,
            "Sjukfrånvaron steg under pandemin.",
            DECISION,
        ),
    )
    return Plan(settings, goals, assessments)


def make_context(**kwargs: Any) -> ReportContext:
    return build_context(score(make_plan(**kwargs), Y2020), generated=GENERATED)


def flat(text: str) -> str:
    """Whitespace (line breaks, non-breaking spaces, soft hyphens) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace("\u00ad", "")).strip()


@pytest.fixture(scope="module")
def ctx() -> ReportContext:
    return make_context()


@pytest.fixture(scope="module")
def pdf_bytes(ctx: ReportContext) -> bytes:
    from ksreport.render.pdf import render_report_pdf

    return render_report_pdf(ctx)


@pytest.fixture(scope="module")
def docx_bytes(ctx: ReportContext) -> bytes:
    from ksreport.render.docx import render_report_docx

    return render_report_docx(ctx)


@pytest.fixture(scope="module")
def html_text(ctx: ReportContext) -> str:
    from ksreport.render.html import render_report_html

    return render_report_html(ctx).decode("utf-8")


# --- Formatting --------------------------------------------------------------------------


def test_swedish_numbers_and_units() -> None:
    assert format_quantity(72.5, "%") == f"72,5{NBSP}%"
    assert format_quantity(1250, "kr") == f"1{NBSP}250{NBSP}kr"
    assert format_quantity(14, "dagar") == f"14{NBSP}dagar"
    assert format_quantity(46, "index") == "46"
    assert format_quantity(None, "%") == "–"
    assert format_number(0.725 * 100) == "72,5"
    assert format_number(1234567.891) == f"1{NBSP}234{NBSP}567,89"
    assert format_percent(12.5) == f"12,5{NBSP}%"
    assert format_date_long(GENERATED) == "29 november 2026"


# --- Context -----------------------------------------------------------------------------


def test_context_statuses_lists_and_override(ctx: ReportContext) -> None:
    rows = {m.id: m for g in ctx.goals for s in g.subgoals for m in s.measures}
    assert rows["M1"].value == f"72,5{NBSP}%"
    assert rows["M1"].assessed.status.text == "● Grönt"
    assert rows["M1"].trend is not None and rows["M1"].trend.text == "↑ Bättre"
    assert rows["M1"].figure is not None  # four numeric values
    assert rows["M2"].figure is None  # only two
    assert rows["M2"].assessed.status.label == "Gult"
    assert rows["M3"].assessed.status.label == "Rött"
    assert rows["M3"].comment == HOSTILE_COMMENT
    assert rows["M4"].value == "Genomförd" and rows["M4"].previous_value == "–"
    assert [i.name for i in ctx.later] == ["Andel digitala ärenden"]
    assert [i.name for i in ctx.missing] == ["Trygghetsindex"]
    goal2 = ctx.goals[1]
    assert goal2.assessed.status.label == "Grönt"
    assert goal2.assessed.computed is not None and goal2.assessed.computed.label == "Rött"
    assert goal2.assessed.justification == JUSTIFICATION
    assert goal2.assessed.decision == DECISION
    assert ctx.summary_rows[0].counts == (2, 1, 1, 1, 1)
    assert ctx.summary_total == 7
    assert ctx.goals[0].agenda2030[0] == "3 Hälsa och välbefinnande"


def test_definitions_follow_the_settings_in_force() -> None:
    default = make_context()
    wider = make_context(tolerance_pct=12.5)
    text = {d.term: d.text for d in default.definitions}
    text_wider = {d.term: d.text for d in wider.definitions}
    assert f"högst 5{NBSP}% från målvärdet" in text["Gult"]
    assert f"högst 12,5{NBSP}% från målvärdet" in text_wider["Gult"]
    assert f"mer än 12,5{NBSP}%" in text_wider["Rött"]
    assert "minst 1,5 ger grönt, minst 0,75 gult" in text["Sammanvägning"]
    assert text["Grönt"] == text_wider["Grönt"]


def test_generation_time_is_printed_as_a_date() -> None:
    report = score(make_plan(), Y2020)
    ctx = build_context(report, generated=dt.datetime(2026, 11, 29, 13, 45))
    assert ctx.generated == GENERATED and ctx.generated_iso == "2026-11-29"
    assert ctx.generated_long == "29 november 2026"


def test_long_history_is_split_into_tables_that_fit_the_page() -> None:
    plan = make_plan()
    periods = [Period(y, k) for y in (2020, 2021) for k in PeriodKind] + [Y2019]
    m1 = plan.goals[0].subgoals[0].measures[0]
    m1 = dataclasses.replace(
        m1, outcomes=tuple(Outcome("M1", p, value=60 + i) for i, p in enumerate(periods))
    )
    sub = dataclasses.replace(plan.goals[0].subgoals[0], measures=(m1,))
    goal = dataclasses.replace(plan.goals[0], subgoals=(sub,))
    plan = dataclasses.replace(plan, goals=(goal,))
    ctx = build_context(score(plan, Period(2021)), generated=GENERATED)
    assert [len(t.periods) for t in ctx.history] == [6, 3]
    assert ctx.history[0].periods[0] == "2019" and ctx.history[-1].periods[-1] == "2021"


def test_interim_period_changes_labels_and_intro() -> None:
    ctx = build_context(score(make_plan(), T2), generated=GENERATED)
    assert ctx.period_words == "delår per augusti 2020"
    assert ctx.col_previous == "Prognos helår 2020"  # the forecast column (issue 12)
    assert "delårsrapport" in ctx.definitions_intro
    assert [p for t in ctx.history for p in t.periods] == ["2019", "2020-T1", "2020-T2"]


# --- Charts ------------------------------------------------------------------------------


def test_charts_escape_text_cache_and_draw_png() -> None:
    spec = LineChart(
        alt=HOSTILE_NAME,
        points=(
            LinePoint("2019", 1.0, "1 <&>"),
            LinePoint("2020", 2.0, "2"),
            LinePoint("2021", 3.0, "3"),
        ),
        target=2.5,
        target_text='Mål "2,5"',
    )
    svg = render_svg(spec)
    assert "<b>" not in svg and "&lt;b&gt;&amp;&quot;x&quot;" in svg
    assert "1 &lt;&amp;&gt;" in svg
    assert render_svg(spec) is svg  # cached: the same chart is never drawn twice
    png = render_png(spec)
    assert png.startswith(b"\x89PNG") and render_png(spec) is png
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (round(320 * 200 / 96), round(170 * 200 / 96))


# --- HTML --------------------------------------------------------------------------------


def test_html_is_standalone_accessible_and_escaped(html_text: str, ctx: ReportContext) -> None:
    assert html_text.startswith("<!DOCTYPE html>")
    assert '<html lang="sv-SE">' in html_text
    assert "<title>Kommunstyrelsen – Måluppfyllelse helår 2020</title>" in html_text
    assert 'class="skip-link" href="#innehall"' in html_text and '<main id="innehall">' in html_text
    assert "<link" not in html_text and "src=" not in html_text.split("</head>")[0]
    assert "Svar &lt;b&gt;&amp;&#34;x&#34;\n{{ 7*7 }}" in html_text
    assert (
        "Rad ett &lt;img src=&#34;file:///etc/passwd&#34;&gt;\nRad två &amp; {{ 7*7 }}" in html_text
    )
    assert "<b>&" not in html_text and "<img" not in html_text
    # Each chart twice: the full chart and its narrow variant for small screens (issue 14).
    assert html_text.count("<svg") == 2 * len(ctx.figures) == 4
    assert '<th scope="col"' in html_text and '<th scope="row"' in html_text
    assert "● Grönt" not in html_text  # symbol and word are marked up separately...
    assert re.search(r'<span class="sym" aria-hidden="true">●</span> Grönt', html_text)


# --- PDF ---------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _outline_titles(outline: list[Any]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(str(item.title))
    return titles


def _structure(node: Any, found: dict[str, list[Any]]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _structure(child, found)
        return
    if not hasattr(node, "get"):
        return
    tag = node.get("/S")
    if tag is not None:
        found.setdefault(str(tag), []).append(node)
    kids = node.get("/K")
    if kids is not None:
        _structure(kids, found)


def test_pdf_text_has_every_name_status_and_number(pdf_bytes: bytes, ctx: ReportContext) -> None:
    text = flat(_pdf_text(pdf_bytes))
    for name in (*GOAL_NAMES, *SUBGOAL_NAMES):
        assert name in text
    for row in (m for g in ctx.goals for s in g.subgoals for m in s.measures):
        assert flat(row.name) in text
    for word in ("● Grönt", "▲ Gult", "■ Rött", "Följs upp senare", "Utfall saknas"):
        assert word in text
    for number in ("72,5 %", "1 250 kr", "25 dagar", "8,4 %"):
        assert number in text
    squashed = re.sub(r"\s", "", text)  # a narrow cell may wrap anywhere, even in a URL
    assert re.sub(r"\s", "", HOSTILE_NAME) in squashed
    assert re.sub(r"\s", "", HOSTILE_COMMENT) in squashed
    assert JUSTIFICATION in text and DECISION in text
    assert "Beräknad status: ■ Rött" in text
    assert "Så bedöms måluppfyllelsen" in text and "högst 5 % från målvärdet" in text
    assert "Sida 1 av" in text
    assert "root:" not in text  # /etc/passwd was not fetched


def test_pdf_is_tagged_titled_swedish_with_bookmarks(pdf_bytes: bytes, ctx: ReportContext) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert reader.metadata is not None and reader.metadata.title == ctx.document_title
    created = reader.metadata.creation_date
    assert created is not None and created.replace(tzinfo=None) == dt.datetime(2026, 11, 29)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)
    titles = _outline_titles(reader.outline)
    for heading in [g.heading for g in ctx.goals] + [
        s.heading for g in ctx.goals for s in g.subgoals
    ]:
        assert heading in titles
    assert "Så bedöms måluppfyllelsen" in titles and "Mätvärden som följs upp senare" in titles
    found: dict[str, list[Any]] = {}
    _structure(root["/StructTreeRoot"], found)
    for tag in ("/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/P"):
        assert tag in found, tag
    alts = [str(f.get("/Alt", "")) for f in found["/Figure"]]
    assert any(a.startswith("Stapeldiagram") for a in alts)
    assert any(a.startswith("Linjediagram för Andel nöjda invånare") for a in alts)


def _font_names(node: Any, seen: set[int], names: set[str]) -> None:
    """Every /BaseFont in the resources of a page or form XObject, recursively."""
    node = node.get_object()
    if id(node) in seen or not hasattr(node, "get"):
        return
    seen.add(id(node))
    resources = node.get("/Resources")
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        names.add(str(font.get_object()["/BaseFont"]))
    for xobject in (resources.get("/XObject") or {}).values():
        _font_names(xobject, seen, names)


def test_pdf_embeds_only_the_packaged_fonts(pdf_bytes: bytes) -> None:
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        _font_names(page, set(), names)
    families = {n.split("+", 1)[-1].lstrip("/") for n in names}
    assert families and all(f.startswith("Ksreport-") for f in families), families


def test_pdf_is_reproducible(ctx: ReportContext, pdf_bytes: bytes) -> None:
    from ksreport.render.pdf import render_report_pdf

    assert render_report_pdf(ctx) == pdf_bytes


def test_pdf_renders_without_warnings(ctx: ReportContext, caplog: pytest.LogCaptureFixture) -> None:
    from ksreport.render.pdf import render_report_pdf

    with caplog.at_level(logging.WARNING):
        render_report_pdf(ctx, variant="pdf/a-3b")
    assert [r.getMessage() for r in caplog.records] == []


def test_pdf_archive_variant_and_unknown_variant(ctx: ReportContext) -> None:
    from ksreport.render.pdf import render_report_pdf

    data = render_report_pdf(ctx, variant="pdf/a-3b")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp or b"<pdfaid:part>3<" in xmp
    assert reader.trailer["/Root"]["/Lang"] == "sv-SE"
    with pytest.raises(RenderError, match="tillåtna värden"):
        render_report_pdf(ctx, variant="pdf/x-1a")


def test_pdf_fetcher_serves_only_template_files() -> None:
    from ksreport.render.pdf import FetchRefused, make_url_fetcher, resolve_template_url

    base = package_template_dir()
    dirs = (base,)
    font = base / "fonts" / "LiberationSans-Regular.ttf"
    assert resolve_template_url(font.as_uri(), base, dirs) == font
    for url in (
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/",
        "data:text/plain,hej",
        f"{base.as_uri()}/../../../../etc/passwd",
        f"{base.as_uri()}/%2e%2e/%2e%2e/etc/passwd",
        "ftp://example.com/x",
    ):
        with pytest.raises(FetchRefused):
            resolve_template_url(url, base, dirs)
    fetcher = make_url_fetcher(dirs)
    assert fetcher.fetch(font.as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    with pytest.raises(FetchRefused):
        fetcher.fetch("file:///etc/passwd")
    # Generated charts are served by their exact URL, and nothing else under their scheme.
    charts = make_url_fetcher(dirs, {"ksreport-chart:1.svg": b"<svg/>"})
    assert charts.fetch("ksreport-chart:1.svg").read() == b"<svg/>"
    for url in ("ksreport-chart:2.svg", "ksreport-chart:../1.svg", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            charts.fetch(url)


def test_pdf_charts_are_images_served_from_memory_with_escaped_alt_text() -> None:
    from ksreport.charts import LineChart, LinePoint, render_svg
    from ksreport.render.html import ChartImages

    chart = LineChart(
        alt=f"Linjediagram för {HOSTILE_NAME}",
        points=(LinePoint("2019", 5.0, "5 %"), LinePoint("2020", 6.0, "6 %")),
        target=6.5,
        target_text="Mål 6,5 %",
    )
    images = ChartImages()
    first, again = images(chart), images(chart)
    assert first == again  # the same chart is drawn and stored once
    assert list(images.files) == ["ksreport-chart:1.svg"]
    assert images.files["ksreport-chart:1.svg"] == render_svg(chart).encode("utf-8")
    assert first.startswith('<img class="chart" src="ksreport-chart:1.svg" alt="Linjediagram')
    assert "<b>" not in first and "&lt;b&gt;" in first and "&#34;x&#34;" in first


def _red_pixels_on_first_page(pdf: bytes, folder: Path) -> int:
    """How many pixels of page 1, rendered by pdftoppm at 50 dpi, are (close to) pure red."""
    from PIL import Image

    folder.mkdir()
    pdf_file, png_base = folder / "rapport.pdf", folder / "sida"
    pdf_file.write_bytes(pdf)
    first_page = ["-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(["pdftoppm", *first_page, str(pdf_file), str(png_base)], check=True)
    rgb = Image.open(png_base.with_suffix(".png")).convert("RGB").tobytes()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r >= 200 and g <= 60 and b <= 60)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils saknas")
def test_pdf_user_template_dir_overrides_styles(
    ctx: ReportContext, pdf_bytes: bytes, tmp_path: Path
) -> None:
    """The user's report.css is the one WeasyPrint uses: its red h1 shows on the rendered page,
    which has no red at all with the packaged styles."""
    from ksreport.render.pdf import render_report_pdf

    own = tmp_path / "mallar"
    own.mkdir()
    (own / "report.css").write_text(
        (package_template_dir() / "report.css").read_text(encoding="utf-8")
        + "\nh1 { color: #ff0000; }\n",
        encoding="utf-8",
    )
    data = render_report_pdf(ctx, template_dir=own)
    assert GOAL_NAMES[0] in flat(_pdf_text(data))
    assert _red_pixels_on_first_page(pdf_bytes, tmp_path / "inbyggd") == 0
    # The title (26 pt bold) in red: about 550 pixels at 50 dpi.
    assert _red_pixels_on_first_page(data, tmp_path / "egen") > 200


def test_an_error_in_the_users_own_template_names_the_file(
    ctx: ReportContext, tmp_path: Path
) -> None:
    from ksreport.render.html import report_markup

    (tmp_path / "report.html.j2").write_text("<p>{{ finns_inte.namn }}</p>\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"Mallen .*report\.html\.j2 har ett fel: 'finns_inte'"):
        report_markup(ctx, "print", user_dir=tmp_path)
    (tmp_path / "report.html.j2").write_text("<p>\n{% if %}</p>\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"report\.html\.j2 har ett fel på rad 2"):
        report_markup(ctx, "print", user_dir=tmp_path)


# --- DOCX --------------------------------------------------------------------------------


def _docx_texts(data: bytes) -> tuple[Any, list[str]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.append(cell.text)
    return doc, texts


def test_docx_headings_tables_and_escaping(docx_bytes: bytes, ctx: ReportContext) -> None:
    doc, texts = _docx_texts(docx_bytes)
    headings = {
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    }
    assert ("Title", "Måluppfyllelse helår 2020") in headings
    assert ("Heading 1", "Så bedöms måluppfyllelsen") in headings
    for g in ctx.goals:
        assert ("Heading 1", g.heading) in headings
        for s in g.subgoals:
            assert ("Heading 2", s.heading) in headings
    joined = flat("\n".join(texts))
    for name in (*GOAL_NAMES, *SUBGOAL_NAMES, "Andel nöjda invånare", "Trygghetsindex"):
        assert name in joined
    assert "● Grönt" in texts and "▲ Gult" in texts
    assert any(t.startswith("■ Rött") for t in texts)
    assert "72,5 %" in joined and "1 250 kr" in joined
    assert any(t.startswith(HOSTILE_NAME) for t in texts)
    assert any(t.startswith(HOSTILE_COMMENT) for t in texts)  # line break kept as a break
    assert JUSTIFICATION in joined and DECISION in joined
    assert "Beräknad status: ■ Rött" in joined
    assert "högst 5 % från målvärdet" in joined


def test_docx_status_cells_are_shaded_and_headers_repeat(docx_bytes: bytes) -> None:
    from docx.oxml.ns import qn

    doc, _ = _docx_texts(docx_bytes)
    fills = {}
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                shd = cell._tc.find(qn("w:tcPr") + "/" + qn("w:shd"))
                if shd is not None and cell.text.split("\n")[0] in ("● Grönt", "■ Rött"):
                    fills[cell.text.split("\n")[0]] = shd.get(qn("w:fill"))
    assert fills == {"● Grönt": "B7E1CD", "■ Rött": "F4B6B0"}
    data_tables = [t for t in doc.tables if t.rows and t.rows[0].cells[0].text == "Mätvärde"]
    assert data_tables
    for table in data_tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None


def test_docx_is_swedish_titled_with_toc_and_alt_text(
    docx_bytes: bytes, ctx: ReportContext
) -> None:
    doc, _ = _docx_texts(docx_bytes)
    core = doc.core_properties
    assert core.title == ctx.document_title and core.language == "sv-SE"
    assert core.created is not None
    assert core.created.replace(tzinfo=None) == dt.datetime(2026, 11, 29)
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
        document = z.read("word/document.xml").decode()
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert re.search(r'<w:rPrDefault><w:rPr>.*?<w:lang w:val="sv-SE"', styles, re.S)
    assert settings.index("<w:updateFields") < settings.index("<w:compat")
    assert 'TOC \\o "1-3"' in document
    assert "PAGE" in footers and "NUMPAGES" in footers
    descr = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document)
    assert len(descr) == len(ctx.figures)
    assert all(d.startswith(("Stapeldiagram", "Linjediagram")) for d in descr)


def test_docx_is_reproducible(ctx: ReportContext, docx_bytes: bytes) -> None:
    from ksreport.render.docx import render_report_docx

    assert render_report_docx(ctx) == docx_bytes


def test_docx_user_template_gets_missing_styles(ctx: ReportContext, tmp_path: Path) -> None:
    from docx import Document

    from ksreport.render.docx import render_report_docx

    template = tmp_path / "egen.docx"
    plain = Document()
    plain.add_paragraph("Exempeltext som ska bort")
    plain.save(str(template))
    data = render_report_docx(ctx, template=template)
    doc, texts = _docx_texts(data)
    assert "Exempeltext som ska bort" not in texts
    assert any(
        p.style is not None and p.style.name == "Ksreport Tabelltext"
        for t in doc.tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    )
    with pytest.raises(RenderError, match="Word-mallen"):
        render_report_docx(ctx, template=tmp_path / "saknas.docx")


def test_packaged_docx_template_is_current() -> None:
    from ksreport.render.docx import TEMPLATE_NAME, build_template

    shipped = (package_template_dir() / TEMPLATE_NAME).read_bytes()
    assert shipped == build_template(), "run: python tools/make_docx_template.py"


@pytest.mark.libreoffice
def test_libreoffice_opens_the_docx(docx_bytes: bytes, tmp_path: Path) -> None:
    source = tmp_path / "rapport.docx"
    source.write_bytes(docx_bytes)
    text = flat(_pdf_text(libreoffice_pdf(source).read_bytes()))
    for name in GOAL_NAMES:
        assert name in text
    assert "● Grönt" in text and "72,5 %" in text


def test_context_is_frozen(ctx: ReportContext) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.title = "x"  # type: ignore[misc]


def test_line_chart_draws_the_national_comparison() -> None:
    points = tuple(
        LinePoint(str(y), v, f"{v} %") for y, v in ((2019, 7.2), (2020, 8.4), (2021, 8.0))
    )
    plain = LineChart(alt="a", points=points, target=6.5, target_text="Mål 6,5 %")
    compared = LineChart(
        alt="a",
        points=points,
        target=6.5,
        target_text="Mål 6,5 %",
        comparison=(7.9, None, 8.8),
        comparison_label="Riket",
    )
    svg, base = render_svg(compared), render_svg(plain)
    assert ">Riket</text>" in svg and "Riket" not in base
    assert svg.count("<rect") - base.count("<rect") == 3  # two markers and the legend key
    assert render_png(compared)[:4] == b"\x89PNG"


def test_report_charts_get_the_national_value_from_jamforelser(tmp_path: Path) -> None:
    import openpyxl

    from ksreport.io.workbook import read_workbook
    from ksreport.validate import validate

    wb = openpyxl.load_workbook(Path(__file__).resolve().parents[1] / "data" / "exempel.xlsx")
    wb["Jämförelser"].append(["4.1.1", 2019, 7.9, 7.5, "Kolada N00090"])
    wb["Jämförelser"].append(["4.1.1", 2020, 8.8, 8.6, "Kolada N00090"])
    path = tmp_path / "jmf.xlsx"
    wb.save(path)
    plan, problems = validate(read_workbook(path))
    assert plan is not None, problems
    ctx = build_context(score(plan, Period(2020)), generated=GENERATED)
    figure = next(
        m.figure for g in ctx.goals for s in g.subgoals for m in s.measures if m.id == "4.1.1"
    )
    assert figure is not None
    assert figure.chart.comparison_label == "Riket"  # type: ignore[union-attr]
    assert "Riket 2019: 7,9\u00a0%, 2020: 8,8\u00a0%." in figure.chart.alt
    assert "Källa för riket: Kolada" in figure.caption
