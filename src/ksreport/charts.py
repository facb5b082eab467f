"""Charts for the report (part of the render stage): one chart spec, laid out once into simple
shapes, drawn as SVG (HTML and PDF) or as PNG through Pillow (DOCX, which cannot embed SVG).

No plotting library: the two chart kinds are small, and importing matplotlib would cost more
than drawing them. Both outputs are cached by spec, so a build never draws the same chart twice.
Every text is drawn in the packaged fonts, so a chart looks the same on any machine.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from ksreport.formatting import format_number
from ksreport.render import (
    FONT_FAMILY,
    PDF_FONT_FAMILY,
    PDF_SYMBOL_FAMILY,
    SYMBOL_FONT_FAMILY,
    font_file,
    symbol_font_file,
)

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

CSS_DPI = 96.0
"""Chart coordinates are CSS pixels (1/96 inch)."""

INK = "#1A1A1A"
MUTED = "#5A5A5A"
GRID = "#D9D9D9"
AXIS = "#8C8C8C"


# --- Specs: what to draw, built by the context stage --------------------------------------


@dataclass(frozen=True)
class Segment:
    """One status's share of a bar: drawn in ``fill`` and labelled with symbol and count."""

    label: str
    symbol: str
    count: int
    fill: str
    ink: str
    stroke: str | None = None


@dataclass(frozen=True)
class BarRow:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


@dataclass(frozen=True)
class LegendItem:
    label: str
    symbol: str
    fill: str
    ink: str
    stroke: str | None = None


@dataclass(frozen=True)
class StackedBarChart:
    """Horizontal stacked bars, one per row (goal), segments per status, a legend below."""

    alt: str
    rows: tuple[BarRow, ...]
    legend: tuple[LegendItem, ...]
    width: float = 640.0
    font_scale: float = 1.0
    """Every text size times this: the web page's narrow variant draws larger text."""


@dataclass(frozen=True)
class LinePoint:
    label: str
    value: float
    text: str


@dataclass(frozen=True)
class LineChart:
    """An indicator's outcomes over time with its target drawn as a dashed line."""

    alt: str
    points: tuple[LinePoint, ...]
    target: float | None = None
    target_text: str = ""
    line_colour: str = "#1F4E79"
    target_colour: str = "#8E2A20"
    width: float = 320.0
    height: float = 170.0
    comparison: tuple[float | None, ...] = ()
    """A comparison value per point (e.g. the national value from Kolada), None where absent;
    drawn dotted with square markers, told apart from the outcome line by shape as well."""
    comparison_label: str = ""
    comparison_colour: str = "#5A5A5A"
    font_scale: float = 1.0
    """Every text size times this: the web page's narrow variant draws larger text."""


Chart = StackedBarChart | LineChart


# --- Shapes: the laid-out chart, independent of the output format ------------------------

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class _Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    dash: float | None = None


@dataclass(frozen=True)
class _Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 2.0


@dataclass(frozen=True)
class _Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    width: float = 1.5


@dataclass(frozen=True)
class _Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    anchor: Anchor = "start"
    bold: bool = False
    fill: str = INK


_Shape = _Rect | _Line | _Polyline | _Circle | _Text


@dataclass(frozen=True)
class _Drawing:
    width: float
    height: float
    alt: str
    shapes: tuple[_Shape, ...]


# --- Text metrics from the packaged fonts --------------------------------------------------


def _is_symbol(ch: str) -> bool:
    """Arrows and geometric shapes come from the symbol font (Liberation Sans lacks some)."""
    code = ord(ch)
    return 0x2190 <= code <= 0x21FF or 0x2300 <= code <= 0x23FF or 0x25A0 <= code <= 0x27BF


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """Split text into runs of (is_symbol, text)."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _is_symbol(text[i]) != _is_symbol(text[start]):
            yield _is_symbol(text[start]), text[start:i]
            start = i


@cache
def _font(size_px: int, bold: bool, symbol: bool) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path = symbol_font_file() if symbol else font_file(bold=bold)
    return ImageFont.truetype(str(path), size_px)


_MEASURE_SIZE = 200


_LINE_BREAKS = re.compile("[\n\r\x1c-\x1e\x85]")


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` in CSS pixels at font size ``size``; of its longest line where a cell's
    text has line breaks (the font library measures one line and fails on a break)."""
    return (
        max(
            sum(_font(_MEASURE_SIZE, bold, symbol).getlength(run) for symbol, run in _runs(line))
            for line in _LINE_BREAKS.split(text)
        )
        * size
        / _MEASURE_SIZE
    )


def _wrap(text: str, size: float, bold: bool, width: float, max_lines: int) -> list[str]:
    """Break text into at most ``max_lines`` lines of ``width``; the last gets an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + " …", size, bold=bold) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines or [""]


# --- Layout ---------------------------------------------------------------------------------


def _layout_bars(spec: StackedBarChart) -> _Drawing:
    pad = 6.0
    # 11 px drawn at the PDF's 170 mm is 8.2 pt; see docs/accessibility.md.
    fs = 11.0 * spec.font_scale
    label_size = 12.0 * spec.font_scale
    bar_h = max(22.0, fs * 2)
    gap = 2.0  # white between segments: each meets 3:1 against white, not against its neighbour
    width = spec.width
    shapes: list[_Shape] = []
    total_w = text_width("000", fs) + 8
    scale_w = width - 2 * pad - total_w
    max_total = max((r.total for r in spec.rows), default=0) or 1
    y = pad
    for row in spec.rows:
        for line in _wrap(row.label, label_size, True, width - 2 * pad, 3):
            y += label_size * 1.25
            shapes.append(_Text(pad, y, line, label_size, bold=True))
        y += 5
        x = pad
        for seg in row.segments:
            if seg.count <= 0:
                continue
            w = scale_w * seg.count / max_total
            shapes.append(_Rect(x, y, max(w - gap, 1.0), bar_h, seg.fill, seg.stroke))
            for text in (f"{seg.symbol} {seg.count}", str(seg.count)):
                if text_width(text, fs, bold=True) + 6 <= w - gap:
                    shapes.append(
                        _Text(
                            x + (w - gap) / 2,
                            y + bar_h / 2 + fs * 0.36,
                            text,
                            fs,
                            anchor="middle",
                            bold=True,
                            fill=seg.ink,
                        )
                    )
                    break
            x += w
        if row.total == 0:
            shapes.append(_Text(pad, y + bar_h / 2 + fs * 0.36, "Inga mätvärden", fs, fill=MUTED))
        else:
            shapes.append(_Text(x + 5, y + bar_h / 2 + fs * 0.36, str(row.total), fs, fill=MUTED))
        y += bar_h + 12
    # Legend: swatch with the status symbol, then the word; flows onto more lines as needed.
    y += 2
    x = pad
    sw = max(15.0, fs * 1.4)
    for item in spec.legend:
        item_w = sw + 5 + text_width(item.label, fs) + 16
        if x + item_w > width - pad and x > pad:
            x = pad
            y += sw + 7
        shapes.append(_Rect(x, y, sw, sw, item.fill, item.stroke))
        shapes.append(
            _Text(
                x + sw / 2, y + sw / 2 + fs * 0.36, item.symbol, fs, anchor="middle", fill=item.ink
            )
        )
        shapes.append(_Text(x + sw + 5, y + sw / 2 + fs * 0.36, item.label, fs))
        x += item_w
    return _Drawing(width, y + sw + pad, spec.alt, tuple(shapes))


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _ticks(lo: float, hi: float) -> tuple[list[float], int]:
    """Round tick values covering [lo, hi] and the decimals needed to print them."""
    if math.isclose(lo, hi):
        margin = abs(lo) * 0.1 or 1.0
        lo, hi = lo - margin, hi + margin
    step = _nice_step(hi - lo, 4)
    start = math.floor(lo / step + 1e-9) * step
    end = math.ceil(hi / step - 1e-9) * step
    n = round((end - start) / step)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if not math.isclose(step * 10**decimals, round(step * 10**decimals)):
        decimals += 1
    return [start + i * step for i in range(n + 1)], decimals


def _layout_line(spec: LineChart) -> _Drawing:
    width, height = spec.width, spec.height
    # 11.5 px in the PDF's half-width figure (about 308 px wide) is 8.3 pt.
    small = 11.5 * spec.font_scale
    values = [p.value for p in spec.points]
    if spec.target is not None:
        values.append(spec.target)
    values += [v for v in spec.comparison if v is not None]
    ticks, decimals = _ticks(min(values), max(values))
    tick_labels = [format_number(t, max_decimals=decimals, min_decimals=decimals) for t in ticks]
    left = 6 + max(text_width(t, small) for t in tick_labels) + 6
    top, right, bottom = small * 1.8, 10.0, small * 2.2
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    shapes: list[_Shape] = []
    for t, label in zip(ticks, tick_labels, strict=True):
        shapes.append(_Line(left, y_of(t), left + plot_w, y_of(t), GRID, 0.75))
        shapes.append(
            _Text(left - 6, y_of(t) + small * 0.36, label, small, anchor="end", fill=MUTED)
        )
    shapes.append(_Line(left, top + plot_h, left + plot_w, top + plot_h, AXIS, 1.0))

    n = len(spec.points)
    xs = [left + plot_w * (i + 0.5) / n for i in range(n)]
    label_w = max(text_width(p.label, small) for p in spec.points)
    every = max(1, math.ceil((label_w + 6) / (plot_w / n)))
    for i, (x, p) in enumerate(zip(xs, spec.points, strict=True)):
        if i % every == 0 or i == n - 1:
            shapes.append(_Text(x, height - 7, p.label, small, anchor="middle", fill=MUTED))

    if spec.target is not None:
        ty = y_of(spec.target)
        shapes.append(_Line(left, ty, left + plot_w, ty, spec.target_colour, 1.5, dash=5.0))
        if spec.target_text:
            shapes.append(
                _Text(left + 3, ty - 4, spec.target_text, small, fill=spec.target_colour, bold=True)
            )

    if any(v is not None for v in spec.comparison):
        shapes += _comparison_shapes(spec, xs, y_of, left + plot_w, small)

    points = tuple((x, y_of(p.value)) for x, p in zip(xs, spec.points, strict=True))
    if n > 1:
        shapes.append(_Polyline(points, spec.line_colour, 2.0))
    label_all = n <= 6
    segments = list(pairwise(points))
    if spec.target is not None:
        segments.append(((left, y_of(spec.target)), (left + plot_w, y_of(spec.target))))
    taken: list[tuple[float, float, float, float]] = []
    for i, ((x, y), p) in enumerate(zip(points, spec.points, strict=True)):
        shapes.append(_Circle(x, y, 3.2, "#FFFFFF", spec.line_colour, 1.8))
        if label_all or i in (0, n - 1):
            w = text_width(p.text, small, bold=True) + 4
            box = _label_box(x, y, w, small, segments, taken, (left, top, left + plot_w, height))
            taken.append(box)
            bx, by, bw, bh = box
            shapes.append(_Rect(bx, by, bw, bh, "#FFFFFF"))
            shapes.append(
                _Text(bx + bw / 2, by + small * 0.85, p.text, small, anchor="middle", bold=True)
            )
    return _Drawing(width, height, spec.alt, tuple(shapes))


def _segment_hits_box(
    a: tuple[float, float], b: tuple[float, float], box: tuple[float, float, float, float]
) -> bool:
    """Whether the segment a–b passes through the rectangle (x, y, w, h), sampled finely."""
    x, y, w, h = box
    steps = 40
    for k in range(steps + 1):
        px = a[0] + (b[0] - a[0]) * k / steps
        py = a[1] + (b[1] - a[1]) * k / steps
        if x <= px <= x + w and y <= py <= y + h:
            return True
    return False


def _label_box(
    x: float,
    y: float,
    w: float,
    size: float,
    segments: list[tuple[tuple[float, float], tuple[float, float]]],
    taken: list[tuple[float, float, float, float]],
    bounds: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """Where a point's value label goes: the first place around the point that covers neither
    the line, the target line, the marker nor another label (above, below, then beside)."""
    h = size + 1
    d = 5.0
    candidates = [
        (x - w / 2, y - d - h),
        (x - w / 2, y + d),
        (x - w - d, y - d - h),
        (x + d, y - d - h),
        (x - w - d, y + d),
        (x + d, y + d),
    ]
    _, _, right, bottom = bounds

    def fits(box: tuple[float, float, float, float]) -> bool:
        bx, by, bw, bh = box
        if bx < 0 or by < 0 or bx + bw > right + 8 or by + bh > bottom - size * 1.4:
            return False
        if any(_segment_hits_box(a, b, box) for a, b in segments):
            return False
        return not any(
            bx < ox + ow and ox < bx + bw and by < oy + oh and oy < by + bh
            for ox, oy, ow, oh in taken
        )

    for cx, cy in candidates:
        if fits((cx, cy, w, h)):
            return (cx, cy, w, h)
    return (x - w / 2, y - d - h, w, h)


def _comparison_shapes(
    spec: LineChart,
    xs: list[float],
    y_of: Callable[[float], float],
    right_edge: float,
    small: float,
) -> list[_Shape]:
    """The comparison series: dotted segments between known values, square markers, and a
    legend entry at the top right."""
    colour = spec.comparison_colour
    known = [(x, y_of(v)) for x, v in zip(xs, spec.comparison, strict=False) if v is not None]
    shapes: list[_Shape] = []
    for (x1, y1), (x2, y2) in pairwise(known):
        shapes.append(_Line(x1, y1, x2, y2, colour, 1.5, dash=2.0))
    for x, y in known:
        shapes.append(_Rect(x - 2.6, y - 2.6, 5.2, 5.2, colour))
    if spec.comparison_label:
        w = text_width(spec.comparison_label, small)
        shapes.append(_Rect(right_edge - w - 12, 4.4, 5.2, 5.2, colour))
        shapes.append(
            _Text(right_edge, 10.5, spec.comparison_label, small, anchor="end", fill=colour)
        )
    return shapes


def _layout(spec: Chart) -> _Drawing:
    if isinstance(spec, StackedBarChart):
        return _layout_bars(spec)
    return _layout_line(spec)


# --- SVG ------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


# Symbols get their own family: WeasyPrint's SVG text does not fall back along the family list.
_SVG_SYMBOL_FAMILY = f"'{PDF_SYMBOL_FAMILY}', '{SYMBOL_FONT_FAMILY}', sans-serif"
_SVG_FAMILY = f"'{PDF_FONT_FAMILY}', '{FONT_FAMILY}', Arial, Helvetica, sans-serif"

_SVG_ANCHOR = {"start": "start", "middle": "middle", "end": "end"}


def _svg_shape(s: _Shape) -> str:
    if isinstance(s, _Rect):
        stroke = f' stroke="{s.stroke}" stroke-width="1"' if s.stroke else ""
        return (
            f'<rect x="{_n(s.x)}" y="{_n(s.y)}" width="{_n(s.w)}" height="{_n(s.h)}" '
            f'fill="{s.fill}"{stroke}/>'
        )
    if isinstance(s, _Line):
        dash = f' stroke-dasharray="{_n(s.dash)} {_n(s.dash * 0.7)}"' if s.dash else ""
        return (
            f'<line x1="{_n(s.x1)}" y1="{_n(s.y1)}" x2="{_n(s.x2)}" y2="{_n(s.y2)}" '
            f'stroke="{s.stroke}" stroke-width="{_n(s.width)}"{dash}/>'
        )
    if isinstance(s, _Polyline):
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in s.points)
        return (
            f'<polyline points="{pts}" fill="none" stroke="{s.stroke}" '
            f'stroke-width="{_n(s.width)}" stroke-linejoin="round"/>'
        )
    if isinstance(s, _Circle):
        return (
            f'<circle cx="{_n(s.cx)}" cy="{_n(s.cy)}" r="{_n(s.r)}" fill="{s.fill}" '
            f'stroke="{s.stroke}" stroke-width="{_n(s.width)}"/>'
        )
    weight = ' font-weight="bold"' if s.bold else ""
    body = "".join(
        f'<tspan font-family="{_esc(_SVG_SYMBOL_FAMILY)}">{_esc(run)}</tspan>'
        if symbol
        else _esc(run)
        for symbol, run in _runs(s.text)
    )
    return (
        f'<text x="{_n(s.x)}" y="{_n(s.y)}" font-size="{_n(s.size)}" '
        f'text-anchor="{_SVG_ANCHOR[s.anchor]}" fill="{s.fill}"{weight}>{body}</text>'
    )


@lru_cache(maxsize=512)
def render_svg(spec: Chart) -> str:
    """The chart as an inline ``<svg>`` element with its alt text as ``<title>``."""
    d = _layout_cached(spec)
    body = "".join(_svg_shape(s) for s in d.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{_esc(d.alt)}" width="{_n(d.width)}" height="{_n(d.height)}" '
        f'viewBox="0 0 {_n(d.width)} {_n(d.height)}" font-family="{_esc(_SVG_FAMILY)}">'
        f"<title>{_esc(d.alt)}</title>{body}</svg>"
    )


# --- PNG ------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _png_text(draw: ImageDraw.ImageDraw, s: _Text, k: float) -> None:
    runs = list(_runs(s.text))
    size = max(1, round(s.size * k))
    total = sum(_font(size, s.bold, sym).getlength(run) for sym, run in runs)
    x = s.x * k - {"start": 0.0, "middle": total / 2, "end": total}[s.anchor]
    for sym, run in runs:
        font = _font(size, s.bold, sym)
        draw.text((x, s.y * k), run, font=font, fill=_rgb(s.fill), anchor="ls")
        x += font.getlength(run)


def _png_dashed(draw: ImageDraw.ImageDraw, s: _Line, k: float) -> None:
    assert s.dash is not None
    length = math.hypot(s.x2 - s.x1, s.y2 - s.y1)
    if length == 0:
        return
    ux, uy = (s.x2 - s.x1) / length, (s.y2 - s.y1) / length
    pos, on, gap = 0.0, s.dash, s.dash * 0.7
    while pos < length:
        end = min(pos + on, length)
        draw.line(
            [
                ((s.x1 + ux * pos) * k, (s.y1 + uy * pos) * k),
                ((s.x1 + ux * end) * k, (s.y1 + uy * end) * k),
            ],
            fill=_rgb(s.stroke),
            width=max(1, round(s.width * k)),
        )
        pos = end + gap


def _draw_png(d: _Drawing, dpi: int) -> bytes:
    from PIL import Image, ImageDraw

    scale = dpi / CSS_DPI
    k = scale * 2  # draw at twice the size, then downsample: smooth edges without antialiasing
    size = (round(d.width * k), round(d.height * k))
    img = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(img)
    painters: dict[type, Callable[[_Shape], None]] = {}

    def rect(s: _Shape) -> None:
        assert isinstance(s, _Rect)
        draw.rectangle(
            [s.x * k, s.y * k, (s.x + s.w) * k - 1, (s.y + s.h) * k - 1],
            fill=_rgb(s.fill),
            outline=_rgb(s.stroke) if s.stroke else None,
            width=max(1, round(k)),
        )

    def line(s: _Shape) -> None:
        assert isinstance(s, _Line)
        if s.dash:
            _png_dashed(draw, s, k)
        else:
            draw.line(
                [(s.x1 * k, s.y1 * k), (s.x2 * k, s.y2 * k)],
                fill=_rgb(s.stroke),
                width=max(1, round(s.width * k)),
            )

    def polyline(s: _Shape) -> None:
        assert isinstance(s, _Polyline)
        draw.line(
            [(x * k, y * k) for x, y in s.points],
            fill=_rgb(s.stroke),
            width=max(1, round(s.width * k)),
            joint="curve",
        )

    def circle(s: _Shape) -> None:
        assert isinstance(s, _Circle)
        draw.ellipse(
            [(s.cx - s.r) * k, (s.cy - s.r) * k, (s.cx + s.r) * k, (s.cy + s.r) * k],
            fill=_rgb(s.fill),
            outline=_rgb(s.stroke),
            width=max(1, round(s.width * k)),
        )

    def text(s: _Shape) -> None:
        assert isinstance(s, _Text)
        _png_text(draw, s, k)

    painters.update({_Rect: rect, _Line: line, _Polyline: polyline, _Circle: circle, _Text: text})
    for shape in d.shapes:
        painters[type(shape)](shape)
    img = img.reduce(2)  # box-filter the 2× drawing down: as smooth as Lanczos here, far faster
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi), compress_level=3)
    return buf.getvalue()


@lru_cache(maxsize=512)
def render_png(spec: Chart, dpi: int = 200) -> bytes:
    """The chart as PNG bytes at ``dpi`` (for DOCX)."""
    return _draw_png(_layout_cached(spec), dpi)


def chart_alt(spec: Chart) -> str:
    """The chart's alt text: what it shows, in words, with every value."""
    return _layout_cached(spec).alt


def chart_size_px(spec: Chart) -> tuple[float, float]:
    """The chart's width and height in CSS pixels."""
    d = _layout_cached(spec)
    return d.width, d.height


def chart_size_inches(spec: Chart) -> tuple[float, float]:
    """The chart's intended printed size, for placing the PNG in a document."""
    d = _layout_cached(spec)
    return d.width / CSS_DPI, d.height / CSS_DPI


@lru_cache(maxsize=512)
def _layout_cached(spec: Chart) -> _Drawing:
    return _layout(spec)
