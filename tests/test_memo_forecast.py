"""The tjänsteskrivelse at an interim period: the title, the decision, the forecast for the year
and what it rests on, the board's own assessment of the prognosis and the attachments all follow
the period; the Förslag till beslut setting with its placeholders serves every period."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Result
from workbooks import Sheets, base_sheets, write_book

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]

STEM = "kommunstyrelsen-2021-T2"
TITLE = "Uppföljning av kommunstyrelsens måluppfyllelse, delårsrapport per augusti 2021"
DECISION = (
    "Kommunstyrelsen godkänner uppföljningen av måluppfyllelsen per augusti 2021 att ingå i "
    "kommunstyrelsens delårsrapport per augusti 2021."
)
FORECAST = "Prognosen för helåret: 1 av 2 mål bedöms uppnås och 1 bedöms delvis uppnås."
GROUNDS = "Bedömningen bygger på 3 av 5 mätvärden, varav 2 prognoser."
MEASURES = "För helåret 2021 bedöms 2 som gröna och 1 som gult av mätvärdena; 2 följs upp senare."
OVERRIDE = (
    "Kommunstyrelsens egen bedömning av prognosen för helåret 2021 (§ 12) är att mål 2, "
    "Hållbar organisation, delvis uppnås (gult); enligt de beräknade resultaten kan målet inte "
    "bedömas ännu. Motivering: Rekryteringen av företagshälsovård är försenad."
)
OVERALL = (
    "Enligt prognosen för helåret 2021 bedöms 1 som grönt och 1 som gult av kommunstyrelsens 2 mål."
)
ATTACHMENTS = [
    "Tjänsteskrivelse 2021-09-15",
    f"Måluppfyllelse delår per augusti 2021, avsnitt i delårsrapporten ({STEM}-delarsrapport.pdf)",
    f"Presentation av måluppfyllelsen delår per augusti 2021 ({STEM}-presentation.pdf)",
]


def interim_book() -> Sheets:
    """A delårsrapport per augusti 2021. Scored for 2021-T2: M1 green on its forecast, M2 green
    (done in 2020), M3 yellow on its forecast, M4 later (forecast, target year 2022), M5 later
    (no forecast); goal 1 green, goal 2 later but judged yellow by the board."""
    s = base_sheets()
    s["Utfall"][0].append("Prognos")
    for row in s["Utfall"][1:]:
        row.append(None)
    s["Utfall"] += [
        ["M1", "2021-T2", None, "Enkäten görs i oktober.", 71],
        ["M3", "2021-T2", 24, "", 22],
        ["M4", "2021-T2", 7.2, "", 7],
    ]
    s["Inställningar"] += [
        ["Förvaltning", "Kommunledningskontoret"],
        ["Diarienummer", "KS 2021/7"],
        ["Handläggare", "Verksamhetsutvecklare"],
        ["Ansvarig tjänsteman", "Kommundirektör"],
    ]
    s["Bedömningar"].append(
        [
            "Mål",
            "2",
            "2021-T2",
            "Gult",
            "Rekryteringen av företagshälsovård är försenad.",
            "",
            "§ 12",
        ]
    )
    return s


@pytest.fixture(autouse=True)
def _date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1631700000")  # 2021-09-15


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real CLI, once for the module: ``build --period 2021-T2 -f docx,pdf``."""
    from click.testing import CliRunner

    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()
    folder = tmp_path_factory.mktemp("interim-memo")
    path = write_book(folder / "plan.xlsx", interim_book())
    out = folder / "ut"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1631700000")
        args = ["build", str(path), "--period", "2021-T2", "-f", "docx,pdf", "--out", str(out)]
        r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    yield out


def _docx(path: Path) -> list[tuple[str, str]]:
    from docx import Document

    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs if p.text]


def _texts(path: Path) -> list[str]:
    return [t for _, t in _docx(path)]


def _after(paras: list[str], heading: str, until: str) -> list[str]:
    return paras[paras.index(heading) + 1 : paras.index(until)]


def test_interim_files_name_the_delarsrapport(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [
        f"{STEM}-delarsrapport.docx",
        f"{STEM}-delarsrapport.pdf",
        f"{STEM}-presentation.pdf",
        f"{STEM}-tjansteskrivelse.docx",
        f"{STEM}-tjansteskrivelse.pdf",
    ]


def test_interim_memo_docx_follows_the_period(built: Path) -> None:
    paras = _docx(built / f"{STEM}-tjansteskrivelse.docx")
    assert [t for style, t in paras if style == "Title"] == [TITLE]
    texts = [t for _, t in paras]
    assert _after(texts, "Förslag till beslut", "Sammanfattning av ärendet") == [DECISION]
    summary = _after(texts, "Sammanfattning av ärendet", "Ärende")
    assert summary[0] == (
        "Kommunstyrelsen har 2 mål för mandatperioden 2020–2022, med 3 delmål som följs upp "
        "med 5 mätvärden."
    )
    assert summary[1] == (
        "I delårsrapporten per augusti 2021 bedöms för varje mål om det nås vid årets slut, "
        f"utifrån prognoser för helåret och de utfall som finns. {FORECAST}"
    )
    assert summary[2] == f"{MEASURES} {GROUNDS}"
    assert summary[3] == OVERRIDE
    assert len(summary) == 4
    assert _after(texts, "1. Bakgrund", "2. Ekonomiska konsekvenser")[1] == (
        "Uppföljningen av måluppfyllelsen per augusti 2021 redovisas i kommunstyrelsens "
        "delårsrapport per augusti 2021, med utfallen hittills och prognosen för helåret 2021. "
        "Rapporten bifogas."
    )
    assert (
        "Kommunstyrelsen har beslutat om egna bedömningar av prognosen för helåret 2021: "
        "§ 12 (mål 2)."
    ) in texts
    assert _after(texts, "5. Samråd", "6. Uppföljning och utvärdering") == [
        "Uppföljningen bygger på de utfall och prognoser som de ansvariga för respektive "
        "mätvärde har rapporterat."
    ]
    assert "Nästa uppföljning sker i årsredovisningen för 2021." in " ".join(texts)
    assert _after(texts, "7. Förvaltningens helhetsbedömning", "8. Handlingar och bilagor") == [
        OVERALL
    ]
    assert texts[texts.index("8. Handlingar och bilagor") + 1 :][:3] == ATTACHMENTS


def test_interim_memo_names_no_other_document_or_year(built: Path) -> None:
    from docx import Document

    doc = Document(str(built / f"{STEM}-tjansteskrivelse.docx"))
    header = [p.text for c in doc.tables[0].rows[0].cells for p in c.paragraphs]
    text = " ".join(_texts(built / f"{STEM}-tjansteskrivelse.docx") + header)
    assert "verksamhetsberättelse" not in text.lower()
    assert "helår 2020" not in text
    years = set(re.findall(r"\b20\d\d\b", text.replace("2020–2022", "").replace("Agenda 2030", "")))
    assert years == {"2021"}
    assert doc.core_properties.title == f"Tjänsteskrivelse: {TITLE}"


def test_interim_memo_pdf_has_the_same_text(built: Path) -> None:
    from pypdf import PdfReader

    pdf = PdfReader(built / f"{STEM}-tjansteskrivelse.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for expected in (TITLE, DECISION, FORECAST, GROUNDS, MEASURES, OVERRIDE, OVERALL):
        assert expected in text
    # the file names are never broken across lines
    for name in (f"({STEM}-delarsrapport.pdf)", f"({STEM}-presentation.pdf)"):
        assert name in text
    assert "verksamhetsberättelse" not in text.lower()
    assert pdf.metadata is not None and pdf.metadata.title == f"Tjänsteskrivelse: {TITLE}"
    first = pdf.outline[0]
    assert not isinstance(first, list)
    assert first.title == TITLE


def test_interim_memo_with_attainment_words(run_cli: Run, book: Book, tmp_path: Path) -> None:
    sheets = interim_book()
    sheets["Inställningar"].append(["Statusord", "Måluppfyllelse"])
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--period", "2021-T2", "-f", "docx", "--out", out)
    assert r.exit_code == 0, r.output
    text = " ".join(_texts(out / f"{STEM}-tjansteskrivelse.docx"))
    assert "För helåret 2021 bedöms 2 som uppnådda och 1 som delvis uppnått av mätvärdena" in text
    assert "är att mål 2, Hållbar organisation, delvis uppnås; enligt de beräknade" in text
    assert FORECAST in text
    assert "grön" not in text and "gult" not in text


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (
            "2020",
            "Kommunstyrelsen godkänner måluppfyllelsen för helår 2020 att ingå i "
            "verksamhetsberättelsen för 2020.",
        ),
        (
            "2021-T2",
            "Kommunstyrelsen godkänner måluppfyllelsen för delår per augusti 2021 att ingå i "
            "delårsrapporten för 2021.",
        ),
    ],
)
def test_one_proposal_with_placeholders_serves_every_period(
    run_cli: Run, book: Book, tmp_path: Path, period: str, expected: str
) -> None:
    sheets = interim_book()
    sheets["Inställningar"].append(
        [
            "Förslag till beslut",
            "Kommunstyrelsen godkänner måluppfyllelsen för {period} att ingå i {dokument} "
            "för {år}.",
        ]
    )
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--period", period, "-f", "docx", "--out", out)
    assert r.exit_code == 0, r.output
    memo = next(out.glob("*-tjansteskrivelse.docx"))
    texts = _texts(memo)
    assert _after(texts, "Förslag till beslut", "Sammanfattning av ärendet") == [expected]
    assert "{" not in " ".join(texts)


@pytest.mark.parametrize("span", ["2020–2022", "2020-2022", "2020 – 2022"])
def test_the_mandate_period_in_the_proposal_is_no_error(
    run_cli: Run, book: Book, tmp_path: Path, span: str
) -> None:
    sheets = interim_book()
    proposal = (
        f"Kommunstyrelsen godkänner uppföljningen av målen för mandatperioden {span} "
        "per {period}."
    )
    sheets["Inställningar"].append(["Förslag till beslut", proposal])
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--period", "2021-T2", "-f", "docx", "--out", out)
    assert r.exit_code == 0, r.output
    assert "Förslag till beslut" not in r.stderr
    texts = _texts(out / f"{STEM}-tjansteskrivelse.docx")
    assert _after(texts, "Förslag till beslut", "Sammanfattning av ärendet") == [
        f"Kommunstyrelsen godkänner uppföljningen av målen för mandatperioden {span} per "
        "delår per augusti 2021."
    ]


def test_a_proposal_naming_last_year_stops_an_interim_build(
    run_cli: Run, book: Book, tmp_path: Path
) -> None:
    sheets = interim_book()
    proposal = "Kommunstyrelsen godkänner måluppfyllelsen i verksamhetsberättelse 2020."
    sheets["Inställningar"].append(["Förslag till beslut", proposal])
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--period", "2021-T2", "-f", "docx", "--out", out)
    assert r.exit_code == 1
    assert (
        "Förslag till beslut i bladet Inställningar nämner 2020, men rapporten gäller delår per "
        f'augusti 2021: "{proposal}"'
    ) in r.output
    assert "{period}, {år} eller {dokument}" in r.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2021-T2", DECISION),
        (
            "2020",
            "Kommunstyrelsen godkänner måluppfyllelsen för helår 2020 och att den ingår i "
            "kommunstyrelsens verksamhetsberättelse för 2020.",
        ),
    ],
)
def test_a_blank_proposal_gives_the_generated_text(
    run_cli: Run, book: Book, tmp_path: Path, period: str, expected: str
) -> None:
    sheets = interim_book()
    sheets["Inställningar"].append(["Förslag till beslut", "   "])
    out = tmp_path / "ut"
    r = run_cli("build", book(sheets), "--period", period, "-f", "docx", "--out", out)
    assert r.exit_code == 0, r.output
    texts = _texts(next(out.glob("*-tjansteskrivelse.docx")))
    assert _after(texts, "Förslag till beslut", "Sammanfattning av ärendet") == [expected]


def test_an_empty_interim_period_says_so_in_the_memo(
    run_cli: Run, book: Book, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    r = run_cli(
        "build",
        book(interim_book()),
        "--period",
        "2021-T1",
        "--allow-empty-period",
        "-f",
        "docx",
        "--out",
        out,
    )
    assert r.exit_code == 0, r.output
    texts = _texts(out / "kommunstyrelsen-2021-T1-tjansteskrivelse.docx")
    summary = _after(texts, "Sammanfattning av ärendet", "Ärende")
    assert (
        "Inga utfall och inga prognoser har registrerats för delår per april 2021." in summary[-1]
    )
    assert [t for t in texts if t.startswith("Uppföljning av kommunstyrelsens")] == [
        "Uppföljning av kommunstyrelsens måluppfyllelse, delårsrapport per april 2021"
    ]
