"""``ksreport kolada``: the real httpx client against a local Kolada v3 stand-in (recordings in
``tests/kolada/``), the changes it writes, what it keeps, and its failures."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from conftest import Result
from kolada_server import COMPARE_PATH, DATA_PATH, FakeKolada, Reply, ok, serve
from ksreport.io.template import write_workbook
from ksreport.kolada import (
    MAX_ATTEMPTS,
    KoladaClient,
    KoladaError,
    chunks,
    kpi_id,
    retry_wait,
)
from ksreport.kolada_import import default_years, parse_years
from ksreport.model import Settings, Status
from ksreport.periods import Period
from ksreport.scoring import score
from ksreport.validate import load_plan
from workbooks import Sheets, base_sheets, set_cell, write_book

Run = Callable[..., Result]

# The default years and the latest allowed year follow "today": a fixed date, not the clock.
pytestmark = pytest.mark.usefixtures("today")


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture
def kolada() -> Iterator[FakeKolada]:
    yield from serve(FakeKolada())


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits between retries, recorded instead of slept."""
    found: list[float] = []
    monkeypatch.setattr("ksreport.kolada._sleep", found.append)
    return found


def kolada_sheets() -> Sheets:
    """The base plan with Kommunkod 0840; M1 is Kolada N00914 (K/M values), M4 U00402."""
    s = base_sheets()
    s["Inställningar"].append(["Kommunkod", "0840"])
    set_cell(s, "Mätvärden", "M1", "Källa", "Kolada N00914")
    set_cell(s, "Mätvärden", "M4", "Källa", "kolada u00402")
    set_cell(s, "Mätvärden", "M5", "Källa", "Medarbetarenkät")
    return s


def made_by_init(path: Path, s: Sheets | None = None) -> Path:
    """A workbook as ``ksreport init`` writes it (instructions, tables, dropdowns, comments),
    filled in with ``s``."""
    s = s or kolada_sheets()
    settings = {str(k): v for k, v in s["Inställningar"][1:]}
    rows = {name: rows[1:] for name, rows in s.items() if name != "Inställningar"}
    write_workbook(path, rows, settings)
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return made_by_init(tmp_path / "bok.xlsx")


def api(kolada: FakeKolada) -> list[str]:
    return ["--api-url", kolada.base]


def records(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = ws.iter_rows(values_only=True)
    headers = [str(h) for h in next(rows)]
    return [dict(zip(headers, r, strict=False)) for r in rows if any(v is not None for v in r)]


def dropdowns(path: Path) -> dict[str, set[str]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: {
            str(dv.sqref) + "=" + str(dv.formula1) for dv in ws.data_validations.dataValidation
        }
        for ws in wb.worksheets
    }


def cell_values(path: Path, skip: set[str]) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: list(ws.iter_rows(values_only=True))
        for ws in wb.worksheets
        if ws.title not in skip
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- Källa, years -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Kolada N00914", "N00914"),
        ("kolada n00914", "N00914"),
        ("N00914", "N00914"),
        ("U00402", "U00402"),
        ("  u00402 ", "U00402"),
        ("Kolada (U07451), SKR", "U07451"),
        ("Kolada", None),
        ("Medarbetarenkät", None),
        ("SCB N00914 och mer", None),
        ("N009140", None),
        ("X00914", None),
        ("", None),
    ],
)
def test_kpi_id_from_source(source: str, expected: str | None) -> None:
    assert kpi_id(source) == expected


def test_years(today: dt.date) -> None:
    assert today == dt.date(2023, 5, 1)
    assert parse_years("2019-2022", today) == [2019, 2020, 2021, 2022]
    assert parse_years("2019–2021", today) == [2019, 2020, 2021]
    assert parse_years("2021", today) == [2021]
    assert parse_years("2019,2021, 2019", today) == [2019, 2021]
    for bad in ("tjugo", "2022-2019", "1980", "2030", "2019-"):
        with pytest.raises(ValueError):
            parse_years(bad, today)
    assert default_years(Settings(mandate_start=2019, mandate_end=2022), today) == [
        2019,
        2020,
        2021,
        2022,
    ]
    assert default_years(Settings(mandate_start=2023, mandate_end=2026), today) == [2023]
    assert default_years(Settings(), today) == [2020, 2021, 2022]
    # Without a date given, "today" is the fixture's, not the machine's clock.
    assert default_years(Settings()) == [2020, 2021, 2022]
    assert parse_years("2024") == [2024]
    with pytest.raises(ValueError, match="mellan 1990 och 2024"):
        parse_years("2025")


def test_batches_of_at_most_25_ids() -> None:
    ids = [f"N{i:05d}" for i in range(60)]
    assert [len(c) for c in chunks(ids)] == [25, 25, 10]


def test_retry_after_seconds_date_and_backoff() -> None:
    now = dt.datetime(2024, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_wait(1, "3") == 3.0
    assert retry_wait(1, "Mon, 01 Jan 2024 12:00:07 GMT", now=now) == 7.0
    assert retry_wait(1, "9999") == 60.0  # capped
    assert [retry_wait(n, "") for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert retry_wait(1, "soon") == 1.0


# --- The contract: Kommunkod, Kön, a row without value, Jämförelser ---------------------------


def test_kommunkod_is_validated_with_its_cell(run_cli: Run, book: Callable[[Sheets], Path]) -> None:
    s = base_sheets()
    s["Inställningar"].append(["Kommunkod", "84a"])
    r = run_cli("validate", book(s))
    assert r.exit_code == 1
    assert 'Inställningar!B5: Kommunkod "84a" är ogiltig' in r.output
    assert "fyra siffror" in r.output
    s["Inställningar"][-1] = ["Kommunkod", 840]  # Excel drops the leading zero of a number
    plan, _ = load_plan(book(s))
    assert plan.settings.municipality_code == "0840"
    s["Inställningar"][-1] = ["Kommunkod", "0000"]
    plan, _ = load_plan(book(s))
    assert plan.settings.municipality_code == "0000"


def test_gender_rows_beside_the_total_and_only_the_total_is_scored(
    run_cli: Run, book: Callable[[Sheets], Path]
) -> None:
    s = base_sheets()
    s["Utfall"][0].append("Kön")
    s["Utfall"] += [["M1", 2020, 40, "", "K"], ["M1", 2020, 99, "", "m"], ["M4", 2020, 9, "", "T"]]
    path = book(s)
    r = run_cli("validate", path)
    assert r.exit_code == 1  # M4 2020 already has a total (empty Kön means T)
    assert 'Utfall!A14: Mätvärdet "M4" har redan ett utfall för 2020 på rad 9' in r.output
    s["Utfall"].pop()
    plan, _ = load_plan(book(s))
    m1 = plan.goals[0].subgoals[0].measures[0]
    assert [(o.period.code, o.value, o.gender) for o in m1.outcomes] == [
        ("2019", 60, "T"),
        ("2020", 72, "T"),
    ]
    assert [(o.value, o.gender) for o in m1.gender_outcomes] == [(40, "K"), (99, "M")]
    scored = score(plan, Period(2020)).goals[0].subgoals[0].measures[0]
    assert scored.value == 72 and scored.status is Status.GREEN  # K 40 would be red


def test_gender_errors(run_cli: Run, book: Callable[[Sheets], Path]) -> None:
    s = base_sheets()
    s["Utfall"][0].append("Kön")
    s["Utfall"] += [
        ["M1", 2020, 40, "", "K"],
        ["M1", 2020, 41, "", "kvinnor"],
        ["M1", 2021, 41, "", "X"],
        ["M2", 2021, "Genomförd", "", "M"],
    ]
    r = run_cli("validate", book(s))
    assert r.exit_code == 1
    assert 'Utfall!A13: Mätvärdet "M1" har redan ett utfall för 2020 (kön K) på rad 12' in r.output
    assert 'Utfall!E14: Kön "X" är okänd; tillåtna värden: T, K, M.' in r.output
    assert "Utfall!E15: Kön M går bara att ange för indikatorer" in r.output


def test_empty_value_with_a_comment_is_no_outcome(
    run_cli: Run, book: Callable[[Sheets], Path]
) -> None:
    s = base_sheets()
    s["Utfall"].append(["M5", 2021, None, "Kolada: värde saknas för 2021."])
    path = book(s)
    plan, _ = load_plan(path)
    m5 = plan.goals[1].subgoals[0].measures[1]
    assert m5.outcomes[-1].value is None and m5.outcomes[-1].comment.startswith("Kolada:")
    r = run_cli("score", path, "--period", "2021")
    assert r.exit_code == 0 and "Utfall saknas" in r.output
    s["Utfall"][-1][3] = ""
    r = run_cli("validate", book(s))
    assert r.exit_code == 1
    assert "Utfall!C12: Värde måste fyllas i. Saknas utfallet" in r.output


def test_comparisons_sheet_is_validated(run_cli: Run, book: Callable[[Sheets], Path]) -> None:
    s = base_sheets()
    s["Jämförelser"] = [
        ["Mätvärde-id", "År", "Riket", "Jämförelsegrupp", "Källa"],
        ["M1", 2020, 70.1, 69, "Kolada N00914"],
        ["M1", 2020, 70.1, 69, "Kolada N00914"],
        ["M9", 2020, 1, 1, ""],
        ["M4", "tjugo", "x", None, ""],
    ]
    r = run_cli("validate", book(s))
    assert r.exit_code == 1
    assert 'Jämförelser!A3: Mätvärdet "M1" har redan jämförelsevärden för 2020 på rad 2' in r.output
    assert 'Jämförelser!A4: Mätvärde-id "M9" finns inte i bladet Mätvärden.' in r.output
    assert 'Jämförelser!B5: År "tjugo" är inget årtal' in r.output
    assert 'Jämförelser!C5: Riket "x" är inte ett tal.' in r.output
    del s["Jämförelser"][2:]
    plan, _ = load_plan(book(s))
    (c,) = plan.goals[0].subgoals[0].measures[0].comparisons
    assert (c.year, c.national, c.group, c.source) == (2020, 70.1, 69, "Kolada N00914")


def test_blank_workbook_has_the_kolada_parts(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "ny.xlsx"
    assert run_cli("init", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["Utfall"][1]][-2:] == ["Kön", "Prognos"]
    assert [c.value for c in wb["Jämförelser"][1]] == [
        "Mätvärde-id",
        "År",
        "Riket",
        "Jämförelsegrupp",
        "Källa",
    ]
    settings = [r[0] for r in wb["Inställningar"].iter_rows(min_row=2, values_only=True)]
    assert "Kommunkod" in settings and "Jämförelsegrupp" in settings
    text = "\n".join(
        str(v) for r in wb["Instruktioner"].iter_rows(values_only=True) for v in r if v
    )
    assert "0000 = hela riket" in text and "Bladet Jämförelser" in text


# --- The import -------------------------------------------------------------------------------


def test_import_writes_new_outcomes_to_a_new_file(
    run_cli: Run, kolada: FakeKolada, workbook: Path, waits: list[float]
) -> None:
    kolada.happy()
    before = workbook.read_bytes()
    r = run_cli("kolada", workbook, *api(kolada))
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Hämtade 2 nyckeltal (N00914, U00402) för Testkommun (0840), år 2020–2022" in out
    assert "Nya utfall (6):" in out
    assert "  M1 Nöjdhet, 2021: 71,5 %" in out
    assert "  M1 Nöjdhet, 2020, kvinnor: 74 %" in out
    assert "  M1 Nöjdhet, 2021, män: 69,9 %" in out
    assert "  M4 Sjukfrånvaro, 2021: 7,2 %" in out
    assert "Skiljer sig från Kolada och skrevs inte över (1); kör med --overwrite" in out
    assert "  M4 Sjukfrånvaro, 2020: 7,5 % i arbetsboken, 7,9 % i Kolada" in out
    assert "  M1 Nöjdhet, 2022: Kolada: värde saknas för 2022 (status Missing)." in out
    assert "Inget värde i Kolada ännu (1): M4 2022." in out
    assert "Källa: Kolada." in out
    target = workbook.with_name("bok-kolada.xlsx")
    assert f'Skrev "{target}"' in out
    assert workbook.read_bytes() == before  # the input is never touched by default
    assert leftovers(workbook.parent) == []
    # paging: both pages fetched once; each metadata look-up once; no retries
    assert kolada.counts[DATA_PATH] == 1 and kolada.counts[f"{DATA_PATH}?page=2"] == 1
    assert kolada.counts["/v3/municipality/0840"] == 1 and waits == []
    assert "per_page=5000" in kolada.requests[-2]

    rows = [r for r in records(target, "Utfall") if r["Mätvärde-id"] in ("M1", "M4")]
    assert [
        (r["Mätvärde-id"], r["Period"], r["Värde"], r["Kommentar"], r["Kön"]) for r in rows
    ] == [
        ("M1", 2019, 60, None, None),
        ("M1", 2020, 72, "Bra år", None),
        ("M4", 2019, 8, None, None),
        ("M4", 2020, 7.5, None, None),  # differs from Kolada: kept
        ("M1", "2020", 74, None, "K"),
        ("M1", "2020", 70, None, "M"),
        ("M1", "2021", 71.5, None, "T"),
        ("M1", "2021", 73, None, "K"),
        ("M1", "2021", 69.9, None, "M"),
        ("M1", "2022", None, "Kolada: värde saknas för 2022 (status Missing).", "T"),
        ("M4", "2021", 7.2, None, "T"),
    ]
    assert run_cli("validate", target).exit_code == 0
    plan, _ = load_plan(target)
    m1 = plan.goals[0].subgoals[0].measures[0]
    assert [(o.period.code, o.value) for o in m1.outcomes] == [
        ("2019", 60),
        ("2020", 72),
        ("2021", 71.5),
        ("2022", None),
    ]
    assert [(o.period.code, o.gender, o.value) for o in m1.gender_outcomes] == [
        ("2020", "K", 74),
        ("2020", "M", 70),
        ("2021", "K", 73),
        ("2021", "M", 69.9),
    ]


def test_import_keeps_every_other_sheet_validation_table_and_comment(
    run_cli: Run, kolada: FakeKolada, workbook: Path
) -> None:
    kolada.happy()
    assert run_cli("kolada", workbook, *api(kolada)).exit_code == 0
    target = workbook.with_name("bok-kolada.xlsx")
    assert cell_values(target, {"Utfall"}) == cell_values(workbook, {"Utfall"})
    assert dropdowns(target) == dropdowns(workbook)
    assert 'E2:E1000="T,K,M"' in dropdowns(target)["Utfall"]
    before, after = openpyxl.load_workbook(workbook), openpyxl.load_workbook(target)
    assert after.sheetnames == before.sheetnames
    for ws in before.worksheets:
        new = after[ws.title]
        tables = dict(new.tables.items())
        if ws.title == "Utfall":
            assert tables == {"Utfall": "A1:F18"}  # grown over the 7 new rows
        else:
            assert tables == dict(ws.tables.items())
        for cell in ws[1]:
            assert (new[cell.coordinate].comment is None) == (cell.comment is None)
            assert new[cell.coordinate].font.bold == cell.font.bold
        assert new.freeze_panes == ws.freeze_panes
    assert after["Utfall"]["A18"].number_format == "@"


def test_import_into_a_workbook_without_kon_or_table(
    run_cli: Run, kolada: FakeKolada, tmp_path: Path
) -> None:
    kolada.happy()
    path = write_book(tmp_path / "enkel.xlsx", kolada_sheets())
    r = run_cli("kolada", path, *api(kolada), "--out", tmp_path / "ny.xlsx")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(tmp_path / "ny.xlsx")["Utfall"]
    assert [c.value for c in ws[1]] == ["Mätvärde-id", "Period", "Värde", "Kommentar", "Kön"]
    assert ws["E1"].comment is not None and "kvinnor" in ws["E1"].comment.text
    assert run_cli("validate", tmp_path / "ny.xlsx").exit_code == 0


def test_overwrite_replaces_and_lists_old_and_new(
    run_cli: Run, kolada: FakeKolada, workbook: Path
) -> None:
    kolada.happy()
    target = workbook.with_name("ut.xlsx")
    r = run_cli("kolada", workbook, *api(kolada), "--overwrite", "--out", target)
    assert r.exit_code == 0, r.output
    assert "Ändrade utfall (1):\n  M4 Sjukfrånvaro, 2020: 7,5 % → 7,9 %" in r.stdout
    assert "skrevs inte över" not in r.stdout
    rows = records(target, "Utfall")
    assert [r["Värde"] for r in rows if (r["Mätvärde-id"], str(r["Period"])) == ("M4", "2020")] == [
        7.9
    ]


def test_in_place_is_atomic_and_a_second_run_changes_nothing(
    run_cli: Run, kolada: FakeKolada, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kolada.happy()
    os.chmod(workbook, 0o640)
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    r = run_cli("kolada", workbook, *api(kolada), "--in-place")
    assert r.exit_code == 0, r.output
    ((src, dst),) = replaced
    assert Path(src).parent == workbook.parent and src.endswith(".ksreport-tmp")
    assert dst == str(workbook)
    assert os.stat(workbook).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["bok.xlsx"]
    assert run_cli("validate", workbook).exit_code == 0
    after = workbook.read_bytes()
    r = run_cli("kolada", workbook, *api(kolada), "--in-place")
    assert r.exit_code == 0, r.output
    assert "Inga ändringar behövs. Ingen fil har skrivits." in r.stdout
    assert "Nya utfall" not in r.stdout
    assert workbook.read_bytes() == after


def test_out_refuses_an_existing_file(run_cli: Run, kolada: FakeKolada, workbook: Path) -> None:
    kolada.happy()
    target = workbook.with_name("bok-kolada.xlsx")
    target.write_bytes(b"mitt")
    r = run_cli("kolada", workbook, *api(kolada))
    assert r.exit_code == 1
    assert "finns redan" in r.stderr and target.read_bytes() == b"mitt"
    assert kolada.requests == []
    r = run_cli("kolada", workbook, "--in-place", "--out", "x.xlsx")
    assert r.exit_code == 2 and "antingen --out eller --in-place" in r.output
    r = run_cli("kolada", workbook, "--years", "förra året")
    assert r.exit_code == 2 and "inga år" in r.output


def test_no_kommunkod_or_no_kolada_measures(
    run_cli: Run, kolada: FakeKolada, tmp_path: Path
) -> None:
    s = kolada_sheets()
    s["Inställningar"].pop()
    r = run_cli("kolada", made_by_init(tmp_path / "a.xlsx", s), *api(kolada))
    assert r.exit_code == 1 and "Kommunkod saknas i bladet Inställningar" in r.stderr
    s = base_sheets()
    s["Inställningar"].append(["Kommunkod", "0840"])
    r = run_cli("kolada", made_by_init(tmp_path / "b.xlsx", s), *api(kolada))
    assert r.exit_code == 1 and "Inget mätvärde i bladet Mätvärden har ett nyckeltal" in r.stderr
    assert kolada.requests == []


# --- Retries and failures -------------------------------------------------------------------


def test_429_then_success_honours_retry_after(
    run_cli: Run, kolada: FakeKolada, workbook: Path, waits: list[float]
) -> None:
    kolada.happy()
    kolada.route(
        "/v3/municipality/0840",
        Reply(status=429, headers=(("Retry-After", "3"),)),
        ok("municipality-0840.json"),
    )
    r = run_cli("kolada", workbook, *api(kolada))
    assert r.exit_code == 0, r.output
    assert kolada.counts["/v3/municipality/0840"] == 2 and waits == [3.0]


def test_500_then_success_backs_off(
    run_cli: Run, kolada: FakeKolada, workbook: Path, waits: list[float]
) -> None:
    kolada.happy()
    kolada.route(
        f"{DATA_PATH}?page=2",
        Reply(status=500, body=b"oops"),
        Reply(status=503),
        ok("data-0840-page2.json"),
    )
    r = run_cli("kolada", workbook, *api(kolada))
    assert r.exit_code == 0, r.output
    assert kolada.counts[f"{DATA_PATH}?page=2"] == 3 and waits == [1.0, 2.0]


def _fails(r: Result, workbook: Path, before: bytes, *expected: str) -> None:
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith("Fel: ")
    for text in expected:
        assert text in r.stderr
    assert "Traceback" not in r.output
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == [workbook.name]


def test_permanent_500_gives_up_after_bounded_retries(
    run_cli: Run, kolada: FakeKolada, workbook: Path, waits: list[float]
) -> None:
    kolada.happy()
    kolada.route(DATA_PATH, Reply(status=500, body=b"Internal Server Error"))
    before = workbook.read_bytes()
    r = run_cli("kolada", workbook, *api(kolada))
    _fails(r, workbook, before, "svarade med HTTP 500 (serverfel)", f"{MAX_ATTEMPTS} försök")
    assert kolada.counts[DATA_PATH] == MAX_ATTEMPTS == 4
    assert waits == [1.0, 2.0, 4.0]
    assert "Arbetsboken har inte ändrats." in r.stderr


@pytest.mark.parametrize(
    ("route", "reply", "expected"),
    [
        (
            DATA_PATH,
            Reply(body=b"<html>Kolada har underh\xc3\xa5ll</html>"),
            "med något som inte är JSON",
        ),
        (DATA_PATH, ok("malformed-value.json"), "\"value\" 'sjuttio' är inget tal"),
        ("/v3/kpi/N00914,U00402", Reply(body=b'{"values": 5}'), 'fältet "values" saknas'),
        ("/v3/municipality/0840", ok("empty.json"), 'Kommunkoden "0840" (Kommunkod i bladet'),
        ("/v3/municipality/0840", Reply(status=404), 'Kommunkoden "0840"'),
        (
            "/v3/kpi/N00914,U00402",
            ok("kpi-N00914-only.json"),
            'Nyckeltalet finns inte i Kolada: "U00402" (mätvärde M4 Sjukfrånvaro)',
        ),
        ("/v3/kpi/N00914,U00402", Reply(status=400, body=b"Bad id"), "HTTP 400"),
    ],
    ids=[
        "not-json",
        "not-a-number",
        "no-values",
        "unknown-municipality",
        "404",
        "unknown-kpi",
        "400",
    ],
)
def test_failures_are_swedish_and_write_nothing(
    run_cli: Run,
    kolada: FakeKolada,
    workbook: Path,
    waits: list[float],
    route: str,
    reply: Reply,
    expected: str,
) -> None:
    kolada.happy()
    kolada.route(route, reply)
    before = workbook.read_bytes()
    for flags in ((), ("--in-place",)):
        r = run_cli("kolada", workbook, *api(kolada), *flags)
        _fails(r, workbook, before, expected)
    assert waits == []  # none of these is retried


def test_next_page_to_another_server_is_refused(
    run_cli: Run, kolada: FakeKolada, workbook: Path
) -> None:
    kolada.happy()
    kolada.route(
        DATA_PATH,
        Reply(body=b'{"values": [], "next_page": "http://example.invalid/v3/data?page=2"}'),
    )
    before = workbook.read_bytes()
    r = run_cli("kolada", workbook, *api(kolada))
    _fails(r, workbook, before, "pekar på en annan server (example.invalid)")


def test_unreachable_network(run_cli: Run, workbook: Path, waits: list[float]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = workbook.read_bytes()
    r = run_cli("kolada", workbook, "--api-url", f"http://127.0.0.1:{port}/v3", "--in-place")
    _fails(r, workbook, before, "kunde inte nås", "Kontrollera nätverksanslutningen")
    assert len(waits) == MAX_ATTEMPTS - 1


def test_client_timeout(waits: list[float]) -> None:
    with socket.socket() as s:  # accepts the connection, never answers
        s.bind(("127.0.0.1", 0))
        s.listen()
        client = KoladaClient(f"http://127.0.0.1:{s.getsockname()[1]}/v3", timeout=0.2)
        with client, pytest.raises(KoladaError, match="svarade inte inom"):
            client.municipality("0840")
    assert client.requests == MAX_ATTEMPTS


def test_in_place_refuses_a_workbook_with_a_chart(
    run_cli: Run, kolada: FakeKolada, workbook: Path
) -> None:
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(workbook)
    ws = wb["Utfall"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=5), titles_from_data=True)
    ws.add_chart(chart, "H2")
    wb.save(workbook)
    kolada.happy()
    before = workbook.read_bytes()
    r = run_cli("kolada", workbook, *api(kolada), "--in-place")
    _fails(r, workbook, before, "diagram, bilder, former eller pivottabeller", "--out")
    assert kolada.requests == []
    r = run_cli("kolada", workbook, *api(kolada))
    assert r.exit_code == 0 and "Obs: Arbetsboken innehåller diagram" in r.stdout


def test_httpx_is_imported_only_by_the_kolada_command() -> None:
    code = "import sys, ksreport.cli; sys.exit('httpx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- Comparisons and the report -------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def test_compare_fills_jamforelser_and_the_report_shows_it(
    run_cli: Run, kolada: FakeKolada, workbook: Path, tmp_path: Path
) -> None:
    import io

    from docx import Document
    from pypdf import PdfReader

    kolada.happy(compare=True)
    target = tmp_path / "med-jämförelser.xlsx"
    r = run_cli("kolada", workbook, *api(kolada), "--compare", "--out", target)
    assert r.exit_code == 0, r.output
    assert (
        "Jämförelser (riket och Liknande kommuner, övergripande, Testkommun, 2024): "
        "3 nya och 0 ändrade rader" in r.stdout
    )
    assert kolada.counts[COMPARE_PATH] == 1
    assert "title=Liknande+kommuner%2C+%C3%B6vergripande%2C+Testkommun" in str(kolada.requests)
    rows = records(target, "Jämförelser")
    group = "jämförelsegrupp Liknande kommuner, övergripande, Testkommun, 2024 (G37411)"
    assert rows == [
        {
            "Mätvärde-id": "M1",
            "År": 2020,
            "Riket": 70.1,
            "Jämförelsegrupp": 69,
            "Källa": f"Kolada N00914; {group}",
        },
        {
            "Mätvärde-id": "M1",
            "År": 2021,
            "Riket": 70.5,
            "Jämförelsegrupp": 68.2,
            "Källa": f"Kolada N00914; {group}",
        },
        {
            "Mätvärde-id": "M4",
            "År": 2020,
            "Riket": 8.1,
            "Jämförelsegrupp": 8.3,
            "Källa": f"Kolada U00402; {group}",
        },
    ]
    assert dict(openpyxl.load_workbook(target)["Jämförelser"].tables.items()) == {
        "Jamforelser": "A1:E4"
    }
    # a second import with a changed group value updates its row, without --overwrite
    kolada.route(COMPARE_PATH, Reply(body=_changed_compare()))
    again = tmp_path / "igen.xlsx"
    r = run_cli("kolada", target, *api(kolada), "--compare", "--out", again)
    assert r.exit_code == 0, r.output
    assert "0 nya och 1 ändrade rader" in r.stdout
    assert records(again, "Jämförelser")[1]["Jämförelsegrupp"] == 66

    out = tmp_path / "rapport"
    r = run_cli("build", target, "--period", "2021", "--out", out, "--format", "html,docx,pdf")
    assert r.exit_code == 0, r.output
    expected = (
        "Kvinnor 73 %, män 69,9 %",
        "Jämförelse 2021: riket 70,5 %, jämförelsegrupp 68,2 %",
        "Källa: Kolada",
    )
    html = _flat((out / "kommunstyrelsen-2021-verksamhetsberattelse.html").read_text("utf-8"))
    doc = Document(str(out / "kommunstyrelsen-2021-verksamhetsberattelse.docx"))
    docx = _flat(" ".join(c.text for t in doc.tables for row in t.rows for c in row.cells))
    pdf_data = (out / "kommunstyrelsen-2021-verksamhetsberattelse.pdf").read_bytes()
    pdf = _flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf_data)).pages))
    for text in expected:
        assert text in html, text
        assert text in docx, text
        assert text in pdf, text
    # M4 (Kolada, no comparison for 2021) is attributed too; M5 (Medarbetarenkät) is not
    assert html.count("Källa: Kolada") == 2


def _changed_compare() -> bytes:
    import json

    from kolada_server import RECORDINGS

    body = json.loads((RECORDINGS / "data-compare.json").read_text("utf-8"))
    body["values"][3]["values"][0]["value"] = 66.0  # N00914, G37411, 2021
    return json.dumps(body).encode("utf-8")


def test_report_lines_pick_the_right_year() -> None:
    from ksreport.context_kolada import attribution, comparison_text, gender_split
    from ksreport.model import Comparison, Kind, Measure, Outcome

    m = Measure(
        "M1",
        "1.1",
        "Nöjdhet",
        Kind.INDICATOR,
        2022,
        unit="%",
        source="Medarbetarenkät",
        gender_outcomes=(
            Outcome("M1", Period(2021), 73.0, gender="K"),
            Outcome("M1", Period(2021), 69.9, gender="M"),
            Outcome("M1", Period(2020), 50.0, gender="M"),
        ),
        comparisons=(
            Comparison("M1", 2020, 70.1, None, "Kolada N00914"),
            Comparison("M1", 2021, None, 68.2, "Egen"),
        ),
    )
    assert _flat(gender_split(m, Period(2021))) == "Kvinnor 73 %, män 69,9 %"
    assert _flat(gender_split(m, Period(2020))) == "Män 50 %"
    assert gender_split(m, Period(2019)) == ""
    assert _flat(comparison_text(m, Period(2021))) == "Jämförelse 2021: jämförelsegrupp 68,2 %"
    assert attribution(m, Period(2021)) == ""  # neither the source nor the comparison is Kolada
    from ksreport.periods import PeriodKind

    interim = Period(2021, PeriodKind.T1)  # the latest full year before an interim report
    assert _flat(comparison_text(m, interim)) == "Jämförelse 2020: riket 70,1 %"
    assert attribution(m, interim) == "Källa: Kolada"
    assert comparison_text(m, Period(2022)) == ""


def test_a_row_without_value_is_not_a_period_with_outcomes(book: Callable[[Sheets], Path]) -> None:
    s = base_sheets()
    s["Utfall"].append(["M1", 2022, None, "Kolada: värde saknas för 2022."])
    plan, _ = load_plan(book(s))
    assert [p.code for p in plan.periods()] == ["2019", "2020-T1", "2020"]


def test_a_workbook_from_init_filled_in_by_hand_still_validates_after_import(
    run_cli: Run, kolada: FakeKolada, tmp_path: Path
) -> None:
    path = tmp_path / "handfylld.xlsx"
    assert run_cli("init", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    sheets = kolada_sheets()
    for name, rows in sheets.items():
        ws = wb[name]
        if name == "Inställningar":
            keys = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
            for key, value in rows[1:]:
                ws.cell(keys[key], 2).value = value
            continue
        columns = {c.value: c.column for c in ws[1]}
        for r, row in enumerate(rows[1:], start=2):
            for header, value in zip(rows[0], row, strict=False):
                ws.cell(r, columns[header]).value = value  # type: ignore[arg-type]
    wb.save(path)
    assert run_cli("validate", path).exit_code == 0
    kolada.happy(compare=True)
    r = run_cli("kolada", path, *api(kolada), "--compare", "--in-place")
    assert r.exit_code == 0, r.output
    r = run_cli("validate", path)
    assert r.exit_code == 0, r.output
    assert "13 utfall" in r.stdout  # 10 + the totals of M1 2021, M1 2022 and M4 2021
    wb = openpyxl.load_workbook(path)
    assert {str(dv.sqref) for dv in wb["Mätvärden"].data_validations.dataValidation} == {
        "D2:D1000",
        "F2:F1000",
    }
    assert {str(dv.sqref) for dv in wb["Utfall"].data_validations.dataValidation} == {"E2:E1000"}
    assert len(wb["Jämförelser"].tables) == 1
