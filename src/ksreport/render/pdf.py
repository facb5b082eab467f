"""Render stage, PDF: the print markup through WeasyPrint into a tagged A4 PDF.

Fonts come from the package, so the PDF looks the same on any machine. While rendering,
WeasyPrint may read only files inside the template folders (the user's, then the package's):
no network, no other local file, whatever a workbook text tries.
"""

from __future__ import annotations

import logging
import mimetypes
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ksreport.context import ReportContext
from ksreport.errors import RenderError
from ksreport.render import DEFAULT_VARIANT, PDF_VARIANTS
from ksreport.render.html import ChartImages, report_markup, template_dirs
from ksreport.render.pdf_tags import mend_tags

log = logging.getLogger("ksreport")


def import_weasyprint() -> None:
    """Import WeasyPrint without its warning for a machine without system fonts ("No fonts
    configured in FontConfig"): the PDFs use only the packaged fonts (``fonts.css``), so they
    come out the same there."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        warnings.filterwarnings("ignore", "FontConfig cannot load default config", UserWarning)
        import weasyprint  # noqa: F401


class FetchRefused(ValueError):
    """A URL outside the template folders; WeasyPrint skips the resource with a warning."""


def resolve_template_url(url: str, base: Path, dirs: tuple[Path, ...]) -> Path:
    """Map a ``file:`` URL under ``base`` to a file in the first of ``dirs`` that has it.

    Anything else (http, data, file URLs elsewhere, ``..`` escapes) raises :class:`FetchRefused`.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused: {url[:120]}")
    path = Path(unquote(parts.path))
    try:
        rel = path.resolve().relative_to(base)
    except ValueError:
        raise FetchRefused(f"refused: {url[:120]}") from None
    for d in dirs:
        candidate = (d / rel).resolve()
        if candidate.is_relative_to(d) and candidate.is_file():
            return candidate
    raise FetchRefused(f"not found in template folders: {rel}")


def make_url_fetcher(dirs: tuple[Path, ...], resources: Mapping[str, bytes] | None = None) -> Any:
    """A WeasyPrint ``URLFetcher`` that serves only files from the template folders, and the
    SVG charts and the PowerPoint master's pictures in ``resources`` (in memory, by exact URL;
    the type from the URL's extension)."""
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base = dirs[-1]

    class TemplateOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if resources and url in resources:
                kind = mimetypes.guess_type(url)[0] or "image/svg+xml"
                return URLFetcherResponse(url, body=resources[url], headers={"Content-Type": kind})
            try:
                path = resolve_template_url(url, base, dirs)
            except FetchRefused:
                log.warning("PDF: hämtar inte %s (bara mallmappens filer används)", url[:120])
                raise
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return TemplateOnlyFetcher()


def check_variant(variant: str) -> None:
    if variant not in PDF_VARIANTS:
        raise RenderError(
            f'PDF-varianten "{variant}" är okänd; tillåtna värden: {", ".join(PDF_VARIANTS)}'
        )


def write_pdf(
    markup: str,
    dirs: tuple[Path, ...],
    variant: str = DEFAULT_VARIANT,
    resources: Mapping[str, bytes] | None = None,
) -> bytes:
    """HTML markup → tagged PDF bytes, fetching only files from the template folders ``dirs``
    and the generated charts in ``resources``.

    Title, language and dates come from the markup, so the same markup gives the same bytes.
    The tag tree is mended afterwards (``render.pdf_tags``): pagination as Artifact, TH scopes.
    """
    check_variant(variant)
    import_weasyprint()
    from weasyprint import HTML

    document = HTML(
        string=markup,
        base_url=dirs[-1].as_uri() + "/",
        url_fetcher=make_url_fetcher(dirs, resources),
    ).render()
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (ResourceWarning).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf: bytes = document.write_pdf(pdf_variant=variant, pdf_tags=True, pdf_identifier=True)
    return mend_tags(pdf)


def render_report_pdf(
    ctx: ReportContext, *, variant: str = DEFAULT_VARIANT, template_dir: Path | None = None
) -> bytes:
    """The report as a tagged A4 PDF (PDF/UA-1 by default, or a PDF/A variant), as bytes."""
    check_variant(variant)
    images = ChartImages()
    markup = report_markup(ctx, "print", user_dir=template_dir, images=images)
    return write_pdf(markup, template_dirs(template_dir), variant, images.files)
