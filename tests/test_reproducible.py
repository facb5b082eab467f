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


def build(out: Path, epoch: str, seed: str, jobs: str = "", fmt: str = "alla") -> dict[str, bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": seed, "KSREPORT_JOBS": jobs}
    subprocess.run(
        [sys.executable, "-m", "ksreport", "build", str(EXAMPLE), "--out", str(out), "-f", fmt],
        check=True,
        env=env,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_builds_are_byte_for_byte_reproducible_and_dated_by_source_date_epoch(
    tmp_path: Path,
) -> None:
    """Also whether the PDFs render in worker processes (the default on two or more cores) or
    all in one process (KSREPORT_JOBS=1). The generation date is SOURCE_DATE_EPOCH's, not the
    clock's: another epoch gives another date."""
    first = build(tmp_path / "a", "1612345678", "1")  # 2021-02-03
    second = build(tmp_path / "b", "1612345678", "2", jobs="1")
    assert set(first) == set(second)
    assert {".json", ".xlsx", ".docx", ".pdf", ".html"} <= {Path(n).suffix for n in first}
    different = [name for name in first if first[name] != second[name]]
    assert different == []

    html_name = next(name for name in first if name.endswith(".html"))
    assert "3 februari 2021" in first[html_name].decode("utf-8")
    other = build(tmp_path / "c", "1700000000", "0", fmt="html")  # 2023-11-14
    assert "14 november 2023" in other[html_name].decode("utf-8")
    assert "3 februari 2021" not in other[html_name].decode("utf-8")
