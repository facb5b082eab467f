"""Writing is last and atomic: a failed or killed build leaves earlier outputs as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, Result
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


def test_killed_build_leaves_earlier_outputs(tmp_path: Path) -> None:
    """SIGKILL a real build at several moments; outputs are always the old or the new ones."""
    out = tmp_path / "ut"
    out.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1600000000"}
    cmd = [
        sys.executable,
        "-m",
        "ksreport",
        "build",
        str(EXAMPLE),
        "--out",
        str(out),
        "--format",
        "json,xlsx",
    ]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    old = snapshot(out)
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    new_out = tmp_path / "ny"
    subprocess.run(
        [*cmd[:-3], str(new_out), "--format", "json,xlsx"], check=True, env=env, capture_output=True
    )
    new = snapshot(new_out)
    assert old != new
    for delay in (0.05, 0.2, 0.4, 0.6):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(out)
        for name, data in now.items():
            if name.startswith("."):
                continue  # a temporary file; removed by the next build (tested above)
            assert data in (old[name], new[name])
        for p in out.iterdir():
            if p.name.startswith("."):
                p.unlink()
        for name in old:
            (out / name).write_bytes(old[name])
