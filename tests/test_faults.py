"""Faults injected at every step of a build, one at a time and deterministically (issue 16).

Each stage of ``ksreport build`` is made to fail in turn by monkeypatching: reading, validation,
scoring, the comparison, the context, the memo, every renderer (the PDFs' in the PDF worker and
its helper, whose processes also die), the council build's, and in the write stage the
creation, the write, the fsync, the backup link and the rename of the n-th file, for every n
(``faults.Faults``). A failed build exits 1 with a Swedish message and no traceback, and leaves
the out folder byte for byte as it was, with no temporary file. (Where a stage before writing
fails, the renderers that are not failing return stand-in bytes at once: what they render does
not matter, only that nothing is written.)

A real build process is also killed (SIGKILL, sent to itself at a chosen call, never by timing)
halfway through writing each file, before a backup link, and before, between and after the
renames. What ``ksreport.output`` promises, and what is checked: a kill before the renames start
changes no output; a kill during the renames leaves each output whole, the old or the new one
(k new after k renames); the next build removes what the killed one left and writes every file.

Checked when these tests were written, on a copy of the tree: a ``write_outputs`` that writes
straight to the targets fails every write-fault, watch and kill test here (the sleep-based kill
test this replaces passed with it); one that renames each temporary file as soon as it is
written fails those where the 2nd or 3rd file fails or the build is killed while writing it.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner

from conftest import Result
from faults import WRITE_ERRORS, Faults
from ksreport.output import BACKUP_SUFFIX, TEMP_SUFFIX
from workbooks import Sheets, base_sheets, write_book

Run = Callable[..., Result]

EPOCH = "1600000000"  # every build here: the same generation time, so only the workbook differs
SMALL = "json,xlsx,html"
TESTS = Path(__file__).resolve().parent
_MAIN_PID = os.getpid()  # the test process; the PDF workers are forked from it

needs_fork = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"),
    reason="PDF workers are only used with two or more cores and fork",
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder``, hidden ones (temporary files, backups) included."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def invoke(*args: str | Path) -> Result:
    """``ksreport ARGS`` in this process, as ``run_cli`` runs it (for module-scoped fixtures)."""
    from ksreport.cli import cli
    from ksreport.cli_sv import install

    install()
    r = CliRunner().invoke(
        cli, [str(a) for a in args], prog_name="ksreport", catch_exceptions=False
    )
    return Result(r.exit_code, r.stdout, r.stderr)


def changed(sheets: Sheets) -> Sheets:
    """The same plan with a different result for M1 in 2020: every output differs."""
    sheets["Utfall"][2][2] = 69
    return sheets


@pytest.fixture(scope="module", autouse=True)
def _reproducible() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.delenv("KSREPORT_DEBUG", raising=False)  # a bug's message, not its traceback
        yield


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The workbook of the earlier build, and the changed one the faulty builds read."""
    folder = tmp_path_factory.mktemp("books")
    return (
        write_book(folder / "bok1.xlsx", base_sheets()),
        write_book(folder / "bok2.xlsx", changed(base_sheets())),
    )


@pytest.fixture(scope="module")
def small(
    books: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A first build as JSON, XLSX and HTML, and what a build of the changed workbook writes."""
    base = tmp_path_factory.mktemp("small")
    for book, name in zip(books, ("gammal", "ny"), strict=True):
        r = invoke("build", book, "--out", base / name, "--format", SMALL)
        assert r.exit_code == 0, r.output
    old, new = snapshot(base / "gammal"), snapshot(base / "ny")
    assert len(old) == 3 and old.keys() == new.keys()
    assert all(old[name] != new[name] for name in old)  # so old and new can be told apart
    return old, new


def prepared(folder: Path, files: dict[str, bytes]) -> Path:
    """``folder`` holding the earlier build's ``files``."""
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def assert_failed_cleanly(r: Result, *texts: str) -> None:
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    for text in texts:
        assert text in r.stderr, r.stderr


# -- Every stage before writing ---------------------------------------------------------------

# Where each stage is looked up when a build runs it (the pipeline imports them when needed).
STAGES = {
    "read": ("ksreport.validate", "read_workbook"),
    "validate": ("ksreport.validate", "validate"),
    "score": ("ksreport.scoring", "score"),
    "compare": ("ksreport.changes", "compare"),
    "build_context": ("ksreport.context", "build_context"),
    "build_memo": ("ksreport.memo", "build_memo"),
}
RENDERERS = {
    "json": ("ksreport.render.json", "render_json"),
    "xlsx": ("ksreport.render.xlsx", "render_results_xlsx"),
    "report_docx": ("ksreport.render.docx", "render_report_docx"),
    "report_pdf": ("ksreport.render.pdf", "render_report_pdf"),  # in the PDF worker
    "slides_pdf": ("ksreport.render.slides_pdf", "render_presentation_pdf"),  # in its helper
    "pptx": ("ksreport.render.pptx", "render_presentation_pptx"),
    "html": ("ksreport.render.html", "render_report_html"),
    "memo_docx": ("ksreport.render.memo", "render_memo_docx"),
    "memo_pdf": ("ksreport.render.memo", "render_memo_pdf"),  # in the helper
}
PDFS = ("report_pdf", "slides_pdf", "memo_pdf")


def patch(monkeypatch: pytest.MonkeyPatch, where: tuple[str, str], fn: object) -> None:
    module, name = where
    __import__(module)
    monkeypatch.setattr(sys.modules[module], name, fn)


def process() -> str:
    return "huvudprocessen" if os.getpid() == _MAIN_PID else "en arbetsprocess"


def stand_in(*args: object, **kwargs: object) -> bytes:
    """Every renderer but the failing one, at once (what they render does not matter here: it
    must not be written)."""
    return b"stand-in\n"


@dataclass(frozen=True)
class Fault:
    """A stage that fails, saying which and in which process (the PDF workers run it too: an
    instance of a module-level class pickles)."""

    stage: str

    def __call__(self, *args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError(f"Injicerat fel i {self.stage} ({process()})")


def die(*args: object, **kwargs: object) -> NoReturn:
    """A PDF job whose worker process dies outright."""
    if process() == "huvudprocessen":
        raise RuntimeError("Injicerat fel i huvudprocessen")
    os._exit(1)


def workers_used() -> bool:
    return (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


@pytest.mark.parametrize("stage", [*STAGES, *RENDERERS])
def test_a_failing_stage_leaves_the_earlier_outputs(
    stage: str,
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every format is asked for, so the PDF workers are at work when a stage fails, and the
    PDFs' faults happen in them. Nothing is written: not the earlier build's formats, nor
    the others."""
    monkeypatch.delenv("KSREPORT_JOBS", raising=False)
    old, _ = small
    out = prepared(tmp_path / "ut", old)
    for where in RENDERERS.values():
        patch(monkeypatch, where, stand_in)
    patch(monkeypatch, {**STAGES, **RENDERERS}[stage], Fault(stage))
    r = run_cli("build", books[1], "--out", out)
    where = "en arbetsprocess" if stage in PDFS and workers_used() else "huvudprocessen"
    assert_failed_cleanly(
        r, "Ett oväntat fel", f"Injicerat fel i {stage} ({where})", "Inga filer har skrivits"
    )
    assert snapshot(out) == old


@needs_fork
@pytest.mark.parametrize("pdf", ["report_pdf", "memo_pdf"], ids=["pdf-worker", "helper"])
def test_a_worker_process_that_dies_leaves_the_earlier_outputs(
    pdf: str,
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KSREPORT_JOBS", raising=False)
    old, _ = small
    out = prepared(tmp_path / "ut", old)
    for where in RENDERERS.values():
        patch(monkeypatch, where, stand_in)
    patch(monkeypatch, RENDERERS[pdf], die)
    r = run_cli("build", books[1], "--out", out)
    assert_failed_cleanly(r, "Ett oväntat fel", "BrokenProcessPool", "Inga filer har skrivits")
    assert snapshot(out) == old


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, bytes]]:
    """Two boards' workbooks, and the out folder after a first council build (DOCX, HTML)."""
    folder = tmp_path_factory.mktemp("council")
    social = base_sheets()
    social["Inställningar"][2][1] = "Socialnämnden"
    first = [write_book(folder / "ks.xlsx", base_sheets()), write_book(folder / "son.xlsx", social)]
    out = folder / "ut"
    r = invoke("build", "--consolidated", *first, "--out", out, "--format", "docx,html")
    assert r.exit_code == 0, r.output
    before = snapshot(out)
    assert len(before) == 2
    again = [write_book(folder / "ks2.xlsx", changed(base_sheets())), first[1]]
    return again, before


COUNCIL_STAGES = {
    "build_consolidated_context": ("ksreport.context_consolidated", "build_consolidated_context"),
}
COUNCIL_RENDERERS = {
    f"consolidated_{f}": ("ksreport.render.consolidated", f"render_consolidated_{f}")
    for f in ("docx", "pdf", "html")
}


@pytest.mark.parametrize("stage", [*COUNCIL_STAGES, *COUNCIL_RENDERERS])
def test_a_failing_council_stage_leaves_the_earlier_outputs(
    stage: str,
    run_cli: Run,
    council: tuple[list[Path], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``build --consolidated`` in every format, over a first build's DOCX and HTML."""
    files, before = council
    out = prepared(tmp_path / "ut", before)
    for where in COUNCIL_RENDERERS.values():
        patch(monkeypatch, where, stand_in)
    patch(monkeypatch, {**COUNCIL_STAGES, **COUNCIL_RENDERERS}[stage], Fault(stage))
    r = run_cli("build", "--consolidated", *files, "--out", out)
    assert_failed_cleanly(
        r, "Ett oväntat fel", f"Injicerat fel i {stage} (huvudprocessen)", "Inga filer har skrivits"
    )
    assert snapshot(out) == before


# -- The write stage ---------------------------------------------------------------------------


WRITE_FAULTS = [(step, n) for step in WRITE_ERRORS for n in range(3)]


@pytest.mark.parametrize(("step", "n"), WRITE_FAULTS, ids=[f"{s}-{n}" for s, n in WRITE_FAULTS])
def test_a_failing_write_leaves_the_earlier_outputs(
    step: str,
    n: int,
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The n-th file's creation, write, fsync, backup or rename fails (the build writes 3)."""
    old, new = small
    out = prepared(tmp_path / "ut", old)
    faults = Faults(out, step, n)
    faults.install(monkeypatch.setattr)
    r = run_cli("build", books[1], "--out", out, "--format", SMALL)
    assert faults.calls > n  # the fault was reached
    assert_failed_cleanly(
        r, f'Fel: Filen "{out}{os.sep}', "kunde inte skrivas", "Inga tidigare filer har ändrats"
    )
    assert snapshot(out) == old
    faults.n = -1  # the disk works again
    assert run_cli("build", books[1], "--out", out, "--format", SMALL).exit_code == 0
    assert snapshot(out) == new


def test_a_disk_without_hard_links_gets_copies_as_backups(
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A FAT-formatted USB stick or a share without hard links (``link`` says EPERM): the
    backups are copies, the rebuild writes every file, and a rename that fails there still has
    the replaced files restored from the copies."""
    old, new = small
    out = prepared(tmp_path / "ut", old)

    def no_links(src: object, dst: object, *args: object, **kwargs: object) -> NoReturn:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    faults = Faults(out, "rename", 2)
    faults.install(monkeypatch.setattr)
    r = run_cli("build", books[1], "--out", out, "--format", SMALL)
    assert_failed_cleanly(r, "Inga tidigare filer har ändrats")
    assert snapshot(out) == old
    faults.n = -1
    assert run_cli("build", books[1], "--out", out, "--format", SMALL).exit_code == 0
    assert snapshot(out) == new


def test_a_restore_that_fails_too_names_the_files_that_are_new(
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk turns read-only after the first rename: the restore fails as well, and the
    message says which file is already the new one instead of "nothing has changed"."""
    old, new = small
    out = prepared(tmp_path / "ut", old)
    real = os.replace
    renamed: list[str] = []

    def read_only_after_one(src: object, dst: object) -> None:
        if renamed:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real(src, dst)  # type: ignore[arg-type]
        renamed.append(Path(os.fsdecode(dst)).name)  # type: ignore[arg-type]

    from ksreport import output

    monkeypatch.setattr(output.os, "replace", read_only_after_one)
    r = run_cli("build", books[1], "--out", out, "--format", SMALL)
    assert r.exit_code == 1 and "Traceback" not in r.output
    first = renamed[0]
    assert f'"{first}" hann ersättas med den nya versionen' in r.stderr, r.stderr
    assert "Inga tidigare filer har ändrats" not in r.stderr
    now = {name: data for name, data in snapshot(out).items() if not name.startswith(".")}
    assert now == {**old, first: new[first]}


def test_watch_mode_builds_again_after_a_failed_write(
    run_cli: Run,
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``build --watch``: the second rename of the first build fails; the outputs stay as they
    were until the workbook is saved again, and then all are written."""
    old, new = small
    out = prepared(tmp_path / "ut", old)
    faults = Faults(out, "rename", 1)
    faults.install(monkeypatch.setattr)
    seen: list[dict[str, bytes]] = []

    def saved(path: Path, signature: object, **kwargs: object) -> object:
        seen.append(snapshot(out))
        if len(seen) > 1:
            raise KeyboardInterrupt  # Ctrl+C
        faults.n = -1
        return signature

    from ksreport import watch

    monkeypatch.setattr(watch, "wait_for_change", saved)
    r = run_cli("build", books[1], "--out", out, "--format", SMALL, "--watch")
    assert r.exit_code == 0, r.output
    assert "kunde inte skrivas" in r.stderr and "Traceback" not in r.output
    assert seen == [old, new]


# -- A build killed while it writes ------------------------------------------------------------

KILLS = [
    *(("write", k) for k in range(3)),  # halfway through writing the k-th temporary file
    ("link", 2),  # two backups made, the third not yet
    *(("rename", k) for k in range(4)),  # after k renames: before the first … after the last
]


@pytest.fixture(scope="module")
def killed(
    books: tuple[Path, Path],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, int], tuple[int, str, Path]]:
    """Each killed build's return code and out folder; the builds run side by side."""
    old, _ = small
    base = tmp_path_factory.mktemp("killed")
    env = {k: v for k, v in os.environ.items() if k != "KSREPORT_DEBUG"}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    started = {}
    for step, k in KILLS:
        out = prepared(base / f"{step}-{k}", old)
        args = ["build", str(books[1]), "--out", str(out), "--format", SMALL]
        proc = subprocess.Popen(
            [sys.executable, str(TESTS / "faults.py"), step, str(k), str(out), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started[step, k] = (proc, out)
    results = {}
    for key, (proc, out) in started.items():
        _, err = proc.communicate(timeout=120)
        results[key] = (proc.returncode, err.decode(), out)
    return results


@pytest.mark.parametrize(("step", "k"), KILLS, ids=[f"{s}-{k}" for s, k in KILLS])
def test_a_killed_build_leaves_whole_files_and_the_next_build_cleans_up(
    step: str,
    k: int,
    killed: dict[tuple[str, int], tuple[int, str, Path]],
    small: tuple[dict[str, bytes], dict[str, bytes]],
    books: tuple[Path, Path],
    run_cli: Run,
) -> None:
    old, new = small
    code, err, out = killed[step, k]
    assert code == -signal.SIGKILL, err  # killed where asked, not finished or failed
    after = snapshot(out)
    left = {name for name in after if name.startswith(".")}
    assert all(name.endswith((TEMP_SUFFIX, BACKUP_SUFFIX)) for name in left)
    outputs = {name: data for name, data in after.items() if name not in left}
    assert outputs.keys() == old.keys()
    assert all(data in (old[name], new[name]) for name, data in outputs.items())  # never partial
    renamed = k if step == "rename" else 0
    assert sum(data == new[name] for name, data in outputs.items()) == renamed
    r = run_cli("build", books[1], "--out", out, "--format", SMALL)
    assert r.exit_code == 0, r.output
    assert snapshot(out) == new  # every file new, nothing left over
