"""A mutation check you can rerun: does the test suite notice when the code goes wrong?

Each mutation below is a small, realistic mistake a user would notice (a dropped paragraph, an
escaped text let through, a non-atomic write, a boundary moved). For each one the script copies
the tree into a temporary folder, applies that one mutation, runs the tests chosen for it there
and reports whether they failed (caught) or passed (survived). Every failure that caught a
mutation is then run again on the unmutated copy: a test that fails there too caught nothing.

    python tools/mutate.py                 # the working tree (tracked and untracked files)
    python tools/mutate.py --ref HEAD      # the last commit, without uncommitted work
    python tools/mutate.py --list          # the mutations and the tests chosen for each
    python tools/mutate.py --only pdf-template-dir-ignored --only docx-goal-analysis-dropped
    python tools/mutate.py --full          # the whole suite per mutation (slow)

Prints a Markdown table; the exit code is 1 when a mutation survived or could not be applied
(its old text no longer occurs exactly once: update the list), else 0. See docs/testing.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 600
# Hypothesis's pytest plugin, on a failing example, imports libcst to suggest a patch; where
# that import warns (libcst 1.0 on mypy_extensions), filterwarnings=error turns the caught
# mutation into a pytest INTERNALERROR without the failing test's name. The tests do not need it.
NO_HYPOTHESIS_PLUGIN = ("-p", "no:hypothesispytest")
LS_FILES = ("--cached", "--others", "--exclude-standard")  # tracked, and untracked not ignored


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    description: str
    tests: tuple[str, ...]
    """pytest arguments: test files (``tests/x.py``, ``tests/x.py::test_y``) and options
    (``-k``, ``-m``); files missing from the tree are left out with a note."""


NOT_LIBREOFFICE = ("-m", "not libreoffice")

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "docx-goal-analysis-dropped",
        "src/ksreport/render/docx.py",
        "    if g.assessed.analysis:\n        p = w.para(labels.analysis, bold=True)",
        "    if False:\n        p = w.para(labels.analysis, bold=True)",
        "The Word report drops every goal's Analys paragraph.",
        ("tests/test_field_matrix.py", "tests/test_report_word.py", *NOT_LIBREOFFICE),
    ),
    Mutation(
        "html-measure-justification-unescaped",
        "src/ksreport/templates/report.html.j2",
        "{{ labels.justification }}:</strong> {{ r.assessed.justification }}</span>",
        "{{ labels.justification }}:</strong> {{ r.assessed.justification|safe }}</span>",
        "The report (web page and PDF) prints a measure's Motivering with |safe: workbook text "
        "becomes markup.",
        ("tests/test_field_matrix.py", "tests/test_hostile.py", *NOT_LIBREOFFICE),
    ),
    Mutation(
        "output-not-atomic",
        "src/ksreport/output.py",
        '            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", '
        "suffix=TEMP_SUFFIX, dir=out_dir)",
        "            tmp = str(out_dir / name)\n"
        "            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)",
        "write_outputs writes straight into its targets (no temporary file, no rename).",
        ("tests/test_faults.py", "tests/test_output.py"),
    ),
    Mutation(
        "pdf-template-dir-ignored",
        "src/ksreport/render/pdf.py",
        'report_markup(ctx, "print", user_dir=template_dir, images=images)',
        'report_markup(ctx, "print", user_dir=None, images=images)',
        "The report PDF ignores the user's --template-dir (its report.css).",
        (
            "tests/test_report.py::test_pdf_user_template_dir_overrides_styles",
            "tests/test_cli.py",
            *NOT_LIBREOFFICE,
        ),
    ),
    Mutation(
        "validate-unknown-goal-crashes",
        "src/ksreport/validate.py",
        "        if sub.subgoal.goal_id in subs_by_goal:\n",
        "        if True:\n",
        "validate raises KeyError (not a KsreportError) for a sub-goal whose Mål-id is not in Mål.",
        ("tests/test_fuzz.py", "tests/test_validate.py", "tests/test_bad_input.py"),
    ),
    Mutation(
        "tolerance-boundary-excluded",
        "src/ksreport/scoring.py",
        "    return abs(value - target) <= limit + _EPS * max(1.0, abs(limit))",
        "    return abs(value - target) < limit",
        "Scoring: an outcome exactly at the tolerance limit is red, not yellow (<= became <).",
        (
            "tests/test_rules_end_to_end.py",
            "tests/test_scoring.py",
            "tests/test_properties.py",
        ),
    ),
    Mutation(
        "trend-lower-is-better-flipped",
        "src/ksreport/scoring.py",
        "    return Trend.BETTER if is_better(measure.direction, v, p) else Trend.WORSE",
        "    return Trend.BETTER if is_better(Direction.HIGHER, v, p) else Trend.WORSE",
        "Scoring: the trend of a lower-is-better measure points the wrong way.",
        (
            "tests/test_rules_end_to_end.py",
            "tests/test_scoring.py",
            "tests/test_properties.py",
        ),
    ),
    Mutation(
        "duplicate-subgoal-id-accepted",
        "src/ksreport/validate.py",
        '            if sid and _unique(s, row, "Delmål-id", sid, seen, "Delmål-id"):',
        "            if sid:",
        "validate no longer reports a Delmål-id that occurs twice.",
        (
            "tests/test_rules_end_to_end.py",
            "tests/test_field_matrix.py",
            "tests/test_validate.py",
            "tests/test_bad_input.py",
        ),
    ),
    Mutation(
        "kolada-years-from-clock",
        "src/ksreport/kolada_import.py",
        "    year = (today or _today()).year",
        "    year = (today or dt.date.today()).year",
        "The Kolada import's default years come from the machine's clock, not the seam the "
        "tests fix.",
        (
            "tests/test_kolada.py::test_years",
            "tests/test_kolada.py::test_import_writes_new_outcomes_to_a_new_file",
        ),
    ),
    Mutation(
        "forecast-word-dropped",
        "src/ksreport/context.py",
        '        label += f" ({FORECAST_WORD})"',
        '        label += ""',
        'A status built on a forecast no longer says "(prognos)" (Grönt (prognos) → Grönt).',
        ("tests/test_field_matrix.py", "tests/test_forecast.py"),
    ),
    Mutation(
        "board-override-ignored",
        "src/ksreport/scoring.py",
        "    if assessment is not None and assessment.status is not None:\n"
        "        return assessment.status",
        "    if assessment is not None and assessment.status is not None:\n        return computed",
        "The board's own Bedömning no longer overrides the computed status.",
        ("tests/test_rules_end_to_end.py", "tests/test_scoring.py"),
    ),
    Mutation(
        "slides-badge-always-red",
        "src/ksreport/render/pptx.py",
        "    _fill(badge, block.status.fill)",
        '    _fill(badge, "F4B6B0")',
        "PowerPoint: every status badge on the slides has the red fill.",
        ("tests/test_presentation.py", "tests/test_office_accessibility.py", *NOT_LIBREOFFICE),
    ),
    Mutation(
        "decimal-point",
        "src/ksreport/formatting.py",
        '    text = text.replace(" ", NBSP).replace("\\u202f", NBSP)',
        '    text = text.replace(" ", NBSP).replace("\\u202f", NBSP).replace(",", ".")',
        "Numbers are written with a decimal point instead of the Swedish decimal comma.",
        ("tests/test_field_matrix.py", "tests/test_report.py::test_swedish_numbers_and_units"),
    ),
    Mutation(
        "memo-decision-proposal-dropped",
        "src/ksreport/memo.py",
        "        decision=ctx.decision_proposal,",
        '        decision="",',
        "The memo (tjänsteskrivelse) loses its Förslag till beslut text.",
        ("tests/test_memo.py", "tests/test_memo_word.py", *NOT_LIBREOFFICE),
    ),
    Mutation(
        "report-council-goal-dropped",
        "src/ksreport/templates/report.html.j2",
        "    {% if g.council_goal %}<div><dt>",
        "    {% if false %}<div><dt>",
        "The report (web page and PDF) no longer names each goal's Fullmäktigemål.",
        (
            "tests/test_field_matrix.py",
            "tests/test_report.py::test_html_is_standalone_accessible_and_escaped",
            "tests/test_report.py::test_pdf_text_has_every_name_status_and_number",
        ),
    ),
    Mutation(
        "subgoal-analysis-dropped-in-pdf",
        "src/ksreport/templates/report.html.j2",
        "{% if s.assessed.analysis %}<p class=",
        "{% if false %}<p class=",
        "The report (web page and PDF) drops every sub-goal's Analys.",
        (
            "tests/test_field_matrix.py",
            "tests/test_report.py::test_html_is_standalone_accessible_and_escaped",
            "tests/test_report.py::test_pdf_text_has_every_name_status_and_number",
        ),
    ),
    Mutation(
        "long-words-run-off-the-page",
        "src/ksreport/templates/report.css",
        "     must instead of running off the page; other words are not affected. */\n"
        "  overflow-wrap: break-word;",
        "     must instead of running off the page; other words are not affected. */",
        "The report PDF lets a word longer than the line (a web address) run off the page.",
        ("tests/test_field_matrix.py::test_long_words_in_prose_stay_on_the_page",),
    ),
    Mutation(
        "backups-need-hard-links",
        "src/ksreport/output.py",
        "        if exc.errno not in _NO_HARD_LINKS:",
        "        if True:",
        "A rebuild on a disk without hard links (a FAT USB stick) fails instead of copying.",
        ("tests/test_faults.py",),
    ),
    Mutation(
        "restore-failure-said-to-change-nothing",
        "src/ksreport/output.py",
        "            except OSError:\n                changed.append(target)",
        "            except OSError:\n                pass",
        "A failed restore still says that no earlier file has changed.",
        ("tests/test_faults.py",),
    ),
    Mutation(
        "fontconfig-warning-shown",
        "src/ksreport/render/pdf.py",
        '        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", '
        "UserWarning)\n",
        "",
        "On a machine without system fonts a PDF build prints WeasyPrint's English warning.",
        ("tests/test_environment.py",),
    ),
)


@dataclass
class Outcome:
    mutation: Mutation
    verdict: str  # caught, survived, stale, no tests, timeout
    tests_run: int = 0
    seconds: float = 0.0
    caught_by: str = ""
    note: str = ""


# --- The tree -------------------------------------------------------------------------------


def copy_tree(ref: str | None, dest: Path) -> None:
    """The files of ``ref`` (``git archive``), or of the working tree: tracked files that still
    exist and untracked files git does not ignore."""
    dest.mkdir(parents=True)
    if ref is not None:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    else:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", *LS_FILES],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        for rel in sorted(set(filter(None, listed.split("\0")))):
            source = ROOT / rel
            if source.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / rel)
    # The browser audit's packages, if installed here (only --full runs that test).
    modules = ROOT / "tests" / "a11y" / "node_modules"
    if modules.is_dir() and not (dest / "tests" / "a11y" / "node_modules").exists():
        (dest / "tests" / "a11y").mkdir(parents=True, exist_ok=True)
        (dest / "tests" / "a11y" / "node_modules").symlink_to(modules)


def apply(tree: Path, m: Mutation) -> str | None:
    """Apply ``m`` in ``tree``; the reason it cannot be applied, or None."""
    path = tree / m.path
    if not path.is_file():
        return f"{m.path} is missing"
    text = path.read_text(encoding="utf-8")
    count = text.count(m.old)
    if count != 1:
        return f"the old text occurs {count} times in {m.path}"
    path.write_text(text.replace(m.old, m.new), encoding="utf-8")
    return None


# --- Running pytest -------------------------------------------------------------------------


def selection(tree: Path, args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The pytest arguments whose test files exist in ``tree``, and the missing files."""
    kept, missing = [], []
    for arg in args:
        if arg.startswith("tests/") and not (tree / arg.split("::")[0]).exists():
            missing.append(arg)
        else:
            kept.append(arg)
    return kept, missing


def run_pytest(tree: Path, args: list[str], timeout: float) -> tuple[int | None, str, float]:
    """Run pytest in ``tree`` on ``args``: (exit code or None on timeout, output, seconds)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "CI": "1",  # the fuzz test draws the same examples each run
    }
    start = time.monotonic()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                *NO_HYPOTHESIS_PLUGIN,
                *args,
            ],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out, time.monotonic() - start
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|xfailed|xpassed)\b")
_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+?)(?: - .*)?$", re.MULTILINE)


def tests_run(output: str) -> int:
    lines = [line for line in output.splitlines() if " in " in line and _COUNTS.search(line)]
    return sum(int(n) for n, _ in _COUNTS.findall(lines[-1])) if lines else 0


def failures(output: str) -> list[str]:
    return list(dict.fromkeys(_FAILED.findall(output)))


def run_mutation(
    m: Mutation, ref: str | None, work: Path, full: bool, timeout: float
) -> tuple[Outcome, Path | None]:
    tree = work / m.name
    copy_tree(ref, tree)
    problem = apply(tree, m)
    if problem is not None:
        return Outcome(m, "stale", note=problem), None
    if full:
        args, missing = ["-x", "-q"], []
    else:
        args, missing = selection(tree, m.tests)
        if not any(a.startswith("tests/") for a in args):
            return Outcome(m, "no tests", note="missing: " + ", ".join(missing)), None
        args = ["-x", "-q", *args]
    code, output, seconds = run_pytest(tree, args, timeout)
    note = ("missing: " + ", ".join(missing)) if missing else ""
    if code is None:
        return Outcome(m, "timeout", seconds=seconds, note=note), None
    outcome = Outcome(m, "survived", tests_run(output), seconds, note=note)
    if code == 0:
        return outcome, None
    if code not in (1, 2):  # 5: nothing collected; others: pytest itself failed
        tail = output.strip().splitlines()[-1:] or ["?"]
        return Outcome(m, "no tests", seconds=seconds, note=f"pytest exit {code}: {tail[0]}"), None
    outcome.verdict = "caught"
    outcome.caught_by = ", ".join(failures(output)) or "(see pytest output)"
    return outcome, tree


def check_without_mutation(outcomes: list[Outcome], ref: str | None, work: Path, t: float) -> None:
    """Run every test that caught a mutation on the unmutated tree; one that fails there too
    caught nothing (a broken or half-written test), and its mutation counts as survived."""
    ids = sorted({i for o in outcomes if o.verdict == "caught" for i in o.caught_by.split(", ")})
    ids = [i for i in ids if i.startswith("tests/")]
    if not ids:
        return
    clean = work / "unmutated"
    copy_tree(ref, clean)
    files = [i for i in ids if "::" not in i]  # collection errors: the file did not import
    nodes = [i for i in ids if "::" in i]
    failing: set[str] = set()
    if nodes:
        code, output, _ = run_pytest(clean, ["-q", *nodes], t)
        failing |= set(failures(output)) if code else set()
        if code is None:
            failing |= set(nodes)
    if files:
        code, output, _ = run_pytest(clean, ["-q", "--collect-only", *files], t)
        failing |= set(failures(output)) if code else set()
    for o in outcomes:
        bad = [i for i in o.caught_by.split(", ") if i in failing]
        if o.verdict == "caught" and bad:
            o.verdict = "survived"
            o.note = (o.note + "; " if o.note else "") + (
                "the catching test fails without the mutation too: " + ", ".join(bad)
            )


# --- Report ---------------------------------------------------------------------------------


def table(outcomes: list[Outcome]) -> str:
    rows = [
        "| mutation | tests run | result | time | caught by / note |",
        "|---|---:|---|---:|---|",
    ]
    for o in outcomes:
        detail = "; ".join(x for x in (o.caught_by, o.note) if x)
        cells = (f"{o.mutation.name}: {o.mutation.description}", o.tests_run, o.verdict)
        cells += (f"{o.seconds:.0f} s", detail)
        rows.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only these")
    parser.add_argument("--ref", help="test this commit (git archive) instead of the work tree")
    parser.add_argument("--full", action="store_true", help="run the whole suite per mutation")
    parser.add_argument("--keep", action="store_true", help="keep the temporary trees")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="per pytest run")
    options = parser.parse_args(argv)

    chosen = list(MUTATIONS)
    if options.only:
        unknown = set(options.only) - {m.name for m in MUTATIONS}
        if unknown:
            parser.error(f"unknown mutation(s): {', '.join(sorted(unknown))}; see --list")
        chosen = [m for m in MUTATIONS if m.name in options.only]
    if options.list:
        for m in chosen:
            print(f"{m.name}  ({m.path})\n    {m.description}\n    pytest {' '.join(m.tests)}")
        return 0

    work = Path(tempfile.mkdtemp(prefix="ksreport-mutate."))
    outcomes: list[Outcome] = []
    try:
        for m in chosen:
            print(f"{m.name} …", file=sys.stderr, flush=True)
            outcome, tree = run_mutation(m, options.ref, work, options.full, options.timeout)
            outcomes.append(outcome)
            print(f"  {outcome.verdict} ({outcome.seconds:.0f} s)", file=sys.stderr, flush=True)
            if tree is not None and not options.keep:
                shutil.rmtree(tree, ignore_errors=True)
        check_without_mutation(outcomes, options.ref, work, options.timeout)
    finally:
        if options.keep:
            print(f"trees kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(table(outcomes))
    bad = [o for o in outcomes if o.verdict != "caught"]
    print(
        f"\n{len(outcomes) - len(bad)} of {len(outcomes)} mutations caught"
        + (f"; not caught: {', '.join(o.mutation.name for o in bad)}" if bad else "")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
