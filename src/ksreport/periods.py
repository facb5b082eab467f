"""Report periods: parse ``2020``, ``2021-T1``, ``2021-H1``, ``2021-T2``; order and name them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum


class PeriodKind(IntEnum):
    """The kind of period, in the order they fall within a year."""

    T1 = 1  # interim report per 30 April (tertial 1)
    H1 = 2  # half year per 30 June
    T2 = 3  # interim report per 31 August (tertial 2)
    YEAR = 4  # full year


_SUFFIX = {PeriodKind.T1: "-T1", PeriodKind.H1: "-H1", PeriodKind.T2: "-T2", PeriodKind.YEAR: ""}
_WORDS = {
    PeriodKind.T1: "delår per april {y}",
    PeriodKind.H1: "halvår {y}",
    PeriodKind.T2: "delår per augusti {y}",
    PeriodKind.YEAR: "helår {y}",
}
_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[-–—\s]\s*([TtHh])\s*([12]))?\s*$")

PERIOD_FORMAT_HELP = "ÅÅÅÅ, ÅÅÅÅ-T1, ÅÅÅÅ-H1 eller ÅÅÅÅ-T2 (t.ex. 2020 eller 2021-T1)"


@dataclass(frozen=True, order=True)
class Period:
    """A report period; sorts in calendar order (T1 < H1 < T2 < full year)."""

    year: int
    kind: PeriodKind = PeriodKind.YEAR

    @property
    def code(self) -> str:
        """The period as written in the workbook and in file names (``2021-T1``)."""
        return f"{self.year}{_SUFFIX[self.kind]}"

    @property
    def is_interim(self) -> bool:
        return self.kind is not PeriodKind.YEAR

    @property
    def words(self) -> str:
        """The period in Swedish words: ``helår 2020``, ``delår per april 2021``."""
        return _WORDS[self.kind].format(y=self.year)

    def year_earlier(self) -> Period:
        """The same period one year earlier (2020-T2 → 2019-T2)."""
        return Period(self.year - 1, self.kind)

    def __str__(self) -> str:
        return self.code


def parse_period(value: object) -> Period | None:
    """Parse a cell value as a period; None when it is not one.

    A number cell 2020 (int or a float without decimals) is the full year 2020.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return Period(value) if 1900 <= value <= 2200 else None
    if not isinstance(value, str):
        return None
    m = _PATTERN.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if not 1900 <= year <= 2200:
        return None
    if m.group(2) is None:
        return Period(year)
    kind = {"T1": PeriodKind.T1, "T2": PeriodKind.T2, "H1": PeriodKind.H1}.get(
        (m.group(2) + m.group(3)).upper()
    )
    return Period(year, kind) if kind is not None else None
