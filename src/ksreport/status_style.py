"""How each status looks: symbol, colours and the word, shared by every output format.

Colour is never the only carrier: every status also has its own symbol and word. The fills are
from a colour-blind-safe palette and differ clearly in lightness, so they stay apart in greyscale.
"""

from __future__ import annotations

from dataclasses import dataclass

from ksreport.model import Status


@dataclass(frozen=True)
class StatusStyle:
    symbol: str
    fill: str  # background, RRGGBB
    ink: str  # text on that background, RRGGBB
    accent: str  # stronger colour for chart segments and markers, RRGGBB


STATUS_STYLE: dict[Status, StatusStyle] = {
    Status.GREEN: StatusStyle("●", "B7E1CD", "0B3D2C", "1B7F5B"),
    Status.YELLOW: StatusStyle("▲", "FCE8A6", "4A3A00", "E0B400"),
    Status.RED: StatusStyle("■", "F4B6B0", "5C0F08", "B9372B"),
    Status.LATER: StatusStyle("◷", "DCE6F2", "1F3A5F", "6F8FB5"),
    Status.MISSING: StatusStyle("?", "E6E6E6", "333333", "9A9A9A"),
    Status.NOT_ASSESSED: StatusStyle("–", "F2F2F2", "333333", "BDBDBD"),
}
