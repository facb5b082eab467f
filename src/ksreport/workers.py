"""Parallel rendering: the PDFs render in two worker processes while the main process renders
every other output. Same bytes as rendering everything in one process, only sooner.

The layout follows what a build spends its time on (measured in issue 6, bench/bench.py):

- The *PDF worker* is forked as soon as a build that writes PDF starts, and imports WeasyPrint
  (about 0.45 s) while the main process reads, validates and scores the workbook. It renders
  the report PDF, the longest single task of a build: the build can finish no sooner.
- Right after that import the PDF worker forks a *helper*, which so starts with WeasyPrint
  loaded instead of importing it a second time, and renders the presentation and the memo as
  PDF. It runs at the lowest priority (nice 19): on a two-core machine there are three
  processes, and the report PDF must not wait for the smaller PDFs; they use the CPU time the
  main process leaves when it is done with the DOCX, PPTX, HTML, JSON and XLSX.

Workers are forked (cheap, and the parent's imports come along); there are none where there is
one core, no ``fork``, or ``KSREPORT_JOBS=1``. A job's arguments and result are pickled.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

Job = tuple[Callable[..., bytes], tuple[Any, ...], dict[str, Any]]
"""A render call that can run in another process: function, positional and keyword args."""

_helper: Any = None  # the helper's executor; set in the PDF worker only


def start() -> Executor | None:
    """Start the PDF worker (and through it the helper) now, so that their imports overlap
    with reading the workbook; None where rendering stays in this process."""
    import multiprocessing

    if os.environ.get("KSREPORT_JOBS", "").strip() == "1" or (os.cpu_count() or 1) < 2:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_pdf_worker,
        initargs=(os.getpid(),),
    )
    pool.submit(_ready)  # forks the process now, not at the first job
    return pool


def submit(workers: Executor, jobs: list[Job]) -> Future[list[bytes]]:
    """Run ``jobs`` in the workers: the first (the largest) in the PDF worker, the others in
    the helper meanwhile. The future gives their bytes in the same order."""
    return workers.submit(_run, jobs)


def release(workers: Executor) -> None:
    """After a build, have the PDF worker hand the memory of its report back to the system
    (``build --watch``, where the workers stay up between builds); does not wait."""
    workers.submit(release_memory)


def stop(workers: Executor, *, finished: bool) -> None:
    """Shut the workers down: they are idle when the build ``finished``; otherwise (an error or
    an interrupt in this process) they are ended at once rather than finishing their PDF."""
    if not finished:
        # Executor has no public way to end running jobs before Python 3.14.
        for process in list(getattr(workers, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()  # the PDF worker ends its helper too (see _pdf_worker)
    workers.shutdown(wait=finished, cancel_futures=True)


def _pdf_worker(parent: int) -> None:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.util import Finalize

    global _helper
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process reports an interrupt
    signal.signal(signal.SIGTERM, _end_with_helper)
    from ksreport.render.pdf import import_weasyprint

    import_weasyprint()  # the slow part of a first render

    gc.collect()
    gc.freeze()  # the imported modules never need collecting: later collections skip them
    _helper = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_helper,
        initargs=(os.getpid(),),
    )
    _helper.submit(_ready)  # forked now, with WeasyPrint already imported
    # When the main process shuts this worker down, the helper goes first: a process waits for
    # its children as it exits, and the helper waits for work until it is shut down. Priority
    # 100: before multiprocessing closes the queue the shutdown is sent through (priority 10).
    Finalize(None, _helper.shutdown, kwargs={"cancel_futures": True}, exitpriority=100)


def _end_with_helper(signum: int, frame: object) -> None:
    """SIGTERM in the PDF worker: end the helper first, so no process is left behind."""
    processes = getattr(_helper, "_processes", None) or {}
    for process in list(processes.values()):
        process.terminate()
    os._exit(128 + signum)


def _start_helper(parent: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with(parent)
    with contextlib.suppress(OSError):  # where not allowed, it runs at the normal priority
        os.nice(19)


def _end_with(parent: int) -> None:
    """Have this worker end when ``parent`` does, however it ends (even killed outright), so
    that no worker outlives its build. Linux: the parent-death signal; elsewhere the normal
    shutdown (``stop``) has to do."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)


def _ready() -> bool:
    return True


def _then_release(fn: Callable[..., bytes], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    """Run a job in the helper, then hand the memory it used back to the system: the helper
    idles until the report PDF is done, and that is when a large build needs memory most."""
    try:
        return fn(*args, **kwargs)
    finally:
        release_memory()


def release_memory() -> None:
    """Collect garbage and return freed heap memory to the system (glibc's ``malloc_trim``;
    elsewhere only the collection). Python keeps freed memory for reuse otherwise."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)


def _run(jobs: list[Job]) -> list[bytes]:
    """In the PDF worker: the first job here, the others in the helper at the same time."""
    if _helper is None:  # not in a PDF worker (only when called directly)
        return [fn(*args, **kwargs) for fn, args, kwargs in jobs]
    later = [_helper.submit(_then_release, fn, args, kwargs) for fn, args, kwargs in jobs[1:]]
    fn, args, kwargs = jobs[0]
    try:
        first = fn(*args, **kwargs)
    except BaseException:
        for future in later:
            future.cancel()
        raise
    return [first, *(future.result() for future in later)]
