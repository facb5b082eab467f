"""``ksreport build --watch``: a rebuild each time the workbook is saved, errors shown without
ending the watch, and Ctrl+C ending it cleanly with no process left behind."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from conftest import EXAMPLE
from ksreport.watch import signature, wait_for_change
from workbooks import base_sheets, write_book


def test_wait_for_change_waits_until_the_file_has_settled(tmp_path: Path) -> None:
    path = tmp_path / "bok.xlsx"
    path.write_bytes(b"a")
    seen = signature(path)
    steps: list[Callable[[], None]] = [
        lambda: None,  # unchanged
        lambda: path.unlink(),  # Excel's save: the old file goes away …
        lambda: None,
        lambda: path.write_bytes(b"half"),  # … the new one is being written …
        lambda: path.write_bytes(b"complete"),  # … and is complete
        lambda: None,
        lambda: None,  # unchanged for 0.5 s: done
    ]
    calls = []

    def fake_sleep(seconds: float) -> None:
        calls.append(seconds)
        steps.pop(0)() if steps else None

    new = wait_for_change(path, seen, interval=0.25, settle=0.5, sleep=fake_sleep)
    assert new == signature(path) and new != seen
    assert path.read_bytes() == b"complete"
    assert steps == []  # it returned only once "complete" had stayed the same for 0.5 s


class Watch:
    """A ``ksreport build --watch`` process and the lines it has printed."""

    def __init__(self, book: Path, out: Path) -> None:
        args = ["build", book, "--out", out, "--format", "docx,pdf", "--watch"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ksreport", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Ctrl+C must reach it even where the tests run in the background, where the shell
            # has set SIGINT to be ignored and a child would inherit that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        stdout = self.proc.stdout
        self.reader = threading.Thread(target=lambda: self.lines.extend(stdout), daemon=True)
        self.reader.start()

    def end(self) -> None:
        """Ctrl+C, as the user ends it."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        self.reader.join(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def wait_for(self, text: str, count: int) -> None:
        for _ in range(1200):
            if sum(text in line for line in self.lines) >= count:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"väntade på {text!r} ({count}): {''.join(self.lines)}")


def save(book: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    """Save as Excel does: a new file renamed over the old one."""
    wb = openpyxl.load_workbook(book)
    change(wb)
    tmp = book.with_suffix(".tmp")
    wb.save(tmp)
    os.replace(tmp, book)


def pdf_text(out: Path) -> str:
    data = next(out.glob("*-verksamhetsberattelse.pdf")).read_bytes()
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_watch_rebuilds_on_save_reports_errors_and_ends_on_ctrl_c(tmp_path: Path) -> None:
    # A small workbook: the test is about rebuilding, not about the sample (bench/ times that).
    book, out = write_book(tmp_path / "bok.xlsx", base_sheets()), tmp_path / "ut"
    watch = Watch(book, out)
    try:
        watch.wait_for("skrev 5 filer", 1)
        assert "Fullmäktige bevakar" not in pdf_text(out)

        def new_analysis(wb: openpyxl.Workbook) -> None:
            wb["Bedömningar"].append(["Mål", "1", 2020, "", "", "Fullmäktige bevakar.", ""])

        save(book, new_analysis)
        watch.wait_for("skrev 5 filer", 2)
        assert "Fullmäktige bevakar" in pdf_text(out)

        save(book, lambda wb: wb["Mätvärden"].cell(row=2, column=7, value="inte ett tal"))
        watch.wait_for("Rätta felen och spara arbetsboken", 1)
        assert any("Mätvärden!G2" in line for line in watch.lines)
        assert "Fullmäktige bevakar" in pdf_text(out)  # the last good build stays

        save(book, lambda wb: wb["Mätvärden"].cell(row=2, column=7, value=50))
        watch.wait_for("skrev 5 filer", 3)
    finally:
        watch.end()
    assert "Slutar bevaka." in watch.lines[-1]
    assert watch.proc.returncode == 0
    assert "Traceback" not in "".join(watch.lines)
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", str(book)], capture_output=True, text=True)
    assert left.stdout.strip() == ""


def test_watch_is_for_one_board(run_cli: Callable[..., object], tmp_path: Path) -> None:
    r = run_cli("build", EXAMPLE, EXAMPLE, "--consolidated", "--watch", "--out", tmp_path)
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert "--watch går inte att använda med --consolidated" in r.stderr  # type: ignore[attr-defined]
