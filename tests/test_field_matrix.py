"""The field × format matrix (tests/field_matrix.py), held against real outputs: one workbook
puts a unique marker and hostile text into every text field of the contract, the real CLI
builds every output once (the board's report in every format with its memo, and the council's
view of the same workbook), and every cell of the table is checked: where it says shown, the
text is there literally (never markup, a formula, a link or fetched content; the long word
whole); where it gives a reason, the marker is absent. The council's view reads the same
workbook contract, so its text fields (Fullmäktigemål, in Mål and as a setting) are rows too.

Another two tests keep the table honest: every text column and setting of the contract has a
row (or a place in the lists of columns without free text), and docs/field-matrix.md is the
table as ``python tests/field_matrix.py --markdown`` writes it.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from field_matrix import (
    FIELDS,
    MEMO,
    NOT_TEXT,
    NOT_TEXT_SETTINGS,
    NOTES,
    OUTPUTS,
    SECTION_3,
    SHOWN,
    SHOWN_KINDS,
    Field,
    markdown,
    marker,
)
from ksreport import contract
from workbooks import Sheets, base_sheets, set_cell, write_book

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "field-matrix.md"

HOSTILE = (
    '=HYPERLINK("http://x") {marker} <img src="file:///etc/passwd"> <a href="http://x">a</a> '
    "{{{{ 7*7 }}}} & <b>"
)
"""The first line of every field's text: a formula, markup, a link, template syntax and an
ampersand."""
WORD_CHARS = 100
LONG_WORD_CHARS = 2000
"""The second line: one word, of 2 000 characters in the fields marked long. Only a few carry
it: WeasyPrint takes several seconds to lay out one such word in a hyphenated table cell."""
SECTION_3_HEADING = "Politiska mål och beslut kopplade till ärendet"

# Where each sheet's field goes: the row of the first goal, sub-goal and measure.
_ROW = {"Mål": "1", "Delmål": "1.1", "Mätvärden": "M1"}
_LEVEL_ID = {"Mål": "1", "Delmål": "1.1", "Mätvärde": "M1"}


def first_line(index: int) -> str:
    return HOSTILE.format(marker=marker(index))


def word(index: int, f: Field) -> str:
    """The field's long word: its marker repeated, so every piece of it names the field."""
    m = marker(index)
    return m * ((LONG_WORD_CHARS if f.long else WORD_CHARS) // len(m))


def payload(index: int, f: Field) -> str:
    return f"{first_line(index)}\n{word(index, f)}"


def matrix_sheets(*, own_section_3: bool = True) -> Sheets:
    """The test workbook, helår 2020: every field of :data:`FIELDS` filled with its payload;
    the board assesses goal 1, sub-goal 1.1 and measure M1 itself (Gult). Without
    ``own_section_3`` the memo's section 3 has no own text, so its generated text shows."""
    s = base_sheets()
    s["Inställningar"] = [
        ["Inställning", "Värde"],
        ["Mandatperiod", "2020–2022"],
        ["Rapportperiod", "2020"],
    ]
    comparisons: list[object] = ["M1", 2020, 65, 68, ""]
    s["Jämförelser"] = [list(contract.SHEETS["Jämförelser"]), comparisons]
    s["Ärendetext"] = [list(contract.SHEETS["Ärendetext"])]
    header = contract.SHEETS["Bedömningar"]
    assessments = {
        level: [level, id_, 2020, "Gult", "", "", ""] for level, id_ in _LEVEL_ID.items()
    }
    comment_row = next(r for r in s["Utfall"] if r[0] == "M1" and r[1] == 2020)
    for i, f in enumerate(FIELDS):
        text = payload(i, f)
        if f.sheet == "Inställningar":
            s["Inställningar"].append([f.qualifier, text])
        elif f.sheet in _ROW:
            set_cell(s, f.sheet, _ROW[f.sheet], f.column, text)
        elif (f.sheet, f.column) == ("Utfall", "Kommentar"):
            comment_row[s["Utfall"][0].index("Kommentar")] = text
        elif f.sheet == "Bedömningar":
            assessments[f.qualifier][header.index(f.column)] = text
        elif (f.sheet, f.column) == ("Jämförelser", "Källa"):
            comparisons[contract.SHEETS["Jämförelser"].index("Källa")] = text
        elif (f.sheet, f.column) == ("Ärendetext", "Text"):
            if own_section_3 or f.qualifier != SECTION_3_HEADING:
                s["Ärendetext"].append([f.qualifier, text])
        else:
            raise AssertionError(f"no place in the test workbook for {f.name}")
    s["Bedömningar"] += list(assessments.values())
    return s


# --- Reading the outputs back -----------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace and without the hyphens that break a word at a line end."""
    text = text.replace("\u00ad", "").replace("\u2010\n", "")
    return re.sub(r"\s+", "", text)


class _Content:
    """A PDF page's text outside its artifacts (running heads, page numbers): what a screen
    reader reads as the document's content."""

    def __init__(self) -> None:
        self.marked: list[str] = []
        self.parts: list[str] = []

    def operator(self, op: bytes, args: list[Any], *_: Any) -> None:
        if op in (b"BDC", b"BMC"):
            self.marked.append(str(args[0]))
        elif op == b"EMC" and self.marked:
            self.marked.pop()

    def text(self, text: str, *_: Any) -> None:
        if "/Artifact" not in self.marked:
            self.parts.append(text)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        content = _Content()
        page.extract_text(visitor_operand_before=content.operator, visitor_text=content.text)
        pages.append("".join(content.parts))
    return "\n".join(pages)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _parts(path: Path, pattern: str) -> Iterator[tuple[str, etree._Element]]:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.fullmatch(pattern, name):
                yield name, etree.fromstring(z.read(name))


def _texts(path: Path, pattern: str, tag: str) -> str:
    return "\n".join(t.text or "" for _, root in _parts(path, pattern) for t in root.iter(tag))


def _docx(path: Path) -> str:
    """The body, headers and footers of a Word file."""
    return _texts(path, r"word/(document|header\d*|footer\d*)\.xml", f"{_W}t")


class _Page(html.parser.HTMLParser):
    """A web page's text as a reader sees it (not styles or scripts), and its elements."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._hidden = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@dataclass
class Built:
    files: dict[str, Path]
    """Output key → file."""
    text: dict[str, str]
    """Output key → its text as a reader gets it (PowerPoint: the slides, not the notes)."""
    values: dict[str, list[str]]
    """Results JSON and XLSX → every string value, as stored."""
    notes: str
    """The PowerPoint speaker notes."""
    section_3: dict[str, str]
    """The memo's text (PDF, DOCX) built without the workbook's own text for section 3."""


def _read(files: dict[str, Path]) -> tuple[dict[str, str], dict[str, list[str]]]:
    from openpyxl import load_workbook

    text: dict[str, str] = {}
    for key, path in files.items():
        if path.suffix == ".pdf":
            text[key] = _pdf(path)
        elif path.suffix == ".docx":
            text[key] = _docx(path)
        elif path.suffix == ".html":
            text[key] = "".join(_Page(path.read_text("utf-8")).text)
    text["slides_pptx"] = _texts(files["slides_pptx"], r"ppt/slides/slide\d+\.xml", f"{_A}t")
    cells = [
        c.value
        for ws in load_workbook(files["results_xlsx"]).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    values = {
        "results_json": list(_strings(json.loads(files["results_json"].read_text("utf-8")))),
        "results_xlsx": [v for v in cells if isinstance(v, str)],
    }
    text |= {key: "\n".join(v) for key, v in values.items()}
    return text, values


def _build_section_3_variant(tmp: Path) -> dict[str, str]:
    """The memo (PDF and DOCX) of the workbook without own text for section 3: the pipeline
    after validation, rendering only the memo (the report is the same as the main build's)."""
    from ksreport import pipeline
    from ksreport.periods import Period
    from ksreport.scoring import score
    from ksreport.validate import load_plan

    plan, _ = load_plan(write_book(tmp / "utan-avsnitt-3.xlsx", matrix_sheets(own_section_3=False)))
    report = score(plan, Period(2020))
    outputs = pipeline.plan_outputs(report, ("docx", "pdf"), dt.datetime(2021, 2, 3))
    memo = {o.name.rsplit(".", 1)[1]: o for o in outputs if "-tjansteskrivelse." in o.name}
    for suffix, output in memo.items():
        (tmp / f"memo.{suffix}").write_bytes(output.render())
    return {"memo_pdf": _pdf(tmp / "memo.pdf"), "memo_docx": _docx(tmp / "memo.docx")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from click.testing import CliRunner

    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()
    tmp = tmp_path_factory.mktemp("matris")
    book = write_book(tmp / "matris.xlsx", matrix_sheets())
    runner = CliRunner()
    for args in (["-f", "alla"], ["--consolidated"]):
        out = tmp / ("nämnd" if args[0] == "-f" else "fullmäktige")
        r = runner.invoke(
            cli, ["build", str(book), "--out", str(out), *args], catch_exceptions=False
        )
        assert r.exit_code == 0, r.output
    kinds = {
        "report": ("nämnd", "-verksamhetsberattelse"),
        "slides": ("nämnd", "-presentation"),
        "memo": ("nämnd", "-tjansteskrivelse"),
        "council": ("fullmäktige", "-fullmaktigemal"),
        "results": ("nämnd", "-resultat"),
    }
    files = {}
    for key in OUTPUTS:
        kind, suffix = key.split("_")
        folder, stem_end = kinds[kind]
        (files[key],) = (tmp / folder).glob(f"*{stem_end}.{suffix}")
    written = {*(tmp / "nämnd").iterdir(), *(tmp / "fullmäktige").iterdir()}
    assert written == set(files.values()), "an output the table has no column for"
    text, values = _read(files)
    notes = _texts(files["slides_pptx"], r"ppt/notesSlides/notesSlide\d+\.xml", f"{_A}t")
    return Built(files, text, values, notes, _build_section_3_variant(tmp))


# --- The table against the contract and the docs ----------------------------------------------


def _contract_fields() -> set[tuple[str, str, str]]:
    """Every place a user writes free text, by the contract: (sheet, column, qualifier)."""
    qualifiers = {
        contract.SHEET_SETTINGS: [k for k in contract.SETTING_KEYS if k not in NOT_TEXT_SETTINGS],
        contract.SHEET_ASSESSMENTS: contract.ENUMS["Nivå"],
        contract.SHEET_CASE_TEXTS: contract.CASE_HEADINGS,
    }
    return {
        (sheet, column, qualifier)
        for sheet, columns in contract.SHEETS.items()
        for column in columns
        if column not in NOT_TEXT.get(sheet, {})
        for qualifier in qualifiers.get(sheet, [""])
    }


def test_every_text_field_of_the_contract_has_a_row_and_every_row_a_field() -> None:
    rows = [(f.sheet, f.column, f.qualifier) for f in FIELDS]
    assert len(rows) == len(set(rows)), "a field has two rows"
    expected = _contract_fields()
    missing = sorted(expected - set(rows))
    assert not missing, (
        f"text fields of the contract without a row in tests/field_matrix.py: {missing}; add a "
        "row, or list the column in NOT_TEXT (the setting in NOT_TEXT_SETTINGS) if it holds "
        "no free text"
    )
    assert not (unknown := sorted(set(rows) - expected)), f"rows naming no text field: {unknown}"
    for sheet, columns in NOT_TEXT.items():
        assert set(columns) <= set(contract.SHEETS[sheet]), sheet
    assert set(NOT_TEXT_SETTINGS) <= set(contract.SETTING_KEYS)
    for f in FIELDS:
        assert set(f.cells) == set(OUTPUTS), f.name
        assert all(f.cells[o] != NOTES for o in OUTPUTS if o != "slides_pptx"), f.name
        assert all(f.cells[o] != SECTION_3 for o in OUTPUTS if o not in MEMO), f.name
        assert all(v.strip() for v in f.cells.values()), f"{f.name}: say why it is not shown"
    assert sum(f.long for f in FIELDS) >= 3


def test_docs_mirror_the_table() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/field-matrix.md differs from the table: run "
        "python tests/field_matrix.py --markdown > docs/field-matrix.md"
    )


# --- Every cell -------------------------------------------------------------------------------

_PAGED = ("pdf", "pptx")


_GAP = r"(?:(?!HYPERLINK|F\d\dx).){0,300}?"
"""What a page or slide break may put inside a field's text: a repeated table header or a
continued slide's title, but no other field's text (each begins with HYPERLINK and a marker)."""


def _has_first_line(flat: str, first: str, paged: bool) -> bool:
    if first in flat:
        return True
    return paged and any(
        re.search(re.escape(first[:k]) + _GAP + re.escape(first[k:]), flat)
        for k in range(1, len(first))
    )


def _missing(index: int, f: Field, output: str, text: str, values: list[str] | None) -> str:
    """Why the field's text is not shown whole and literally in ``text``; "" when it is."""
    if values is not None:  # the results: the cell's text exactly, line break and all
        return "" if any(payload(index, f) in v for v in values) else "not stored as written"
    flat, m, whole = squash(text), marker(index), word(index, f)
    if m not in flat:
        return "marker missing"
    if not _has_first_line(flat, squash(first_line(index)), output.endswith(_PAGED)):
        return "hostile text not literal (markup, formula or template evaluated, or cut)"
    if whole in flat:
        return ""
    # Pages and slides may break a long word with a running head or "(forts.)": every piece
    # must still be there.
    pieces = len(whole) // len(m)
    if output.endswith(_PAGED) and flat.count(m) > pieces - pieces // 50 - 1:
        return ""
    return f"the long word is not whole ({flat.count(m) - 1} of {pieces} pieces)"


def _cell_problem(index: int, f: Field, output: str, built: Built) -> str:
    value, text, m = f.cells[output], built.text[output], marker(index)
    values = built.values.get(output)
    if value == SHOWN:
        return _missing(index, f, output, text, values)
    if value == NOTES:
        if m in squash(text):
            return "on a slide, but the table says speaker notes only"
        return _missing(index, f, output, built.notes, None)
    if value == SECTION_3:
        if m in squash(text):
            return "in the memo although the workbook's own section 3 replaces it"
        problem = _missing(index, f, output, built.section_3[output], None)
        return problem and f"{problem} in the generated section 3"
    shown_in = [text, built.notes] if output == "slides_pptx" else [text]
    if any(m in squash(t) for t in shown_in):
        return "shown there, although the table gives a reason why not"
    return ""


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_every_field_is_shown_literally_where_the_table_says_and_only_there(
    built: Built, output: str
) -> None:
    problems = [
        f"{f.name} ({f.cells[output]}): {problem}"
        for i, f in enumerate(FIELDS)
        if (problem := _cell_problem(i, f, output, built))
    ]
    assert not problems, f"{OUTPUTS[output]}:\n" + "\n".join(problems)


def test_the_table_has_every_kind_of_cell() -> None:
    kinds = {v if v in SHOWN_KINDS else "reason" for f in FIELDS for v in f.cells.values()}
    assert kinds == {*SHOWN_KINDS, "reason"}


# --- Nothing became markup, a link, a field or a formula ------------------------------------

_FETCHING = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "background"}


@pytest.mark.parametrize("output", ["report_html", "council_html"])
def test_web_pages_have_no_element_or_link_from_user_text(built: Built, output: str) -> None:
    page = built.files[output].read_text("utf-8")
    tags = _Page(page).tags
    assert not [a for t, a in tags if t == "b"]  # the templates use <strong>
    assert all((a.get("src") or "").startswith("data:") for t, a in tags if t == "img")
    for tag, attrs in tags:
        for name, value in attrs.items():
            if name in _FETCHING and value:
                assert "passwd" not in value and "http://x" not in value, (tag, attrs)
    assert "root:" not in page  # nothing was read from /etc/passwd


@pytest.mark.parametrize("output", [o for o in OUTPUTS if o.endswith("_pdf")])
def test_pdfs_have_no_link_or_action_from_user_text(built: Built, output: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built.files[output])
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            assert "http://x" not in uri and not uri.startswith("file:"), uri
            assert action.get("/S") != "/Launch"
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@pytest.mark.parametrize(
    "output", ["report_docx", "memo_docx", "council_docx", "slides_pptx", "results_xlsx"]
)
def test_office_files_have_no_link_or_field_from_user_text(built: Built, output: str) -> None:
    path = built.files[output]
    for name, root in _parts(path, r".*\.rels"):
        for rel in root.iter(_REL):
            target = rel.get("Target", "")
            assert "http://x" not in target and "passwd" not in target, (name, target)
    instructions = " ".join(
        t.text or ""
        for _, root in _parts(path, r"word/.*\.xml")
        for t in root.iter(f"{_W}instrText")
    )
    assert "HYPERLINK" not in instructions and "http://x" not in instructions
    for _, root in _parts(path, r"word/.*\.xml"):
        assert not [f for f in root.iter(f"{_W}fldSimple") if "http" in f.get(f"{_W}instr", "")]


def test_results_workbook_stores_every_text_as_text_never_a_formula(built: Built) -> None:
    from openpyxl import load_workbook

    cells = [
        c
        for ws in load_workbook(built.files["results_xlsx"]).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(hostile) >= sum(f.cells["results_xlsx"] == SHOWN for f in FIELDS)
    assert [c.coordinate for c in hostile if c.data_type != "s"] == []
    formulas = [
        n
        for n, root in _parts(built.files["results_xlsx"], r"xl/worksheets/.*\.xml")
        if next(root.iter(f"{_S}f"), None) is not None
    ]
    assert formulas == []


# --- Long words stay on the page ------------------------------------------------------------


#: The prose a user writes, where one long "word" is a real thing (a web address in an analysis
#: or a comment). Names, units and the memo's head fields are short in practice, and a word in
#: them may run over (the table cells keep a value with its unit on one line, by design).
PROSE = {"Beskrivning", "Motivering", "Analys", "Beslut", "Kommentar", "Text"}
PROSE_SETTINGS = {"Förslag till beslut"}


@pytest.mark.parametrize("output", ["report_pdf", "memo_pdf", "council_pdf"])
def test_long_words_in_prose_stay_on_the_page(built: Built, output: str) -> None:
    """A word longer than the line in what a user writes as prose breaks instead of running
    off the page: every piece of it that pdftotext finds lies inside the page, on every page."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) saknas")
    prose = [
        marker(i)
        for i, f in enumerate(FIELDS)
        if f.column in PROSE or (f.sheet == "Inställningar" and f.qualifier in PROSE_SETTINGS)
    ]
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(built.files[output]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    found, outside = 0, []
    for number, page in enumerate(ET.fromstring(xhtml).iter(f"{ns}page"), start=1):
        width = float(page.attrib["width"])
        for w in page.iter(f"{ns}word"):
            if not any(m in (w.text or "") for m in prose):
                continue
            found += 1
            if float(w.attrib["xMax"]) > width - 20 or float(w.attrib["xMin"]) < 20:
                outside.append(f"sida {number}: {w.text[:30]!r} x={w.attrib['xMax']}")
    assert found
    assert outside == [], outside[:5]
