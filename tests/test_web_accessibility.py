"""Accessibility of the web pages and of the palette (issue 14): axe-core and a reflow check in
Debian's chromium at 1280 and 320 CSS px, the palette's contrast ratios against
docs/accessibility.md, chart text sizes and line-chart labels clear of the line.

The browser audit needs chromium, node and ``npm ci`` in tests/a11y (tools/test.sh installs
them); without them it fails, so CI can never pass without running it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from ksreport import charts
from ksreport.model import Status
from ksreport.render.html import NARROW_FONT_SCALE, NARROW_WIDTH, screen_svg_markup
from ksreport.status_style import STATUS_STYLE

ROOT = Path(__file__).resolve().parents[1]
A11Y = ROOT / "tests" / "a11y"
DOC = ROOT / "docs" / "accessibility.md"
DATA = ROOT / "data"
HEAD_TINT = "EEF2F6"  # report.css --head-bg, behind the status symbols in table headings


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def palette_rows() -> dict[str, list[str]]:
    """Each status's row of the palette, as docs/accessibility.md prints it."""
    rows = {}
    for st, s in STATUS_STYLE.items():
        mark = s.chart_border or s.chart_fill
        rows[st.name] = [
            s.symbol,
            f"#{s.chart_fill}",
            f"#{s.chart_border}" if s.chart_border else "–",
            f"{contrast(mark, 'FFFFFF'):.2f}",
            f"#{s.chart_ink}",
            f"{contrast(s.chart_ink, s.chart_fill):.2f}",
            f"#{s.accent}",
            f"{contrast(s.accent, 'FFFFFF'):.2f}",
            f"{contrast(s.accent, HEAD_TINT):.2f}",
            f"#{s.fill}",
            f"#{s.ink}",
            f"{contrast(s.ink, s.fill):.2f}",
        ]
    return rows


# --- Colours ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_palette_meets_the_contrast_minimums(status: Status) -> None:
    s = STATUS_STYLE[status]
    # A segment is told from the white background and the white gap beside it by its fill, or,
    # for the light fills, by its outline (WCAG 1.4.11).
    assert contrast(s.chart_border or s.chart_fill, "FFFFFF") >= 3.0
    assert contrast(s.accent, "FFFFFF") >= 3.0
    assert contrast(s.accent, HEAD_TINT) >= 3.0
    assert contrast(s.chart_ink, s.chart_fill) >= 4.5
    assert contrast(s.ink, s.fill) >= 4.5


def test_dark_chart_fills_differ_in_greyscale() -> None:
    dark = sorted(
        luminance(STATUS_STYLE[s].chart_fill) for s in (Status.GREEN, Status.YELLOW, Status.RED)
    )
    for lo, hi in pairwise(dark):
        assert (hi + 0.05) / (lo + 0.05) >= 1.4


def test_the_documented_palette_is_the_measured_one() -> None:
    documented = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| `([A-Z_]+)` \|(.*)\|\s*$", line)
        if m:
            documented[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    assert documented == palette_rows()


# --- Charts ------------------------------------------------------------------------------------


def _bars() -> charts.StackedBarChart:
    seg = [
        charts.Segment(
            s.name,
            STATUS_STYLE[s].symbol,
            n,
            "#" + STATUS_STYLE[s].chart_fill,
            "#" + STATUS_STYLE[s].chart_ink,
        )
        for n, s in ((5, Status.GREEN), (3, Status.YELLOW), (2, Status.RED))
    ]
    row = charts.BarRow("Mål 1: Invånarna får god service och kan påverka", tuple(seg))
    return charts.StackedBarChart("alt", (row,), ())


def _line(values: list[float], target: float | None = 50.0) -> charts.LineChart:
    points = tuple(charts.LinePoint(str(2015 + i), v, f"{v:g} %") for i, v in enumerate(values))
    return charts.LineChart("alt", points, target=target, target_text="Mål 50 %")


def _texts(chart: charts.Chart) -> list[charts._Text]:
    return [s for s in charts._layout(chart).shapes if isinstance(s, charts._Text)]


def test_chart_text_is_at_least_8_pt_in_the_pdf_and_12_px_when_narrow() -> None:
    # The PDF sets the bar chart at 170 mm for its 640 units and a line chart at about 308 px
    # for its 320 units; 8 pt is 10.67 px.
    assert min(t.size for t in _texts(_bars())) * 642 / 640 >= 10.6
    assert min(t.size for t in _texts(_line([40, 45, 48]))) * 308 / 320 >= 10.6
    narrow_bars = charts.StackedBarChart("alt", _bars().rows, (), NARROW_WIDTH, NARROW_FONT_SCALE)
    assert min(t.size for t in _texts(narrow_bars)) >= 12.0


def test_bar_segments_are_kept_apart_by_white() -> None:
    rects = [s for s in charts._layout(_bars()).shapes if isinstance(s, charts._Rect)]
    for a, b in pairwise(rects):
        assert b.x - (a.x + a.w) >= 1.5


@pytest.mark.parametrize(
    "values",
    [
        [10, 20, 30, 40, 50, 60],
        [60, 50, 40, 30, 20, 10],
        [10, 60, 10, 60, 10, 60],
        [42, 39, 37, 36],
    ],
)
@pytest.mark.parametrize("font_scale", [1.0, NARROW_FONT_SCALE])
def test_line_chart_value_labels_do_not_cover_the_line(
    values: list[float], font_scale: float
) -> None:
    spec = _line(values)
    if font_scale != 1.0:
        spec = charts.LineChart(
            "alt",
            spec.points,
            spec.target,
            spec.target_text,
            width=NARROW_WIDTH,
            font_scale=font_scale,
        )
    shapes = charts._layout(spec).shapes
    line = next(s for s in shapes if isinstance(s, charts._Polyline))
    labels = [
        s
        for s in shapes
        if isinstance(s, charts._Rect) and s.fill == "#FFFFFF" and s.stroke is None
    ]
    assert len(labels) == len(values)
    for r in labels:
        box = (r.x, r.y, r.w, r.h)
        for a, b in pairwise(line.points):
            assert not charts._segment_hits_box(a, b, box), (values, box)


def test_the_web_page_draws_a_narrow_chart_variant() -> None:
    markup = str(screen_svg_markup(_line([1, 2, 3])))
    assert markup.count("<svg") == 2
    assert 'class="chart-narrow"' in markup
    assert f'viewBox="0 0 {NARROW_WIDTH:g} ' in markup


# --- The browser audit -------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is missing: tools/test.sh installs Debian's chromium"
    assert shutil.which("node"), "node is missing: tools/test.sh installs it"
    assert (A11Y / "node_modules" / "axe-core").is_dir(), (
        "run `npm ci` in tests/a11y (tools/test.sh)"
    )
    return found


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    chromium = _chromium()
    out = tmp_path_factory.mktemp("web")
    cli = [sys.executable, "-m", "ksreport", "build", "-f", "html", "-o", str(out)]
    for args in (
        [str(DATA / "exempel.xlsx"), "-p", "2020"],
        [str(DATA / "exempel.xlsx"), "-p", "2021-T2"],
        [
            "--consolidated",
            *(str(DATA / n) for n in ("exempel.xlsx", "exempel-bun.xlsx", "exempel-son.xlsx")),
        ],
    ):
        subprocess.run([*cli, *args], check=True, capture_output=True, cwd=ROOT)
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 3
    done = subprocess.run(
        ["node", str(A11Y / "audit.js"), chromium, *map(str, pages)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = {Path(k).name: v for k, v in json.loads(done.stdout).items()}
    result["html"] = {p.name: p.read_text(encoding="utf-8") for p in pages}
    return result


@pytest.mark.slow
def test_history_group_rows_head_their_row_group(audit: dict[str, dict[str, Any]]) -> None:
    html = audit["html"]["kommunstyrelsen-2020-verksamhetsberattelse.html"]
    groups = re.findall(r'<tr class="group"><th scope="(\w+)"', html)
    assert groups
    assert set(groups) == {"rowgroup"}


@pytest.mark.slow
def test_axe_finds_no_violations_at_1280_and_320_px(audit: dict[str, dict[str, Any]]) -> None:
    assert sorted(audit) == [
        "exempelkommun-2020-fullmaktigemal.html",
        "html",
        "kommunstyrelsen-2020-verksamhetsberattelse.html",
        "kommunstyrelsen-2021-T2-delarsrapport.html",
    ]
    found = {
        (page, width): r["axe"]
        for page, widths in audit.items()
        if page != "html"
        for width, r in widths.items()
        if r["axe"]
    }
    assert found == {}


@pytest.mark.slow
def test_pages_reflow_at_320_px(audit: dict[str, dict[str, Any]]) -> None:
    for page, widths in audit.items():
        if page == "html":
            continue
        r = widths["320"]
        assert r["scrollWidth"] <= r["clientWidth"], page
        assert r["smallText"] == [], page
        assert r["brokenWords"] == [], page


@pytest.mark.slow
def test_no_needless_tab_stops(audit: dict[str, dict[str, Any]]) -> None:
    # Nothing on the sample's pages scrolls at 1280 or 320 px, so no table wrapper is a tab stop.
    for page, widths in audit.items():
        if page != "html":
            assert [r["tabStops"] for r in widths.values()] == [0, 0], page
