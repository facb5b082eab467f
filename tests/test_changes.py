"""Förändringar sedan förra rapporten: the comparison (pure) and the section in every output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Result
from ksreport.changes import ChangeDirection, compare, previous_period
from ksreport.io.workbook import read_workbook
from ksreport.model import Level, Status
from ksreport.periods import Period, PeriodKind
from ksreport.scoring import score
from ksreport.validate import validate
from workbooks import Sheets

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]
T1, T2, Y = PeriodKind.T1, PeriodKind.T2, PeriodKind.YEAR


def plan_of(path: Path):  # type: ignore[no-untyped-def]
    plan, problems = validate(read_workbook(path))
    assert plan is not None, problems
    return plan


def with_interim(sheets: Sheets) -> Sheets:
    """Outcomes for 2020-T2 too, so 2020 has a previous report to compare with."""
    sheets["Utfall"] += [
        ["M1", "2020-T2", 55, ""],  # red then (below baseline 60), green (72) for 2020
        ["M3", "2020-T2", 31, ""],  # red then, yellow (25) for 2020
        ["M4", "2020-T2", 7.9, ""],
    ]
    return sheets


def test_previous_period(sheets: Sheets, book: Book) -> None:
    plan = plan_of(book(with_interim(sheets)))
    assert previous_period(plan, Period(2020)) == Period(2020, T2)
    assert previous_period(plan, Period(2020, T2)) == Period(2020, T1)
    assert previous_period(plan, Period(2019)) is None
    assert previous_period(plan, Period(2021, T1)) == Period(2020)


def test_status_changes_first_and_lost_outcomes_and_new_assessments(
    sheets: Sheets, book: Book
) -> None:
    sheets = with_interim(sheets)
    sheets["Bedömningar"].append(["Mål", "2", 2020, "Rött", "Nämnden ser risker", "", "§ 3"])
    plan = plan_of(book(sheets))
    before, now = score(plan, Period(2020, T2)), score(plan, Period(2020))
    changes = compare(now, before)
    found = {(c.level, c.id): (c.before, c.after, c.direction) for c in changes.status_changes}
    assert found[(Level.MEASURE, "M1")] == (Status.RED, Status.GREEN, ChangeDirection.BETTER)
    assert found[(Level.GOAL, "2")] == (Status.NOT_ASSESSED, Status.RED, ChangeDirection.CHANGED)
    assert [a.item_id for a in changes.new_assessments] == ["2"]
    # M5 had no outcome before 2020 (only 2019, and 2019 < 2020-T2 counts): not first
    assert [o.id for o in changes.first_outcomes] == []
    assert not changes.empty

    # 2020 → 2021: M1 had a value and, due in 2020, now misses one: lost
    sheets["Utfall"].append(["M5", 2021, 75, ""])
    plan = plan_of(book(sheets))
    changes = compare(score(plan, Period(2021)), score(plan, Period(2020)))
    assert {o.id for o in changes.lost_outcomes} >= {"M1", "M3"}


def test_better_and_worse(sheets: Sheets, book: Book) -> None:
    sheets["Utfall"] += [["M1", "2020-T2", 66, ""]]  # yellow in T2 (target year reached)
    sheets["Utfall"][2][2] = 75  # 2020: green
    plan = plan_of(book(sheets))
    changes = compare(score(plan, Period(2020)), score(plan, Period(2020, T2)))
    m1 = next(c for c in changes.status_changes if c.id == "M1")
    assert (m1.before, m1.after, m1.direction) == (
        Status.YELLOW,
        Status.GREEN,
        ChangeDirection.BETTER,
    )
    back = compare(score(plan, Period(2020, T2)), score(plan, Period(2020)))
    assert next(c for c in back.status_changes if c.id == "M1").direction is ChangeDirection.WORSE


def test_first_outcome(sheets: Sheets, book: Book) -> None:
    sheets["Utfall"] = [r for r in sheets["Utfall"] if r[0] != "M5"]
    sheets["Utfall"] += [["M5", "2020-T2", 71, ""], ["M5", 2020, 72, ""]]
    sheets["Utfall"] += [["M4", "2020-T2", 7.9, ""]]
    plan = plan_of(book(sheets))
    changes = compare(score(plan, Period(2020, T2)), score(plan, Period(2020, T1)))
    assert [o.id for o in changes.first_outcomes] == ["M5"]


def test_nothing_changed(sheets: Sheets, book: Book) -> None:
    plan = plan_of(book(sheets))
    now = score(plan, Period(2020))
    assert compare(now, now).empty


def _texts(out: Path, stem: str) -> dict[str, str]:
    from docx import Document
    from pptx import Presentation
    from pypdf import PdfReader

    doc = Document(str(out / f"{stem}-verksamhetsberattelse.docx"))
    docx_text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    pdf = PdfReader(out / f"{stem}-verksamhetsberattelse.pdf")
    prs = Presentation(str(out / f"{stem}-presentation.pptx"))
    pptx_text = "\n".join(
        shape.text_frame.text
        if shape.has_text_frame
        else "\n".join(c.text for r in shape.table.rows for c in r.cells)
        if shape.has_table
        else ""
        for slide in prs.slides
        for shape in slide.shapes
    )
    return {
        "docx": docx_text,
        "pdf": " ".join(" ".join(p.extract_text().split()) for p in pdf.pages),
        "html": (out / f"{stem}-verksamhetsberattelse.html").read_text("utf-8"),
        "pptx": pptx_text,
    }


def test_changes_section_in_every_output(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    r = run_cli("build", book(with_interim(sheets)), "--out", out)
    assert r.exit_code == 0, r.output
    for fmt, text in _texts(out, "kommunstyrelsen-2020").items():
        assert "Förändringar sedan förra rapporten" in text, fmt
        assert "Jämfört med förra rapporten (delår per augusti 2020) har" in " ".join(
            text.split()
        ), fmt
        assert "Nöjdhet" in text, fmt


def test_compare_with_and_nothing_changed(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    path = book(with_interim(sheets))
    out = tmp_path / "ut"
    r = run_cli("build", path, "--out", out, "-f", "html", "--compare-with", "2019")
    assert r.exit_code == 0, r.output
    assert "Jämfört med förra rapporten (helår 2019)" in next(out.glob("*.html")).read_text()
    r = run_cli("build", path, "--out", out, "-f", "html", "--compare-with", "2021")
    assert r.exit_code == 1 and "måste ligga före rapportperioden" in r.stderr
    # the first period of all has nothing to compare with: no section at all
    r = run_cli("build", path, "--out", out, "-f", "html", "--period", "2019")
    html = (out / "kommunstyrelsen-2019-verksamhetsberattelse.html").read_text("utf-8")
    assert r.exit_code == 0 and "Förändringar sedan förra rapporten" not in html


def test_nothing_changed_says_so_in_one_line(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    sheets["Utfall"] = [r for r in sheets["Utfall"] if str(r[1]) != "2020-T1"]
    sheets["Utfall"] += [["M2", "2020-T2", "Genomförd", ""]]
    sheets["Utfall"] = [r for r in sheets["Utfall"] if not (r[0] == "M2" and r[1] == 2020)]
    out = tmp_path / "ut"
    r = run_cli(
        "build",
        book(sheets),
        "--out",
        out,
        "-f",
        "html",
        "--period",
        "2020-T2",
        "--compare-with",
        "2020-T2",
    )
    assert r.exit_code == 1  # not earlier
    sheets["Utfall"] += [["M2", "2020-H1", "Genomförd", ""]]
    r = run_cli("build", book(sheets), "--out", out, "-f", "html", "--period", "2020-T2")
    assert r.exit_code == 0, r.output
    html = next(out.glob("*2020-T2-delarsrapport.html")).read_text("utf-8")
    assert "Inget har ändrats sedan förra rapporten (halvår 2020)." in html


def test_slides_show_what_matters_and_count_the_rest(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path
) -> None:
    from pptx import Presentation

    out = tmp_path / "ut"
    assert run_cli("build", book(sheets), "--out", out, "-f", "pptx").exit_code == 0
    prs = Presentation(str(out / "kommunstyrelsen-2020-presentation.pptx"))
    slide = next(
        s
        for s in prs.slides
        if s.shapes.title is not None
        and s.shapes.title.text == "Förändringar sedan förra rapporten"
    )
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    names = [table.cell(r, 0).text for r in range(1, len(table.rows))]
    # M2 went from yellow (started, 2020-T1) to green: shown. M1 and M3 only became due: counted.
    assert any("Mätvärde M2 Ny e-tjänst" in n for n in names)
    assert not any("M1" in n or "M3" in n for n in names)
    assert any("Ytterligare 2 mätvärden har ändrats" in t for t in texts)
