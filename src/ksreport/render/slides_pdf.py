"""Render stage, presentation PDF: the slides (``ksreport.slides``) as 16:9 WeasyPrint pages.

The same fonts, status colours, tagging and restricted URL fetcher as the report PDF
(``render.pdf``); one page and one bookmark per slide, language sv-SE, the title in the metadata.
Where each block sits comes from the slide layout, so the pages match the PowerPoint file.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ksreport import slides as geo
from ksreport.context import ReportContext
from ksreport.render import (
    DEFAULT_VARIANT,
    HEAD_FILL,
    HEADING,
    INK,
    MUTED,
    RULE,
    RULE_LIGHT,
)
from ksreport.render.html import (
    ChartImages,
    read_resource,
    render_template,
    status_css,
    svg_markup,
    template_dirs,
)
from ksreport.render.pdf import check_variant, write_pdf

TEMPLATE = "presentation.html.j2"


def pt(value: float) -> str:
    """A length in points for CSS: ``12.5pt``."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "pt"


def geometry_css() -> str:
    """Page size, margins, sizes and colours from the slide layout, as CSS variables."""
    values = {
        "content-width": pt(geo.CONTENT_WIDTH),
        "title-line": str(geo.TITLE_LINE),
        "line": str(geo.LINE),
        "table-pt": pt(geo.TABLE_PT),
        "cell-pad-x": pt(geo.CELL_PAD_X),
        "cell-pad-y": pt(geo.CELL_PAD_Y),
        "rule": pt(geo.RULE),
        "badge-pad-x": pt(geo.BADGE_PAD_X),
        "badge-pad-y": pt(geo.BADGE_PAD_Y),
        "ts-top-gap": pt(geo.TS_TOP - geo.TITLE_TOP),
        "ts-org-pt": pt(geo.TS_ORG_PT),
        "ts-board-pt": pt(geo.TS_BOARD_PT),
        "ts-rule-gap": pt(geo.TS_RULE_GAP),
        "ts-rule": pt(geo.TS_RULE),
        "ts-title-gap": pt(geo.TS_TITLE_GAP),
        "ts-title-pt": pt(geo.TS_TITLE_PT),
        "ts-period-pt": pt(geo.TS_PERIOD_PT),
        "ts-facts-gap": pt(geo.TS_FACTS_GAP),
        "ts-facts-pt": pt(geo.TS_FACTS_PT),
        "ink": "#" + INK,
        "heading": "#" + HEADING,
        "muted": "#" + MUTED,
        "head-fill": "#" + HEAD_FILL,
        "rule-strong": "#" + RULE,
        "rule-light": "#" + RULE_LIGHT,
    }
    root = "\n".join(f"  --{k}: {v};" for k, v in values.items())
    bottom = geo.SLIDE_HEIGHT - geo.CONTENT_BOTTOM
    number_gap = geo.NUMBER_TOP - geo.CONTENT_BOTTOM
    return (
        f"@page {{\n  size: {pt(geo.SLIDE_WIDTH)} {pt(geo.SLIDE_HEIGHT)};\n"
        f"  margin: {pt(geo.TITLE_TOP)} {pt(geo.MARGIN_X)} {pt(bottom)};\n"
        "  @bottom-right { content: counter(page); font-family: 'Ksreport Sans';"
        f" font-size: {pt(geo.NUMBER_PT)}; color: #{MUTED}; vertical-align: top;"
        f" padding-top: {pt(number_gap)}; }}\n}}\n"
        "@page :first { @bottom-right { content: none; } }\n"
        f":root {{\n{root}\n}}"
    )


def presentation_markup(
    ctx: ReportContext, *, user_dir: Path | None = None, images: ChartImages | None = None
) -> str:
    """The slides as one HTML document, a section per slide, for WeasyPrint; charts inline or,
    with ``images``, as ``<img>`` elements served from it."""
    dirs = template_dirs(user_dir)
    css = [
        read_resource(dirs, "fonts.css"),
        geometry_css(),
        status_css(ctx),
        read_resource(dirs, "presentation.css"),
    ]
    return render_template(
        dirs,
        TEMPLATE,
        ctx=ctx,
        title=ctx.document_title,
        slides=geo.build_slides(ctx),
        stylesheet=Markup("\n".join(css)),  # our own files, not workbook text
        svg=images or svg_markup,
        pt=pt,
        zip=zip,
    )


def render_presentation_pdf(
    ctx: ReportContext, *, variant: str = DEFAULT_VARIANT, template_dir: Path | None = None
) -> bytes:
    """The presentation as tagged 16:9 PDF slides (PDF/UA-1 by default), as bytes."""
    check_variant(variant)
    images = ChartImages()
    markup = presentation_markup(ctx, user_dir=template_dir, images=images)
    return write_pdf(markup, template_dirs(template_dir), variant, images.files)
