"""Write stage: every output is rendered to bytes first, then written here, last and atomically.

Each file is written to a temporary file beside its target and renamed into place only when all
of them have been written, so a failed or interrupted build leaves earlier outputs as they were.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ksreport.errors import KsreportError

_TRANSLATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def slug(name: str) -> str:
    """The board's name for file names: "Kommunstyrelsen" → "kommunstyrelsen".

    Lower case, å/ä → a, ö → o, é → e, every other run of non-alphanumerics → "-".
    """
    text = unicodedata.normalize("NFC", name).lower().translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "namnd"


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file atomically into ``out_dir``; nothing is replaced unless all are written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KsreportError(f'Mappen "{out_dir}" kan inte skapas: {exc.strerror or exc}.') from None
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((tmp, out_dir / name))
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        written = []
        for tmp, target in staged:
            os.replace(tmp, target)
            written.append(target)
        staged = []
        return written
    except OSError as exc:
        raise KsreportError(
            f'Filerna kunde inte skrivas till "{out_dir}": {exc.strerror or exc}. '
            "Inga tidigare filer har ändrats."
        ) from None
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
