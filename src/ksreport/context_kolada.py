"""Context stage, Kolada parts: the lines shown under a measure's name in every report format.

``build_context`` puts them on each :class:`~ksreport.context.MeasureRow`: the values for women
and men beside the total (``Kvinnor 71 %, män 68 %``), the comparison with the country and the
comparison group (``Jämförelse 2021: riket 70 %, jämförelsegrupp 68 %``), and the attribution
Kolada requires (``Källa: Kolada``). Nothing here is scored.
"""

from __future__ import annotations

from ksreport.formatting import format_quantity
from ksreport.kolada import ATTRIBUTION, kpi_id
from ksreport.model import Comparison, Measure
from ksreport.periods import Period

GENDER_LABELS = (("K", "kvinnor"), ("M", "män"))


def gender_split(measure: Measure, period: Period) -> str:
    """The K and M outcomes of the report period, e.g. ``Kvinnor 71 %, män 68 %``; "" if none."""
    found = {o.gender: o.value for o in measure.gender_outcomes if o.period == period}
    parts = [
        f"{label} {format_quantity(found[code], measure.unit)}"
        for code, label in GENDER_LABELS
        if found.get(code) is not None
    ]
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def comparison_for(measure: Measure, period: Period) -> Comparison | None:
    """The comparison row for the report year; in an interim report, the latest earlier year
    (Kolada's values are for full years)."""
    last = period.year - 1 if period.is_interim else period.year
    found = [c for c in measure.comparisons if c.year <= last]
    if not found:
        return None
    best = max(found, key=lambda c: c.year)
    if not period.is_interim and best.year != period.year:
        return None
    return best


def comparison_text(measure: Measure, period: Period) -> str:
    """``Jämförelse 2021: riket 70,5 %, jämförelsegrupp 68,2 %``; "" without a comparison."""
    c = comparison_for(measure, period)
    if c is None:
        return ""
    parts = []
    if c.national is not None:
        parts.append(f"riket {format_quantity(c.national, measure.unit)}")
    if c.group is not None:
        parts.append(f"jämförelsegrupp {format_quantity(c.group, measure.unit)}")
    return f"Jämförelse {c.year}: {', '.join(parts)}" if parts else ""


def attribution(measure: Measure, period: Period) -> str:
    """``Källa: Kolada`` when the measure's value or comparison comes from Kolada."""
    c = comparison_for(measure, period)
    from_kolada = kpi_id(measure.source) is not None or (
        c is not None and "kolada" in c.source.casefold()
    )
    return ATTRIBUTION if from_kolada else ""
