"""The tjänsteskrivelse in Word: the report's template (page, margins, styles), a running header
with organisation and Dnr, "Sida X av Y" as fields, Swedish throughout, the proposed decision as a
panel, and the signature block kept with what comes before it, also when LibreOffice lays it out.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, libreoffice_pdf
from workbooks import Sheets, base_sheets, interim_sheets, write_book

Run = Callable[..., Result]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PANEL_STYLE = "Ksreport Beslutsförslag"
SETTINGS = [
    ["Förvaltning", "Kommunledningskontoret"],
    ["Diarienummer", "KS 2021/7"],
    ["Handläggare", "Verksamhetsutvecklare"],
    ["Ansvarig tjänsteman", "Kommundirektör"],
    ["Beslutet ska skickas till", "Kommunfullmäktige; Revisionen"],
]
BLOCK = [
    "Beslutet ska skickas till",
    "Kommunfullmäktige",
    "Revisionen",
    "Ansvarig tjänsteman",
    "Kommundirektör",
    "Handläggare",
    "Verksamhetsutvecklare",
]
PERIODS = {"2020": "2020", "2021-T2": "2021-T2"}


def _sheets(period: str) -> Sheets:
    s = interim_sheets() if period != "2020" else base_sheets()
    s["Inställningar"] += [list(row) for row in SETTINGS]
    return s


def _build(run_cli: Run, folder: Path, sheets: Sheets, *args: str | Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    book = write_book(folder / "bok.xlsx", sheets)
    r = run_cli("build", book, "--out", folder, "-f", "docx", *args)
    assert r.exit_code == 0, r.output
    return folder


@pytest.fixture(params=list(PERIODS))
def built(
    request: pytest.FixtureRequest, run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    """The memo and the report of one build (full year, then interim), opened."""
    from docx import Document

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612345678")  # 2021-02-03
    period = request.param
    out = _build(run_cli, tmp_path / "ut", _sheets(period), "--period", period)
    kind = "verksamhetsberattelse" if period == "2020" else "delarsrapport"
    stem = f"kommunstyrelsen-{period}"
    memo = Document(str(out / f"{stem}-tjansteskrivelse.docx"))
    report = Document(str(out / f"{stem}-{kind}.docx"))
    return memo, report


def test_page_size_and_margins_are_the_reports(built: tuple[Any, Any]) -> None:
    memo, report = built
    (section,) = memo.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    attrs = (
        "page_width",
        "page_height",
        "left_margin",
        "right_margin",
        "top_margin",
        "bottom_margin",
        "header_distance",
        "footer_distance",
    )
    ours = [getattr(section, a) for a in attrs]
    assert ours == [getattr(report.sections[0], a) for a in attrs]


def _fields(part: Any) -> list[str]:
    """The field instructions in a header or footer, complex or simple."""
    simple = [el.get(f"{W}instr") for el in part._element.iter(f"{W}fldSimple")]
    complex_ = [el.text for el in part._element.iter(f"{W}instrText")]
    return [" ".join(str(t).split()) for t in simple + complex_]


def test_header_names_organisation_and_dnr_and_footer_counts_pages(built: tuple[Any, Any]) -> None:
    memo, _ = built
    (section,) = memo.sections
    header = " ".join(p.text for p in section.header.paragraphs)
    assert "Testkommun" in header and "Dnr KS 2021/7" in header
    assert "Tjänsteskrivelse 2021-02-03" in header
    # the first page's letterhead is in the text itself, read first
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    for footer in (section.footer, section.first_page_footer):
        assert _fields(footer) == ["PAGE", "NUMPAGES"]
        text = "".join(p.text for p in footer.paragraphs)
        assert re.fullmatch(r"Sida \d+ av \d+", text), text


def test_swedish_in_doc_defaults_every_style_and_settings(built: tuple[Any, Any]) -> None:
    memo, _ = built
    styles = memo.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None and default.get(f"{W}val") == "sv-SE"
    langs = list(styles.iter(f"{W}lang"))
    assert langs and {el.get(f"{W}val") for el in langs} == {"sv-SE"}
    for part in memo.part.package.iter_parts():  # Word 2010's copy of the styles, if any
        if str(part.partname).endswith("stylesWithEffects.xml"):
            assert b"en-US" not in part.blob
    theme = memo.settings.element.find(f"{W}themeFontLang")
    assert theme is not None and theme.get(f"{W}val") == "sv-SE"
    assert memo.core_properties.language == "sv-SE"


def test_decision_is_a_shaded_bordered_panel(built: tuple[Any, Any]) -> None:
    memo, _ = built
    paras = [p for p in memo.paragraphs if p.text]
    i = [p.text for p in paras].index("Förslag till beslut")
    panel = paras[i + 1]
    assert panel.style.name == PANEL_STYLE
    assert panel.text.startswith("Kommunstyrelsen godkänner")
    assert [p.style.name for p in memo.paragraphs].count(PANEL_STYLE) == 1
    ppr = panel.style.element.find(f"{W}pPr")
    shading = ppr.find(f"{W}shd")
    assert shading is not None and shading.get(f"{W}fill") == "EEF2F6"
    borders = ppr.find(f"{W}pBdr")
    assert borders is not None
    sides = {el.tag.removeprefix(W): el.get(f"{W}val") for el in borders}
    assert sides == {"top": "single", "left": "single", "bottom": "single", "right": "single"}
    assert panel.style.paragraph_format.keep_together


def _style_xml(doc: Any, name: str) -> bytes:
    from lxml import etree

    el = doc.styles[name].element
    for rsid in el.findall(f"{W}rsid"):
        el.remove(rsid)
    return bytes(etree.tostring(el))


def test_fonts_and_heading_styles_are_the_reports(built: tuple[Any, Any]) -> None:
    memo, report = built
    used = {p.style.name for p in memo.paragraphs if p.text}
    assert {"Title", "Heading 1", "Heading 2", "Normal"} <= used
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Header", "Footer", "List Bullet"):
        assert _style_xml(memo, name) == _style_xml(report, name), name
    from lxml import etree

    def defaults(doc: Any) -> bytes:
        return bytes(etree.tostring(doc.styles.element.find(f"{W}docDefaults")))

    assert defaults(memo) == defaults(report)
    headings = [p.text for p in memo.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Förslag till beslut",
        "Sammanfattning av ärendet",
        "Ärende",
        "Beslutet ska skickas till",
    ]


def test_signature_block_is_kept_with_what_precedes_it(built: tuple[Any, Any]) -> None:
    memo, _ = built
    paras = [p for p in memo.paragraphs if p.text]
    texts = [p.text for p in paras]
    start = texts.index("Beslutet ska skickas till")
    assert texts[start:] == BLOCK
    before = paras[start - 1]  # the last attachment listed
    assert before.text.startswith("Måluppfyllelse") and before.text.endswith(".docx)")
    for p in [before, *paras[start:-1]]:
        assert p.paragraph_format.keep_with_next, p.text
    for p in paras[start:]:
        assert p.paragraph_format.keep_together, p.text


def test_memo_template_and_docx_template(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--docx-template gives the memo the report's profile; --memo-template a profile of its
    own, whose panel style and page the memo keeps; a template in English becomes Swedish."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, RGBColor

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612345678")
    purple, green = RGBColor(0x8B, 0x00, 0x8B), RGBColor(0x00, 0x64, 0x00)
    profile = Document()  # python-docx's default: US Letter, en-US nowhere in the styles
    profile.styles["Heading 1"].font.color.rgb = purple
    profile.save(str(tmp_path / "profil.docx"))
    memo_profile = Document()
    memo_profile.sections[0].left_margin = Mm(30)
    memo_profile.styles["Heading 1"].font.color.rgb = green
    own = memo_profile.styles.add_style(PANEL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    own.font.italic = True
    english = parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US"/>')
    memo_profile.styles["Heading 2"].element.get_or_add_rPr().append(english)
    memo_profile.save(str(tmp_path / "tjansteskrivelse.docx"))
    name = "kommunstyrelsen-2020-tjansteskrivelse.docx"

    out = _build(
        run_cli, tmp_path / "a", _sheets("2020"), "--docx-template", tmp_path / "profil.docx"
    )
    memo = Document(str(out / name))
    assert memo.styles["Heading 1"].font.color.rgb == purple
    assert round(memo.sections[0].page_width.mm) == 216  # the profile's Letter, not our A4

    out = _build(
        run_cli,
        tmp_path / "b",
        _sheets("2020"),
        "--docx-template",
        tmp_path / "profil.docx",
        "--memo-template",
        tmp_path / "tjansteskrivelse.docx",
    )
    memo = Document(str(out / name))
    report = Document(str(out / "kommunstyrelsen-2020-verksamhetsberattelse.docx"))
    assert memo.styles["Heading 1"].font.color.rgb == green
    assert report.styles["Heading 1"].font.color.rgb == purple
    assert round(memo.sections[0].left_margin.mm) == 30
    panel = next(p for p in memo.paragraphs if p.style.name == PANEL_STYLE)
    assert panel.style.font.italic and panel.style.element.find(f"{W}pPr/{W}shd") is None
    langs = {el.get(f"{W}val") for el in memo.styles.element.iter(f"{W}lang")}
    assert langs == {"sv-SE"}
    assert "Dnr KS 2021/7" in memo.sections[0].header.paragraphs[0].text


def test_memo_template_is_refused_with_consolidated(run_cli: Run, tmp_path: Path) -> None:
    book = write_book(tmp_path / "bok.xlsx", _sheets("2020"))
    r = run_cli("build", book, "--consolidated", "--memo-template", book)
    assert r.exit_code == 2 and "--memo-template kan inte användas med --consolidated" in r.stderr


# --- Laid out by LibreOffice ------------------------------------------------------------------


def _lines(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, the lines of text as (top, bottom, text), from ``pdftotext -bbox``."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        rows: dict[float, list[tuple[float, str]]] = {}
        for top, bottom, word in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            rows.setdefault(round(float(bottom)), []).append((float(top), word))
        pages.append(
            [
                (min(t for t, _ in ws), b, " ".join(w for _, w in ws))
                for b, ws in sorted(rows.items())
            ]
        )
    return pages


def _memo_pdf(run_cli: Run, folder: Path, padding: int) -> tuple[Path, Any]:
    """The memo with ``padding`` paragraphs of the workbook's own text in section 7, laid out
    by LibreOffice; also the DOCX, opened."""
    from docx import Document

    s = _sheets("2020")
    s["Ärendetext"] = [["Rubrik", "Text"]] + [
        ["Förvaltningens helhetsbedömning", f"Bedömning, stycke {i}."]
        for i in range(1, padding + 1)
    ]
    out = _build(run_cli, folder, s)
    docx = out / "kommunstyrelsen-2020-tjansteskrivelse.docx"
    return libreoffice_pdf(docx), Document(str(docx))


def _find(pages: list[list[tuple[float, float, str]]], text: str) -> tuple[int, float, float]:
    for n, lines in enumerate(pages):
        for top, bottom, line in lines:
            if line.endswith(text):
                return n, top, bottom
    raise AssertionError(f"{text!r} finns inte i PDF:en")


@pytest.mark.libreoffice
def test_libreoffice_never_puts_the_signature_block_alone_on_a_page(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lengthen the memo until the page break falls inside the block, then check that the page
    holding the signatures holds more than the block: measured in a first layout, so the test
    holds whatever font LibreOffice substitutes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612345678")
    pdf, docx = _memo_pdf(run_cli, tmp_path / "matt", 2)
    pages = _lines(pdf)
    page, _, one = _find(pages, "Bedömning, stycke 1.")
    unit = _find(pages, "Bedömning, stycke 2.")[2] - one  # one more paragraph moves this far
    last, head, _ = _find(pages, "Beslutet ska skickas till")
    assert last == len(pages) - 1 == _find(pages, "Verksamhetsutvecklare")[0]
    assert page == last == _find(pages, "Bedömning, stycke 2.")[0]
    end = _find(pages, "Verksamhetsutvecklare")[2]
    section = docx.sections[0]
    limit = section.page_height.pt - section.bottom_margin.pt
    margin = section.top_margin.pt - 1  # above it: the running header
    # the break inside the block (the recipients on one page, signatures on the next), then
    # just above it (the whole block would go to the next page alone)
    for target in ((head + end) / 2, head - unit / 2):
        padding = 2 + math.ceil((limit - target) / unit)
        pdf, _ = _memo_pdf(run_cli, tmp_path / f"p{padding}", padding)
        pages = _lines(pdf)
        n = _find(pages, "Verksamhetsutvecklare")[0]
        assert n == len(pages) - 1 and len(pages) == last + 2, "the block moved to a new page"
        body = [text.lstrip("\uf0b7• ") for top, _, text in pages[n] if margin < top < limit]
        kept = [text for text in body if text not in BLOCK]
        assert kept, f"sidan {n + 1} har bara underskrifterna ({padding} stycken)"
        assert kept[-1].endswith(".docx)")  # the last attachment came along
