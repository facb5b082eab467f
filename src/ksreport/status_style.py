"""How each status looks: symbol, colours and the word, shared by every output format.

Colour is never the only carrier: every status also has its own symbol and word. Chart fills
(or, for the light ones, their outlines) and symbol colours reach 3:1 against white and the table
heading tint, text pairs 4.5:1; chart segments are kept apart by white gaps, and the dark fills
differ in lightness, so they stay apart in greyscale. The measured ratios are in
docs/accessibility.md, checked by tests/test_web_accessibility.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ksreport.model import Status


@dataclass(frozen=True)
class StatusStyle:
    symbol: str
    fill: str  # light background for table cells and badges, RRGGBB
    ink: str  # text on that background, RRGGBB
    accent: str  # stronger colour for symbols and markers, RRGGBB
    chart_fill: str  # chart segments: the hues spread in lightness, so greyscale keeps them apart
    chart_ink: str  # text on a chart segment
    chart_border: str | None = None  # outline for light segments


# The symbols are in Arial, Calibri and Liberation Sans alike, so Word and PowerPoint show them
# on any municipal PC; the PDF embeds its own fonts.
STATUS_STYLE: dict[Status, StatusStyle] = {
    Status.GREEN: StatusStyle("●", "B7E1CD", "0B3D2C", "1B7F5B", "1B7F5B", "FFFFFF"),
    Status.YELLOW: StatusStyle("▲", "FCE8A6", "4A3A00", "8C6D00", "B38600", "000000"),
    Status.RED: StatusStyle("■", "F4B6B0", "5C0F08", "B9372B", "8E2A20", "FFFFFF"),
    Status.LATER: StatusStyle("○", "DCE6F2", "1F3A5F", "4F6F99", "DCE6F2", "1F3A5F", "4F6F99"),
    Status.MISSING: StatusStyle("?", "E6E6E6", "333333", "6B6B6B", "FFFFFF", "333333", "767676"),
    Status.NOT_ASSESSED: StatusStyle(
        "–", "F2F2F2", "333333", "767676", "F2F2F2", "333333", "767676"
    ),
}
