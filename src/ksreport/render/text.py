"""The scored tree as a readable table for the terminal (``ksreport score`` without --json)."""

from __future__ import annotations

import shutil
import textwrap

from ksreport.formatting import EMPTY, format_quantity
from ksreport.model import ActivityState, Measure, ScoredReport, Status
from ksreport.status_style import STATUS_STYLE


def _status(status: Status, computed: Status) -> str:
    text = f"{STATUS_STYLE[status].symbol} {status.label}"
    if status is not computed:
        text += f" (beräknat: {computed.label})"
    return text


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
            + _status(g.status, g.computed_status)
        )
        for sub in g.subgoals:
            lines.append(
                f"  {sub.subgoal.id} {_cut(sub.subgoal.name, name_w)}".ljust(6 + name_w + 36)
                + "  "
                + _status(sub.status, sub.computed_status)
            )
            for m in sub.measures:
                x = m.measure
                target = (
                    f"{format_quantity(x.target, x.unit)} ({x.target_year})"
                    if x.target is not None
                    else f"Genomförd ({x.target_year})"
                )
                lines.append(
                    f"    {_cut(x.id + ' ' + x.name, name_w + 2):<{name_w + 2}} "
                    f"{_value(x, m.value):>14} {target:>20}  {_status(m.status, m.computed_status)}"
                )
    lines.append("")
    counts = ", ".join(f"{st.label} {n}" for st, n in report.summary.items() if n)
    lines.append(f"Mätvärden: {counts}.")
    return "\n".join(lines) + "\n"
