"""Render stage: one renderer per format, each ``render_report_<format>(ctx) -> bytes``.

The renderers live in submodules (``html``, ``pdf``, ``docx``) and import their heavy libraries
only when called, so importing this package stays cheap. This module only locates the packaged
resources (templates, CSS, fonts) that every renderer shares.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ksreport.errors import RenderError

if TYPE_CHECKING:
    from ksreport.context import ReportContext

FONT_FAMILY = "Liberation Sans"
"""The one font family of every output; shipped in ``templates/fonts`` (SIL OFL 1.1)."""

OFFICE_FONT_FAMILY = "Arial"
"""The font the Word and PowerPoint files name: every Windows and macOS Office has Arial, and
Liberation Sans (which the PDF embeds and LibreOffice substitutes for Arial) has its metrics, so
the layout is the same everywhere. A user's template that names other fonts keeps them."""

PDF_FONT_FAMILY = "Ksreport Sans"
PDF_SYMBOL_FAMILY = "Ksreport Symbols"
"""The packaged fonts as the PDF stylesheet names them: unique names, so that WeasyPrint uses
the shipped files and never a system font of the same name."""

DEFAULT_VARIANT = "pdf/ua-1"
PDF_VARIANTS = (
    "pdf/ua-1",
    "pdf/a-2a",
    "pdf/a-3a",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
)
"""Variants offered: PDF/UA-1 (accessible, the default) and PDF/A for e-arkiv. Every output is
tagged; WeasyPrint cannot combine PDF/A and PDF/UA in one file, and pdf/a-2a is tagged too."""

# The house colours (RRGGBB) of every format; the status colours are in ``status_style``.
INK = "1A1A1A"
HEADING = "1F3A5F"
MUTED = "5A5A5A"
HEAD_FILL = "EEF2F6"
GROUP_FILL = "F6F8FA"
RULE = "C9D1D9"
RULE_LIGHT = "E3E8ED"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as Office can store it: line breaks normalised, XML-invalid control characters gone."""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


NBSP = "\u00a0"
_EJ = re.compile(r"\b(Ej|ej|Inte|inte) ")


def unbroken(text: str) -> str:
    """A status, activity word or value that never breaks inside: one or two words
    ("Ej påbörjad", "Utfall saknas", "165 kWh/m²") are joined by no-break spaces, as is a
    forecast mark to its word ("Grönt (prognos)"); a longer phrase ("Följs upp senare") may
    wrap between its words, but never after "Ej" or "Inte"."""
    words, mark = text, ""
    if text.endswith(")") and " (" in text:
        words, _, rest = text.rpartition(" (")
        mark = f"{NBSP}({rest}"
    if len(words.split(" ")) <= 2:
        return words.replace(" ", NBSP) + mark
    return _EJ.sub(lambda m: m.group(1) + NBSP, words) + mark


FONT_FILES = {
    (False, False): "LiberationSans-Regular.ttf",
    (True, False): "LiberationSans-Bold.ttf",
    (False, True): "LiberationSans-Italic.ttf",
    (True, True): "LiberationSans-BoldItalic.ttf",
}


@cache
def package_template_dir() -> Path:
    """The ``templates`` folder shipped inside the package, as a real directory."""
    return Path(str(files("ksreport") / "templates")).resolve()


SYMBOL_FONT_FAMILY = "DejaVu Sans"
"""Fallback for the status shapes and arrows that Liberation Sans lacks (arrows and some shapes)."""

SYMBOL_FONT_FILE = "DejaVuSans.ttf"


def font_file(*, bold: bool = False, italic: bool = False) -> Path:
    """The packaged font file for a weight and style."""
    return package_template_dir() / "fonts" / FONT_FILES[(bold, italic)]


def symbol_font_file() -> Path:
    """The packaged fallback font for symbols."""
    return package_template_dir() / "fonts" / SYMBOL_FONT_FILE


def midnight(day: dt.date) -> dt.datetime:
    """The generation date as the timestamp stamped into documents (reproducible builds)."""
    return dt.datetime(day.year, day.month, day.day)


_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    return text if len(text) <= _PROPERTY_CHARS else text[: _PROPERTY_CHARS - 1] + "…"


def set_core_properties(
    core: Any,
    *,
    title: str,
    subject: str,
    author: str,
    keywords: str,
    category: str,
    lang: str,
    when: dt.datetime,
) -> None:
    """Title, author, language and dates of a Word or PowerPoint file (the two libraries'
    core-properties objects have the same attributes). Office holds at most 255 characters in
    each: a longer text (a very long name in the workbook) is cut with an ellipsis."""
    core.title = _property(title)
    core.subject = _property(subject)
    core.author = _property(author)
    core.last_modified_by = "ksreport"
    core.language = lang
    core.keywords = _property(keywords)
    core.comments = ""
    core.category = _property(category)
    core.created = core.modified = when
    core.revision = 1


def report_core_properties(
    core: Any, ctx: ReportContext, *, subject: str, category: str
) -> dt.datetime:
    """The core properties of one board's Word or PowerPoint file; returns its timestamp."""
    when = midnight(ctx.generated)
    set_core_properties(
        core,
        title=ctx.document_title,
        subject=subject,
        author=ctx.organisation or ctx.board,
        keywords=f"{ctx.title}; {ctx.board}; {ctx.period_code}",
        category=category,
        lang=ctx.lang,
        when=when,
    )
    return when


# --- Office templates -----------------------------------------------------------------------

OfficeKind = Literal["docx", "pptx"]

_TEMPLATE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "docx": ("Word-mallen", (".docx", ".dotx")),
    "pptx": ("PowerPoint-mallen", (".pptx", ".potx")),
}

# A template's main part differs from a document's only in its content type.
_MAIN_CONTENT_TYPES = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def check_template_kind(path: Path, kind: OfficeKind) -> None:
    """Refuse, in Swedish and naming the accepted kinds, a template that is not a Word
    (``.docx``/``.dotx``) or PowerPoint (``.pptx``/``.potx``) file by its name."""
    what, suffixes = _TEMPLATE_KINDS[kind]
    if path.suffix.lower() not in suffixes:
        raise RenderError(
            f'{what} "{path}" kan inte användas: mallen ska vara en {suffixes[0]}- eller '
            f"{suffixes[1]}-fil."
        )


def open_office_template(path: Path, kind: OfficeKind) -> io.BytesIO:
    """A user's Word or PowerPoint template (document or real template: ``.docx``, ``.dotx``,
    ``.pptx``, ``.potx``) as a document package that python-docx or python-pptx can open.

    A ``.dotx``/``.potx`` is loaded as a document by rewriting its main part's content type in
    memory (python-docx and python-pptx refuse the template type); the file is never changed.
    Raises :class:`RenderError` with a Swedish message for any other kind of file."""
    check_template_kind(path, kind)
    what, suffixes = _TEMPLATE_KINDS[kind]
    kinds = f"{suffixes[0]}- eller {suffixes[1]}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or "filen kan inte läsas"
        raise RenderError(f'{what} "{path}" kunde inte öppnas: {reason}.') from None
    template_type, document_type = _MAIN_CONTENT_TYPES[kind]
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            types = src.read("[Content_Types].xml")
            if template_type.encode() not in types:
                return io.BytesIO(data)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    blob = src.read(info)
                    if info.filename == "[Content_Types].xml":
                        blob = blob.replace(template_type.encode(), document_type.encode())
                    dst.writestr(info, blob)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise RenderError(
            f'{what} "{path}" kunde inte öppnas: filen är inte en giltig {kinds}-fil.'
        ) from None
    out.seek(0)
    return out
