"""Make zip-based documents (xlsx, docx, pptx) byte-for-byte reproducible.

Libraries stamp each zip entry with the current time; rewriting the archive with a fixed time and
a fixed entry order makes two builds with the same SOURCE_DATE_EPOCH identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip archive with every entry dated ``when`` (not before 1980)."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """Save an openpyxl workbook to bytes, stamped ``when`` throughout.

    openpyxl's own ``save`` overwrites the modified time with the current time, so the writer is
    driven directly.
    """
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes the archive
    return normalize_zip(buf.getvalue(), when)
