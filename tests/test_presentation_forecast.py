"""The board presentation at an interim period: forecasts for the full year and their basis.

The real CLI ``build`` runs on a workbook with a delårsrapport per augusti 2021 (outcomes and
forecasts on 2021-T2 rows); the PowerPoint file is read back with python-pptx and the PDF slides
with pypdf.

Scored for 2021-T2: M1 Nöjdhet green on its forecast 72 %, M2 Ny e-tjänst green (done in 2020),
M3 Handläggningstid yellow on its forecast 24 dagar (no outcome for 2021-T2, latest 25 dagar in
2020), M4 Sjukfrånvaro later (target year 2022, latest 7,5 % in 2020), M5 Medarbetarindex red on
its forecast 65; the board assesses goal 2 as yellow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import libreoffice_pdf
from ksreport.context import build_context
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import score
from ksreport.slides import ContentSlide, StatusLine, Table, TextBlock, build_slides
from ksreport.validate import load_plan
from test_presentation import (
    NBSP,
    _check_slides_fit,
    _invoke,
    _pdf_pages,
    _presentation,
    _slide_texts,
    _slide_title,
    flat,
)
from workbooks import Sheets, base_sheets, write_book

STEM = "kommunstyrelsen-2021-T2"
GOAL_1 = "Mål 1: Nöjda invånare"
GOAL_2 = "Mål 2: Hållbar organisation"
BASIS_1 = "Bedömningen bygger på 3 av 3 mätvärden, varav 2 prognoser."
BASIS_2 = "Bedömningen bygger på 1 av 2 mätvärden, en prognos."
DECISION = (
    "Kommunstyrelsen godkänner uppföljningen av måluppfyllelsen per augusti 2021 att ingå i "
    "kommunstyrelsens delårsrapport per augusti 2021."
)
JUSTIFICATION = "Nya rutiner för introduktion väntas ge effekt under hösten."


def interim_sheets(*, attainment: bool = False) -> Sheets:
    s = base_sheets()
    s["Utfall"][0].append("Prognos")
    for row in s["Utfall"][1:]:
        row.append(None)
    s["Utfall"] += [
        ["M1", "2021-T2", 71, "Enkäten gjordes i maj.", 72],
        ["M3", "2021-T2", None, "Ny rutin från september.", 24],
        ["M5", "2021-T2", None, "Medarbetarenkäten görs i oktober.", 65],
    ]
    s["Bedömningar"].append(["Mål", "2", "2021-T2", "Gult", JUSTIFICATION, "", ""])
    if attainment:
        s["Inställningar"].append(["Statusord", "Måluppfyllelse"])
    return s


@dataclasses.dataclass(frozen=True)
class Built:
    pptx: Path
    pdf: Path


def _build(folder: Path, sheets: Sheets, *extra: str) -> Built:
    book = write_book(folder / "bok.xlsx", sheets)
    out = folder / "ut"
    r = _invoke("build", book, "--period", "2021-T2", "--out", out, "-f", "pdf,pptx", *extra)
    assert r.exit_code == 0, r.output
    return Built(out / f"{STEM}-presentation.pptx", out / f"{STEM}-presentation.pdf")


@pytest.fixture(scope="module")
def colours(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("colours"), interim_sheets())


@pytest.fixture(scope="module")
def attainment(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("attainment"), interim_sheets(attainment=True))


def _slide(prs: Any, title: str) -> Any:
    found = [s for s in prs.slides if _slide_title(s) == title]
    assert len(found) == 1, (title, [_slide_title(s) for s in prs.slides])
    return found[0]


def _tables(slide: Any) -> list[list[list[str]]]:
    return [
        [[c.text for c in r.cells] for r in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def _page(built: Built, title: str) -> str:
    prs = _presentation(built.pptx)
    index = next(i for i, s in enumerate(prs.slides) if _slide_title(s) == title)
    return flat(_pdf_pages(built.pdf)[index])


# --- Färger ---------------------------------------------------------------------------------


def test_overview_shows_each_goals_forecast_and_basis(colours: Built) -> None:
    title = "Översikt: delår per augusti 2021"
    slide = _slide(_presentation(colours.pptx), title)
    [table] = _tables(slide)
    assert table == [
        ["Mål", "Prognos helår", "Underlag"],
        [GOAL_1, "● Grönt (prognos)", BASIS_1],
        [GOAL_2, "▲ Gult (prognos)\nBeräknad: ■ Rött (prognos)", BASIS_2],
    ]
    text = "\n".join(_slide_texts(slide))
    assert "Av de 4 bedömda mätvärdena bygger 3 på en prognos för helåret 2021" in text
    page = _page(colours, title)
    for expected in ("Prognos helår", "● Grönt (prognos)", BASIS_1, BASIS_2):
        assert expected in page, expected


def test_goal_slide_says_forecast_and_basis(colours: Built) -> None:
    prs = _presentation(colours.pptx)
    texts = _slide_texts(_slide(prs, GOAL_1))
    assert "Prognos helår för målet:" in texts and "● Grönt (prognos)" in texts
    assert BASIS_1 in texts
    page = _page(colours, GOAL_1)
    assert f"Prognos helår för målet: ● Grönt (prognos) {BASIS_1}" in page

    goal2 = _slide(prs, GOAL_2)
    texts = _slide_texts(goal2)
    assert "Prognos helår för målet:" in texts and "▲ Gult (prognos)" in texts
    # Too long for the line beside the badge: under it, above the basis.
    assert f"Nämndens bedömning. Beräknad status: ■ Rött (prognos).\n{BASIS_2}" in texts
    assert any(JUSTIFICATION in t for t in texts)
    page = _page(colours, GOAL_2)
    assert (
        "Prognos helår för målet: ▲ Gult (prognos) Nämndens bedömning. Beräknad status: "
        f"■ Rött (prognos). {BASIS_2} Motivering: {JUSTIFICATION}"
    ) in page
    notes = goal2.notes_slide.notes_text_frame.text
    assert f"Prognos helår: Gult (prognos). {BASIS_2}" in notes


def test_measure_tables_show_forecast_beside_latest_known_outcome(colours: Built) -> None:
    prs = _presentation(colours.pptx)
    subgoals, measures = _tables(_slide(prs, GOAL_1))
    assert subgoals == [
        ["Delmål", "Prognos helår"],
        ["1.1 Bra service", "● Grönt (prognos)"],
        ["1.2 Snabb handläggning", "▲ Gult (prognos)"],
    ]
    assert measures == [
        [
            "Röda och gula mätvärden",
            "Utfall delår per augusti 2021",
            "Prognos helår 2021",
            "Målvärde (år)",
            "Status",
        ],
        [
            "Handläggningstid",
            f"25{NBSP}dagar\n(helår 2020)",
            f"24{NBSP}dagar",
            f"20{NBSP}dagar (2020)",
            "▲ Gult (prognos)",
        ],
    ]
    page = _page(colours, GOAL_1)
    assert "Prognos helår 2021" in page and "25 dagar (helår 2020) 24 dagar" in page

    [later] = _tables(_slide(prs, "Mätvärden som följs upp senare"))
    assert later[0] == [
        "Mätvärde",
        "Delmål",
        "Utfall delår per augusti 2021",
        "Prognos helår 2021",
        "Målvärde",
    ]
    assert later[2] == ["Sjukfrånvaro", "2.1", f"7,5{NBSP}%\n(helår 2020)", "–", f"6{NBSP}%"]
    assert "7,5 % (helår 2020)" in _page(colours, "Mätvärden som följs upp senare")


def test_chart_counts_forecasts_apart(colours: Built) -> None:
    slide = _slide(_presentation(colours.pptx), "Mätvärden per status och mål")
    [chart] = [s for s in slide.shapes if s.has_chart]
    descr = chart._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0]
    assert f"{GOAL_1}: 1 grönt, 1 grönt (prognos) och 1 gult (prognos)" in descr
    assert f"{GOAL_2}: 1 rött (prognos) och 1 följs upp senare" in descr


def test_definitions_and_decision_follow_the_period(colours: Built) -> None:
    prs = _presentation(colours.pptx)
    definitions = "\n".join(_slide_texts(_slide(prs, "Så bedöms måluppfyllelsen")))
    assert "som har en prognos för helåret bedöms utifrån prognosen" in definitions
    decision = _slide(prs, "Förslag till beslut")
    assert DECISION in _slide_texts(decision)
    assert prs.slides[len(prs.slides) - 1] == decision
    assert DECISION in _page(colours, "Förslag till beslut")


def test_interim_slides_fit(colours: Built, attainment: Built) -> None:
    for built in (colours, attainment):
        assert _check_slides_fit(built.pptx) > 20
        assert len(_pdf_pages(built.pdf)) == len(_presentation(built.pptx).slides)


# --- Måluppfyllelse -------------------------------------------------------------------------


def test_attainment_words(attainment: Built) -> None:
    prs = _presentation(attainment.pptx)
    [overview] = _tables(_slide(prs, "Översikt: delår per augusti 2021"))
    assert overview[1:] == [
        [GOAL_1, "● Bedöms uppnås", BASIS_1],
        [GOAL_2, "▲ Bedöms delvis uppnås\nBeräknad: ■ Bedöms inte uppnås", BASIS_2],
    ]
    texts = _slide_texts(_slide(prs, GOAL_1))
    assert "Prognos helår för målet:" in texts and "● Bedöms uppnås" in texts
    assert BASIS_1 in texts
    everything = "\n".join(t for s in prs.slides for t in _slide_texts(s))
    assert "(prognos)" not in everything and "Grönt" not in everything
    pdf = flat("\n".join(_pdf_pages(attainment.pdf)))
    assert "Prognos helår för målet: ● Bedöms uppnås" in pdf
    assert "Bedöms delvis uppnås" in pdf and "(prognos)" not in pdf


def test_attainment_words_in_the_chart(attainment: Built) -> None:
    slide = _slide(_presentation(attainment.pptx), "Mätvärden per status och mål")
    [chart] = [s for s in slide.shapes if s.has_chart]
    descr = chart._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0]
    assert f"{GOAL_1}: 1 uppnått, 1 bedöms uppnås och 1 bedöms delvis uppnås" in descr


# --- Other periods --------------------------------------------------------------------------


def _context(sheets: Sheets, tmp_path: Path, period: Period) -> Any:
    plan, _ = load_plan(write_book(tmp_path / "bok.xlsx", sheets))
    return build_context(score(plan, period), generated=dt.date(2021, 9, 15))


def test_full_year_slides_keep_their_layout(tmp_path: Path) -> None:
    """The same workbook at full year 2020: counts per status, ``Status``, no basis."""
    ctx = _context(interim_sheets(), tmp_path, Period(2020))
    slides = [s for s in build_slides(ctx) if isinstance(s, ContentSlide)]
    overview = next(s for s in slides if s.kind == "overview")
    table = next(b for b in overview.blocks if isinstance(b, Table))
    assert table.header is not None
    assert [c.text for c in table.header.cells][:2] == ["Mål", "Status"]
    assert len(table.columns) == 7
    goal = next(s for s in slides if s.title == GOAL_1)
    line = goal.blocks[0]
    assert isinstance(line, StatusLine) and line.label == "Status för målet:"
    assert not any(isinstance(b, TextBlock) and b.tight for b in goal.blocks)
    everything = repr(slides)
    assert "Bedömningen bygger på" not in everything and "Prognos helår" not in everything


def test_the_basis_sits_under_the_status(tmp_path: Path) -> None:
    ctx = _context(interim_sheets(), tmp_path, Period(2021, PeriodKind.T2))
    goal = next(s for s in build_slides(ctx) if isinstance(s, ContentSlide) and s.title == GOAL_1)
    line, basis = goal.blocks[:2]
    assert isinstance(line, StatusLine) and isinstance(basis, TextBlock) and basis.tight
    assert basis.paragraphs[0].text == BASIS_1 and basis.paragraphs[0].muted
    assert basis.top - (line.top + line.height) < 14.0


def test_an_empty_period_says_so_on_the_overview(tmp_path: Path) -> None:
    book = write_book(tmp_path / "bok.xlsx", interim_sheets())
    out = tmp_path / "ut"
    r = _invoke(
        "build", book, "--period", "2021-T1", "--allow-empty-period", "--out", out, "-f", "pptx"
    )
    assert r.exit_code == 0, r.output
    prs = _presentation(out / "kommunstyrelsen-2021-T1-presentation.pptx")
    text = "\n".join(_slide_texts(_slide(prs, "Översikt: delår per april 2021")))
    assert "Inga utfall och inga prognoser har registrerats för delår per april 2021." in text


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_shows_the_forecast(colours: Built, tmp_path: Path) -> None:
    source = tmp_path / "presentation.pptx"
    shutil.copy(colours.pptx, source)
    pages = _pdf_pages(libreoffice_pdf(source))
    assert len(pages) == len(_presentation(colours.pptx).slides)
    text = flat("\n".join(pages))
    for expected in ("Prognos helår för målet:", "● Grönt (prognos)", BASIS_1, "delårsrapport"):
        assert expected in text, expected
