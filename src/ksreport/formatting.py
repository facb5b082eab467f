"""Swedish formatting of numbers, quantities and dates (part of the context stage).

Every number a reader sees goes through here, so the documents agree with each other: decimal
comma, a non-breaking space as thousands separator, "72,5 %" with a non-breaking space before
the unit, and month names in Swedish.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

LOCALE = "sv_SE"
NBSP = "\u00a0"
EMPTY = "–"
"""Shown where there is no value, so an empty cell never looks like a rendering fault."""

# Units that name what is counted rather than a unit to write after the number ("12", not
# "12 antal"); the unit is still shown beside the measure's name.
_BARE_UNITS = frozenset({"antal", "index", "indexvärde", "andel", "nivå", "betyg", "värde"})


def format_number(value: float, *, max_decimals: int = 2, min_decimals: int = 0) -> str:
    """A number in Swedish: ``1 250``, ``72,5``, ``0,75`` (non-breaking thousands separator).

    Rounds to ``max_decimals`` so that values read from percent cells (0.725 × 100 =
    72.49999999999999) print as the user typed them.
    """
    if math.isnan(value) or math.isinf(value):
        return EMPTY
    pattern = "#,##0" + (
        "." + "0" * min_decimals + "#" * (max_decimals - min_decimals) if max_decimals > 0 else ""
    )
    with decimal.localcontext() as context:
        # Babel rounds in the current decimal context, whose default 28 digits a float of
        # 1e26 or more overflows; a float has at most 309 digits before the decimal point.
        context.prec = 400
        text = _babel_format_decimal(round(value, max_decimals), format=pattern, locale=LOCALE)
    text = text.replace(" ", NBSP).replace("\u202f", NBSP)
    return "0" if text in ("-0", "−0") else text


def format_quantity(value: float | None, unit: str = "", *, max_decimals: int = 2) -> str:
    """A number with its workbook unit: ``72,5 %``, ``1 250 kr``, ``14 dagar``; ``–`` if None."""
    if value is None:
        return EMPTY
    number = format_number(value, max_decimals=max_decimals)
    unit = unit.strip()
    if not unit or unit.casefold() in _BARE_UNITS:
        return number
    return f"{number}{NBSP}{unit}"


def format_percent(value: float, *, max_decimals: int = 2) -> str:
    """Percent points as ``12,5 %`` (the value is already in percent, not a fraction)."""
    return format_quantity(value, "%", max_decimals=max_decimals)


def format_count(value: int) -> str:
    """A whole count with a thousands separator: ``1 250``."""
    return format_number(float(value), max_decimals=0)


def format_date_long(day: _dt.date) -> str:
    """A date in words: ``29 november 2026``."""
    return str(_babel_format_date(day, "d MMMM y", locale=LOCALE))


def format_date_iso(day: _dt.date) -> str:
    """A date as ``2026-11-29`` (the form used in Swedish administration)."""
    return day.isoformat()


def format_year(year: int | None) -> str:
    """A year without thousands separator (``2022``); ``–`` if None."""
    return EMPTY if year is None else str(year)


def join_words(items: list[str], conjunction: str = "och") -> str:
    """``a``, ``a och b``, ``a, b och c``: a list the way it is written in Swedish prose."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
