"""Forecasts in "Förändringar sedan förra rapporten" and in the council's view (issue 12).

The changes: a board's workbook with forecasts (``Prognos``) for 2021-T1 and 2021-T2, compared
T1 → T2 (changed, new and dropped forecasts; statuses marked as forecasts), and 2020 → 2021-T1
(the first forecasts of the year, counted in one sentence).

The council's view at 2021-T2, two boards:

- Ett gott liv: KS 1 (green on forecasts) and BUN 1 (yellow: BUN's own assessment, green
  computed from outcomes), shown as "Prognos helår: Grönt (prognos)".
- Attraktiv arbetsgivare: KS 2 (red: KS's own assessment, yellow computed from a forecast),
  shown as "Prognos helår: Rött (prognos)".
- Hållbar tillväxt: BUN 2 (green on an outcome, no forecast), shown as "Sammanvägd status:
  Grönt" as at full year.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from ksreport.changes import compare, previous_period
from ksreport.consolidated import consolidate
from ksreport.context import changes_view
from ksreport.context_consolidated import build_consolidated_context, own_assessments_text
from ksreport.io.workbook import read_workbook
from ksreport.model import (
    ActivityState,
    Assessment,
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
from ksreport.scoring import score
from ksreport.validate import validate
from workbooks import Sheets, base_sheets, set_cell, write_book

Run = Callable[..., Result]
T1 = Period(2021, PeriodKind.T1)
T2 = Period(2021, PeriodKind.T2)
NBSP = "\u00a0"


def flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace(NBSP, " ").split())


def _with_prognos(s: Sheets) -> Sheets:
    """Add the column Prognos (and Kön before it) to Utfall."""
    s["Utfall"][0] = ["Mätvärde-id", "Period", "Värde", "Kommentar", "Kön", "Prognos"]
    s["Utfall"][1:] = [[*row, None, None] for row in s["Utfall"][1:]]
    return s


def _plan(sheets: Sheets, path: Path) -> Plan:
    plan, problems = validate(read_workbook(write_book(path, sheets)))
    assert plan is not None, problems
    return plan


# --- Förändringar sedan förra rapporten ---------------------------------------------------------


def forecast_sheets() -> Sheets:
    """One board, forecasts for 2021-T1 and 2021-T2 (no outcome at all for 2021-T1):

    - M1 Nöjdhet (target 70): forecast 68 (yellow) → 71 (green)
    - M2 Ny e-tjänst (activity due 2021): forecast Påbörjad (yellow) → Genomförd (green)
    - M3 Handläggningstid: forecast 21 dagar → none, an outcome of 22 dagar instead
    - M4 Sjukfrånvaro (target year 2022): forecast 8 % → 7,5 % (later both times)
    - M5 Medarbetarindex: no forecast → a new forecast of 78
    - Goal 2 is the board's own assessment at 2021-T2: Gult.
    """
    s = _with_prognos(base_sheets())
    set_cell(s, "Mätvärden", "M2", "Målår", 2021)
    s["Utfall"] = [r for r in s["Utfall"] if not (r[0] == "M2" and r[1] == 2020)]
    s["Utfall"] += [
        ["M2", 2020, "Påbörjad", "", None, None],
        ["M1", "2021-T1", None, "", None, 68],
        ["M2", "2021-T1", None, "", None, "Påbörjad"],
        ["M3", "2021-T1", None, "", None, 21],
        ["M4", "2021-T1", None, "", None, 8],
        ["M1", "2021-T2", None, "Mäts i november", None, 71],
        ["M2", "2021-T2", None, "", None, "Genomförd"],
        ["M3", "2021-T2", 22, "", None, None],
        ["M4", "2021-T2", None, "", None, 7.5],
        ["M5", "2021-T2", None, "", None, 78],
    ]
    s["Bedömningar"].append(
        ["Mål", "2", "2021-T2", "Gult", "Sjukfrånvaron minskar långsamt.", "", "§ 12"]
    )
    return s


FORECAST_ITEMS = (
    "M1 Nöjdhet: prognos 68 % → 71 %",
    "M2 Ny e-tjänst: prognos Påbörjad → Genomförd",
    "M3 Handläggningstid: prognos 21 dagar → ingen prognos",
    "M4 Sjukfrånvaro: prognos 8 % → 7,5 %",
    "M5 Medarbetarindex: ny prognos 78",
)


def test_forecast_changes_between_interim_periods_of_one_year(tmp_path: Path) -> None:
    plan = _plan(forecast_sheets(), tmp_path / "ks.xlsx")
    # 2021-T1 has forecasts only, no outcome: still the previous report
    assert previous_period(plan, T2) == T1
    changes = compare(score(plan, T2), score(plan, T1))
    assert [(f.id, f.before, f.after) for f in changes.forecast_changes] == [
        ("M1", 68, 71),
        ("M2", ActivityState.STARTED, ActivityState.DONE),
        ("M3", 21, None),
        ("M4", 8, 7.5),
        ("M5", None, 78),
    ]
    assert changes.first_forecasts == 0
    found = {c.id: c for c in changes.status_changes}
    m1 = found["M1"]
    assert (m1.before, m1.after, m1.before_forecast, m1.after_forecast) == (
        Status.YELLOW,
        Status.GREEN,
        True,
        True,
    )
    # M3: a forecast (yellow) at T1, the outcome 22 dagar at T2 (yellow too: no change)
    assert "M3" not in found
    view = changes_view(changes)
    lists = dict(view.lists)
    assert tuple(flat(i) for i in lists["Ändrade prognoser"]) == FORECAST_ITEMS
    assert lists["Nya bedömningar av nämnden"] == ("Mål 2: Gult (prognos), beslut § 12",)
    row = next(r for r in view.rows if r.name == "M1 Nöjdhet")
    assert (row.before.label, row.after.label) == ("Gult (prognos)", "Grönt (prognos)")
    assert "Prognosen för helåret är ny eller ändrad för 5 mätvärden." in view.intro

    # Statusord Måluppfyllelse: the forecast words, as in the report
    plan = _plan(_statusord(forecast_sheets()), tmp_path / "ks-ord.xlsx")
    view = changes_view(compare(score(plan, T2), score(plan, T1)))
    row = next(r for r in view.rows if r.name == "M1 Nöjdhet")
    assert (row.before.label, row.after.label) == ("Bedöms delvis uppnås", "Bedöms uppnås")


def _statusord(s: Sheets) -> Sheets:
    s["Inställningar"].append(["Statusord", "Måluppfyllelse"])
    return s


def test_first_forecasts_of_the_year_are_counted_not_listed(tmp_path: Path) -> None:
    plan = _plan(forecast_sheets(), tmp_path / "ks.xlsx")
    assert previous_period(plan, T1) == Period(2020)
    changes = compare(score(plan, T1), score(plan, Period(2020)))
    assert changes.forecast_changes == () and changes.first_forecasts == 4
    view = changes_view(changes)
    assert "Ändrade prognoser" not in dict(view.lists)
    assert view.intro.endswith(
        "Prognoser för helåret lämnas för första gången i den här rapporten (4 mätvärden)."
    )
    # a status that was an outcome at full year and is a forecast now says which is which
    row = next(r for r in view.rows if r.name == "M1 Nöjdhet")
    assert (row.before.label, row.after.label) == ("Grönt", "Gult (prognos)")


def test_full_year_changes_have_no_forecasts(tmp_path: Path) -> None:
    s = base_sheets()
    s["Utfall"] += [["M1", "2020-T2", 55, ""]]
    plan = _plan(s, tmp_path / "v1.xlsx")
    changes = compare(score(plan, Period(2020)), score(plan, Period(2020, PeriodKind.T2)))
    assert changes.forecast_changes == () and changes.first_forecasts == 0
    assert not any(c.before_forecast or c.after_forecast for c in changes.status_changes)
    view = changes_view(changes)
    assert "prognos" not in view.intro.casefold()
    assert all("prognos" not in heading.casefold() for heading, _ in view.lists)


def _report_texts(out: Path, stem: str) -> dict[str, str]:
    from docx import Document
    from pypdf import PdfReader

    doc = Document(str(out / f"{stem}.docx"))
    docx_text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    page = (out / f"{stem}.html").read_text("utf-8")
    visible = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return {
        "docx": flat(docx_text),
        "pdf": flat(" ".join(p.extract_text() for p in PdfReader(out / f"{stem}.pdf").pages)),
        "html": flat(html.unescape(re.sub(r"<[^>]+>", " ", visible))),
    }


def test_changed_forecasts_in_the_interim_report(run_cli: Run, tmp_path: Path) -> None:
    path = write_book(tmp_path / "ks.xlsx", forecast_sheets())
    out = tmp_path / "ut"
    r = run_cli("build", path, "--out", out, "--period", "2021-T2", "-f", "html,docx,pdf")
    assert r.exit_code == 0, r.output
    texts = _report_texts(out, "kommunstyrelsen-2021-T2-delarsrapport")
    for fmt, text in texts.items():
        section = text[text.index("Jämfört med förra rapporten") :]
        assert section.startswith("Jämfört med förra rapporten (delår per april 2021) har"), fmt
        assert "Prognosen för helåret är ny eller ändrad för 5 mätvärden." in section, fmt
        assert "Ändrade prognoser" in section, fmt
        for item in FORECAST_ITEMS:
            assert item in section, (fmt, item)
        # the change table: before and after, each marked as a forecast
        assert re.search(r"M1 Nöjdhet ▲ Gult \(prognos\) ● Grönt \(prognos\) Bättre", section), fmt
        assert "Mål 2: Gult (prognos), beslut § 12" in section, fmt


# --- The council's view at an interim period ----------------------------------------------------

KS_JUSTIFICATION = "Sjukfrånvaron minskar inte i den takt som behövs."
BUN_JUSTIFICATION = "Resultaten från vårterminen är osäkra."


def _ks() -> Sheets:
    """KS at 2021-T2: goal 1 green on forecasts (M1 70 %, M3 21 dagar; M2 done in 2020), goal 2
    yellow on M5's forecast but the board's own assessment is red."""
    s = _with_prognos(base_sheets())
    s["Mål"][1][3] = "Ett gott liv"
    s["Mål"][2][3] = "Attraktiv arbetsgivare"
    s["Utfall"] += [
        ["M1", "2021-T2", None, "Mäts i november", None, 70],
        ["M3", "2021-T2", 22, "", None, 21],
        ["M4", "2021-T2", 7.2, "", None, 7],
        ["M5", "2021-T2", None, "", None, 77],
    ]
    s["Bedömningar"].append(["Mål", "2", "2021-T2", "Rött", KS_JUSTIFICATION, "", "§ 40"])
    return s


def _bun() -> Sheets:
    """BUN at 2021-T2, outcomes and no forecast: goal 1 green, but the board's own assessment
    is yellow; goal 2 green on M5's outcome."""
    s = _with_prognos(base_sheets())
    set_cell(s, "Inställningar", "Nämnd", "Värde", "Barn- och utbildningsnämnden")
    s["Mål"][1][1:4] = ["Fler elever når målen", "", "Ett gott liv"]
    s["Mål"][2][1:4] = ["Fler lärlingsplatser", "", "Hållbar tillväxt"]
    s["Utfall"] += [
        ["M1", "2021-T2", 71, "", None, None],
        ["M3", "2021-T2", 19, "", None, None],
        ["M4", "2021-T2", 6.5, "", None, None],
        ["M5", "2021-T2", 81, "", None, None],
    ]
    s["Bedömningar"].append(["Mål", "1", "2021-T2", "Gult", BUN_JUSTIFICATION, "", ""])
    return s


@pytest.fixture
def council_boards(tmp_path: Path) -> list[Path]:
    return [write_book(tmp_path / "ks.xlsx", _ks()), write_book(tmp_path / "bun.xlsx", _bun())]


def _board(board: str, goals: list[tuple[str, ActivityState | None, Status | None]]) -> Plan:
    """One goal per entry (council goal, forecast, own status): each goal has one activity due
    2021 with that forecast for 2021-T2 (None: its outcome, Genomförd, instead), and the
    board's own status for the goal where given."""
    built = []
    for i, (council, forecast, _) in enumerate(goals, 1):
        row = (
            Outcome(f"M{i}", T2, forecast_state=forecast)
            if forecast is not None
            else Outcome(f"M{i}", T2, state=ActivityState.DONE)
        )
        measure = Measure(f"M{i}", f"{i}.1", f"Aktivitet {i}", Kind.ACTIVITY, 2021, outcomes=(row,))
        sub = SubGoal(f"{i}.1", str(i), f"Delmål {i}", measures=(measure,))
        built.append(Goal(str(i), f"{board} mål {i}", council_goal=council, subgoals=(sub,)))
    own = tuple(
        Assessment(Level.GOAL, str(i), T2, status, "Egen bedömning.")
        for i, (_, _, status) in enumerate(goals, 1)
        if status is not None
    )
    return Plan(Settings(organisation="Testkommun", board=board), tuple(built), own)


def test_council_goal_forecast_and_own_assessments_at_an_interim_period() -> None:
    done, started = ActivityState.DONE, ActivityState.STARTED
    ks = _board("KS", [("Ett gott liv", done, None), ("Trygghet", started, Status.GREEN)])
    bun = _board("BUN", [("Ett gott liv", None, Status.YELLOW), ("Tillväxt", None, None)])
    son = _board("SON", [("Ett gott liv", None, Status.RED), ("Trygghet", None, Status.RED)])
    c = consolidate([score(p, T2) for p in (ks, bun, son)])
    good_life, safety, growth = c.council_goals
    assert [g.forecast for g in good_life.board_goals] == [True, True, True]
    assert good_life.forecast and safety.forecast
    # BUN's goal 2 is green on an outcome of this period: no forecast anywhere under Tillväxt
    assert not growth.forecast and growth.status is Status.GREEN
    assert own_assessments_text(good_life) == (
        "Bedömningen bygger på nämndernas egna bedömningar för 2 av 3 nämndmål; för övriga på "
        "de beräknade resultaten."
    )
    assert own_assessments_text(safety) == (
        "Bedömningen bygger på nämndernas egna bedömningar för båda nämndmålen, inte på de "
        "beräknade resultaten."
    )
    assert own_assessments_text(growth) == ""

    ctx = build_consolidated_context(c, generated=T2_DAY)
    sections = {s.name: s for s in ctx.council_goals}
    assert sections["Ett gott liv"].assessed.prefix == "Prognos helår"
    assert sections["Ett gott liv"].assessed.status.label == "Gult (prognos)"
    assert sections["Tillväxt"].assessed.prefix == "Sammanvägd status"
    assert sections["Tillväxt"].assessed.status.label == "Grönt"
    assert sections["Tillväxt"].assessed.grounds == ""
    assert (
        "Prognosen för helåret 2021: 1 av 3 fullmäktigemål bedöms uppnås och 2 bedöms delvis "
        "uppnås. För 2 fullmäktigemål bygger sammanvägningen helt eller delvis på nämndernas "
        "egna bedömningar."
    ) in ctx.overview_text

    # one board's own assessment of its only counted goal (the other has no status at all)
    one = _board("KS", [("Klimat", started, Status.RED), ("Klimat", None, None)])
    one = Plan(one.settings, (one.goals[0], _unassessed(one.goals[1])), one.assessments)
    (climate,) = consolidate([score(one, T2)]).council_goals
    assert len(climate.board_goals) == 2 and len(climate.counted) == 1
    assert own_assessments_text(climate) == (
        "Bedömningen bygger på nämndens egen bedömning av nämndmålet, inte på det beräknade "
        "resultatet."
    )


def _unassessed(goal: Goal) -> Goal:
    """The goal with its activity's outcome taken away (so it is not assessed)."""
    sub = goal.subgoals[0]
    measure = sub.measures[0]
    bare = Measure(measure.id, sub.id, measure.name, Kind.ACTIVITY, 2021)
    return Goal(
        goal.id,
        goal.name,
        council_goal=goal.council_goal,
        subgoals=(SubGoal(sub.id, goal.id, sub.name, measures=(bare,)),),
    )


def test_full_year_council_view_has_no_forecast_words() -> None:
    year = Period(2020)
    plan = _board("KS", [("Ett gott liv", None, Status.YELLOW)])
    plan = Plan(
        plan.settings,
        plan.goals,
        tuple(
            Assessment(a.level, a.item_id, year, a.status, a.justification)
            for a in plan.assessments
        ),
    )
    ctx = build_consolidated_context(consolidate([score(plan, year)]), generated=T2_DAY)
    (section,) = ctx.council_goals
    assert (section.assessed.prefix, section.assessed.grounds) == ("Sammanvägd status", "")
    assert not ctx.interim
    assert "Prognos" not in ctx.overview_text and "prognos" not in ctx.boards_intro
    assert all(d.term != "Prognos för helåret" for d in ctx.definitions)
    assert section.rows[0].assessed.status.label == "Gult"


T2_DAY = dt.date(2021, 9, 15)

COUNCIL_TEXTS = (
    "Sammanvägt för delår per augusti 2021: 2 gröna och 1 rött. Prognosen för helåret 2021: "
    "2 av 3 fullmäktigemål bedöms uppnås och 1 bedöms inte uppnås. För 2 fullmäktigemål bygger "
    "sammanvägningen helt eller delvis på nämndernas egna bedömningar.",
    "Fullmäktigemål: Ett gott liv Prognos helår: ● Grönt (prognos) Till målet hör 2 nämndmål "
    "från 2 nämnder: 1 grönt och 1 gult. Bedömningen bygger på nämndens egen bedömning för 1 "
    "av 2 nämndmål; för övriga på de beräknade resultaten.",
    "Fullmäktigemål: Attraktiv arbetsgivare Prognos helår: ■ Rött (prognos) Till målet hör 1 "
    "nämndmål från 1 nämnd: 1 rött. Bedömningen bygger på nämndens egen bedömning av "
    "nämndmålet, inte på det beräknade resultatet.",
    "Fullmäktigemål: Hållbar tillväxt Sammanvägd status: ● Grönt Till målet hör 1 nämndmål "
    "från 1 nämnd: 1 grönt. Nämnd",
    "Prognos för helåret Delår per augusti 2021 är en delårsperiod.",
)
COUNCIL_ROWS = (
    r"Kommunstyrelsen Mål 1: Nöjda invånare ● Grönt \(prognos\)",
    r"Barn- och ?utbildningsnämnde ?n Mål 1: Fler elever når målen ▲ Gult \(prognos\) "
    r"Beräknad status: ● Grönt " + re.escape(BUN_JUSTIFICATION),
    r"Kommunstyrelsen Mål 2: Hållbar organisation ■ Rött \(prognos\) Beräknad status: "
    r"▲ Gult \(prognos\) " + re.escape(KS_JUSTIFICATION) + " Beslut: § 40",
)


def _check_council(text: str, fmt: str) -> None:
    text = flat(text)
    assert "Måluppfyllelse per fullmäktigemål, delår per augusti 2021" in text, fmt
    for expected in COUNCIL_TEXTS:
        assert expected in text, (fmt, expected)
    for row in COUNCIL_ROWS:
        assert re.search(row, text), (fmt, row)
    assert "Hållbar tillväxt Prognos helår" not in text


def test_council_view_at_an_interim_period_in_every_format(
    run_cli: Run, council_boards: list[Path], tmp_path: Path
) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    out = tmp_path / "ut"
    r = run_cli("build", *council_boards, "--consolidated", "--period", "2021-T2", "--out", out)
    assert r.exit_code == 0, r.output
    stem = out / "testkommun-2021-T2-fullmaktigemal"

    page = stem.with_suffix(".html").read_text("utf-8")
    visible = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    _check_council(html.unescape(re.sub(r"<[^>]+>", " ", visible)), "html")

    doc = Document(str(stem.with_suffix(".docx")))
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
    _check_council("\n".join(parts), "docx")

    reader = PdfReader(io.BytesIO(stem.with_suffix(".pdf").read_bytes()))
    _check_council("\n".join(p.extract_text() or "" for p in reader.pages), "pdf")
