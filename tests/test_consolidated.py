"""The council's view (``ksreport build … --consolidated``): the roll-up per council goal as
pure functions, and the real CLI on three boards' workbooks, tested by the text of the DOCX, PDF
and web page it writes.

The three test boards serve four council goals with four different roll-ups:

| Council goal             | Board goals (final status)                                | Roll-up   |
|--------------------------|-----------------------------------------------------------|-----------|
| Ett gott liv             | KS 1 (green), BUN 1 (green, written "  ETT gott   LIV ")  | Grönt     |
| Attraktiv arbetsgivare   | KS 2 (yellow: an override of "Ej bedömd"), SON 2 (none)   | Gult      |
| Hållbar tillväxt         | SON 1 (red)                                               | Rött      |
| Ett klimatsmart samhälle | none (named only in SON's setting Fullmäktigemål)         | Ej bedömd |

BUN 2 names no council goal ("Utan koppling till fullmäktigemål").
"""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import io
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from conftest import ROOT, Result
from ksreport.consolidated import (
    consolidate,
    council_key,
    council_names,
    latest_common_period,
)
from ksreport.model import (
    ActivityState,
    Assessment,
    Goal,
    Kind,
    Level,
    Measure,
    Outcome,
    Plan,
    RollupMethod,
    Settings,
    Status,
    SubGoal,
)
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import score
from workbooks import Sheets, base_sheets, set_cell, write_book

Run = Callable[..., Result]
Y2020 = Period(2020)
STEM = "testkommun-2020-fullmaktigemal"

JUSTIFICATION = "Nämnden bedömer att arbetet går framåt fast inget kan mätas ännu."
DECISION = "KS 2021-03-10 § 45"
HOSTILE = 'Trygga elever <b>&"x"</b> {{ 7*7 }}'


# --- The roll-up, as pure functions -------------------------------------------------------------

_STATES = {
    Status.GREEN: ActivityState.DONE,
    Status.YELLOW: ActivityState.STARTED,
    Status.RED: ActivityState.NOT_STARTED,
}


def _plan(
    board: str,
    goals: list[tuple[str, Status | None]],
    *,
    overrides: dict[int, Status] | None = None,
    council_goals: tuple[str, ...] = (),
    rollup: RollupMethod = RollupMethod.MEAN,
) -> Plan:
    """One goal per entry (council goal, computed status); each goal has one activity whose
    state gives that status for 2020 (None: no outcome, so the goal is not assessed)."""
    built = []
    for i, (council, status) in enumerate(goals, 1):
        outcomes = () if status is None else (Outcome(f"M{i}", Y2020, state=_STATES[status]),)
        measure = Measure(
            f"M{i}", f"{i}.1", f"Aktivitet {i}", Kind.ACTIVITY, 2020, outcomes=outcomes
        )
        sub = SubGoal(f"{i}.1", str(i), f"Delmål {i}", measures=(measure,))
        built.append(Goal(str(i), f"{board} mål {i}", council_goal=council, subgoals=(sub,)))
    assessments = tuple(
        Assessment(Level.GOAL, str(i), Y2020, status, "Egen bedömning.")
        for i, status in (overrides or {}).items()
    )
    settings = Settings(
        organisation="Testkommun", board=board, council_goals=council_goals, rollup=rollup
    )
    return Plan(settings, tuple(built), assessments)


def test_council_key_ignores_case_and_whitespace() -> None:
    assert council_key("  ETT gott\u00a0  LIV ") == council_key("Ett gott liv") == "ett gott liv"
    assert council_key("Ett gott liv") != council_key("Ett gott liv för alla")


def test_board_goals_gathered_under_council_goals_with_mean_rollup() -> None:
    ks = _plan("KS", [("Ett gott liv", Status.GREEN), ("Tillväxt", Status.RED)])
    bun = _plan("BUN", [("  ett GOTT  liv", Status.RED), ("", Status.GREEN)])
    son = _plan("SON", [("Ett gott liv", Status.YELLOW)], council_goals=("Klimat", "tillväxt"))
    c = consolidate([score(p, Y2020) for p in (ks, bun, son)])
    assert [g.name for g in c.council_goals] == ["Ett gott liv", "Tillväxt", "Klimat"]
    good_life, growth, climate = c.council_goals
    assert [(g.board, g.number) for g in good_life.board_goals] == [
        ("KS", 1),
        ("BUN", 1),
        ("SON", 1),
    ]
    assert good_life.boards == ("KS", "BUN", "SON")
    assert good_life.status is Status.YELLOW  # green 2 + red 0 + yellow 1 = mean 1
    assert growth.status is Status.RED
    assert climate.board_goals == () and climate.status is Status.NOT_ASSESSED
    assert [(g.board, g.goal.goal.name) for g in c.unlinked] == [("BUN", "BUN mål 2")]
    assert c.organisation == "Testkommun" and c.period == Y2020


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.GREEN, Status.YELLOW], Status.GREEN),  # mean 1,5: green (inclusive)
        ([Status.GREEN, Status.RED], Status.YELLOW),  # mean 1
        ([Status.YELLOW, Status.RED], Status.RED),  # mean 0,5
        ([Status.GREEN, None], Status.GREEN),  # a goal not assessed does not count
        ([None, None], Status.NOT_ASSESSED),
    ],
)
def test_rollup_follows_the_scoring_rules(statuses: list[Status | None], expected: Status) -> None:
    plans = [_plan(f"Nämnd {i}", [("Mål", s)]) for i, s in enumerate(statuses)]
    (council,) = consolidate([score(p, Y2020) for p in plans]).council_goals
    assert council.status is expected


def test_rollup_uses_the_board_override_and_the_first_workbooks_settings() -> None:
    ks = _plan("KS", [("Mål", Status.GREEN)], rollup=RollupMethod.WORST)
    son = _plan("SON", [("Mål", Status.RED)], overrides={1: Status.YELLOW})
    c = consolidate([score(ks, Y2020), score(son, Y2020)])
    (council,) = c.council_goals
    son_goal = council.board_goals[1]
    assert son_goal.overridden and son_goal.computed_status is Status.RED
    assert son_goal.status is Status.YELLOW
    assert council.status is Status.YELLOW  # the worst of green and the board's yellow
    assert c.settings.rollup is RollupMethod.WORST and c.other_rules == ("SON",)
    mean_first = consolidate([score(son, Y2020), score(ks, Y2020)])
    assert mean_first.council_goals[0].status is Status.GREEN  # mean 1,5


def test_board_summaries_count_goals_and_measures_per_final_status() -> None:
    ks = _plan(
        "KS", [("A", Status.GREEN), ("B", Status.RED), ("C", None)], overrides={2: Status.YELLOW}
    )
    (summary,) = consolidate([score(ks, Y2020)]).boards
    assert summary.board == "KS"
    assert summary.goals[Status.GREEN] == summary.goals[Status.YELLOW] == 1
    assert summary.goals[Status.NOT_ASSESSED] == 1 and summary.goals[Status.RED] == 0
    assert summary.measures[Status.GREEN] == summary.measures[Status.RED] == 1
    assert summary.measures[Status.MISSING] == 1


def test_names_periods_and_organisations() -> None:
    a = _plan("A", [("  Ett   gott liv ", Status.GREEN)], council_goals=("Klimat",))
    b = _plan("B", [("ETT GOTT LIV", Status.GREEN)])
    reports = [score(a, Y2020), score(b, Y2020)]
    assert council_names(reports) == ["Klimat", "Ett gott liv"]
    t1 = Period(2021, PeriodKind.T1)
    later = Measure(
        "M9",
        "1.1",
        "Senare",
        Kind.ACTIVITY,
        2021,
        outcomes=(Outcome("M9", t1, state=ActivityState.DONE),),
    )
    sub = dataclasses.replace(a.goals[0].subgoals[0], measures=(later,))
    with_t1 = dataclasses.replace(a, goals=(dataclasses.replace(a.goals[0], subgoals=(sub,)),))
    assert latest_common_period([a, with_t1]) is None
    assert latest_common_period([a, b]) == Y2020
    assert latest_common_period([]) is None
    other = Plan(Settings(organisation="Annan kommun", board="C"), ())
    c = consolidate([*reports, score(other, Y2020)])
    assert c.organisations == ("Testkommun", "Annan kommun") and c.organisation == "Testkommun"


# --- Three boards through the real CLI ----------------------------------------------------------


def _ks() -> Sheets:
    s = base_sheets()
    s["Bedömningar"].append(["Mål", "2", 2020, "Gult", JUSTIFICATION, "", DECISION])
    s["Mål"][1][3] = "Ett gott liv"
    s["Mål"][2][3] = "Attraktiv arbetsgivare"
    return s


def _bun() -> Sheets:
    s = base_sheets()
    set_cell(s, "Inställningar", "Nämnd", "Värde", "Barn- och utbildningsnämnden")
    s["Mål"][1][1:4] = ["Fler elever når målen", "", "  ETT gott   LIV "]
    s["Mål"][2][1:4] = [HOSTILE, "", None]
    return s


def _son() -> Sheets:
    s = base_sheets()
    set_cell(s, "Inställningar", "Nämnd", "Värde", "Socialnämnden")
    s["Inställningar"].append(
        [
            "Fullmäktigemål",
            "Ett gott liv; Attraktiv arbetsgivare; Hållbar tillväxt\nEtt klimatsmart samhälle",
        ]
    )
    s["Mål"][1][1:4] = ["Fler blir självförsörjande", "", "Hållbar tillväxt"]
    s["Mål"][2][1:4] = ["Stabil bemanning", "", "attraktiv arbetsgivare"]
    for mid, value in (("M1", 50), ("M2", "Ej påbörjad"), ("M3", 35)):
        row = next(r for r in s["Utfall"] if r[0] == mid and r[1] == 2020)
        row[2] = value
    return s


@pytest.fixture
def boards(tmp_path: Path) -> list[Path]:
    return [
        write_book(tmp_path / name, sheets)
        for name, sheets in (("ks.xlsx", _ks()), ("bun.xlsx", _bun()), ("son.xlsx", _son()))
    ]


COUNCIL = {
    "Ett gott liv": "● Grönt",
    "Attraktiv arbetsgivare": "▲ Gult",
    "Hållbar tillväxt": "■ Rött",
    "Ett klimatsmart samhälle": "– Ej bedömd",
}
BOARD_GOALS = [
    ("Kommunstyrelsen", "Mål 1: Nöjda invånare", "● Grönt"),
    ("Kommunstyrelsen", "Mål 2: Hållbar organisation", "▲ Gult"),
    ("Barn- och utbildningsnämnden", "Mål 1: Fler elever når målen", "● Grönt"),
    ("Barn- och utbildningsnämnden", f"Mål 2: {HOSTILE}", "– Ej bedömd"),
    ("Socialnämnden", "Mål 1: Fler blir självförsörjande", "■ Rött"),
    ("Socialnämnden", "Mål 2: Stabil bemanning", "– Ej bedömd"),
]


def flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _build(run_cli: Run, files: list[Path], out: Path, fmt: str) -> None:
    r = run_cli("build", *files, "--consolidated", "--out", out, "-f", fmt)
    assert r.exit_code == 0, r.output
    assert "Måluppfyllelse per fullmäktigemål helår 2020 för Testkommun (3 nämnder)" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.{fmt}"]


def _check_text(text: str) -> None:
    """The content every format must show, in reading order where order matters."""
    text = flat(text)
    assert "Måluppfyllelse per fullmäktigemål, helår 2020" in text
    for name, status in COUNCIL.items():
        assert f"Fullmäktigemål: {name} Sammanvägd status: {status}" in text, name
    assert "ETT gott" not in text  # shown as first written
    assert (
        "Fullmäktigemål: Ett klimatsmart samhälle Sammanvägd status: – Ej bedömd "
        "Inget nämndmål är kopplat till det här fullmäktigemålet."
    ) in text
    assert "Till målet hör 2 nämndmål från 2 nämnder: 2 gröna." in text
    for board, goal, status in BOARD_GOALS:
        assert re.search(re.escape(f"{board} {goal}") + r"\s*" + re.escape(status), text), goal
    assert f"Beräknad status: – Ej bedömd {JUSTIFICATION} Beslut: {DECISION}" in text
    unlinked = text[text.index("Utan koppling till fullmäktigemål Nämndmålet nedan") :]
    assert f"Barn- och utbildningsnämnden Mål 2: {HOSTILE}" in unlinked
    assert "Nämndernas resultat" in unlinked
    assert "Reglerna kommer från den första arbetsboken (Kommunstyrelsen)" in text


def test_docx_has_every_council_goal_board_goal_and_override(
    run_cli: Run, boards: list[Path], tmp_path: Path
) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    out = tmp_path / "ut"
    _build(run_cli, boards, out, "docx")
    doc = Document(str(out / f"{STEM}.docx"))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Måluppfyllelse per fullmäktigemål, helår 2020")
    assert [t for s, t in headings if s == "Heading 1"] == [
        "Så bedöms måluppfyllelsen",
        "Översikt",
        *(f"Fullmäktigemål: {name}" for name in COUNCIL),
        "Utan koppling till fullmäktigemål",
        "Nämndernas resultat",
    ]
    # Body in document order: paragraphs and each table's cells, row by row.
    parts = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for tc in block.iter(qn("w:tc")):
                parts.append(
                    " ".join(
                        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))
                    )
                )
    _check_text("\n".join(parts))
    shaded = set()
    for tc in doc.element.body.iter(qn("w:tc")):
        shd = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        shaded.add((text, shd.get(qn("w:fill")) if shd is not None else None))
    assert ("■ Rött", "F4B6B0") in shaded  # Hållbar tillväxt in the overview: symbol, word, tint
    assert ("▲ GultBeräknad status: – Ej bedömd", "FCE8A6") in shaded
    assert doc.core_properties.title == (
        "Testkommun – Måluppfyllelse per fullmäktigemål, helår 2020"
    )
    assert doc.core_properties.language == "sv-SE"


def _pdf_outline(outline: list[Any]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles += _pdf_outline(item) if isinstance(item, list) else [str(item.title)]
    return titles


def test_pdf_is_tagged_a4_with_bookmarks_and_the_same_content(
    run_cli: Run, boards: list[Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "ut"
    _build(run_cli, boards, out, "pdf")
    reader = PdfReader(io.BytesIO((out / f"{STEM}.pdf").read_bytes()))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv-SE"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None
    assert reader.metadata.title == "Testkommun – Måluppfyllelse per fullmäktigemål, helår 2020"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)
    titles = _pdf_outline(reader.outline)
    for name in COUNCIL:
        assert f"Fullmäktigemål: {name}" in titles
    assert "Utan koppling till fullmäktigemål" in titles and "Nämndernas resultat" in titles
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # Table cells wrap: compare without the line breaks a narrow cell adds.
    _check_text(text.replace("utbildningsnämnde\nn", "utbildningsnämnden"))


def test_html_is_standalone_escaped_and_has_the_same_content(
    run_cli: Run, boards: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    _build(run_cli, boards, out, "html")
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert '<html lang="sv-SE">' in page
    assert "<link" not in page and "src=" not in page  # CSS inline, nothing fetched
    assert "&lt;b&gt;&amp;&#34;x&#34;&lt;/b&gt; {{ 7*7 }}" in page and "<b>&" not in page
    assert '<th scope="row" class="name">Mål 1: Nöjda invånare</th>' in page
    assert '<span class="sym" aria-hidden="true">■</span> Rött' in page
    visible = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    visible = flat(html.unescape(re.sub(r"<[^>]+>", " ", visible)))
    body = visible[visible.index("Så bedöms måluppfyllelsen Rapporten") :]
    _check_text(visible[: visible.index("Innehåll")] + body)


def test_default_formats_and_the_shipped_samples(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    files = [ROOT / "data" / n for n in ("exempel.xlsx", "exempel-bun.xlsx", "exempel-son.xlsx")]
    r = run_cli("build", *files, "--consolidated", "--out", out)
    assert r.exit_code == 0, r.output
    assert r.stderr == ""  # no warnings, no notes
    stem = "exempelkommun-2020-fullmaktigemal"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.{f}" for f in ("docx", "html", "pdf")]
    page = html.unescape(re.sub(r"<[^>]+>", " ", (out / f"{stem}.html").read_text("utf-8")))
    text = flat(page)
    for name in (
        "Ett gott liv för alla i alla åldrar",
        "Hållbar tillväxt och ett starkt näringsliv",
        "Ett klimatsmart Exempelkommun",
        "En attraktiv arbetsgivare med god ekonomi",
    ):
        assert f"Fullmäktigemål: {name}" in text
    assert "ett gott liv  för" not in page  # as typed in exempel-bun.xlsx: never shown
    assert "Till målet hör 3 nämndmål från 3 nämnder" in text
    assert "Barn- och utbildningsnämnden Mål 3: Vårdnadshavare" in text
    assert "Beslut: SN 2021-03-17 § 22" in text


# --- The sample workbooks ---------------------------------------------------------------------


def _make_boards() -> ModuleType:
    path = ROOT / "tools" / "make_examples_boards.py"
    spec = importlib.util.spec_from_file_location("make_examples_boards", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_boards_are_what_the_script_writes_and_score_as_intended(tmp_path: Path) -> None:
    from ksreport.io.template import write_workbook
    from ksreport.validate import load_plan

    tool = _make_boards()
    for name, (settings, rows, expected) in tool.BOARDS.items():
        target = tmp_path / name
        write_workbook(target, rows, settings, timestamp=tool.TIMESTAMP)
        fresh, shipped = (
            openpyxl.load_workbook(target),
            openpyxl.load_workbook(ROOT / "data" / name),
        )
        for ws in fresh.worksheets:
            got = [[c.value for c in r] for r in shipped[ws.title].iter_rows()]
            assert got == [[c.value for c in r] for r in ws.iter_rows()], (
                f"{name} {ws.title}: run python tools/make_examples_boards.py"
            )
        plan, problems = load_plan(ROOT / "data" / name)
        assert problems == []
        report = score(plan, Y2020)
        assert {m.measure.id: m.status.value for m in report.measures} == expected
        assert 8 <= len(expected) <= 12


# --- What goes wrong ----------------------------------------------------------------------------


def test_bad_workbooks_are_all_listed_with_their_file_and_nothing_is_written(
    run_cli: Run, boards: list[Path], tmp_path: Path
) -> None:
    ks, bun, son = boards
    bad_bun, bad_son = _bun(), _son()
    set_cell(bad_bun, "Mätvärden", "M1", "Målvärde", "tolv")
    set_cell(bad_son, "Mätvärden", "M1", "Typ", "Mått")
    write_book(bun, bad_bun)
    write_book(son, bad_son)
    out = tmp_path / "ut"
    r = run_cli("build", ks, bun, son, tmp_path / "saknas.xlsx", "--consolidated", "--out", out)
    assert r.exit_code == 1
    assert 'bun.xlsx: Mätvärden!I2: Målvärde "tolv" är inte ett tal.' in r.stderr
    assert (
        'son.xlsx: Mätvärden!D2: Typ "Mått" är okänd; tillåtna värden: Indikator, Aktivitet.'
        in r.stderr
    )
    assert "saknas.xlsx" in r.stderr and "finns inte" in r.stderr
    assert "Arbetsböckerna har 3 fel" in r.stderr and "inga filer har skrivits" in r.stderr
    assert "Traceback" not in r.output
    assert not out.exists()


def test_two_workbooks_for_one_board(run_cli: Run, boards: list[Path], tmp_path: Path) -> None:
    ks, bun, _ = boards
    twin = _bun()
    set_cell(twin, "Inställningar", "Nämnd", "Värde", " barn- och  UTBILDNINGSNÄMNDEN")
    other = write_book(tmp_path / "bun2.xlsx", twin)
    out = tmp_path / "ut"
    r = run_cli("build", ks, bun, other, ks, "--consolidated", "--out", out)
    assert r.exit_code == 1
    assert (
        'bun2.xlsx: Inställningar: Nämnden "barn- och  UTBILDNINGSNÄMNDEN" finns redan i '
        "bun.xlsx." in r.stderr
    )
    assert "ks.xlsx: Inställningar: Filen är angiven två gånger" in r.stderr
    assert not out.exists()


def test_several_workbooks_need_consolidated(run_cli: Run, boards: list[Path]) -> None:
    r = run_cli("build", *boards)
    assert r.exit_code == 2
    assert "Du angav 3 arbetsböcker. Lägg till --consolidated" in r.stderr
    r = run_cli("build")
    assert r.exit_code == 2 and "ARBETSBOK" in r.stderr
    r = run_cli("build", *boards, "--consolidated", "-f", "pdf,json")
    assert r.exit_code == 2 and 'formatet "json" finns inte för --consolidated' in r.stderr
    r = run_cli("build", *boards, "--consolidated", "--compare-with", "2019")
    assert r.exit_code == 2 and "--compare-with kan inte användas med --consolidated" in r.stderr


def test_period_option_setting_and_common_latest(
    run_cli: Run, tmp_path: Path, boards: list[Path]
) -> None:
    out = tmp_path / "ut"
    # No Rapportperiod anywhere: the latest period every workbook has outcomes for.
    r = run_cli("build", *boards, "--consolidated", "--out", out, "-f", "html")
    assert r.exit_code == 0 and f"{STEM}.html" in r.stdout
    # --period wins; a board without outcomes for it is named.
    r = run_cli("build", *boards, "--consolidated", "--out", out, "-f", "html", "-p", "2021")
    assert r.exit_code == 0 and "testkommun-2021-fullmaktigemal.html" in r.stdout
    assert "Obs: ks.xlsx (Kommunstyrelsen) har inga utfall för perioden 2021" in r.stderr
    # Different Rapportperiod: the latest common period, with a note.
    ks, bun, son = boards
    s = _bun()
    s["Inställningar"].append(["Rapportperiod", "2019"])
    write_book(bun, s)
    s = _son()
    s["Inställningar"].append(["Rapportperiod", "2020"])
    write_book(son, s)
    r = run_cli("build", ks, bun, son, "--consolidated", "--out", out, "-f", "html")
    assert r.exit_code == 0, r.output
    assert "olika Rapportperiod (bun.xlsx: 2019, son.xlsx: 2020)" in r.stderr
    assert f"{STEM}.html" in r.stdout
    # Nothing in common and no Rapportperiod: a Swedish error.
    s = _son()
    s["Utfall"] = [row for row in s["Utfall"] if row[1] != 2020]
    write_book(son, s)
    lonely = base_sheets()
    set_cell(lonely, "Inställningar", "Nämnd", "Värde", "Kulturnämnden")
    lonely["Utfall"] = [lonely["Utfall"][0], ["M1", 2020, 70, ""]]
    r = run_cli(
        "build", ks, write_book(tmp_path / "kn.xlsx", lonely), son, "--consolidated", "-o", out
    )
    assert r.exit_code == 1
    assert "Det finns ingen period som alla arbetsböcker har utfall för" in r.stderr
    assert "--period 2020" in r.stderr


def test_organisations_that_differ_are_warned_about(
    run_cli: Run, boards: list[Path], tmp_path: Path
) -> None:
    ks, bun, son = boards
    s = _son()
    set_cell(s, "Inställningar", "Organisation", "Värde", "Grannkommun")
    write_book(son, s)
    r = run_cli("build", ks, bun, son, "--consolidated", "-o", tmp_path / "ut", "-f", "html")
    assert r.exit_code == 0
    assert "olika Organisation (Testkommun, Grannkommun); rapporten använder den första" in (
        r.stderr
    )


def test_validate_warns_about_a_council_goal_missing_from_the_setting(
    run_cli: Run, book: Callable[[Sheets], Path]
) -> None:
    s = _son()
    s["Mål"][2][3] = "Atraktiv arbetsgivare"
    r = run_cli("validate", book(s))
    assert r.exit_code == 0
    assert (
        'Mål!D3: Fullmäktigemålet "Atraktiv arbetsgivare" finns inte i inställningen '
        "Fullmäktigemål" in r.stdout
    )
    assert "Mål!D2" not in r.stdout  # "Hållbar tillväxt" is listed
