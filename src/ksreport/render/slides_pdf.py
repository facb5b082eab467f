"""Render stage, presentation PDF: the slides (``ksreport.slides``) as 16:9 WeasyPrint pages.

The same fonts, status colours, tagging and restricted URL fetcher as the report PDF
(``render.pdf``); one page and one bookmark per slide, language sv-SE, the title in the metadata.
Each slide is drawn on the PowerPoint master the PPTX uses (``render.pptx_master``): its
background, the pictures and filled shapes on the master and layout, its theme colours, where
the title, content, slide number, date and footer go and how large they are. Every block sits
where the slide layout put it, so the pages match the PowerPoint file. The fonts stay the
packaged ones (embedded, for PDF/UA and PDF/A).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from ksreport import slides as geo
from ksreport.context import ReportContext
from ksreport.render import DEFAULT_VARIANT, RULE, RULE_LIGHT
from ksreport.render.html import (
    ChartImages,
    read_resource,
    render_template,
    status_css,
    svg_markup,
    template_dirs,
)
from ksreport.render.pdf import check_variant, write_pdf
from ksreport.render.pptx_master import (
    Look,
    Master,
    Picture,
    Placeholder,
    footer_texts,
    master_for,
    one_line,
)
from ksreport.slides import Box, CoverText, TitleSlide

TEMPLATE = "presentation.html.j2"
ANCHOR_SHARE = {"top": 0.0, "middle": 0.5, "bottom": 1.0}


def pt(value: float) -> str:
    """A length in points for CSS: ``12.5pt``."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "pt"


def place(box: Box, text_height: float | None = None, anchor: str = "top") -> str:
    """CSS for an absolutely placed box; with ``text_height``, the text set in the box as the
    placeholder anchors it (top, middle, bottom)."""
    top = box.top
    if text_height is not None:
        top += max(box.height - text_height, 0.0) * ANCHOR_SHARE.get(anchor, 0.0)
    return f"left: {pt(box.left)}; top: {pt(top)}; width: {pt(box.width)}"


class MasterImages:
    """The master's pictures for WeasyPrint, served with the charts (never from the disk)."""

    SCHEME = "ksreport-master"

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self._urls: dict[int, str] = {}

    def url(self, picture: Picture) -> str:
        key = id(picture.data)
        if key not in self._urls:
            self._urls[key] = f"{self.SCHEME}:{len(self._urls) + 1}.{picture.ext}"
            self.files[self._urls[key]] = picture.data
        return self._urls[key]


def _layers(look: Look, images: MasterImages) -> str:
    """The page background: the pictures and shapes (last drawn on top, so listed first), the
    background picture, the background colour."""
    layers = [
        f"url({images.url(p)}) no-repeat {pt(p.box.left)} {pt(p.box.top)} / "
        f"{pt(p.box.width)} {pt(p.box.height)}"
        for p in reversed(look.pictures)
    ]
    if look.background.picture is not None:
        b = look.background.picture
        layers.append(f"url({images.url(b)}) no-repeat 0 0 / {pt(b.box.width)} {pt(b.box.height)}")
    layers.append("#" + look.background.colour)
    return ", ".join(layers)


def _foot_top(master: Master) -> float:
    """Where the band for the slide number, date and footer starts: the page's bottom margin,
    whose margin box holds them as artifacts (not read aloud on every slide)."""
    look = master.content
    tops = [p.box.top for p in (look.number, look.date, look.footer) if p is not None]
    bottom = master.frame.body.box.bottom
    return max(bottom, min(tops, default=bottom))


def geometry_css(master: Master) -> str:
    """Page size, backgrounds, sizes and colours from the master and slide layout, as CSS."""
    c = master.colours
    values = {
        "content-width": pt(master.frame.content_width),
        "title-line": str(geo.TITLE_LINE),
        "line": str(geo.LINE),
        "table-pt": pt(geo.TABLE_PT),
        "cell-pad-x": pt(geo.CELL_PAD_X),
        "cell-pad-y": pt(geo.CELL_PAD_Y),
        "rule": pt(geo.RULE),
        "badge-pad-x": pt(geo.BADGE_PAD_X),
        "badge-pad-y": pt(geo.BADGE_PAD_Y),
        "status-gap": pt(geo.STATUS_GAP),
        "ink": "#" + c.ink,
        "heading": "#" + c.heading,
        "muted": "#" + c.muted,
        "head-fill": "#" + c.head_fill,
        "title": "#" + c.title,
        "rule-strong": "#" + RULE,
        "rule-light": "#" + RULE_LIGHT,
    }
    root = "\n".join(f"  --{k}: {v};" for k, v in values.items())
    band = geo.SLIDE_HEIGHT - _foot_top(master)
    return (
        f"@page {{\n  size: {pt(geo.SLIDE_WIDTH)} {pt(geo.SLIDE_HEIGHT)};\n"
        f"  margin: 0 0 {pt(band)} 0;\n"
        f"  @bottom-left {{ content: element(foot); width: {pt(geo.SLIDE_WIDTH)};"
        " height: 100%; vertical-align: top; }\n}\n"
        f".slide {{ height: {pt(geo.SLIDE_HEIGHT - band)}; }}\n"
        f":root {{\n{root}\n}}"
    )


def _foot_style(ph: Placeholder, foot_top: float) -> str:
    t, box = ph.text, ph.text_box
    return (
        f"left: {pt(box.left)}; top: {pt(box.top - foot_top)}; width: {pt(box.width)};"
        f" font-size: {pt(t.size)}; color: #{t.colour}; text-align: {t.align};"
        f" font-weight: {'bold' if t.bold else 'normal'}"
    )


def _cover_parts(master: Master) -> Any:
    """The title slide's placeholders top to bottom (the reading order): tag, text, colour and
    line pitch of each."""
    c = master.colours

    def parts(s: TitleSlide) -> list[tuple[str, CoverText, str, float]]:
        found = [
            ("h1", s.heading_text, c.cover_title, geo.TITLE_LINE),
            ("p", s.sub_text, c.cover_sub, geo.LINE),
            ("p", s.facts_text, c.cover_facts, geo.LINE),
        ]
        placed = [(tag, t, colour, line) for tag, t, colour, line in found if t is not None]
        return sorted(placed, key=lambda part: part[1].box.top)

    return parts


def presentation_markup(
    ctx: ReportContext,
    *,
    user_dir: Path | None = None,
    images: ChartImages | None = None,
    template: Path | None = None,
) -> str:
    """The slides as one HTML document, a section per slide, for WeasyPrint; charts inline or,
    with ``images``, as ``<img>`` elements served from it (with the master's pictures)."""
    master = master_for(template)
    dirs = template_dirs(user_dir)
    pictures = MasterImages(images.files if images is not None else {})
    foot_top = _foot_top(master)
    backgrounds = (
        f"@page cover {{ background: {_layers(master.cover, pictures)}; }}\n"
        f"@page content {{ background: {_layers(master.content, pictures)}; }}"
    )
    css = [
        read_resource(dirs, "fonts.css"),
        geometry_css(master),
        backgrounds,
        status_css(ctx),
        read_resource(dirs, "presentation.css"),
    ]
    look = master.content
    foot = []
    if look.date is not None:
        foot.append((ctx.generated_long, _foot_style(look.date, foot_top)))
    if look.footer is not None:
        texts = footer_texts(ctx.document_title, ctx.title, ctx.period_words, ctx.board)
        foot.append((one_line(look.footer, *texts), _foot_style(look.footer, foot_top)))
    if look.number is not None:
        number_style = _foot_style(look.number, foot_top)
    else:  # as the PowerPoint file: a box of our own in the slide-number band
        box = Box(
            geo.SLIDE_WIDTH - geo.MARGIN_X - geo.NUMBER_WIDTH,
            geo.NUMBER_TOP - foot_top,
            geo.NUMBER_WIDTH,
            geo.NUMBER_PT * geo.LINE,
        )
        number_style = (
            f"{place(box)}; font-size: {pt(geo.NUMBER_PT)}; color: #{master.colours.muted};"
            " text-align: right"
        )
    return render_template(
        dirs,
        TEMPLATE,
        ctx=ctx,
        title=ctx.document_title,
        slides=geo.build_slides(ctx, master.frame),
        frame=master.frame,
        master=master,
        foot=foot,
        number_style=number_style,
        cover_parts=_cover_parts(master),
        stylesheet=Markup("\n".join(css)),  # our own files and the master's colours
        svg=images or svg_markup,
        pt=pt,
        place=place,
        zip=zip,
    )


def render_presentation_pdf(
    ctx: ReportContext,
    *,
    variant: str = DEFAULT_VARIANT,
    template_dir: Path | None = None,
    pptx_template: Path | None = None,
) -> bytes:
    """The presentation as tagged 16:9 PDF slides (PDF/UA-1 by default), as bytes, drawn on the
    PowerPoint master (``pptx_template``, else the packaged one)."""
    check_variant(variant)
    images = ChartImages()
    markup = presentation_markup(ctx, user_dir=template_dir, images=images, template=pptx_template)
    return write_pdf(markup, template_dirs(template_dir), variant, images.files)
