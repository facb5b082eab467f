"""Deterministic faults in the write stage of a build, for tests/test_faults.py.

``Faults`` makes the n-th creation, write, fsync, link or rename of a file in the out folder
fail: with an ``OSError`` (installed with ``monkeypatch.setattr`` in the test process), or by
the process killing itself with SIGKILL (run as a script, around the real CLI):

    python tests/faults.py STEP N OUT build ARBETSBOK --out OUT …

This module imports nothing from pytest, so a killed build starts quickly.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

WRITE_ERRORS = {  # each write step's fault, as the system would report it
    "create": errno.ENOSPC,
    "write": errno.ENOSPC,
    "fsync": errno.EIO,
    "link": errno.EIO,  # EPERM and the like: no hard links there, so a copy is made (below)
    "rename": errno.EBUSY,
}


class Faults:
    """Make the ``n``-th call (from 0) of one step of writing into ``folder`` fail.

    Steps: ``create`` (a file is created), ``write`` (a file opened for writing is written:
    half of the bytes go out, then it fails), ``fsync``, ``link`` and ``rename`` (by where the
    link or rename goes). Only calls after every output has been rendered count. The failure is
    an ``OSError``, or with ``kill`` the process SIGKILLs itself; a killed build is also killed
    after the n-th rename, so ``rename`` n = number of files is the moment after the last one.
    """

    def __init__(self, folder: Path, step: str, n: int, *, kill: bool = False) -> None:
        self.folder = folder.resolve()
        self.step, self.n, self.kill = step, n, kill
        self.calls = 0
        self.armed = False

    def fail(self) -> NoReturn:
        if self.kill:
            os.kill(os.getpid(), signal.SIGKILL)
        code = WRITE_ERRORS[self.step]
        raise OSError(code, os.strerror(code))

    def inside(self, target: object) -> bool:
        """Whether ``target`` (a path or an open file descriptor) is a file in the folder."""
        if isinstance(target, int):
            stat = os.fstat(target)
            with os.scandir(self.folder) as entries:
                return any(os.path.samestat(stat, e.stat(follow_symlinks=False)) for e in entries)
        try:
            path = Path(os.fsdecode(target))  # type: ignore[arg-type]
        except TypeError:
            return False
        return path.absolute().parent.resolve() == self.folder

    def due(self, target: object) -> bool:
        """Count a call of the step on ``target``; whether this is the one to fail."""
        if not self.armed or not self.inside(target):
            return False
        self.calls += 1
        return self.calls - 1 == self.n

    def install(self, setattr_: Callable[[object, str, object], None]) -> None:
        """Put the fault in place with ``setattr_`` (``monkeypatch.setattr``, or ``setattr`` in
        a process that is to be killed)."""
        from ksreport import pipeline

        render_all = pipeline.render_all

        def rendered_then_armed(*args: Any, **kwargs: Any) -> dict[str, bytes]:
            files = render_all(*args, **kwargs)
            self.armed = True
            return files

        setattr_(pipeline, "render_all", rendered_then_armed)
        install = getattr(self, f"_install_{self.step}")
        install(setattr_)

    def _install_create(self, setattr_: Callable[[object, str, object], None]) -> None:
        real = os.open

        def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            if flags & os.O_CREAT and self.due(path):
                self.fail()
            return real(path, flags, mode, dir_fd=dir_fd)

        setattr_(os, "open", open_)

    def _install_write(self, setattr_: Callable[[object, str, object], None]) -> None:
        real = io.open

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            fh = real(file, mode, *args, **kwargs)
            if set(mode) & set("wax+") and self.due(file):
                return HalfWritten(fh, self.fail)
            return fh

        setattr_(io, "open", open_)  # os.fdopen and Path.open
        setattr_(builtins, "open", open_)

    def _install_fsync(self, setattr_: Callable[[object, str, object], None]) -> None:
        real = os.fsync

        def fsync(fd: Any) -> None:
            fd = fd if isinstance(fd, int) else fd.fileno()
            if self.due(fd):
                self.fail()
            real(fd)

        setattr_(os, "fsync", fsync)

    def _install_link(self, setattr_: Callable[[object, str, object], None]) -> None:
        real = os.link

        def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if self.due(dst):
                self.fail()
            real(src, dst, *args, **kwargs)

        setattr_(os, "link", link)

    def _install_rename(self, setattr_: Callable[[object, str, object], None]) -> None:
        for name in ("replace", "rename"):
            setattr_(os, name, self._renaming(getattr(os, name)))

    def _renaming(self, real: Callable[..., None]) -> Callable[..., None]:
        def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if self.due(dst):
                self.fail()
            real(src, dst, *args, **kwargs)
            if self.kill and self.armed and self.inside(dst) and self.calls == self.n:
                self.fail()  # after the n-th rename (the moment after the last one, too)

        return rename


class HalfWritten:
    """A file that writes half of what it is given, then fails."""

    def __init__(self, fh: Any, fail: Callable[[], NoReturn]) -> None:
        self._fh, self._fail = fh, fail

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._fh.write(view[: len(view) // 2])
        self._fh.flush()
        self._fail()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> HalfWritten:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def kill_build() -> None:
    """``faults.py STEP N OUT ARGS…``: ``ksreport ARGS``, killed at the N-th STEP into OUT."""
    step, n, out, *args = sys.argv[1:]
    Faults(Path(out), step, int(n), kill=True).install(setattr)
    sys.argv = ["ksreport", *args]
    from ksreport.cli import main

    main()


if __name__ == "__main__":
    kill_build()
