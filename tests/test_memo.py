"""The tjänsteskrivelse: headings in order, the generated summary against the scored model, the
workbook's own texts, and the files it lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from ksreport.contract import CASE_SECTIONS
from workbooks import Sheets

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]

HEADINGS = [
    "Förslag till beslut",
    "Sammanfattning av ärendet",
    "Ärende",
    *[f"{i}. {h}" for i, h in enumerate(CASE_SECTIONS, start=1)],
    "Beslutet ska skickas till",
]


@pytest.fixture
def built(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612345678")  # 2021-02-03
    sheets["Inställningar"] += [
        ["Förvaltning", "Kommunledningskontoret"],
        ["Diarienummer", "KS 2021/7"],
        ["Handläggare", "Verksamhetsutvecklare"],
        ["Ansvarig tjänsteman", "Kommundirektör"],
        ["Beslutet ska skickas till", "Kommunfullmäktige; Revisionen"],
    ]
    sheets["Bedömningar"].append(["Mål", "1", 2020, "Gult", "Nämnden väger in <mer>", "", "§ 9"])
    sheets["Ärendetext"] = [
        ["Rubrik", "Text"],
        ["Sammanfattning av ärendet", "Egen inledning & text."],
        ["5. Samråd", "Samråd har skett med ekonomiavdelningen."],
        ["Samråd", "Och med HR."],
    ]
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--out", out)
    assert r.exit_code == 0, r.output
    return out


def _docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    from docx import Document

    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs if p.text]


def _docx_header(path: Path) -> list[str]:
    from docx import Document

    table = Document(str(path)).tables[0]
    return [p.text for cell in table.rows[0].cells for p in cell.paragraphs if p.text]


def test_memo_headings_in_order(built: Path) -> None:
    paras = _docx_paragraphs(built / "kommunstyrelsen-2020-tjansteskrivelse.docx")
    headings = [t for style, t in paras if style.startswith("Heading")]
    assert headings == HEADINGS
    titles = [t for style, t in paras if style == "Title"]
    assert titles == ["Kommunstyrelsens måluppfyllelse helår 2020"]
    texts = [t for _, t in paras]
    assert texts.index("Till Kommunstyrelsen") < texts.index(titles[0])


def test_memo_summary_matches_the_scored_model(built: Path) -> None:
    data = json.loads((built / "kommunstyrelsen-2020-resultat.json").read_text("utf-8"))
    s = data["summary"]
    paras = [t for _, t in _docx_paragraphs(built / "kommunstyrelsen-2020-tjansteskrivelse.docx")]
    start = paras.index("Sammanfattning av ärendet")
    summary = " ".join(paras[start + 1 : paras.index("Ärende")])
    assert summary.startswith("Egen inledning & text.")
    assert (
        f"{len(data['goals'])} mål" in summary
        and "5 mätvärden" in summary
        and "3 delmål" in summary
    )
    assert f"bedöms {s['green']} som gröna och {s['yellow']} som gult av mätvärdena" in summary
    assert f"{s['later']} följs upp senare" in summary
    assert (
        "har bedömt mål 1, Nöjda invånare, som gult, medan det beräknade resultatet är "
        "grönt (§ 9). Motivering: Nämnden väger in <mer>"
    ) in summary


def test_memo_own_texts_settings_and_attachments(built: Path) -> None:
    paras = [t for _, t in _docx_paragraphs(built / "kommunstyrelsen-2020-tjansteskrivelse.docx")]
    i = paras.index("5. Samråd")
    assert paras[i + 1 : i + 3] == ["Samråd har skett med ekonomiavdelningen.", "Och med HR."]
    i = paras.index("8. Handlingar och bilagor")
    assert "kommunstyrelsen-2020-verksamhetsberattelse.pdf" in paras[i + 2]
    assert "kommunstyrelsen-2020-presentation.pdf" in paras[i + 3]
    i = paras.index("Beslutet ska skickas till")
    assert paras[i + 1 : i + 3] == ["Kommunfullmäktige", "Revisionen"]
    assert {"Till Kommunstyrelsen", "Kommundirektör", "Verksamhetsutvecklare"} <= set(paras)
    header = _docx_header(built / "kommunstyrelsen-2020-tjansteskrivelse.docx")
    assert header == [
        "Testkommun",
        "Kommunledningskontoret",
        "Tjänsteskrivelse",
        "2021-02-03",
        "Dnr KS 2021/7",
    ]
    i = paras.index("4. Agenda 2030")
    assert paras[i + 2 : i + 5] == [
        "3 Hälsa och välbefinnande",
        "8 Anständiga arbetsvillkor och ekonomisk tillväxt",
        "10 Minskad ojämlikhet",
    ]
    assert paras[paras.index("Förslag till beslut") + 1] == (
        "Kommunstyrelsen godkänner måluppfyllelsen för helår 2020 och att den ingår i "
        "kommunstyrelsens verksamhetsberättelse för 2020."
    )


def test_memo_pdf_has_the_same_text(built: Path) -> None:
    from pypdf import PdfReader

    pdf = PdfReader(built / "kommunstyrelsen-2020-tjansteskrivelse.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "Nämnden väger in <mer>" in text and "Egen inledning & text." in text
    assert pdf.metadata is not None and "Tjänsteskrivelse" in str(pdf.metadata.title)
    first = pdf.outline[0]
    assert not isinstance(first, list)
    assert first.title == "Kommunstyrelsens måluppfyllelse helår 2020"


def test_unknown_case_text_heading(run_cli: Run, sheets: Sheets, book: Book) -> None:
    sheets["Ärendetext"] = [["Rubrik", "Text"], ["Övrigt", "x"]]
    r = run_cli("validate", book(sheets))
    assert r.exit_code == 1
    assert (
        'Ärendetext!A2: Rubrik "Övrigt" är okänd; tillåtna värden: Sammanfattning av ärendet,'
        in r.stdout
    )


def test_interim_memo_default_decision(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--out", out, "--period", "2020-T1", "-f", "docx")
    assert r.exit_code == 0, r.output
    paras = [t for _, t in _docx_paragraphs(out / "kommunstyrelsen-2020-T1-tjansteskrivelse.docx")]
    assert "delårsrapport per april 2020" in paras[paras.index("Förslag till beslut") + 1]
    i = paras.index("6. Uppföljning och utvärdering")
    assert "delårsrapporten per augusti 2020" in paras[i + 1]


def test_a_proposal_left_from_an_earlier_report_stops_the_build(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    sheets["Inställningar"].append(
        ["Förslag till beslut", "Kommunstyrelsen godkänner uppföljningen för 2019."]
    )
    path = book(sheets)
    out = tmp_path / "ut"
    r = run_cli("build", path, "--out", out, "-f", "json,docx")
    assert r.exit_code == 1
    assert (
        "Förslag till beslut i bladet Inställningar nämner 2019, men rapporten gäller "
        'helår 2020: "Kommunstyrelsen godkänner uppföljningen för 2019."'
    ) in r.output
    assert "{period}, {år} eller {dokument}" in r.output
    assert not out.exists()
    r = run_cli("build", path, "--out", out, "-f", "json", "--period", "2019")
    assert r.exit_code == 0, r.output
    assert "Förslag till beslut" not in r.stderr


@pytest.mark.parametrize("paragraphs", [8, 9, 10])
def test_the_signatures_never_stand_alone_on_the_last_page(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path, paragraphs: int
) -> None:
    from pypdf import PdfReader

    sheets["Inställningar"] += [
        ["Handläggare", "Verksamhetsutvecklare"],
        ["Ansvarig tjänsteman", "Kommundirektör"],
        ["Beslutet ska skickas till", "Kommunfullmäktige; Revisionen"],
    ]
    text = (
        "Samråd har skett med ekonomiavdelningen, HR-avdelningen och de fackliga "
        "organisationerna i ordinarie ordning."
    )
    sheets["Ärendetext"] = [["Rubrik", "Text"]] + [["Samråd", text]] * paragraphs
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--out", out, "-f", "pdf")
    assert r.exit_code == 0, r.output
    pages = [
        " ".join(p.extract_text().split())
        for p in PdfReader(out / "kommunstyrelsen-2020-tjansteskrivelse.pdf").pages
    ]
    last = pages[-1]
    assert "Ansvarig tjänsteman Kommundirektör" in last
    assert "Beslutet ska skickas till" in last and "Revisionen" in last
    # …and the block is kept with what precedes it: the page does not start with it (issue 13).
    assert not last.startswith("Beslutet ska skickas till"), last[:80]
