"""Two builds of the same workbook with the same SOURCE_DATE_EPOCH give identical bytes.

Each build runs in its own process with its own hash seed, so anything that depends on set
order, object ids or the clock shows up as a difference.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE


def build(out: Path, epoch: str, seed: str, jobs: str = "") -> dict[str, bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": seed, "KSREPORT_JOBS": jobs}
    subprocess.run(
        [sys.executable, "-m", "ksreport", "build", str(EXAMPLE), "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_builds_are_byte_for_byte_reproducible(tmp_path: Path) -> None:
    """Also whether the PDFs render in worker processes (the default on two or more cores) or
    all in one process (KSREPORT_JOBS=1)."""
    first = build(tmp_path / "a", "1612345678", "1")
    second = build(tmp_path / "b", "1612345678", "2", jobs="1")
    assert set(first) == set(second)
    assert {".json", ".xlsx", ".docx", ".pdf", ".html"} <= {Path(n).suffix for n in first}
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_generation_date_comes_from_source_date_epoch(tmp_path: Path) -> None:
    files = build(tmp_path / "a", "1612345678", "0")  # 2021-02-03
    html = next(data for name, data in files.items() if name.endswith(".html"))
    assert "3 februari 2021" in html.decode("utf-8")
    other = build(tmp_path / "b", "1700000000", "0")  # 2023-11-14
    assert any(files[name] != other[name] for name in files)
