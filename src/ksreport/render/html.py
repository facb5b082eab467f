"""Render stage, HTML: the report as one self-contained web page, and the markup the PDF is
printed from. Jinja with autoescape on: every workbook text appears literally, never as markup.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from ksreport.charts import Chart, LineChart, chart_alt, chart_size_px, render_svg
from ksreport.context import ReportContext, StatusView
from ksreport.errors import RenderError
from ksreport.render import package_template_dir

if TYPE_CHECKING:
    from jinja2 import Environment

Medium = Literal["screen", "print"]

REPORT_TEMPLATE = "report.html.j2"


def template_dirs(user_dir: Path | None = None) -> tuple[Path, ...]:
    """Where templates and styles are looked up: the user's folder first, then the package's."""
    dirs = [package_template_dir()]
    if user_dir is not None:
        dirs.insert(0, Path(user_dir).resolve())
    return tuple(dirs)


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...]) -> Environment:
    """The Jinja environment over ``dirs``, autoescaping, strict about undefined names."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(dirs: tuple[Path, ...], name: str, **values: object) -> str:
    """Render template ``name`` from the first of ``dirs`` that has it.

    An error in a template from the user's own folder (``--template-dir``) is the user's to
    fix, so it becomes a :class:`RenderError` naming the file and line; in a packaged template
    it is a bug in ksreport and is raised as it is.
    """
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return environment(dirs).get_template(name).render(**values)
    except TemplateError as exc:
        failing, line = None, ""
        if isinstance(exc, TemplateSyntaxError):
            failing = Path(exc.filename) if exc.filename else None
            line = f" på rad {exc.lineno}" if exc.lineno else ""
        own = [d / name for d in dirs[:-1] if (d / name).is_file()]
        culprit = failing or (own[0] if own else None)
        if culprit is None or not any(culprit.resolve().is_relative_to(d) for d in dirs[:-1]):
            raise
        raise RenderError(
            f"Mallen {culprit} har ett fel{line}: {exc.message}. Rätta mallen, eller ta bort "
            "den ur din mallmapp så används den inbyggda."
        ) from None


def read_resource(dirs: tuple[Path, ...], name: str) -> str:
    """A template folder file (a stylesheet), from the first of ``dirs`` that has it."""
    for d in dirs:
        path = d / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


def status_css(ctx: ReportContext) -> str:
    """Badge colours for every status, from the one shared palette (``status_style``)."""
    return status_rules(ctx.statuses)


def status_rules(statuses: Sequence[StatusView]) -> str:
    """The ``.s-<status>`` badge and ``.sym-<status>`` symbol colours for these statuses."""
    rules = [f".s-{s.code} {{ background: {s.fill}; color: {s.ink}; }}" for s in statuses]
    rules += [f".sym-{s.code} {{ color: {s.accent}; }}" for s in statuses]
    return "\n".join(rules)


# The narrow variant is drawn NARROW_WIDTH units wide and shown at least that many CSS px wide
# (screen.css), so its smallest text (11 units times NARROW_FONT_SCALE) stays above 12 CSS px on
# a 320 px screen (WCAG 1.4.10 Reflow, 1.4.4).
NARROW_WIDTH = 280.0
NARROW_FONT_SCALE = 1.12


def svg_markup(chart: Chart) -> Markup:
    """A chart as inline SVG markup."""
    # Safe: charts.render_svg escapes every text it draws.
    return Markup(render_svg(chart))


def screen_svg_markup(chart: Chart) -> Markup:
    """A chart as inline SVG markup for the web page: the full chart, and a narrow variant with
    the same content for small screens; the stylesheet shows one of them."""
    narrow = dataclasses.replace(chart, width=NARROW_WIDTH, font_scale=NARROW_FONT_SCALE)
    if isinstance(narrow, LineChart):
        narrow = dataclasses.replace(narrow, height=narrow.height * 1.2)
    # Safe: charts.render_svg escapes every text it draws.
    return Markup('<div class="chart-wide">{}</div><div class="chart-narrow">{}</div>').format(
        Markup(render_svg(chart)), Markup(render_svg(narrow))
    )


class ChartImages:
    """Charts for a PDF: each chart an ``<img>`` whose SVG WeasyPrint fetches from ``files``
    (see ``render.pdf.make_url_fetcher``), never from the network or the disk.

    Inline SVG costs WeasyPrint more: every element of every chart joins the document's style
    cascade and box tree. Measured on 430 charts (500 measures): 2.5 s faster and 130 MB less,
    for the same pages. The web page keeps inline SVG, so it stays one self-contained file.
    """

    SCHEME = "ksreport-chart"

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._urls: dict[str, str] = {}

    def __call__(self, chart: Chart) -> Markup:
        svg = render_svg(chart)
        url = self._urls.get(svg)
        if url is None:
            url = self._urls[svg] = f"{self.SCHEME}:{len(self._urls) + 1}.svg"
            self.files[url] = svg.encode("utf-8")
        width, height = chart_size_px(chart)
        return Markup('<img class="chart" src="{}" alt="{}" width="{}" height="{}">').format(
            url, chart_alt(chart), round(width), round(height)
        )


def report_markup(
    ctx: ReportContext,
    medium: Medium,
    *,
    user_dir: Path | None = None,
    images: ChartImages | None = None,
) -> str:
    """The report as an HTML string for ``screen`` (web page) or ``print`` (the PDF).

    Charts are inline SVG, or ``<img>`` elements served from ``images`` when it is given.
    """
    dirs = template_dirs(user_dir)
    return render_template(
        dirs,
        REPORT_TEMPLATE,
        ctx=ctx,
        labels=ctx.labels,
        screen=medium == "screen",
        stylesheet=report_stylesheet(dirs, medium, status_css(ctx)),
        svg=images or (screen_svg_markup if medium == "screen" else svg_markup),
    )


def report_stylesheet(dirs: tuple[Path, ...], medium: Medium, statuses: str, *extra: str) -> Markup:
    """The report's stylesheet for ``medium``: the shared look, the status colours, the
    packaged fonts and page rules for print or the screen rules, then ``extra`` files."""
    css = [read_resource(dirs, "report.css"), statuses]
    if medium == "print":
        css += [read_resource(dirs, "fonts.css"), read_resource(dirs, "print.css")]
    else:
        css.append(read_resource(dirs, "screen.css"))
    css += [read_resource(dirs, name) for name in extra]
    return Markup("\n".join(css))  # our own files, not workbook text


def render_report_html(ctx: ReportContext, *, template_dir: Path | None = None) -> bytes:
    """The report as a standalone, accessible web page (CSS and charts inline), UTF-8."""
    return report_markup(ctx, "screen", user_dir=template_dir).encode("utf-8")
