"""The worker processes a build renders its PDFs in (ksreport.workers): where each job runs, that
errors come back, and that nothing is left running after a build, a failure or an interrupt.

The jobs here are small functions of this module: the workers are forked, so they have it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

import pytest

from conftest import EXAMPLE
from ksreport import workers

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"),
    reason="workers are only used with two or more cores and fork",
)


def where(tag: str) -> bytes:
    return f"{tag} {os.getpid()} {os.getppid()} {os.getpriority(os.PRIO_PROCESS, 0)}".encode()


def fail(message: str) -> bytes:
    raise ValueError(message)


def sleep_after_noting_pid(path: str) -> bytes:
    Path(path).write_text(str(os.getpid()))
    time.sleep(600)
    return b""


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.fixture
def pool() -> Iterator[Executor]:
    started = workers.start()
    assert started is not None
    yield started
    workers.stop(started, finished=False)


def test_first_job_runs_in_the_pdf_worker_the_rest_in_its_low_priority_helper(
    pool: Executor,
) -> None:
    here = os.getpid()
    results = workers.submit(pool, [(where, ("a",), {}), (where, ("b",), {}), (where, ("c",), {})])
    lines = [r.decode().split() for r in results.result(timeout=120)]
    assert [line[0] for line in lines] == ["a", "b", "c"]  # in the order asked for
    (_, pdf_pid, pdf_parent, pdf_nice), (_, helper, helper_parent, helper_nice), c = lines
    assert int(pdf_parent) == here and int(pdf_pid) != here
    assert int(helper_parent) == int(pdf_pid)  # forked from the PDF worker (WeasyPrint loaded)
    assert c[1] == helper
    assert int(pdf_nice) == os.getpriority(os.PRIO_PROCESS, 0)
    assert int(helper_nice) == 19  # the lowest priority: the report PDF goes first


@pytest.mark.parametrize("failing", [0, 1])
def test_an_error_in_either_worker_reaches_the_caller(pool: Executor, failing: int) -> None:
    jobs = [(where, ("a",), {}), (where, ("b",), {})]
    jobs[failing] = (fail, ("trasig mall",), {})
    with pytest.raises(ValueError, match="trasig mall"):
        workers.submit(pool, jobs).result(timeout=120)


def test_stopping_after_a_failure_ends_both_workers_at_once(tmp_path: Path) -> None:
    pool = workers.start()
    assert pool is not None
    notes = [tmp_path / "pdf", tmp_path / "helper"]
    workers.submit(pool, [(sleep_after_noting_pid, (str(n),), {}) for n in notes])
    for _ in range(600):
        if all(n.exists() and n.read_text() for n in notes):
            break
        time.sleep(0.1)
    pids = [int(n.read_text()) for n in notes]
    assert all(running(pid) for pid in pids)
    stopper = threading.Thread(target=workers.stop, args=(pool,), kwargs={"finished": False})
    stopper.start()
    stopper.join(timeout=60)  # the jobs would sleep for ten minutes
    assert not stopper.is_alive()
    for _ in range(100):
        if not any(running(pid) for pid in pids):
            break
        time.sleep(0.1)
    assert not any(running(pid) for pid in pids)


def test_a_broken_user_template_fails_the_build_cleanly(tmp_path: Path) -> None:
    """The presentation renders in the helper: its error still gives exit 1, a message, no
    files, and no process left behind."""
    own = tmp_path / "mallar"
    own.mkdir()
    (own / "presentation.html.j2").write_text("{% for x in %}\n", encoding="utf-8")
    out = tmp_path / "ut"
    r = subprocess.run(
        [sys.executable, "-m", "ksreport", "build", EXAMPLE, "--out", out, "--template-dir", own],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "KSREPORT_JOBS"},
    )
    assert r.returncode == 1
    assert f"Mallen {own / 'presentation.html.j2'} har ett fel på rad 1" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()
    leftover = subprocess.run(["pgrep", "-f", str(out)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
