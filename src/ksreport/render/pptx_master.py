"""Render stage, the PowerPoint master: what both presentation renderers take from it.

The master is ksreport's own (``templates/presentation.pptx``) or the user's ``--pptx-template``
(``.pptx`` or ``.potx``). From its two layouts in use (the title slide's and the content slides')
this module reads where the title and the content go, the fonts, sizes and text colours (a
:class:`ksreport.slides.Frame`, which the slides are laid out in), and what the PDF slides draw
under the text: the background (colour, gradient or picture), the pictures and plain filled
shapes on the master and layout (a logo, a coloured band), the theme colours and the date,
footer and slide-number placeholders. Text on the master that is not a placeholder, effects,
patterns and other shapes are not carried over to the PDF.
"""

from __future__ import annotations

import colorsys
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksreport import slides as geo
from ksreport.errors import RenderError
from ksreport.render import open_office_template, package_template_dir
from ksreport.slides import Align, Anchor, Area, Box, Frame, Measure

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout, SlideMaster

log = logging.getLogger("ksreport")

TEMPLATE_NAME = "presentation.pptx"
EMU_PER_PT = 12700
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
PRESENTATION_MAIN = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"

UNKNOWN_FONT_SPREAD = 1.15
"""A master's font that is not on this computer is measured as Arial, 15 % wider."""
ARIAL_METRICS = {"arial", "liberation sans", "arimo", "helvetica", "helvetica neue"}
"""Families measured with the packaged Liberation Sans (the same widths, or close to them)."""

DEFAULT_INSETS = (7.2, 3.6, 7.2, 3.6)
"""PowerPoint's text insets (left, top, right, bottom) where the master sets none."""


def _pt(emu: str | int | None, default: float = 0.0) -> float:
    return default if emu is None else round(int(emu) / EMU_PER_PT, 2)


# --- Opening ---------------------------------------------------------------------------------


def open_presentation(path: Path | None) -> Presentation:
    """The master as a python-pptx presentation: the packaged one, or the user's .pptx/.potx."""
    from pptx import Presentation as open_pptx

    if path is None:
        return open_pptx(str(package_template_dir() / TEMPLATE_NAME))
    package = open_office_template(path, "pptx")  # a .potx as a presentation; other kinds refused
    try:
        return open_pptx(package)
    except Exception as exc:  # python-pptx raises many kinds for a foreign file
        raise RenderError(
            f'PowerPoint-mallen "{path}" kunde inte öppnas: {exc}. Ange en PowerPoint-mall '
            "(.potx) eller presentation (.pptx)."
        ) from None


def _scale_shapes(tree: Any, sx: float, sy: float) -> None:
    """Scale the shapes of a master or layout to a new slide size; pictures keep their shape."""
    from pptx.oxml.ns import qn

    for el in tree.iterchildren():
        xfrm = el.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
        if xfrm is None:
            xfrm = el.find(qn("p:xfrm"))
        if xfrm is None:
            xfrm = el.find(f"{qn('p:grpSpPr')}/{qn('a:xfrm')}")
        if xfrm is None:
            continue  # a placeholder that inherits its place from the master
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is None or ext is None:
            continue
        x, y = int(off.get("x")), int(off.get("y"))
        cx, cy = int(ext.get("cx")), int(ext.get("cy"))
        if el.tag == qn("p:pic"):
            k = min(sx, sy)
            centre_x, centre_y = (x + cx / 2) * sx, (y + cy / 2) * sy
            cx, cy = round(cx * k), round(cy * k)
            x, y = round(centre_x - cx / 2), round(centre_y - cy / 2)
        else:
            x, y, cx, cy = round(x * sx), round(y * sy), round(cx * sx), round(cy * sy)
        off.set("x", str(x))
        off.set("y", str(y))
        ext.set("cx", str(cx))
        ext.set("cy", str(cy))


def fit_slide_size(prs: Presentation) -> bool:
    """Make the presentation 16:9 widescreen (13,33 × 7,5 in), scaling the master and its
    layouts as PowerPoint does; True if the size changed."""
    from pptx.util import Emu

    width, height = round(geo.SLIDE_WIDTH * EMU_PER_PT), round(geo.SLIDE_HEIGHT * EMU_PER_PT)
    old_w, old_h = prs.slide_width or width, prs.slide_height or height
    if (old_w, old_h) == (width, height):
        return False
    sx, sy = width / old_w, height / old_h
    for master in prs.slide_masters:
        _scale_shapes(master.shapes._spTree, sx, sy)
        for layout in master.slide_layouts:
            _scale_shapes(layout.shapes._spTree, sx, sy)
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    prs.part._element.sldSz.attrib.pop("type", None)
    return True


# --- Picking the layouts ---------------------------------------------------------------------

TITLES = {"title", "ctrTitle"}
BODIES = {"obj", "body"}
FOOTERS = {"dt", "ftr", "sldNum"}


def ph_of(el: Any) -> tuple[str, int] | None:
    """(type, idx) of a placeholder shape element; None for other shapes."""
    ph = el.find("p:nvSpPr/p:nvPr/p:ph", NS)
    if ph is None:
        ph = el.find("p:nvPicPr/p:nvPr/p:ph", NS)
    if ph is None:
        ph = el.find("p:nvGraphicFramePr/p:nvPr/p:ph", NS)
    if ph is None:
        return None
    return ph.get("type", "obj"), int(ph.get("idx", "0"))


def _types(layout: Any) -> set[str]:
    return {t for el in layout.shapes._spTree.iterchildren() if (t := (ph_of(el) or ("",))[0])}


@dataclass(frozen=True)
class Layouts:
    """The master's layouts the slides use, picked by their placeholders, not their names."""

    title: SlideLayout
    content: SlideLayout


def pick_layouts(prs: Presentation) -> Layouts:
    """Content: a title and one content placeholder (Rubrik och innehåll), else title only, else
    any with a title, else blank. Title slide: a centred title (or title and subtitle). The
    first layout where nothing matches."""
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    if not layouts:
        raise RenderError("PowerPoint-mallen har inga layouter.")

    def first(*tests: Any) -> SlideLayout | None:
        for test in tests:
            found = [layout for layout in layouts if test(_types(layout))]
            if found:
                return found[0]
        return None

    content = first(
        lambda t: "title" in t and len(t & BODIES) == 1 and not t - TITLES - BODIES - FOOTERS,
        lambda t: "title" in t and not t - TITLES - FOOTERS,
        lambda t: "title" in t and t & BODIES,
        lambda t: bool(t & TITLES),
        lambda t: not t - FOOTERS,
    )
    title = first(lambda t: "ctrTitle" in t, lambda t: "title" in t and "subTitle" in t)
    content = content or layouts[0]
    return Layouts(title or content, content)


# --- Colours ---------------------------------------------------------------------------------

_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "blue": "0000FF"}
_SCHEME_DEFAULT = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


@dataclass(frozen=True)
class Theme:
    colours: dict[str, str]
    """The theme's colour scheme (dk1, lt1, dk2, lt2, accent1…) mapped through the master's
    colour map, so that tx1, bg1, tx2 and bg2 are there too."""
    major: str
    minor: str
    background_fills: tuple[Any, ...]

    def colour(self, parent: Any, placeholder: str | None = None) -> str | None:
        """The colour (RRGGBB) of the colour element in ``parent`` (a fill or a text run's
        properties), modifications applied; None where there is none."""
        if parent is None:
            return None
        for el in parent.iterchildren():
            name = el.tag.rsplit("}", 1)[-1]
            base: str | None = None
            if name == "srgbClr":
                base = el.get("val")
            elif name == "schemeClr":
                key = el.get("val")
                base = placeholder if key == "phClr" else self.colours.get(key)
            elif name == "sysClr":
                base = el.get("lastClr") or (
                    "000000" if el.get("val") == "windowText" else "FFFFFF"
                )
            elif name == "prstClr":
                base = _PRESET.get(el.get("val", ""), "000000")
            elif name == "scrgbClr":
                rgb = [int(el.get(c, "0")) / 100000 for c in ("r", "g", "b")]
                base = "".join(f"{round(min(max(v, 0), 1) * 255):02X}" for v in rgb)
            elif name in ("solidFill",):
                return self.colour(el, placeholder)
            if base:
                return _modify(base.upper(), el)
        return None


def _modify(rgb: str, el: Any) -> str:
    """Apply lumMod, lumOff, tint and shade, as PowerPoint does (HSL lightness, linear mixes)."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for mod in el.iterchildren():
        name = mod.tag.rsplit("}", 1)[-1]
        value = int(mod.get("val", "100000")) / 100000
        if name in ("lumMod", "lumOff"):
            h, light, s = colorsys.rgb_to_hls(r, g, b)
            light = light * value if name == "lumMod" else light + value
            r, g, b = colorsys.hls_to_rgb(h, min(max(light, 0.0), 1.0), s)
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - value) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (c * value for c in (r, g, b))
    return "".join(f"{round(min(max(c, 0), 1) * 255):02X}" for c in (r, g, b))


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG) of RRGGBB."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(rgb[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def read_theme(master: SlideMaster) -> Theme:
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme: dict[str, str] = {}
    clr_scheme = root.find(".//a:clrScheme", NS)
    empty = Theme({}, "", "", ())
    for slot in clr_scheme if clr_scheme is not None else ():
        name = slot.tag.rsplit("}", 1)[-1]
        scheme[name] = empty.colour(slot) or "000000"
    mapping = master._element.find("p:clrMap", NS)
    for alias, default in _SCHEME_DEFAULT.items():
        target = mapping.get(alias, default) if mapping is not None else default
        scheme[alias] = scheme.get(target, "000000" if alias.startswith("tx") else "FFFFFF")
    fonts = {}
    for kind in ("major", "minor"):
        latin = root.find(f".//a:fontScheme/a:{kind}Font/a:latin", NS)
        fonts[kind] = (latin.get("typeface") if latin is not None else "") or "Arial"
    fills = root.find(".//a:fmtScheme/a:bgFillStyleLst", NS)
    return Theme(scheme, fonts["major"], fonts["minor"], tuple(fills if fills is not None else ()))


# --- Fonts -----------------------------------------------------------------------------------


def _fc_match(family: str, bold: bool) -> str:
    """The file fontconfig gives for ``family`` (bold or regular), if it is that family."""
    if shutil.which("fc-match") is None:
        return ""
    pattern = f"{family}:weight={'bold' if bold else 'regular'}:slant=roman"
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{family}\t%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    families, _, file = out.partition("\t")
    names = {name.strip().lower() for name in families.split(",")}
    return file if family.lower() in names and Path(file).is_file() else ""


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [home / ".fonts", home / ".local/share/fonts", home / "Library/Fonts"]
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/Library/Fonts")]
    if sys.platform == "win32":
        import os

        dirs += [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft/Windows/Fonts")
    return [d for d in dirs if d.is_dir()]


@cache
def _installed_fonts() -> dict[str, dict[str, str]]:
    """family (lower case) → style (lower case) → file, from the usual font folders; for
    computers without fontconfig (Windows, macOS)."""
    from PIL import ImageFont

    found: dict[str, dict[str, str]] = {}
    for folder in _font_dirs():
        for path in folder.rglob("*"):
            if path.suffix.lower() not in (".ttf", ".otf"):
                continue
            try:
                family, style = ImageFont.truetype(str(path), 10).getname()
            except OSError:
                continue
            if family:
                found.setdefault(family.lower(), {}).setdefault((style or "").lower(), str(path))
    return found


def _scan(family: str) -> tuple[str, str]:
    styles = _installed_fonts().get(family.lower(), {})
    regular = next((styles[s] for s in ("regular", "book", "normal", "roman") if s in styles), "")
    return regular, styles.get("bold", "")


@lru_cache(maxsize=16)
def find_font(family: str) -> Measure:
    """How to measure text in ``family``: its files on this computer, the packaged Liberation
    Sans for Arial and its look-alikes, else Arial's widths with room to spare (and a warning)."""
    if not family or family.lower() in ARIAL_METRICS or family.startswith("+"):
        return Measure(family or "Arial")
    regular, bold = _fc_match(family, False), _fc_match(family, True)
    if not regular:
        regular, bold = _scan(family)
    if regular:
        return Measure(family, regular, bold)
    log.warning(
        'Typsnittet "%s" i PowerPoint-mallen finns inte på den här datorn. Texten mäts som Arial '
        "med 15 %% marginal, så den får plats om typsnittet inte är mycket bredare. Installera "
        "typsnittet för att få exakt radbrytning.",
        family,
    )
    return Measure(family, spread=UNKNOWN_FONT_SPREAD)


# --- Placeholders as set by the master -------------------------------------------------------

_STYLE_OF = {"title": "titleStyle", "ctrTitle": "titleStyle", "subTitle": "bodyStyle"}
_STYLE_OF |= {"obj": "bodyStyle", "body": "bodyStyle"}
_MASTER_TYPE = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}
_ALIGN: dict[str, Align] = {"l": "left", "ctr": "center", "r": "right", "just": "left"}
_ANCHOR: dict[str, Anchor] = {"t": "top", "ctr": "middle", "b": "bottom"}


@dataclass(frozen=True)
class Text:
    """How a placeholder sets its first level of text."""

    family: str
    size: float
    bold: bool
    colour: str
    align: Align
    anchor: Anchor


@dataclass(frozen=True)
class Placeholder:
    kind: str
    idx: int
    box: Box
    """The shape, in points."""
    insets: tuple[float, float, float, float]
    text: Text

    @property
    def text_box(self) -> Box:
        left, top, right, bottom = self.insets
        b = self.box
        return Box(b.left + left, b.top + top, b.width - left - right, b.height - top - bottom)


def _placeholders(tree: Any) -> Iterator[tuple[str, int, Any]]:
    for el in tree.iterchildren():
        found = ph_of(el)
        if found is not None:
            yield found[0], found[1], el


def _find(tree: Any, kinds: set[str]) -> Any | None:
    """The placeholder of one of ``kinds`` with the lowest idx."""
    found = [(idx, el) for kind, idx, el in _placeholders(tree) if kind in kinds]
    return min(found, key=lambda f: f[0])[1] if found else None


def _box(el: Any) -> Box | None:
    xfrm = el.find("p:spPr/a:xfrm", NS)
    if xfrm is None:
        xfrm = el.find("p:xfrm", NS)
    if xfrm is None:
        return None
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(_pt(off.get("x")), _pt(off.get("y")), _pt(ext.get("cx")), _pt(ext.get("cy")))


def _typeface(run: Any) -> str | None:
    latin = run.find("a:latin", NS)
    return (latin.get("typeface") or None) if latin is not None else None


class _Resolver:
    """Resolves a layout's placeholder through its master, as PowerPoint inherits."""

    def __init__(self, master: SlideMaster, theme: Theme) -> None:
        self.master = master
        self.theme = theme
        self.tree = master.shapes._spTree

    def master_ph(self, kind: str) -> Any | None:
        return _find(self.tree, {_MASTER_TYPE.get(kind, kind)})

    def resolve(self, layout_el: Any | None, kind: str, idx: int = 0) -> Placeholder | None:
        master_el = self.master_ph(kind)
        chain = [el for el in (layout_el, master_el) if el is not None]
        if not chain:
            return None
        box = next((b for el in chain if (b := _box(el)) is not None), None)
        if box is None:
            return None
        body_prs = [el.find("p:txBody/a:bodyPr", NS) for el in chain]
        insets = tuple(
            next(
                (_pt(bp.get(attr)) for bp in body_prs if bp is not None and bp.get(attr)),
                default,
            )
            for attr, default in zip(("lIns", "tIns", "rIns", "bIns"), DEFAULT_INSETS, strict=True)
        )
        anchor = next(
            (bp.get("anchor") for bp in body_prs if bp is not None and bp.get("anchor")), "t"
        )
        levels = [el.find("p:txBody/a:lstStyle/a:lvl1pPr", NS) for el in chain]
        style = _STYLE_OF.get(kind, "otherStyle")
        levels.append(self.master._element.find(f"p:txStyles/p:{style}/a:lvl1pPr", NS))
        levels = [lv for lv in levels if lv is not None]
        runs = [r for lv in levels if (r := lv.find("a:defRPr", NS)) is not None]

        def first(get: Any, default: Any) -> Any:
            return next((v for x in runs if (v := get(x)) is not None), default)

        size = first(lambda r: int(r.get("sz")) / 100 if r.get("sz") else None, 18.0)
        bold = first(lambda r: r.get("b") in ("1", "true") if r.get("b") else None, False)
        colour = first(lambda r: self.theme.colour(r.find("a:solidFill", NS)), None)
        latin = first(_typeface, None)
        titles = kind in TITLES
        if latin is None or latin in ("+mj-lt", "+mn-lt"):
            major = latin == "+mj-lt" or (latin is None and titles)
            latin = self.theme.major if major else self.theme.minor
        align = next((lv.get("algn") for lv in levels if lv.get("algn")), "l")
        text = Text(
            latin,
            size,
            bold,
            colour or self.theme.colours["tx1"],
            _ALIGN.get(align, "left"),
            _ANCHOR.get(anchor, "top"),
        )
        return Placeholder(kind, idx, box, insets, text)  # type: ignore[arg-type]

    def layout_ph(self, layout: SlideLayout, kinds: set[str]) -> Placeholder | None:
        el = _find(layout.shapes._spTree, kinds)
        if el is None:
            return None
        kind, idx = ph_of(el) or ("obj", 0)
        return self.resolve(el, kind, idx)

    def fallback(self, kinds: set[str]) -> Placeholder | None:
        el = _find(self.tree, {_MASTER_TYPE.get(k, k) for k in kinds})
        if el is None:
            return None
        kind, idx = ph_of(el) or ("obj", 0)
        return self.resolve(None, kind, idx)


def one_line(ph: Placeholder, *texts: str) -> str:
    """The first of ``texts`` that fits on one line in the placeholder (a footer), else the
    last: the master's footer box is made for one line."""
    font, t = find_font(ph.text.family), ph.text
    for text in texts:
        if font.width(text, t.size, bold=t.bold) <= ph.text_box.width * geo.FIT:
            return text
    return texts[-1]


def footer_texts(document_title: str, title: str, period: str, board: str) -> tuple[str, ...]:
    """What the footer says, longest first: ``Kommunstyrelsen – Måluppfyllelse helår 2020``."""
    return (document_title, f"{title} {period}", board)


# --- What the PDF draws under the text -------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """An image on the master or layout (or a plain filled shape, drawn as an SVG rectangle)."""

    box: Box
    data: bytes
    ext: str


@dataclass(frozen=True)
class Background:
    colour: str = "FFFFFF"
    picture: Picture | None = None
    """A picture or gradient over the whole slide."""


@dataclass(frozen=True)
class Look:
    """One layout as the PDF draws it: the background, then the master's and the layout's
    pictures and shapes in their order, then the date, footer and slide number."""

    background: Background
    pictures: tuple[Picture, ...]
    number: Placeholder | None = None
    date: Placeholder | None = None
    footer: Placeholder | None = None


_IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/gif": "gif",
    "image/svg+xml": "svg",
}


def _rect_svg(colour: str, line: str | None = None, width: float = 0.0) -> bytes:
    stroke = f' stroke="#{line}" stroke-width="{width}" vector-effect="non-scaling-stroke"'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100" '
        f'preserveAspectRatio="none"><rect width="100" height="100" fill="#{colour}"'
        f"{stroke if line else ''}/></svg>"
    ).encode()


def _gradient_svg(theme: Theme, grad: Any, placeholder: str | None) -> bytes | None:
    stops = []
    for gs in grad.findall("a:gsLst/a:gs", NS):
        colour = theme.colour(gs, placeholder)
        if colour:
            stops.append(
                f'<stop offset="{int(gs.get("pos", "0")) / 1000:g}%" stop-color="#{colour}"/>'
            )
    if not stops:
        return None
    lin = grad.find("a:lin", NS)
    angle = int(lin.get("ang", "0")) / 60000 if lin is not None else 90.0
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540" viewBox="0 0 960 540" '
        'preserveAspectRatio="none"><defs><linearGradient id="g" gradientUnits="userSpaceOnUse" '
        f'x1="0" y1="270" x2="960" y2="270" gradientTransform="rotate({angle:g} 480 270)">'
        f'{"".join(stops)}</linearGradient></defs><rect width="960" height="540" fill="url(#g)"/>'
        "</svg>"
    ).encode()


class _Painter:
    """Collects what a layout draws: background, pictures and filled shapes."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def fill(self, part: Any, fill: Any, box: Box, placeholder: str | None = None) -> Any:
        """A Picture for an image, gradient or colour fill over ``box``; a colour string for a
        solid fill; None for none."""
        name = fill.tag.rsplit("}", 1)[-1]
        if name == "solidFill":
            return self.theme.colour(fill, placeholder)
        if name == "gradFill":
            svg = _gradient_svg(self.theme, fill, placeholder)
            return Picture(box, svg, "svg") if svg else None
        if name == "blipFill":
            return self._image(part, fill, box)
        return None

    def _image(self, part: Any, blip_fill: Any, box: Box) -> Picture | None:
        blip = blip_fill.find("a:blip", NS)
        rid = blip.get(f"{{{NS['r']}}}embed") if blip is not None else None
        if not rid:
            return None
        try:
            image = part.related_part(rid)
        except KeyError:
            return None
        ext = _IMAGE_TYPES.get(image.content_type)
        if ext is None:
            log.info("PDF-bilderna: en bild av typen %s i mallen ritas inte.", image.content_type)
            return None
        return Picture(box, image.blob, ext)

    def background(self, part: Any) -> Background | None:
        bg = part._element.find("p:cSld/p:bg", NS)
        if bg is None:
            return None
        slide = Box(0, 0, geo.SLIDE_WIDTH, geo.SLIDE_HEIGHT)
        bg_pr = bg.find("p:bgPr", NS)
        fill, placeholder = None, None
        if bg_pr is not None:
            fill = next(iter(bg_pr), None)
        else:
            ref = bg.find("p:bgRef", NS)
            if ref is not None:
                idx = int(ref.get("idx", "0"))
                placeholder = self.theme.colour(ref)
                styles = self.theme.background_fills
                if 1001 <= idx < 1001 + len(styles):
                    fill = styles[idx - 1001]
        if fill is None:
            return None
        got = self.fill(part, fill, slide, placeholder)
        if isinstance(got, Picture):
            return Background("FFFFFF", got)
        return Background(got) if got else None

    def shapes(self, part: Any, tree: Any, offset: Any = None) -> Iterator[Picture]:
        """The pictures and plain filled shapes of a shape tree, groups included."""
        for el in tree.iterchildren():
            name = el.tag.rsplit("}", 1)[-1]
            if name == "grpSp":
                yield from self._group(part, el, offset)
                continue
            if ph_of(el) is not None and name != "sp":
                continue
            box = _box(el)
            if box is None:
                continue
            if offset is not None:
                box = offset(box)
            if name == "pic":
                blip_fill = el.find("p:blipFill", NS)
                if blip_fill is not None and (pic := self._image(part, blip_fill, box)):
                    yield pic
            elif name in ("sp", "cxnSp"):
                yield from self._shape(part, el, box)

    def _shape(self, part: Any, el: Any, box: Box) -> Iterator[Picture]:
        """A rectangle (or line) with a solid or picture fill and no text of its own; a
        placeholder only with a fill of its own (a title band)."""
        geom = el.find("p:spPr/a:prstGeom", NS)
        if geom is None or geom.get("prst") not in ("rect", "line", "straightConnector1"):
            return
        is_ph = ph_of(el) is not None
        if not is_ph and "".join(el.itertext()).strip():
            return
        sp_pr = el.find("p:spPr", NS)
        fill = next(
            (c for c in sp_pr if c.tag.rsplit("}", 1)[-1] in ("solidFill", "gradFill", "blipFill")),
            None,
        )
        if geom.get("prst") != "rect" or fill is None:
            line = sp_pr.find("a:ln", NS)
            colour = self.theme.colour(line.find("a:solidFill", NS)) if line is not None else None
            if colour and not is_ph:
                width = _pt(line.get("w"), 0.75) or 0.75
                thick = Box(box.left, box.top, max(box.width, width), max(box.height, width))
                yield Picture(thick, _rect_svg(colour), "svg")
            return
        got = self.fill(part, fill, box)
        if isinstance(got, Picture):
            yield got
        elif got:
            yield Picture(box, _rect_svg(got), "svg")

    def _group(self, part: Any, el: Any, outer: Any) -> Iterator[Picture]:
        xfrm = el.find("p:grpSpPr/a:xfrm", NS)
        if xfrm is None:
            yield from self.shapes(part, el, outer)
            return
        off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
        ch_off, ch_ext = xfrm.find("a:chOff", NS), xfrm.find("a:chExt", NS)
        if None in (off, ext, ch_off, ch_ext):
            yield from self.shapes(part, el, outer)
            return
        ox, oy = _pt(off.get("x")), _pt(off.get("y"))
        cx, cy = _pt(ch_off.get("x")), _pt(ch_off.get("y"))
        kx = _pt(ext.get("cx")) / (_pt(ch_ext.get("cx")) or 1)
        ky = _pt(ext.get("cy")) / (_pt(ch_ext.get("cy")) or 1)

        def place(b: Box) -> Box:
            inner = Box(
                ox + (b.left - cx) * kx, oy + (b.top - cy) * ky, b.width * kx, b.height * ky
            )
            return outer(inner) if outer is not None else inner

        yield from self.shapes(part, el, place)


# --- The master, read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Colours:
    """The theme's colours in the roles the slides use (RRGGBB)."""

    ink: str
    heading: str
    muted: str
    head_fill: str
    accent: str
    title: str
    cover_title: str
    cover_sub: str
    cover_facts: str


@dataclass(frozen=True)
class Places:
    """The placeholders the slides fill, as the master sets them (None: the layout has none)."""

    title: Placeholder | None = None
    body: Placeholder | None = None
    cover_title: Placeholder | None = None
    cover_sub: Placeholder | None = None
    cover_facts: Placeholder | None = None


@dataclass(frozen=True)
class Master:
    frame: Frame
    colours: Colours
    cover: Look
    content: Look
    cover_muted: bool
    """The title slide's text is dark on light: the organisation and facts may be muted."""
    places: Places = Places()


MUTED_MOD = (65000, 35000)
"""lumMod and lumOff of the muted text: the theme's text colour, lightened."""


def _muted(theme: Theme) -> str:
    from lxml import etree

    el = etree.fromstring(
        f'<a:schemeClr xmlns:a="{NS["a"]}" val="tx1"><a:lumMod val="{MUTED_MOD[0]}"/>'
        f'<a:lumOff val="{MUTED_MOD[1]}"/></a:schemeClr>'
    )
    return _modify(theme.colours["tx1"], el)


def _area(ph: Placeholder | None, fallback: Area, *, line: float = geo.LINE) -> Area:
    if ph is None:
        return fallback
    t = ph.text
    return Area(ph.text_box, t.size, t.bold, find_font(t.family), t.anchor, t.align, line)


def _look(painter: _Painter, resolver: _Resolver, layout: SlideLayout, master: Any) -> Look:
    background = painter.background(layout) or painter.background(master) or Background()
    pictures: list[Picture] = []
    if layout._element.get("showMasterSp") not in ("0", "false"):
        pictures += painter.shapes(master.part, master.shapes._spTree)
    pictures += painter.shapes(layout.part, layout.shapes._spTree)
    return Look(
        background,
        tuple(pictures),
        resolver.layout_ph(layout, {"sldNum"}),
        resolver.layout_ph(layout, {"dt"}),
        resolver.layout_ph(layout, {"ftr"}),
    )


def read_master(prs: Presentation, layouts: Layouts) -> Master:
    """What the slides take from the master of ``layouts`` (``prs`` already 16:9)."""
    master = layouts.content.slide_master
    theme = read_theme(master)
    resolver = _Resolver(master, theme)
    house = geo.HOUSE_FRAME
    title = resolver.layout_ph(layouts.content, TITLES) or resolver.fallback({"title"})
    body = resolver.layout_ph(layouts.content, BODIES) or resolver.fallback({"body"})
    cover_title = resolver.layout_ph(layouts.title, TITLES) or title
    cover_sub = resolver.layout_ph(layouts.title, {"subTitle", "body", "obj"})
    cover_facts = resolver.layout_ph(layouts.title, {"dt"})
    title_area = _area(title, house.title, line=geo.TITLE_LINE)
    cover_title_area = _area(cover_title, house.cover_title, line=geo.TITLE_LINE)
    if cover_sub is not None:
        sub_area = _area(cover_sub, house.cover_sub)
    else:  # under the title
        b = cover_title_area.box
        room = Box(b.left, b.bottom + geo.TITLE_GAP, b.width, 3 * 24 * geo.LINE)
        sub_area = Area(room, 24.0, font=cover_title_area.font, align=cover_title_area.align)
    frame = Frame(
        title=title_area,
        body=_area(body, house.body),
        cover_title=cover_title_area,
        cover_sub=sub_area,
        cover_facts=_area(cover_facts, house.body) if cover_facts is not None else None,
    )
    ink = theme.colours["tx1"]
    colours = Colours(
        ink=ink,
        heading=theme.colours["tx2"],
        muted=_muted(theme),
        head_fill=theme.colours["bg2"],
        accent=theme.colours.get("accent1", theme.colours["tx2"]),
        title=title.text.colour if title else theme.colours["tx2"],
        cover_title=cover_title.text.colour if cover_title else theme.colours["tx2"],
        cover_sub=cover_sub.text.colour if cover_sub else ink,
        cover_facts=cover_facts.text.colour if cover_facts else ink,
    )
    painter = _Painter(theme)
    cover = _look(painter, resolver, layouts.title, master)
    dark_text = luminance(colours.cover_sub) < 0.4 and luminance(colours.cover_title) < 0.4
    return Master(
        frame,
        colours,
        cover,
        _look(painter, resolver, layouts.content, master),
        dark_text and cover.background.picture is None and luminance(cover.background.colour) > 0.6,
        Places(title, body, cover_title, cover_sub, cover_facts),
    )


def load(path: Path | None) -> tuple[Presentation, Layouts, Master]:
    """Open the master (the packaged one where ``path`` is None), 16:9, its layouts picked and
    read."""
    prs = open_presentation(path)
    if fit_slide_size(prs):
        log.warning(
            "PowerPoint-mallen %s är inte 16:9 (33,867 × 19,05 cm); dess layouter har skalats "
            "om till det formatet.",
            (path or Path(TEMPLATE_NAME)).name,
        )
    layouts = pick_layouts(prs)
    return prs, layouts, read_master(prs, layouts)


@lru_cache(maxsize=4)
def _cached(path: Path | None, stamp: tuple[float, int]) -> Master:
    return load(path)[2]


def master_for(path: Path | None) -> Master:
    """The master read once per file and version (the PDF slides and the PPTX share it)."""
    if path is None:
        return _cached(None, (0.0, 0))
    stat = path.stat()
    return _cached(path, (stat.st_mtime, stat.st_size))
