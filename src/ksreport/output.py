"""Write stage: every output is rendered to bytes first, then written here, last and atomically.

Each file is first written in full to a hidden temporary file beside its target, and each
earlier output gets a backup (a hard link; a copy where the disk has no hard links, as on a
FAT-formatted USB stick). Only when all of them are on disk are the new files renamed into place;
if a rename fails, the files already replaced are restored from their backups.

What a user can rely on:

- a build that fails, or is killed, before the renames leaves earlier outputs byte for byte as
  they were (nothing but hidden temporary files is written until then);
- a build killed during the renames leaves every output whole, each either the earlier or the
  new version;
- a rename that fails has the replaced files restored, and if even that fails the message names
  the files that are new;
- temporary files and backups left by a killed build are removed by the next build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from ksreport.errors import KsreportError

_TRANSLATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
TEMP_SUFFIX = ".ksreport-tmp"
BACKUP_SUFFIX = ".ksreport-bak"
_SLUG_CHARS = 60


def slug(name: str) -> str:
    """The board's name for file names: "Kommunstyrelsen" → "kommunstyrelsen".

    Lower case, å/ä → a, ö → o, é → e, every other run of non-alphanumerics → "-".
    At most 60 characters, cut at a hyphen where there is one: a file name stays well within
    what every file system takes, however long the name in the workbook.
    """
    text = unicodedata.normalize("NFC", name).lower().translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > _SLUG_CHARS:
        cut = text[: _SLUG_CHARS + 1]  # a hyphen just after the limit ends a whole word
        text = cut.rsplit("-", 1)[0] if "-" in cut else cut[:_SLUG_CHARS]
    return text or "namnd"


def _remove_stale(out_dir: Path, names: list[str]) -> None:
    """Remove temporary files and backups that a killed build left for these outputs."""
    for name in names:
        for leftover in out_dir.glob(f".{glob_escape(name)}.*"):
            if leftover.name.endswith((TEMP_SUFFIX, BACKUP_SUFFIX)):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _file_in_path(path: Path) -> Path | None:
    """The first part of ``path`` that exists but is not a folder (``rapport.pdf`` in
    ``rapport.pdf/ut``), if any."""
    for part in (*reversed(path.parents), path):
        try:
            if part.exists() and not part.is_dir():
                return part
        except OSError:  # a name too long, a path too deep: said when it is written
            return None
    return None


def os_error_text(exc: OSError, path: Path) -> str:
    """Why ``path`` cannot be written, in Swedish, for the common reasons (the message around
    it names ``path``); the system's own English text is never shown."""
    code = exc.errno
    if code in (errno.EEXIST, errno.ENOTDIR) and (blocker := _file_in_path(path)) is not None:
        return f'"{blocker}" är en fil, inte en mapp'
    reasons = {
        errno.EROFS: "den ligger på en skrivskyddad enhet eller i en skrivskyddad mapp",
        errno.EACCES: "du saknar behörighet att skriva där",
        errno.EPERM: "du saknar behörighet att skriva där",
        errno.ENOSPC: "disken är full",
        getattr(errno, "EDQUOT", errno.ENOSPC): "disken är full (ditt utrymme är slut)",
        errno.ENAMETOOLONG: "sökvägen är för lång",
        errno.ENOENT: "en mapp i sökvägen finns inte",
        errno.EISDIR: "det finns redan en mapp med det namnet",
        errno.EBUSY: "den används av ett annat program",
        errno.ETXTBSY: "den används av ett annat program",
    }
    if code in reasons:
        return reasons[code]
    name = errno.errorcode.get(code, str(code)) if code is not None else type(exc).__name__
    return f"systemet svarade med felkod {name}"


def _advice(exc: OSError, path: Path) -> str:
    """What to do about ``exc``, the error of writing ``path``."""
    if exc.errno in (errno.EACCES, errno.EPERM) and os.path.lexists(path) and path.is_file():
        return (
            f'Är "{path.name}" öppen i Word, PowerPoint, Excel eller en PDF-läsare? Stäng den och '
            "kör igen, eller välj en annan mapp med --out."
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "Frigör utrymme på disken eller välj en annan mapp med --out."
    if exc.errno == errno.ENAMETOOLONG:
        return "Välj en mapp med kortare sökväg med --out, t.ex. --out rapporter."
    return "Välj en annan mapp med --out, t.ex. --out rapporter."


def check_out_dir(out_dir: Path) -> None:
    """Before anything is rendered: make ``out_dir`` if it is missing and prove that a file can
    be written there, so a build does not render for seconds only to fail at the end. (A full
    disk shows only when the files are written; ``write_outputs`` says so then.)"""
    if (blocker := _file_in_path(out_dir)) is not None:
        raise KsreportError(
            f'Mappen för de skapade filerna kan inte vara "{out_dir}": "{blocker}" är en fil, '
            "inte en mapp. Välj en annan mapp med --out, t.ex. --out rapporter."
        )
    # Folders made only for the check are removed again: a build that fails later leaves no
    # trace, and write_outputs makes them for real.
    made = [d for d in (out_dir, *out_dir.parents) if _missing(d)]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_folders(made)
        raise KsreportError(
            f'Mappen "{out_dir}" kan inte skapas: {os_error_text(exc, out_dir)}. '
            f"{_advice(exc, out_dir)}"
        ) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".ksreport-check.", suffix=TEMP_SUFFIX, dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise KsreportError(
            f'Filerna kan inte skrivas till mappen "{out_dir}": {os_error_text(exc, out_dir)}. '
            f"{_advice(exc, out_dir)}"
        ) from None
    finally:
        _remove_folders(made)


def _missing(folder: Path) -> bool:
    try:
        return not folder.exists()
    except OSError:  # e.g. a name too long: mkdir below says so in Swedish
        return True


def _remove_folders(folders: list[Path]) -> None:
    """Remove the (empty) folders ``check_out_dir`` made, deepest first."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_outputs(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file atomically into ``out_dir``; nothing is replaced unless all are written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KsreportError(
            f'Mappen "{out_dir}" kan inte skapas: {os_error_text(exc, out_dir)}. '
            f"{_advice(exc, out_dir)}"
        ) from None
    _remove_stale(out_dir, list(files))
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    backups: list[tuple[str, Path]] = []
    replaced: list[Path] = []
    current = out_dir
    try:
        for name, data in files.items():
            current = out_dir / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=out_dir)
            staged.append((tmp, out_dir / name))
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o666 & ~umask)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for _, target in staged:
            current = target
            if target.exists():
                backup = str(out_dir / f".{target.name}.{os.getpid()}{BACKUP_SUFFIX}")
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(backup)
                backups.append((backup, target))
                _back_up(target, backup)
        for tmp, target in staged:
            current = target
            os.replace(tmp, target)
            replaced.append(target)
        staged = []
        _sync_folder(out_dir)
        return replaced
    except OSError as exc:
        restore = {target: backup for backup, target in backups}
        changed: list[Path] = []
        for target in replaced:
            try:
                if target in restore:
                    os.replace(restore.pop(target), target)
                else:
                    target.unlink()
            except OSError:
                changed.append(target)
        if changed:
            names = ", ".join(f'"{t.name}"' for t in changed)
            outcome = (
                f"{names} hann ersättas med den nya versionen och kunde inte återställas; "
                "övriga filer är oförändrade."
            )
        else:
            outcome = "Inga tidigare filer har ändrats."
        raise KsreportError(
            f'Filen "{current}" kunde inte skrivas: {os_error_text(exc, current)}. '
            f"{_advice(exc, current)} {outcome}"
        ) from None
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for backup, _ in backups:
            with contextlib.suppress(OSError):
                os.unlink(backup)


#: What ``link`` says where a disk or share has no hard links (FAT, exFAT, some network shares).
_NO_HARD_LINKS = {
    errno.EPERM,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
    errno.EOPNOTSUPP,
}


def _back_up(target: Path, backup: str) -> None:
    """Keep the earlier ``target`` as ``backup``: a hard link, else a full copy."""
    try:
        os.link(target, backup)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        shutil.copyfile(target, backup)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a power cut right after a build keeps the new names); where a
    folder cannot be opened or synced (some systems, network shares), the renames stand as
    they are."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
