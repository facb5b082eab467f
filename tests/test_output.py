"""Writing is last and atomic: a failed build leaves earlier outputs as they were.

Faults at every other step, and builds killed while they write: tests/test_faults.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from ksreport import output
from ksreport.errors import KsreportError
from ksreport.output import slug, write_outputs
from workbooks import Sheets

Run = Callable[..., Result]
Book = Callable[[Sheets], Path]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kommunstyrelsen", "kommunstyrelsen"),
        ("Barn- och utbildningsnämnden", "barn-och-utbildningsnamnden"),
        ("Miljö & Hälsa", "miljo-halsa"),
        ("Kultur- och fritidsnämnden (KFN)", "kultur-och-fritidsnamnden-kfn"),
        ("Café Ö", "cafe-o"),
        ("Nämnden för " + "mycket " * 20, "namnden-for" + "-mycket" * 7),
        ("x" * 2000, "x" * 60),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_write_outputs_replaces_all(tmp_path: Path) -> None:
    write_outputs(tmp_path, {"a.txt": b"1", "b.txt": b"2"})
    write_outputs(tmp_path, {"a.txt": b"3", "b.txt": b"4"})
    assert snapshot(tmp_path) == {"a.txt": b"3", "b.txt": b"4"}
    assert oct((tmp_path / "a.txt").stat().st_mode & 0o777) != "0o600"


def test_failed_rename_restores_earlier_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_outputs(tmp_path, {"a.txt": b"old a", "b.txt": b"old b", "c.txt": b"old c"})
    real_replace = os.replace
    calls = []

    def failing_replace(src: str, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(KsreportError, match="Inga tidigare filer har ändrats"):
        write_outputs(tmp_path, {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"new c"})
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert snapshot(tmp_path) == {"a.txt": b"old a", "b.txt": b"old b", "c.txt": b"old c"}


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".a.txt.xyz{output.TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    write_outputs(tmp_path, {"a.txt": b"whole"})
    assert snapshot(tmp_path) == {"a.txt": b"whole"}


def test_renderer_failing_mid_build_leaves_earlier_outputs(
    run_cli: Run, sheets: Sheets, book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ut"
    path = book(sheets)
    assert run_cli("build", path, "--out", out, "-f", "json,xlsx").exit_code == 0
    before = snapshot(out)
    sheets["Utfall"][2][2] = 69  # a different result, so new outputs would differ
    path = book(sheets)

    from ksreport.render import xlsx

    def broken(*args: object, **kwargs: object) -> bytes:
        raise KsreportError("Renderaren gick sönder mitt i bygget.")

    monkeypatch.setattr(xlsx, "render_results_xlsx", broken)
    r = run_cli("build", path, "--out", out, "-f", "json,xlsx")
    assert r.exit_code == 1 and "Renderaren gick sönder" in r.stderr
    assert snapshot(out) == before  # the JSON was rendered first but not written
