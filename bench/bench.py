"""Benchmark ksreport as a user runs it: whole processes, medians over several runs.

    python bench/bench.py            # the full run (a few minutes)
    python bench/bench.py --quick    # one run each on small inputs: checks that it completes

Measures elapsed seconds and peak memory (the sum of PSS over the process and its workers,
sampled every 50 ms or, for large processes, less often):
- start-up: ``ksreport --help`` (and which heavy modules it imports: none may be),
  ``validate`` and ``score --json`` on data/exempel.xlsx;
- the usual route to a PDF side by side: ``build --format docx`` followed by LibreOffice headless
  converting that DOCX, against ``build --format docx,pdf``, and the full build (every format)
  against LibreOffice's conversion alone;
- a rebuild in ``build --watch`` after the workbook is saved (WeasyPrint stays loaded);
- scale: generated workbooks with 100 and 500 measures (10 goals, 40 sub-goals, 12 periods of
  outcomes each), every format;
- reading: a workbook whose ``Utfall`` has 100 000 rows, validated.
Prints a table and the ratios the performance issue sets targets for. ksreport's bytecode is
compiled first, as ``pip install`` does.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "exempel.xlsx"
HEAVY = ("weasyprint", "matplotlib", "docx", "pptx", "babel", "openpyxl", "PIL", "jinja2")
KINDS = ("-T1", "-H1", "-T2", "")


@dataclass
class Measurement:
    label: str
    seconds: list[float]
    peak_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from each thread's /proc ``children`` list."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):  # the process ended meanwhile
            for task in Path(f"/proc/{p}/task").glob("*/children"):
                todo.extend(int(c) for c in task.read_text().split())
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (e.g. after fork) are split between the processes
    that share them, so the sum over a process tree is its real memory use."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """Run a command; return (elapsed seconds, peak MB of the whole process tree).

    Memory is sampled (every 50 ms or less often) as the sum of the proportional set size (PSS)
    of the process and all its children (ksreport renders in worker processes), so peak memory
    is what the build as a whole holds, not only its largest process. Without /proc it is
    reported as nan.
    """
    sample = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    if sample:
        while proc.poll() is None:
            began = time.perf_counter()
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            # Reading PSS walks the process's page tables (about 10 ms at 600 MB): sample at
            # most a tenth of the time, so the measurement does not slow what it measures.
            time.sleep(max(0.05, 9 * (time.perf_counter() - began)))
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return elapsed, peak / 1024 if sample else float("nan")


def measure(
    label: str,
    cmd: list[str],
    runs: int,
    env: dict[str, str] | None = None,
    before: list[str] | None = None,
) -> Measurement:
    seconds, peaks = [], []
    for _ in range(runs):
        if before:
            subprocess.run(before, check=True, capture_output=True)
        s, mb = timed(cmd, env)
        seconds.append(s)
        peaks.append(mb)
    m = Measurement(label, seconds, peaks)
    print(f"  {label:58} {m.median:7.2f} s  {m.peak:7.0f} MB", flush=True)
    return m


def _ctrl_c_reaches_it() -> None:
    """In the child: let Ctrl+C (SIGINT) end it even where this script runs in the background,
    where the shell has set SIGINT to be ignored and a child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measure_watch(tmp: Path, saves: int, env: dict[str, str]) -> tuple[Measurement, Measurement]:
    """``build --watch --format docx,pdf`` on a copy of the example: after each save (a new
    modification time), the seconds from ksreport noticing it to the files written, and from
    the save itself."""
    import threading

    book = tmp / "watch.xlsx"
    shutil.copy(EXAMPLE, book)
    cmd = ksreport("build", book, "--out", tmp / "watch-out", "--format", "docx,pdf", "--watch")
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_reaches_it
    )
    assert proc.stdout is not None
    stdout = proc.stdout
    seen: list[tuple[float, str]] = []
    reader = threading.Thread(
        target=lambda: seen.extend((time.perf_counter(), line) for line in stdout), daemon=True
    )
    reader.start()

    def when(text: str, count: int) -> float:
        for _ in range(6000):
            hits = [t for t, line in seen if text in line]
            if len(hits) >= count:
                return hits[count - 1]
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        raise SystemExit(f"build --watch: no {text!r}: {''.join(line for _, line in seen)}")

    rebuild, total = [], []
    try:
        when("skrev", 1)
        for i in range(saves):
            saved = time.perf_counter()
            os.utime(book)
            noticed = when("har sparats", i + 1)
            done = when("skrev", i + 2)
            rebuild.append(done - noticed)
            total.append(done - saved)
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        stdout.close()
    label = "build --watch, docx,pdf: a rebuild after a save"
    return Measurement(label, rebuild, [float("nan")]), Measurement(label, total, [float("nan")])


def ksreport(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "ksreport", *map(str, args)]


def make_scaled(path: Path, measures: int, goals: int = 10, subgoals: int = 40) -> Path:
    """A plausible workbook: ``measures`` indicators and activities, 12 periods of outcomes."""
    from ksreport.io.template import write_workbook

    rows: dict[str, list[list[object]]] = {
        "Mål": [
            [
                str(g + 1),
                f"Mål {g + 1} för en hållbar kommun",
                "Beskrivning av målet.",
                f"Fullmäktigemål {g % 4 + 1}",
                "3, 11",
            ]
            for g in range(goals)
        ],
        "Delmål": [
            [
                f"{s % goals + 1}.{s // goals + 1}",
                str(s % goals + 1),
                f"Delmål {s + 1} med en lagom lång rubrik",
                "",
            ]
            for s in range(subgoals)
        ],
        "Mätvärden": [],
        "Utfall": [],
        "Bedömningar": [],
    }
    periods = [f"{y}{k}" for y in (2019, 2020, 2021) for k in KINDS]
    for i in range(measures):
        s = i % subgoals
        sid = f"{s % goals + 1}.{s // goals + 1}"
        mid = f"{sid}.{i // subgoals + 1}"
        if i % 7 == 6:
            rows["Mätvärden"].append(
                [
                    mid,
                    sid,
                    f"Aktivitet {i + 1} som ska genomföras",
                    "Aktivitet",
                    "",
                    "",
                    None,
                    None,
                    None,
                    2021,
                    "",
                    "Enhet",
                ]
            )
            for j, p in enumerate(periods):
                state = ("Ej påbörjad", "Påbörjad", "Genomförd")[min(2, (j + i) // 5)]
                rows["Utfall"].append([mid, p, state, ""])
            continue
        higher = i % 3 != 0
        rows["Mätvärden"].append(
            [
                mid,
                sid,
                f"Indikator {i + 1}: andel invånare som är nöjda med tjänsten",
                "Indikator",
                ("%", "antal", "dagar", "kr", "index")[i % 5],
                "Högre är bättre" if higher else "Lägre är bättre",
                50 + i % 20,
                2019,
                60 + i % 25 if higher else 40 + i % 10,
                2020 + i % 3,
                "Egen mätning",
                "Enhet",
            ]
        )
        for j, p in enumerate(periods):
            value = 50 + (i * 7 + j * 3) % 30
            rows["Utfall"].append([mid, p, value, "Kommentar" if j % 5 == 0 else ""])
    for g in range(goals):
        rows["Bedömningar"].append(["Mål", str(g + 1), "2021", "", "", "Analys av målet. " * 6, ""])
    write_workbook(
        path,
        rows,
        {"Organisation": "Benchkommun", "Mandatperiod": "2020–2022", "Rapportperiod": "2021"},
    )
    return path


def make_rows(path: Path, n_rows: int) -> Path:
    """A workbook whose Utfall holds ``n_rows`` rows (measures × 40 periods)."""
    from ksreport.io.template import write_workbook

    n_measures = max(1, n_rows // 40)
    rows: dict[str, list[list[object]]] = {
        "Mål": [["1", "Mål", "", "", ""]],
        "Delmål": [["1.1", "1", "Delmål", ""]],
        "Mätvärden": [
            [
                f"M{i}",
                "1.1",
                f"Mätvärde {i}",
                "Indikator",
                "%",
                "Högre är bättre",
                50,
                2019,
                70,
                2022,
                "",
                "",
            ]
            for i in range(n_measures)
        ],
        "Utfall": [
            [f"M{i}", f"{y}{k}", (i + y) % 100, ""]
            for i in range(n_measures)
            for y in range(2011, 2021)
            for k in KINDS
        ],
    }
    write_workbook(path, rows)
    return path


def heavy_imports_of_help() -> list[str]:
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ksreport", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {
        line.split("|")[-1].strip().split(".")[0]
        for line in r.stderr.splitlines()
        if line.startswith("import time:")
    }
    return sorted(n for n in HEAVY if n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each, small inputs")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    tmp = Path(tempfile.mkdtemp(prefix="ksreport-bench-"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1612345678"}
    results: dict[str, Measurement] = {}
    print(f"ksreport benchmark: {runs} run(s) each, median seconds and peak memory; in {tmp}")

    # As after `pip install`, which compiles the bytecode: an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile ksreport's modules in every run.
    spec = importlib.util.find_spec("ksreport")
    assert spec is not None and spec.origin is not None
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(spec.origin).parent)], check=True
    )
    heavy = heavy_imports_of_help()
    print(f"  heavy modules imported by `ksreport --help`: {', '.join(heavy) or 'none'}")
    results["help"] = measure("ksreport --help", ksreport("--help"), runs)
    results["validate"] = measure(
        "ksreport validate data/exempel.xlsx", ksreport("validate", EXAMPLE), runs
    )
    results["score"] = measure(
        "ksreport score data/exempel.xlsx --json", ksreport("score", EXAMPLE, "--json"), runs
    )

    out = tmp / "out"
    results["docx"] = measure(
        "build --format docx",
        ksreport("build", EXAMPLE, "--out", out, "--format", "docx"),
        runs,
        env,
    )
    if soffice:
        profile = tmp / "lo-profile"
        docx = next(out.glob("*.docx"))
        lo_cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp / "lo"),
            str(docx),
        ]
        subprocess.run(lo_cmd, check=True, capture_output=True)  # creates the profile once
        results["lo"] = measure("LibreOffice headless: that DOCX → PDF", lo_cmd, runs)
    results["docx_pdf"] = measure(
        "build --format docx,pdf",
        ksreport("build", EXAMPLE, "--out", out, "--format", "docx,pdf"),
        runs,
        env,
    )
    results["all"] = measure(
        "build (every format)", ksreport("build", EXAMPLE, "--out", out), runs, env
    )
    watch_rebuild, watch_total = measure_watch(tmp, max(runs, 3), env)
    results["watch"] = watch_rebuild
    print(
        f"  {watch_rebuild.label:58} {watch_rebuild.median:7.2f} s"
        f"  ({watch_total.median:.2f} s from the save, with noticing it)",
        flush=True,
    )

    scale = (20, 60) if args.quick else (100, 500)
    for n in scale:
        book = make_scaled(
            tmp / f"scaled-{n}.xlsx", n, goals=10 if n >= 100 else 4, subgoals=40 if n >= 100 else 8
        )
        results[f"scale{n}"] = measure(
            f"build, {n} measures, 12 periods (every format)",
            ksreport("build", book, "--out", tmp / f"out-{n}"),
            runs,
            env,
        )
    n_rows = 4_000 if args.quick else 100_000
    rows = make_rows(tmp / "rows.xlsx", n_rows)
    results["rows"] = measure(
        f"validate, Utfall with {n_rows} rows",
        ksreport("validate", rows),
        max(1, runs // 2) if not args.quick else 1,
    )

    print()
    print("Targets (issue 6):")
    checks: list[tuple[str, float, str, bool]] = []
    for key, limit in (("validate", 0.5), ("score", 0.5)):
        checks.append(
            (
                f"{results[key].label} < {limit} s",
                results[key].median,
                f"{results[key].median:.2f} s",
                results[key].median < limit,
            )
        )
    checks.append(
        ("`--help` imports no heavy module", len(heavy), ", ".join(heavy) or "none", not heavy)
    )
    if "lo" in results:
        usual = results["docx"].median + results["lo"].median
        ratio = results["docx_pdf"].median / usual
        checks.append(
            (
                "build docx,pdf / (build docx + LibreOffice) < 1.0",
                ratio,
                f"{ratio:.2f}",
                ratio < 1.0,
            )
        )
        ratio_all = results["all"].median / results["lo"].median
        checks.append(
            (
                "full build / LibreOffice conversion alone ≤ 1.5",
                ratio_all,
                f"{ratio_all:.2f}",
                ratio_all <= 1.5,
            )
        )
    small, big = (results[f"scale{n}"] for n in scale)
    checks.append(
        (f"{scale[1]}-measure build < 60 s", big.median, f"{big.median:.1f} s", big.median < 60)
    )
    checks.append(
        (f"{scale[1]}-measure build peak < 1 GB", big.peak, f"{big.peak:.0f} MB", big.peak < 1024)
    )
    growth = big.median / small.median
    checks.append(
        (f"{scale[1]}/{scale[0]}-measure build time ≤ 5.5", growth, f"{growth:.2f}", growth <= 5.5)
    )
    checks.append(
        (
            f"validate {n_rows} rows < 10 s",
            results["rows"].median,
            f"{results['rows'].median:.1f} s",
            results["rows"].median < 10,
        )
    )
    for text, _, shown, ok in checks:
        print(f"  {'ok ' if ok else 'NOT'}  {text:58} {shown}")
    if "lo" in results:
        usual = results["docx"].median + results["lo"].median
        print(
            "  (not a target) a rebuild in `build --watch`, docx,pdf, / (build docx + LibreOffice):"
            f" {results['watch'].median / usual:.2f}"
        )
    shutil.rmtree(tmp, ignore_errors=True)
    if args.quick:
        print("quick mode: completed (targets are only meaningful in a full run)")


if __name__ == "__main__":
    main()
