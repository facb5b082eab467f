"""Render stage: one renderer per format, each ``render_report_<format>(ctx) -> bytes``.

The renderers live in submodules (``html``, ``pdf``, ``docx``) and import their heavy libraries
only when called, so importing this package stays cheap. This module only locates the packaged
resources (templates, CSS, fonts) that every renderer shares.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ksreport.context import ReportContext

FONT_FAMILY = "Liberation Sans"
"""The one font family of every output; shipped in ``templates/fonts`` (SIL OFL 1.1)."""

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
    core-properties objects have the same attributes)."""
    core.title = title
    core.subject = subject
    core.author = author
    core.last_modified_by = "ksreport"
    core.language = lang
    core.keywords = keywords
    core.comments = ""
    core.category = category
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
