"""Workbooks as real programs and people make them (issue 15): custom number formats with a
literal %, a wrong stored dimension, an Excel table's totals row, Excel's lock file, and the
readable half of the corpus (tests/corpus.py READABLE), each read the way Excel shows it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Result
from corpus import READABLE, CalcMissing, Readable, _add_table, _dimension, excel_lock_bytes
from ksreport.io.workbook import number_format_info
from workbooks import Cell, Sheets, base_sheets, write_book

Run = Callable[..., Result]


def _param(c: Readable) -> object:
    return pytest.param(c, id=c.name, marks=[getattr(pytest.mark, m) for m in c.marks])


def _measures(report: dict) -> dict[str, dict]:
    return {m["id"]: m for g in report["goals"] for s in g["subgoals"] for m in s["measures"]}


@pytest.mark.parametrize("case", [_param(c) for c in READABLE])
def test_readable_workbook(case: Readable, run_cli: Run, tmp_path: Path) -> None:
    try:
        path = case.make(tmp_path)
    except CalcMissing as exc:
        pytest.skip(str(exc))
    r = run_cli("validate", path)
    assert r.exit_code == 0, r.output
    assert "är godkänd" in r.output
    for fragment in case.expect:
        assert fragment in r.output, r.output
    if not case.expect:
        assert "Varningar" not in r.output, r.output
    r = run_cli("score", path, "--period", "2020", "--json")
    assert r.exit_code == 0, r.output
    measures = _measures(json.loads(r.stdout))
    for mid, value in case.values.items():
        assert measures[mid]["value"] == pytest.approx(value), (mid, measures[mid])
    for mid, unit in (case.units or {}).items():
        assert measures[mid]["unit"] == unit
    report = json.loads(r.stdout)
    named = {g["id"]: g["name"] for g in report["goals"]} | {
        mid: m["name"] for mid, m in measures.items()
    }
    for item, name in (case.names or {}).items():
        assert named[item] == name


@pytest.mark.parametrize(
    ("code", "value", "percents"),
    [
        ('0.0" %"', 72.5, 0),
        ('0.0 " %"', 72.5, 0),
        ('0" %"', 72, 0),
        ("0\\%", 72, 0),
        ("0.0\\ \\%", 72.5, 0),
        ('0.0" st"', 2.0, 0),
        ('#,##0" kr"', 1250, 0),
        ("[Red]0.0", 1.0, 0),
        ("[$-41D]0.0", 1.0, 0),
        ("[$%-41D]0", 1.0, 0),
        ("0.0_%", 1.0, 0),
        ("General", 0.5, 0),
        ("@", 0.5, 0),
        ("0%", 0.725, 1),
        ("0.0 %", 0.725, 1),
        ("0.00%", 0.725, 1),
        ("0.0%;[Red]-0.0%", -0.2, 1),
        ("0.0%;[Röd]-0.0%", -0.2, 1),
        ('0.0%" (andel)"', 0.5, 1),
        ("0%%", 0.005, 2),
        ("0%;0", 0.5, 1),
        ("0%;0", -0.5, 0),
        ("0;0%", -0.5, 1),
        ("0%;;", -0.5, 1),  # an empty section hides the value: read as the first section says
        ("[>=1]0;0%", 0.5, 1),
        ("[>=1]0;0%", 5, 0),
    ],
)
def test_only_a_real_percent_sign_scales(code: str, value: float, percents: int) -> None:
    assert number_format_info(code).percents_for(value) == percents


@pytest.mark.parametrize(
    ("code", "ambiguous"),
    [
        ("0.0%", False),
        ('0.0" %"', False),
        ("0.0%;[Red]-0.0%", False),
        ("0.0%;-0.0%;0", False),  # zero is zero whichever way it is read
        ("0%;0", True),
        ('0.0" %";-0.0%', True),
        ("[>=1]0;0%", True),
        ("[>=1]0%;0.0%", False),
        ("0%;;", False),
    ],
)
def test_ambiguous_formats(code: str, ambiguous: bool) -> None:
    assert number_format_info(code).ambiguous is ambiguous


# --- Excel's lock file ----------------------------------------------------------------------------


def _open_in_excel(workbook: Path) -> Path:
    lock = workbook.with_name(f"~${workbook.name}")
    lock.write_bytes(excel_lock_bytes())
    return lock


def test_a_glob_skips_the_lock_file_of_an_open_workbook(
    run_cli: Run, tmp_path: Path, book: Callable[[Sheets], Path]
) -> None:
    """``ksreport build *.xlsx`` while the workbook is open in Excel: the shell names the lock
    file too; it is skipped with a note and the one workbook is built."""
    path = book(base_sheets())
    lock = _open_in_excel(path)
    files = sorted(tmp_path.glob("*.xlsx"))
    assert set(files) == {lock, path}
    r = run_cli("build", *files, "--format", "json", "--out", tmp_path / "ut")
    assert r.exit_code == 0, r.output
    assert f'Obs: "{lock.name}" hoppas över: det är ingen arbetsbok utan den låsfil som Excel' in (
        r.stderr
    )
    assert "--consolidated" not in r.output
    assert r.output.count("Obs:") == 1
    assert [p.name for p in (tmp_path / "ut").iterdir()] == ["kommunstyrelsen-2020-resultat.json"]


def test_consolidated_skips_lock_files(run_cli: Run, tmp_path: Path) -> None:
    s = base_sheets()
    first = write_book(tmp_path / "ks.xlsx", s)
    s["Inställningar"][2][1] = "Barn- och utbildningsnämnden"
    second = write_book(tmp_path / "bun.xlsx", s)
    _open_in_excel(second)
    r = run_cli(
        "build", "--consolidated", *sorted(tmp_path.glob("*.xlsx")), "-f", "html", "-o", tmp_path
    )
    assert r.exit_code == 0, r.output
    assert 'Obs: "~$bun.xlsx" hoppas över' in r.stderr
    assert "(2 nämnder)" in r.stdout and first.exists()


def test_a_workbook_open_in_excel_gets_a_note(run_cli: Run, book: Callable[[Sheets], Path]) -> None:
    path = book(base_sheets())
    lock = _open_in_excel(path)
    for command in (["validate", path], ["score", path]):
        r = run_cli(*command)
        assert r.exit_code == 0, r.output
        assert (
            f'Obs: arbetsboken "{path.name}" verkar vara öppen i Excel (låsfilen "{lock.name}" '
            "finns bredvid den). ksreport läser den senast sparade versionen" in r.stderr
        )
    lock.unlink()
    assert "Obs" not in run_cli("validate", path).output


def test_kolada_in_place_refuses_a_workbook_open_in_excel(
    run_cli: Run, book: Callable[[Sheets], Path]
) -> None:
    path = book(base_sheets())
    before = path.read_bytes()
    _open_in_excel(path)
    r = run_cli("kolada", path, "--in-place", "--api-url", "http://127.0.0.1:9/v3")
    assert r.exit_code == 1
    assert (
        f'Arbetsboken "{path.name}" verkar vara öppen i Excel (låsfilen "~${path.name}" finns '
        "bredvid den). Stäng den i Excel och försök igen, eller kör utan --in-place" in r.stderr
    )
    assert path.read_bytes() == before


def test_kolada_write_refused_while_open_says_so(
    monkeypatch: pytest.MonkeyPatch, book: Callable[[Sheets], Path]
) -> None:
    """Windows refuses to replace a workbook Excel holds open (PermissionError): when its lock
    file is there, say that the workbook seems to be open rather than "access denied"."""
    from ksreport.errors import KsreportError
    from ksreport.kolada_import import write_atomically

    path = book(base_sheets())
    before = path.read_bytes()

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    with pytest.raises(KsreportError, match="behörighet att skriva där") as plain:
        write_atomically(path, b"x", like=path)
    assert "Permission" not in str(plain.value)
    _open_in_excel(path)
    with pytest.raises(KsreportError, match="verkar vara öppen i Excel"):
        write_atomically(path, b"x", like=path)
    assert path.read_bytes() == before
    assert {p.name for p in path.parent.iterdir()} == {f"~${path.name}", path.name}


# --- ksreport doctor ------------------------------------------------------------------------------


def test_doctor_says_what_was_read(run_cli: Run, tmp_path: Path) -> None:
    """One workbook with every thing doctor reports: a literal and a real percentage, a column
    with an unknown name, an empty row, a totals row and a wrong stored dimension."""
    s = base_sheets()
    s["Utfall"][0].append("Anteckning")
    s["Utfall"][2][2] = Cell(72.5, '0.0" %"')
    s["Utfall"][8][2] = Cell(0.075, "0.0%")
    s["Utfall"][9][2] = Cell(0.07, "0.0%")
    s["Utfall"].insert(5, [None, None, None, None])
    path = write_book(tmp_path / "bok.xlsx", s)
    _add_table(path, "Utfall", "Utfall", totals={"Mätvärde-id": "Summa", "Värde": "="}, cached="1")
    _dimension(path, "Utfall", "A1:B3")
    r = run_cli("doctor", path)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith('Så läser ksreport arbetsboken "bok.xlsx":')
    utfall = out[out.index("Bladet Utfall") :].split("\n\n")[0]
    assert utfall.splitlines() == [
        "Bladet Utfall",
        "  Rubrikrad: rad 1.",
        "  Kolumner som läses: Mätvärde-id (A), Period (B), Värde (C), Kommentar (D).",
        "  Kolumner som inte används (okända rubriker): Anteckning (E).",
        "  Valfria kolumner som inte finns: Kön, Prognos.",
        "  Lästa rader: 10 (rad 2, 3, 4, 5, 7, 8, 9, 10, 11, 12).",
        "  Hoppades över: rad 13 (A13:E13) är summaraden i Excel-tabellen Utfall.",
        "  Hoppades över: 1 tom rad mellan raderna med innehåll.",
        "  Bladets sparade storlek (A1:B3) stämmer inte med innehållet (A1:E13); ksreport läser "
        "alla rader och kolumner som finns, som Excel gör.",
        "  Värde: talformatet 0,0% är procent, så cellerna har andelar som läses × 100 (0,725 "
        "visas och läses som 72,5 %): C10–C11.",
        '  Värde: i talformatet 0,0" %" är "%" bara text, så talet läses som det står (72,5 '
        "visas som 72,5 % och läses som 72,5): C3.",
    ]
    assert "Bladet Mätvärden\n  Rubrikrad: rad 1.\n" in out
    assert "Utfall!A13:E13: Raden är summaraden i Excel-tabellen Utfall" in out
    assert "Arbetsboken är godkänd (2 varningar)." in out


def test_doctor_on_the_sample_and_on_a_broken_workbook(
    run_cli: Run, tmp_path: Path, book: Callable[[Sheets], Path]
) -> None:
    from conftest import EXAMPLE

    r = run_cli("doctor", EXAMPLE)
    assert r.exit_code == 0, r.output
    for sheet in ("Inställningar", "Mål", "Delmål", "Mätvärden", "Utfall", "Bedömningar"):
        assert f"Bladet {sheet}\n  Rubrikrad: rad 1.\n" in r.stdout
    assert "Bladet Instruktioner\n  Instruktioner för läsaren; läses inte." in r.stdout
    assert "Prognos: talformatet 0,0% är procent" in r.stdout
    s = base_sheets()
    s["Mätvärden"][0:0] = [["Mätvärden för mandatperioden"], []]
    s["Anteckningar"] = [["Vad som helst"]]
    del s["Delmål"]
    r = run_cli("doctor", book(s))
    assert r.exit_code == 1
    assert "Bladet Anteckningar\n  Bladet är okänt och läses inte." in r.stdout
    assert "Bladet Delmål\n  Saknas i arbetsboken (bladet måste finnas)." in r.stdout
    assert (
        "  Rubrikrad: rad 1, men rad 3 ser ut som rubrikraden; rubrikerna ska stå på rad 1"
    ) in r.stdout
    assert "  Inga rader läses förrän de obligatoriska kolumnerna finns i rad 1." in r.stdout
    assert "Arbetsboken har " in r.stdout


def test_exempel_reads_the_same_with_a_totals_row_and_a_wrong_dimension(
    run_cli: Run, tmp_path: Path
) -> None:
    """The sample as Excel users change it: a totals row on Utfall's table (one click) and every
    sheet's stored dimension reduced to A1. Scores exactly as the sample does."""
    import shutil

    from conftest import EXAMPLE

    path = tmp_path / "exempel.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = load_workbook(path)
    ws = wb["Utfall"]
    table = ws.tables["Utfall"]
    last = ws.max_row + 1
    table.ref = f"A1:F{last}"
    table.totalsRowCount = 1
    table.autoFilter.ref = f"A1:F{last - 1}"
    table.tableColumns[0].totalsRowLabel = "Summa"
    ws.cell(last, 1).value = "Summa"
    sheets = wb.sheetnames
    wb.save(path)
    for sheet in sheets:
        _dimension(path, sheet, "A1")
    expected = run_cli("score", EXAMPLE, "--json")
    r = run_cli("score", path, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == json.loads(expected.stdout)
    r = run_cli("validate", path)
    assert r.exit_code == 0, r.output
    assert f"Utfall!A{last}:F{last}: Raden är summaraden i Excel-tabellen Utfall" in r.stdout
