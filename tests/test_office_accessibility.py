"""Accessibility audit of the Word and PowerPoint files (issue 14, item 5): language sv-SE
throughout, alternative text on every picture, a header row and a caption on every data table.

The real CLI builds the sample workbook's report, memo and presentation at full year 2020 and at
2021-T2, and the council's view of the three sample boards; each file is opened with
python-docx or python-pptx and its XML read with zipfile and lxml, as a reviewer's tools read
it. The audit functions return every problem found, so the tests at the end can break a file on
purpose and check that the audit notices.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LANG = "sv-SE"
LAYOUT_CAPTION = "Layouttabell"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "dc": "http://purl.org/dc/elements/1.1/",
}


WP_DOC_PR = f"{{{NS['wp']}}}docPr"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every DOCX and PPTX the sample builds write, by file name."""
    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()
    out = tmp_path_factory.mktemp("office")
    runs = [
        [str(DATA / "exempel.xlsx"), "-p", "2020", "-f", "docx,pptx"],
        [str(DATA / "exempel.xlsx"), "-p", "2021-T2", "-f", "docx,pptx"],
        [
            *(str(DATA / f"exempel{s}.xlsx") for s in ("", "-bun", "-son")),
            "--consolidated",
            "-f",
            "docx",
        ],
    ]
    for args in runs:
        r = CliRunner().invoke(cli, ["build", *args, "-o", str(out)], catch_exceptions=False)
        assert r.exit_code == 0, r.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _parts(data: bytes, prefix: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            n: etree.fromstring(z.read(n))
            for n in z.namelist()
            if n.startswith(prefix) and n.endswith(".xml")
        }


def _no_english(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [f"{n}: en-US" for n in z.namelist() if b"en-US" in z.read(n)]


def _core_language(data: bytes) -> list[str]:
    core = _parts(data, "docProps/core.xml")["docProps/core.xml"]
    lang = core.findtext("dc:language", namespaces=NS)
    return [] if lang == LANG else [f"core.xml: language {lang!r}"]


# --- Word -------------------------------------------------------------------------------------


def docx_problems(data: bytes) -> list[str]:
    """Every accessibility fault of a DOCX the audit looks for, one line each."""
    from docx import Document

    Document(io.BytesIO(data))  # opens in python-docx at all
    problems = _no_english(data) + _core_language(data)
    parts = _parts(data, "word/")
    for name, root in parts.items():
        for el in root.iter(_w("lang"), _w("themeFontLang")):
            for attr in ("val", "eastAsia"):  # w:bidi is the language of right-to-left text
                value = el.get(_w(attr))
                if value not in (None, LANG):
                    problems.append(f"{name}: {etree.QName(el).localname} {attr}={value}")
    styles = parts["word/styles.xml"]
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    if default is None or default.get(_w("val")) != LANG:
        problems.append("styles.xml: docDefaults without w:lang sv-SE")
    theme_lang = parts["word/settings.xml"].find("w:themeFontLang", NS)
    if theme_lang is None or theme_lang.get(_w("val")) != LANG:
        problems.append("settings.xml: themeFontLang is not sv-SE")
    for name, root in parts.items():
        if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
            continue
        for pr in root.iter(WP_DOC_PR):
            if not (pr.get("descr") or "").strip():
                problems.append(f"{name}: picture {pr.get('name')!r} without alt text")
        for i, tbl in enumerate(root.iter(_w("tbl")), start=1):
            problems += _table_problems(f"{name}: table {i}", tbl)
    return problems


def _table_problems(where: str, tbl: etree._Element) -> list[str]:
    caption = tbl.find("w:tblPr/w:tblCaption", NS)
    description = tbl.find("w:tblPr/w:tblDescription", NS)
    text = caption.get(_w("val"), "").strip() if caption is not None else ""
    if not text:
        return [f"{where}: no caption (w:tblCaption)"]
    problems = []
    if description is None or not description.get(_w("val"), "").strip():
        problems.append(f"{where} ({text}): no description (w:tblDescription)")
    look = tbl.find("w:tblPr/w:tblLook", NS)
    first_row = look is not None and look.get(_w("firstRow")) == "1"
    rows = tbl.findall("w:tr", NS)
    header = bool(rows) and rows[0].find("w:trPr/w:tblHeader", NS) is not None
    if text == LAYOUT_CAPTION:
        if header or first_row:
            problems.append(f"{where}: a layout table with a header row")
    elif not header:
        problems.append(f"{where} ({text}): no header row marked to repeat (w:tblHeader)")
    elif not first_row:
        problems.append(f"{where} ({text}): tblLook without firstRow")
    return problems


# --- PowerPoint -------------------------------------------------------------------------------


def pptx_problems(data: bytes) -> list[str]:
    """Every accessibility fault of a PPTX the audit looks for, one line each."""
    from pptx import Presentation

    Presentation(io.BytesIO(data))  # opens in python-pptx at all
    problems = _no_english(data) + _core_language(data)
    parts = _parts(data, "ppt/")
    for name, root in parts.items():
        for el in root.xpath(".//*[@lang]"):
            if el.get("lang") != LANG:
                problems.append(f"{name}: {etree.QName(el).localname} lang={el.get('lang')}")
    default = parts["ppt/presentation.xml"].find("p:defaultTextStyle/a:defPPr/a:defRPr", NS)
    if default is None or default.get("lang") != LANG:
        problems.append("presentation.xml: default text style without lang sv-SE")
    for name, root in parts.items():
        if not re.fullmatch(r"ppt/slides/slide\d+\.xml", name):
            continue
        for run in root.iter(f"{{{NS['a']}}}r"):
            if run.find("a:rPr", NS) is None or run.find("a:rPr", NS).get("lang") != LANG:
                problems.append(f"{name}: run {run.findtext('a:t', namespaces=NS)!r} not sv-SE")
        for pr in root.xpath(
            ".//p:pic/p:nvPicPr/p:cNvPr|.//p:graphicFrame//p:cNvPr", namespaces=NS
        ):
            if not (pr.get("descr") or "").strip():
                problems.append(f"{name}: {pr.get('name')!r} without alt text")
        for tbl in root.iter(f"{{{NS['a']}}}tbl"):
            look = tbl.find("a:tblPr", NS)
            columns = len(tbl.findall("a:tblGrid/a:gridCol", NS))
            first_row = look is not None and look.get("firstRow") == "1"
            # a list of terms and their definitions has row headers instead
            row_headers = look is not None and look.get("firstCol") == "1" and columns == 2
            if not (first_row or row_headers):
                problems.append(f"{name}: table without header row (firstRow)")
    return problems


# --- The audit --------------------------------------------------------------------------------


def test_every_word_file_passes(outputs: dict[str, bytes]) -> None:
    docx = {n: d for n, d in outputs.items() if n.endswith(".docx")}
    assert sorted(docx) == [
        "exempelkommun-2020-fullmaktigemal.docx",
        "kommunstyrelsen-2020-tjansteskrivelse.docx",
        "kommunstyrelsen-2020-verksamhetsberattelse.docx",
        "kommunstyrelsen-2021-T2-delarsrapport.docx",
        "kommunstyrelsen-2021-T2-tjansteskrivelse.docx",
    ]
    for name, data in docx.items():
        assert docx_problems(data) == [], name


def test_every_powerpoint_file_passes(outputs: dict[str, bytes]) -> None:
    pptx = {n: d for n, d in outputs.items() if n.endswith(".pptx")}
    assert len(pptx) == 2
    for name, data in pptx.items():
        assert pptx_problems(data) == [], name


def test_the_report_has_what_the_audit_checks(outputs: dict[str, bytes]) -> None:
    """Not an empty pass: the report has pictures, data tables with their captions, and the
    small line charts in marked layout tables; the memo's letterhead is one too."""
    document = _parts(outputs["kommunstyrelsen-2020-verksamhetsberattelse.docx"], "word/")[
        "word/document.xml"
    ]
    descr = [pr.get("descr") for pr in document.iter(WP_DOC_PR)]
    assert len(descr) == 5 and all(d.startswith(("Stapeldiagram", "Linjediagram")) for d in descr)
    captions = [c.get(_w("val")) for c in document.iterfind(".//w:tblPr/w:tblCaption", NS)]
    assert "Sammanfattning: status per mål" in captions
    assert any(c.startswith("Mätvärde: ") for c in captions)
    assert captions.count(LAYOUT_CAPTION) == 4
    for tbl in document.iter(_w("tbl")):
        if tbl.find(".//wp:docPr", NS) is not None:  # every chart outside the summary's
            assert tbl.find("w:tblPr/w:tblCaption", NS).get(_w("val")) == LAYOUT_CAPTION
    descriptions = [d.get(_w("val")) for d in document.iterfind(".//w:tblPr/w:tblDescription", NS)]
    assert any(
        d.startswith("En rad per mätvärde eller aktivitet i delmålet. Kolumner: Mätvärde, ")
        for d in descriptions
    )
    memo = _parts(outputs["kommunstyrelsen-2020-tjansteskrivelse.docx"], "word/")
    head = memo["word/document.xml"].find(".//w:tbl/w:tblPr", NS)
    assert head.find("w:tblCaption", NS).get(_w("val")) == LAYOUT_CAPTION
    assert "Brevhuvud" in head.find("w:tblDescription", NS).get(_w("val"))


# --- The audit notices faults -------------------------------------------------------------


def _edit(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """``data`` with one part's XML text changed; the change must change something."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                edited = change(body.decode("utf-8"))
                assert edited.encode("utf-8") != body, f"nothing changed in {part}"
                body = edited.encode("utf-8")
            out.writestr(info, body)
    return buf.getvalue()


def _first(pattern: str, repl: str) -> Callable[[str], str]:
    return lambda xml: re.sub(pattern, repl, xml, count=1)


REPORT = "kommunstyrelsen-2021-T2-delarsrapport.docx"
DOCX_FAULTS = [
    (REPORT, "word/document.xml", _first(r"<w:tblCaption [^>]*/>", ""), "no caption"),
    (REPORT, "word/document.xml", _first(r"<w:tblDescription [^>]*/>", ""), "no description"),
    (REPORT, "word/document.xml", _first(r'descr="[^"]*"', 'descr=""'), "without alt text"),
    (REPORT, "word/document.xml", _first(r"<w:tblHeader [^>]*/>", ""), "no header row"),
    (
        REPORT,
        "word/document.xml",
        _first(r'(w:val="Layouttabell"/>.*?<w:tr>)', r"\1<w:trPr><w:tblHeader/></w:trPr>"),
        "a layout table with a header row",
    ),
    (REPORT, "word/styles.xml", _first(r'w:val="sv-SE"', 'w:val="en-US"'), "en-US"),
    (
        "kommunstyrelsen-2020-tjansteskrivelse.docx",
        "word/settings.xml",
        _first(r'(<w:themeFontLang [^>]*w:eastAsia=)"sv-SE"', r'\1"ja-JP"'),
        "themeFontLang eastAsia=ja-JP",
    ),
    (
        "exempelkommun-2020-fullmaktigemal.docx",
        "word/document.xml",
        _first(r'<w:tblCaption w:val="[^"]*"', '<w:tblCaption w:val=" "'),
        "no caption",
    ),
]


@pytest.mark.parametrize(("name", "part", "change", "found"), DOCX_FAULTS)
def test_the_audit_finds_a_word_fault(
    outputs: dict[str, bytes], name: str, part: str, change: Callable[[str], str], found: str
) -> None:
    problems = docx_problems(_edit(outputs[name], part, change))
    assert any(found in p for p in problems), problems


PPTX = "kommunstyrelsen-2021-T2-presentation.pptx"
PPTX_FAULTS = [
    ("ppt/slides/slide4.xml", _first(r' descr="[^"]*"', ""), "without alt text"),
    ("ppt/slides/slide3.xml", _first(r'firstRow="1"', ""), "without header row"),
    ("ppt/slides/slide4.xml", _first(r'lang="sv-SE"', 'lang="en-US"'), "en-US"),
    ("ppt/slides/slide4.xml", _first(r' lang="sv-SE"', ""), "not sv-SE"),
    ("ppt/presentation.xml", _first(r'lang="sv-SE"', 'lang="de-DE"'), "lang=de-DE"),
]


@pytest.mark.parametrize(("part", "change", "found"), PPTX_FAULTS)
def test_the_audit_finds_a_powerpoint_fault(
    outputs: dict[str, bytes], part: str, change: Callable[[str], str], found: str
) -> None:
    problems = pptx_problems(_edit(outputs[PPTX], part, change))
    assert any(found in p for p in problems), problems
