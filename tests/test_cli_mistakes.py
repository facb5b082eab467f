"""The everyday mistakes of a busy civil servant on the command line (issue 15): every error
path the CLI has (the bad-workbook corpus, usage errors, an output folder that cannot be written,
a period outside the mandate period) answers in Swedish, never with English from click or the
operating system, and never with a traceback."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from corpus import CASES, READABLE, Case, Readable
from workbooks import Sheets, base_sheets, write_book

Run = Callable[..., Result]

# Words that give English away. Matched as whole words, case-insensitively, after the paths and
# file names the test made and the option names (--out, --in-place) are taken out of the text.
ENGLISH = (
    "error",
    "errors",
    "directory",
    "permission",
    "denied",
    "no such",
    "usage",
    "invalid",
    "traceback",
    "not permitted",
    "operation",
    "file",
    "path",
    "missing",
    "exist",
    "exists",
    "option",
    "options",
    "command",
    "commands",
    "required",
    "requires",
    "expected",
    "unexpected",
    "the",
    "and",
    "of",
    "is",
    "not",
    "show",
    "default",
    "try",
    "value",
    "choose",
    "from",
    "deprecated",
    "aborted",
    "read-only",
    "space",
    "device",
    "too long",
    "name",
    "cannot",
    "could",
    "failed",
    "errno",
    "exception",
    "warning",
    "unknown",
    "did you mean",
)
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)
_FLAG = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*")


def english_in(text: str, *known: str | Path) -> list[str]:
    """The English words in ``text`` once the test's own paths and names are taken out."""
    for name in sorted((str(k) for k in known if str(k)), key=len, reverse=True):
        text = text.replace(name, "<namn>")
    text = _FLAG.sub("<flagga>", text)
    return sorted({m.group(1) for m in _ENGLISH.finditer(text)})


def assert_swedish(r: Result, *known: str | Path) -> None:
    assert "Traceback" not in r.output and "oväntat fel" not in r.output, r.output
    found = english_in(r.output, *known)
    assert not found, f"English {found} in:\n{r.output}"


def test_the_check_finds_english() -> None:
    assert english_in("Error: Invalid value for '--out': Directory 'x' is a file.") == [
        "Directory",
        "Error",
        "Invalid",
        "file",
        "is",
        "value",
    ]
    assert english_in("Fel: [Errno 13] Permission denied: '/tmp/x'") == [
        "Errno",
        "Permission",
        "denied",
    ]
    assert english_in('Fel: Mappen "/tmp/test_file0/ut" finns inte.', "/tmp/test_file0") == []
    assert english_in("Skriv 'ksreport build --help' för hjälp.") == []


def _names(tmp_path: Path, path: Path) -> tuple[str | Path, ...]:
    """The test's folder and the names of every file the case made (``excel-lock-file.xlsx``
    holds English words that are only a name)."""
    made = [p for p in tmp_path.iterdir()]
    return (tmp_path, path, *(p.name for p in made), *(p.stem for p in made))


def _param(c: Case) -> object:
    return pytest.param(c, id=c.name)


@pytest.mark.parametrize("case", [_param(c) for c in CASES if not c.slow])
def test_corpus_messages_are_swedish(case: Case, run_cli: Run, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    for command in (
        ["validate", path],
        ["score", path],
        ["doctor", path],
        ["build", path, "-o", tmp_path / "ut"],
    ):
        r = run_cli(*command)
        assert r.exit_code == 1, r.output
        assert_swedish(r, *_names(tmp_path, path))


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name) for c in READABLE if "libreoffice" not in c.marks]
)
def test_readable_corpus_notes_are_swedish(case: Readable, run_cli: Run, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    for command in ("validate", "doctor"):
        r = run_cli(command, path)
        assert r.exit_code == 0
        assert_swedish(r, *_names(tmp_path, path))


# --- usage errors ---------------------------------------------------------------------------------


@pytest.fixture
def place(tmp_path: Path) -> dict[str, Path]:
    """A workbook, a second board's workbook, a folder, a plain file and a missing file."""
    s = base_sheets()
    wb = write_book(tmp_path / "ks.xlsx", s)
    s["Inställningar"][2][1] = "Barn- och utbildningsnämnden"
    other = write_book(tmp_path / "bun.xlsx", s)
    folder = tmp_path / "mapp"
    folder.mkdir()
    text = tmp_path / "anteckningar.txt"
    text.write_text("hej", encoding="utf-8")
    return {
        "wb": wb,
        "other": other,
        "folder": folder,
        "text": text,
        "missing": tmp_path / "saknas.xlsx",
        "nofolder": tmp_path / "saknas" / "ny.xlsx",
    }


USAGE = [
    ([], 2),
    (["frobnicate"], 2),
    (["buil"], 2),
    (["build"], 2),
    (["validate"], 2),
    (["score"], 2),
    (["kolada"], 2),
    (["init"], 2),
    (["doctor"], 2),
    (["doctor", "{folder}"], 2),
    (["doctor", "{text}"], 1),
    (["doctor", "{missing}"], 1),
    (["validate", "{wb}", "{other}"], 2),
    (["validate", "{folder}"], 2),
    (["validate", "{missing}"], 1),
    (["validate", "{text}"], 1),
    (["build", "{wb}", "--bogus"], 2),
    (["build", "{wb}", "--period"], 2),
    (["build", "{wb}", "--period", "2020-T5"], 2),
    (["build", "{wb}", "--period", "förra året"], 2),
    (["build", "{wb}", "--compare-with", "x"], 2),
    (["build", "{wb}", "--format", "pdfx"], 2),
    (["build", "{wb}", "--pdf-variant", "pdf/x"], 2),
    (["build", "{wb}", "--out", "{text}"], 2),
    (["build", "{wb}", "--out", "{wb}"], 2),
    (["build", "{wb}", "--out", "{text}/ut"], 1),
    (["build", "{wb}", "--template-dir", "{missing}"], 2),
    (["build", "{wb}", "--template-dir", "{text}"], 2),
    (["build", "{wb}", "--docx-template", "{folder}"], 2),
    (["build", "{wb}", "--docx-template", "{missing}"], 2),
    (["build", "{wb}", "--pptx-template", "{missing}"], 2),
    (["build", "{wb}", "{other}"], 2),
    (["build", "--consolidated", "--watch", "{wb}", "{other}"], 2),
    (["build", "--consolidated", "-f", "pptx", "{wb}", "{other}"], 2),
    (["build", "--consolidated", "--compare-with", "2019", "{wb}", "{other}"], 2),
    (["build", "{wb}", "--period", "1999"], 1),
    (["build", "{wb}", "--period", "2021-T1"], 1),
    (["score", "{wb}", "--period", "2023"], 1),
    (["score", "{wb}", "--json", "--period", "1999"], 1),
    (["kolada", "{wb}", "--in-place", "--out", "x.xlsx"], 2),
    (["kolada", "{wb}", "--years", "abc"], 2),
    (["kolada", "{wb}", "--out", "{wb}"], 2),
    (["kolada", "{wb}", "--out", "{other}"], 1),
    (["kolada", "{wb}", "--out", "{nofolder}"], 1),
    (["kolada", "{wb}", "--out", "{folder}"], 2),
    (["init", "{wb}"], 1),
    (["init", "{nofolder}"], 1),
    (["init", "{folder}"], 2),
    (["init", "{text}"], 1),
]


@pytest.mark.parametrize(("argv", "code"), USAGE, ids=[" ".join(a) or "(inget)" for a, _ in USAGE])
def test_usage_errors_are_swedish(
    argv: list[str], code: int, run_cli: Run, place: dict[str, Path], tmp_path: Path
) -> None:
    args = [a.format(**{k: str(v) for k, v in place.items()}) for a in argv]
    r = run_cli(*args)
    assert r.exit_code == code, r.output
    assert r.output.strip()
    assert_swedish(r, tmp_path, *place.values(), *(p.name for p in place.values()))
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", ["", "init", "validate", "doctor", "score", "build", "kolada"])
def test_help_is_swedish(command: str, run_cli: Run) -> None:
    r = run_cli(*([command] if command else []), "--help")
    assert r.exit_code == 0
    assert r.output.startswith("Användning:")
    # The default output folder is called "output": a name, not a word shown in English.
    assert_swedish(r, "standard: output")


def test_the_real_program_answers_in_swedish(place: dict[str, Path], tmp_path: Path) -> None:
    """The installed entry point, in a process of its own, as the user meets it."""
    r = subprocess.run(
        [sys.executable, "-m", "ksreport", "build", str(place["wb"]), "--out", str(place["text"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = Result(r.returncode, r.stdout, r.stderr)
    assert r.returncode == 2
    assert f'"{place["text"]}" är en fil, inte en mapp.' in r.stderr
    assert_swedish(result, tmp_path, *place.values())


# --- the output folder ----------------------------------------------------------------------------


def test_out_pointing_at_a_file_is_fully_swedish(run_cli: Run, place: dict[str, Path]) -> None:
    r = run_cli("build", place["wb"], "--out", place["wb"])
    assert r.exit_code == 2
    assert f"""Ogiltigt värde för '--out' / '-o': "{place["wb"]}" är en fil, inte en mapp.""" in (
        r.stderr
    )
    assert "Directory" not in r.output


def test_a_file_inside_the_out_path_is_named(run_cli: Run, place: dict[str, Path]) -> None:
    r = run_cli("build", place["wb"], "--out", place["text"] / "ut", "-f", "json")
    assert r.exit_code == 1
    assert (
        f'Mappen för de skapade filerna kan inte vara "{place["text"] / "ut"}": '
        f'"{place["text"]}" är en fil, inte en mapp. Välj en annan mapp med --out'
    ) in r.stderr


OS_ERRORS = [
    (errno.EACCES, "du saknar behörighet att skriva där"),
    (errno.EPERM, "du saknar behörighet att skriva där"),
    (errno.EROFS, "den ligger på en skrivskyddad enhet eller i en skrivskyddad mapp"),
    (errno.ENOSPC, "disken är full"),
    (errno.EDQUOT, "disken är full (ditt utrymme är slut)"),
    (errno.ENAMETOOLONG, "sökvägen är för lång"),
    (errno.EIO, "systemet svarade med felkod EIO"),
]


@pytest.mark.parametrize(
    ("code", "reason"), OS_ERRORS, ids=[errno.errorcode[c] for c, _ in OS_ERRORS]
)
def test_an_unwritable_out_folder_is_found_before_rendering(
    code: int,
    reason: str,
    run_cli: Run,
    place: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check comes before anything is rendered (rendering would fail the test), names the
    folder, and says the system's reason in Swedish."""
    from ksreport import output, pipeline

    def no_rendering(*_: object, **__: object) -> None:
        raise AssertionError("rendered before the output folder was checked")

    def refuse(*_: object, dir: str = "", **__: object) -> None:
        raise OSError(code, os.strerror(code), dir)

    monkeypatch.setattr(pipeline, "render_all", no_rendering)
    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    out = tmp_path / "ut"
    r = run_cli("build", place["wb"], "--out", out)
    assert r.exit_code == 1
    assert f'Fel: Filerna kan inte skrivas till mappen "{out}": {reason}.' in r.stderr
    assert os.strerror(code) not in r.output
    assert_swedish(r, tmp_path)


@pytest.mark.parametrize(
    ("code", "reason"), OS_ERRORS, ids=[errno.errorcode[c] for c, _ in OS_ERRORS]
)
def test_a_failed_write_names_the_file_in_swedish(
    code: int, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half way (the disk fills up) names the file, says why in Swedish and
    leaves the earlier files as they were."""
    from ksreport.errors import KsreportError
    from ksreport.output import write_outputs

    out = tmp_path / "ut"
    write_outputs(out, {"a.json": b"1", "b.html": b"2"})
    real_replace = os.replace
    calls = []

    def fail_second(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(code, os.strerror(code), dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(KsreportError) as info:
        write_outputs(out, {"a.json": b"ny", "b.html": b"ny"})
    message = str(info.value)
    assert f'Filen "{out / "b.html"}" kunde inte skrivas: {reason}.' in message
    assert "Inga tidigare filer har ändrats." in message
    assert not english_in(message, tmp_path)
    assert (out / "a.json").read_bytes() == b"1" and (out / "b.html").read_bytes() == b"2"


def test_a_report_open_in_word_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a file another program holds open: say which, and what to do."""
    from ksreport.errors import KsreportError
    from ksreport.output import write_outputs

    out = tmp_path / "ut"
    write_outputs(out, {"rapport.docx": b"gammal"})

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(KsreportError) as info:
        write_outputs(out, {"rapport.docx": b"ny"})
    assert (
        'Är "rapport.docx" öppen i Word, PowerPoint, Excel eller en PDF-läsare? Stäng den och '
        "kör igen" in str(info.value)
    )
    assert (out / "rapport.docx").read_bytes() == b"gammal"


def test_a_path_too_long_is_said_in_swedish(run_cli: Run, place: dict[str, Path]) -> None:
    out = place["folder"] / ("x" * 300)
    r = run_cli("build", place["wb"], "--out", out, "-f", "json")
    assert r.exit_code == 1
    assert "kan inte skapas: sökvägen är för lång. Välj en mapp med kortare sökväg" in r.stderr
    r = run_cli("validate", place["folder"] / ("x" * 300 + ".xlsx"))
    assert r.exit_code == 1
    assert "kan inte läsas: sökvägen är för lång." in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder")
def test_a_read_only_folder(run_cli: Run, place: dict[str, Path]) -> None:
    folder = place["folder"]
    folder.chmod(0o555)
    try:
        r = run_cli("build", place["wb"], "--out", folder, "-f", "json")
        assert r.exit_code == 1
        assert f'Filerna kan inte skrivas till mappen "{folder}": du saknar behörighet' in r.stderr
        r = run_cli("build", place["wb"], "--out", folder / "ut", "-f", "json")
        assert f'Mappen "{folder / "ut"}" kan inte skapas: du saknar behörighet' in r.stderr
        r = run_cli("init", folder / "ny.xlsx")
        assert "kunde inte skrivas: du saknar behörighet" in r.stderr
    finally:
        folder.chmod(0o755)


def test_an_unreadable_workbook(
    run_cli: Run, place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == place["wb"]:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    r = run_cli("validate", place["wb"])
    assert r.exit_code == 1
    assert 'Filen "ks.xlsx" kan inte läsas: du saknar behörighet att läsa den.' in r.stderr
    assert "Permission" not in r.output


def _unshare() -> str:
    """``unshare`` when this machine lets the test mount a small file system of its own."""
    tool = shutil.which("unshare")
    if tool is None:
        return ""
    try:
        r = subprocess.run(
            [tool, "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return tool if r.returncode == 0 else ""


@pytest.fixture(scope="module")
def unshare() -> str:
    tool = _unshare()
    if not tool:
        pytest.skip("no private mounts here (unshare -m needs CAP_SYS_ADMIN)")
    return tool


def _in_own_mount(unshare: str, mount: Path, size: str, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` with a fresh tmpfs of ``size`` mounted at ``mount``, in a mount namespace of
    its own (the test's machine sees nothing of it)."""
    mount.mkdir(exist_ok=True)
    return subprocess.run(
        [unshare, "-m", "sh", "-c", f"mount -t tmpfs -o size={size} tmpfs '{mount}' && {script}"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ksreport(*args: str | Path) -> str:
    return " ".join([sys.executable, "-m", "ksreport", *(f"'{a}'" for a in args)])


def test_a_really_full_disk(unshare: str, place: dict[str, Path], tmp_path: Path) -> None:
    mount = tmp_path / "liten"
    out = mount / "ut"
    r = _in_own_mount(
        unshare,
        mount,
        "16k",
        _ksreport("build", place["wb"], "--out", out, "-f", "json,xlsx,html")
        + "; echo rc=$?; ls -A '"
        + str(out)
        + "'",
    )
    assert "rc=1" in r.stdout, r.stdout + r.stderr
    assert "kunde inte skrivas: disken är full. Frigör utrymme på disken" in r.stderr
    assert "Inga tidigare filer har ändrats." in r.stderr
    assert r.stdout.strip().endswith("rc=1"), "no file, no temporary file is left behind"
    assert_swedish(Result(1, "", r.stderr), tmp_path, *place.values())


def test_a_really_read_only_file_system(
    unshare: str, place: dict[str, Path], tmp_path: Path
) -> None:
    mount = tmp_path / "skrivskydd"
    script = (
        f"mkdir '{mount}/ut' && mount -o remount,ro '{mount}' && "
        + _ksreport("build", place["wb"], "--out", mount / "ut", "-f", "json")
        + "; "
        + _ksreport("build", place["wb"], "--out", mount / "ny", "-f", "json")
        + "; "
        + _ksreport("init", mount / "ny.xlsx")
        + "; "
        + _ksreport(
            "kolada", place["wb"], "--out", mount / "k.xlsx", "--api-url", "http://127.0.0.1:9/v3"
        )
    )
    r = _in_own_mount(unshare, mount, "1m", script)
    read_only = "den ligger på en skrivskyddad enhet eller i en skrivskyddad mapp"
    assert f'Filerna kan inte skrivas till mappen "{mount / "ut"}": {read_only}.' in r.stderr
    assert f'Mappen "{mount / "ny"}" kan inte skapas: {read_only}.' in r.stderr
    assert f'Filen "{mount / "ny.xlsx"}" kunde inte skrivas: {read_only}.' in r.stderr
    assert_swedish(Result(1, "", r.stderr), tmp_path, *place.values())


# --- a period outside the mandate period ----------------------------------------------------------


@pytest.mark.parametrize("period", ["1999", "2023", "2023-T1", "2018"])
def test_a_period_outside_the_mandate_period_is_refused(
    period: str, run_cli: Run, place: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    for args in (
        ["score", place["wb"], "--period", period],
        ["build", place["wb"], "--period", period, "--out", out, "-f", "json"],
        [
            "build",
            place["wb"],
            "--period",
            period,
            "--out",
            out,
            "-f",
            "json",
            "--allow-empty-period",
        ],
    ):
        r = run_cli(*args)
        assert r.exit_code == 1, r.output
        assert f"Fel: Perioden {period}" in r.stderr
        assert (
            "ligger utanför mandatperioden 2020–2022, och arbetsboken har inga utfall eller "
            "prognoser för den. Perioder med utfall eller prognoser: 2019, 2020-T1, 2020. "
            "Välj en av dem med --period."
        ) in r.stderr
        assert_swedish(r, tmp_path, *place.values())
    assert not out.exists()


def test_a_period_outside_the_mandate_period_with_outcomes_is_read(
    run_cli: Run, place: dict[str, Path]
) -> None:
    """2019 lies before the mandate period 2020–2022 but holds the baselines' outcomes."""
    r = run_cli("score", place["wb"], "--period", "2019")
    assert r.exit_code == 0, r.output
    assert "måluppfyllelse helår 2019" in r.stdout


def test_a_period_inside_the_mandate_period_without_data(
    run_cli: Run, place: dict[str, Path]
) -> None:
    """Inside the mandate period, score still shows the period (nothing registered yet) and
    says which periods have data, as build's refusal does."""
    r = run_cli("score", place["wb"], "--period", "2021")
    assert r.exit_code == 0, r.output
    assert (
        "Obs: det finns inga utfall för perioden 2021 i arbetsboken; alla mätvärden bedöms utan "
        "utfall. Perioder med utfall eller prognoser: 2019, 2020-T1, 2020."
    ) in r.stderr


def test_a_report_period_setting_outside_the_mandate_period(
    run_cli: Run, book: Callable[[Sheets], Path]
) -> None:
    s = base_sheets()
    s["Inställningar"].append(["Rapportperiod", "2024"])
    r = run_cli("score", book(s))
    assert r.exit_code == 1
    assert "Perioden 2024 ligger utanför mandatperioden 2020–2022" in r.stderr
    assert "Perioden kommer från Rapportperiod i bladet Inställningar: ändra den där" in r.stderr


def test_consolidated_refuses_a_period_outside_every_mandate_period(
    run_cli: Run, place: dict[str, Path], tmp_path: Path
) -> None:
    r = run_cli(
        "build", "--consolidated", place["wb"], place["other"], "--period", "1999", "-o", tmp_path
    )
    assert r.exit_code == 1
    assert (
        "Perioden 1999 ligger utanför mandatperioden 2020–2022, och ingen av arbetsböckerna har "
        "utfall eller prognoser för den. Perioder med utfall eller prognoser: 2019, 2020-T1, 2020."
    ) in r.stderr


def test_consolidated_checks_the_out_folder_before_rendering(
    run_cli: Run, place: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksreport import boards, output

    def no_rendering(*_: object, **__: object) -> None:
        raise AssertionError("rendered before the output folder was checked")

    def refuse(*_: object, dir: str = "", **__: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", dir)

    monkeypatch.setattr(boards, "render_consolidated", no_rendering)
    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    out = tmp_path / "ut"
    r = run_cli("build", "--consolidated", place["wb"], place["other"], "--out", out)
    assert r.exit_code == 1
    assert (
        f'Fel: Filerna kan inte skrivas till mappen "{out}": du saknar behörighet att skriva där. '
        "Välj en annan mapp med --out, t.ex. --out rapporter."
    ) in r.stderr
