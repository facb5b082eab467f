"""Hostile text in any cell is rendered literally in every output and never fetched or evaluated.

A local HTTP server on 127.0.0.1 counts requests: the links in the workbook point at it, so a
single fetch by any renderer fails the test. A local file with a marker stands in for
/etc/passwd: its content must not reach any output.
"""

from __future__ import annotations

import html.parser
import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Result
from workbooks import Sheets, set_cell

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the server's handler instances

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def hostile_strings(base: str, secret: Path) -> list[str]:
    return [
        f'<img src="{secret.as_uri()}">',
        f'<link rel="stylesheet" href="{base}/evil.css">',
        "{{ 7*7 }}",
        "{% raw %}",
        f'=HYPERLINK("{base}/formula")',
        '<b>&"x"</b>',
        f'<a rel="attachment" href="{secret.as_uri()}">bilaga</a>',
    ]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_text_is_literal_everywhere_and_nothing_is_fetched(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path, server: str
) -> None:
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT-INNEHALL-4711", encoding="utf-8")
    texts = hostile_strings(server, secret)
    set_cell(sheets, "Mål", "1", "Mål", texts[0])
    set_cell(sheets, "Mål", "2", "Beskrivning", texts[1])
    set_cell(sheets, "Delmål", "1.1", "Delmål", texts[2])
    set_cell(sheets, "Mätvärden", "M1", "Mätvärde", texts[3])
    set_cell(sheets, "Mätvärden", "M3", "Mätvärde", texts[4])
    sheets["Utfall"][2][3] = texts[5]  # M1 2020 comment
    sheets["Bedömningar"].append(["Mål", "2", 2020, "Rött", texts[6], texts[5], texts[4]])
    sheets["Inställningar"].append(["Förvaltning", texts[2]])
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--out", out)
    assert r.exit_code == 0, r.output
    files = {p.suffix: p for p in out.glob("*-verksamhetsberattelse.*")}
    files |= {p.suffix: p for p in out.glob("*-resultat.*")}
    assert _Counter.hits == []
    for path in out.iterdir():
        assert b"HEMLIGT-INNEHALL-4711" not in path.read_bytes(), path.name

    data = json.loads(files[".json"].read_text("utf-8"))
    dumped = json.dumps(data, ensure_ascii=False)
    for t in texts:
        assert json.dumps(t, ensure_ascii=False)[1:-1] in dumped

    wb = load_workbook(files[".xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    values = {c.value for c in cells}
    for t in [texts[0], *texts[2:]]:  # the results workbook has no descriptions
        assert t in values, t
    formula_cells = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)

    from docx import Document

    doc = Document(str(files[".docx"]))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    docx_text = "\n".join(parts)
    for t in texts:
        assert t in docx_text, t

    from pypdf import PdfReader

    pdf = PdfReader(files[".pdf"])
    pdf_text = squash("".join(page.extract_text() for page in pdf.pages))
    for t in texts:
        assert squash(t) in pdf_text, t
    assert "/EmbeddedFiles" not in pdf.trailer["/Root"].get("/Names", {})
    for page in pdf.pages:
        assert not page.images or all(img.name.startswith("Im") for img in page.images)

    parser = _Text()
    parser.feed(files[".html"].read_text("utf-8"))
    page_text = "".join(parser.text)
    for t in texts:
        assert t in page_text, t
    from pptx import Presentation

    prs = Presentation(str(next(out.glob("*-presentation.pptx"))))
    slides_text = "\n".join(
        shape.text_frame.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    slides_pdf = squash(
        "".join(p.extract_text() for p in PdfReader(next(out.glob("*-presentation.pdf"))).pages)
    )
    for t in (texts[0], texts[6]):  # a goal's name and the board's justification
        assert t in slides_text and squash(t) in slides_pdf, t
    memo = Document(str(next(out.glob("*-tjansteskrivelse.docx"))))
    memo_text = "\n".join(p.text for p in memo.paragraphs)
    memo_pdf = squash(
        "".join(p.extract_text() for p in PdfReader(next(out.glob("*-tjansteskrivelse.pdf"))).pages)
    )
    for t in (texts[2], texts[6]):  # the administration, the justification
        assert (
            t
            in memo_text
            + "\n".join(c.text for table in memo.tables for row in table.rows for c in row.cells)
            and squash(t) in memo_pdf
        ), t

    fetching = {"src", "href", "xlink:href", "srcset", "data", "poster", "action", "background"}
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            if name in fetching and value:
                assert "hemlig" not in value and server not in value, (tag, attrs)


def test_template_syntax_in_cells_is_not_evaluated(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    set_cell(
        sheets, "Mål", "1", "Mål", "{{ 7*7 }} {{ config }} {% for x in range(3) %}x{% endfor %}"
    )
    out = tmp_path / "ut"
    assert run_cli("build", book(sheets), "--out", out, "-f", "html,json").exit_code == 0
    page = next(out.glob("*.html")).read_text("utf-8")
    assert "{{ 7*7 }} {{ config }} {% for x in range(3) %}x{% endfor %}" in page
    assert "xxx" not in page and ">49<" not in page
