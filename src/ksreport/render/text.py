"""The scored tree as a readable table for the terminal (``ksreport score`` without --json)."""

from __future__ import annotations

import shutil
import textwrap

from ksreport.formatting import EMPTY, format_quantity
from ksreport.model import (
    ActivityState,
    Grounds,
    Measure,
    ScoredReport,
    Status,
    StatusWords,
    status_word,
)
from ksreport.status_style import STATUS_STYLE


def _status(
    status: Status,
    computed: Status,
    words: StatusWords = StatusWords.COLOURS,
    forecast: bool = False,
) -> str:
    text = f"{STATUS_STYLE[status].symbol} {status_word(status, words, forecast)}"
    if forecast and status.is_assessed and words is StatusWords.COLOURS:
        text += " (prognos)"
    if status is not computed:
        text += f" (beräknat: {status_word(computed, words)})"
    return text


def _grounds(g: Grounds, interim: bool) -> str:
    """``  [3 av 5 bedömda, 2 prognoser]`` at an interim period; empty at full year."""
    if not interim:
        return ""
    plural = "er" if g.forecasts != 1 else ""
    return f"  [{g.counted} av {g.total} bedömda, {g.forecasts} prognos{plural}]"


def _value(measure: Measure, value: float | ActivityState | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, ActivityState):
        return value.label
    return format_quantity(value, measure.unit)


def _cut(text: str, width: int) -> str:
    return textwrap.shorten(text, width=max(width, 10), placeholder="…")


def render_text(report: ScoredReport, width: int | None = None) -> str:
    width = width or max(80, min(shutil.get_terminal_size((100, 24)).columns, 140))
    name_w = width - 56
    s = report.settings
    words = s.status_words
    interim = report.period.is_interim
    lines = [
        f"{s.board}{', ' + s.organisation if s.organisation else ''}: måluppfyllelse "
        f"{report.period.words}",
        "",
        f"{'':6}{'':{name_w}} {'Utfall':>14} {'Mål (år)':>20}  Status",
    ]
    for g in report.goals:
        lines.append("")
        lines.append(
            f"Mål {g.goal.id}: {_cut(g.goal.name, name_w)}".ljust(6 + name_w + 36)
            + "  "
            + _status(g.status, g.computed_status, words, interim and g.grounds.forecasts > 0)
            + _grounds(g.grounds, interim)
        )
        for sub in g.subgoals:
            lines.append(
                f"  {sub.subgoal.id} {_cut(sub.subgoal.name, name_w)}".ljust(6 + name_w + 36)
                + "  "
                + _status(
                    sub.status, sub.computed_status, words, interim and sub.grounds.forecasts > 0
                )
                + _grounds(sub.grounds, interim)
            )
            for m in sub.measures:
                x = m.measure
                target = (
                    f"{format_quantity(x.target, x.unit)} ({x.target_year})"
                    if x.target is not None
                    else f"Genomförd ({x.target_year})"
                )
                status = _status(m.status, m.computed_status, words, m.rests_on_forecast)
                if m.forecast is not None:
                    status += f", prognos {_value(x, m.forecast)}"
                lines.append(
                    f"    {_cut(x.id + ' ' + x.name, name_w + 2):<{name_w + 2}} "
                    f"{_value(x, m.value):>14} {target:>20}  {status}"
                )
    lines.append("")
    counts = ", ".join(f"{st.label} {n}" for st, n in report.summary.items() if n)
    lines.append(f"Mätvärden: {counts}.")
    return "\n".join(lines) + "\n"
