"""Write stage: every output is rendered to bytes first, then written here, last and atomically.

Each file is first written in full to a hidden temporary file beside its target. Only when all
of them are on disk are they renamed into place; if a rename fails, the files already replaced
are restored from hard-link backups. A build that fails, or is killed before this stage, leaves
earlier outputs byte for byte as they were. Temporary files left by a build that was killed while
writing are removed by the next build.
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
TEMP_SUFFIX = ".ksreport-tmp"
BACKUP_SUFFIX = ".ksreport-bak"


def slug(name: str) -> str:
    """The board's name for file names: "Kommunstyrelsen" → "kommunstyrelsen".

    Lower case, å/ä → a, ö → o, é → e, every other run of non-alphanumerics → "-".
    """
    text = unicodedata.normalize("NFC", name).lower().translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "namnd"


def _remove_stale(out_dir: Path, names: list[str]) -> None:
    """Remove temporary files and backups that a killed build left for these outputs."""
    for name in names:
        for leftover in out_dir.glob(f".{glob_escape(name)}.*"):
            if leftover.name.endswith((TEMP_SUFFIX, BACKUP_SUFFIX)):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file atomically into ``out_dir``; nothing is replaced unless all are written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KsreportError(f'Mappen "{out_dir}" kan inte skapas: {exc.strerror or exc}.') from None
    _remove_stale(out_dir, list(files))
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    backups: list[tuple[str, Path]] = []
    replaced: list[Path] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=out_dir)
            staged.append((tmp, out_dir / name))
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for _, target in staged:
            if target.exists():
                backup = str(out_dir / f".{target.name}.{os.getpid()}{BACKUP_SUFFIX}")
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(backup)
                os.link(target, backup)
                backups.append((backup, target))
        for tmp, target in staged:
            os.replace(tmp, target)
            replaced.append(target)
        staged = []
        return replaced
    except OSError as exc:
        restore = {target: backup for backup, target in backups}
        for target in replaced:
            with contextlib.suppress(OSError):
                if target in restore:
                    os.replace(restore.pop(target), target)
                else:
                    target.unlink()
        raise KsreportError(
            f'Filerna kunde inte skrivas till "{out_dir}": {exc.strerror or exc}. '
            "Inga tidigare filer har ändrats."
        ) from None
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for backup, _ in backups:
            with contextlib.suppress(OSError):
                os.unlink(backup)
