"""``ksreport build --watch``: wait for the workbook to be saved again, so that the reports can
be rebuilt while the analysis texts are being written.

Polls the file's modification time and size (no extra dependency, and it works the same on
network drives, where file-system events often do not arrive). Excel saves by writing a new file
and renaming it over the old one, so a change counts only once the file has stayed the same for
a moment: the build never reads a half-written workbook.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

Signature = tuple[int, int] | None
"""(modification time in ns, size) of a file, or None while it does not exist."""


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def wait_for_change(
    path: Path,
    seen: Signature,
    *,
    interval: float = 0.25,
    settle: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Signature:
    """Block until ``path`` differs from ``seen``, exists, and has not changed for ``settle``
    seconds; return its new signature."""
    while True:
        sleep(interval)
        now = signature(path)
        if now is None or now == seen:
            continue
        stable_for = 0.0
        while stable_for < settle:
            sleep(interval)
            later = signature(path)
            if later != now:
                now, stable_for = later, 0.0
            else:
                stable_for += interval
        if now is not None:
            return now
