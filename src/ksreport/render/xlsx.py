"""The scored result as a workbook (``…-resultat.xlsx``): one sheet per level, the status in
words and as cell colour, so it can be filtered and pasted into other documents.

Every text from the input is written as text, never as a formula, even when it starts with "=".
"""

from __future__ import annotations

import datetime as dt

from ksreport.model import ActivityState, Basis, Grounds, ScoredReport, Status
from ksreport.reproducible import workbook_bytes
from ksreport.status_style import STATUS_STYLE

Row = list[object]


def _value(v: float | ActivityState | None) -> object:
    if v is None:
        return None
    if isinstance(v, ActivityState):
        return v.label
    return round(float(v), 9)


def _status(status: Status) -> str:
    return f"{STATUS_STYLE[status].symbol} {status.label}"


BASIS_WORDS = {Basis.FORECAST: "Prognos", Basis.OUTCOME: "Utfall", Basis.NONE: None}
GROUNDS_HEADERS = ["Bedömda mätvärden", "Antal mätvärden", "Varav prognoser"]


def _grounds(g: Grounds) -> Row:
    return [g.counted, g.total, g.forecasts]


def render_results_xlsx(report: ScoredReport, generated: dt.datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    period = report.period
    prev = period.year_earlier()
    wb = Workbook()
    sheets: list[tuple[str, list[str], list[Row]]] = []

    goal_rows: list[Row] = []
    sub_rows: list[Row] = []
    measure_rows: list[Row] = []
    for g in report.goals:
        a = g.assessment
        goal_rows.append(
            [
                g.goal.id,
                g.goal.name,
                g.status,
                g.computed_status,
                a.justification if a and a.status else None,
                a.decision if a else None,
                a.analysis if a else None,
                *_grounds(g.grounds),
            ]
        )
        for s in g.subgoals:
            a = s.assessment
            sub_rows.append(
                [
                    s.subgoal.id,
                    g.goal.id,
                    s.subgoal.name,
                    s.status,
                    s.computed_status,
                    a.justification if a and a.status else None,
                    *_grounds(s.grounds),
                    a.decision if a else None,
                    a.analysis if a else None,
                ]
            )
            for m in s.measures:
                x = m.measure
                a = m.assessment
                measure_rows.append(
                    [
                        x.id,
                        s.subgoal.id,
                        x.name,
                        x.kind.label,
                        x.unit or None,
                        x.direction.label if x.direction else None,
                        _value(x.baseline),
                        x.baseline_year,
                        _value(x.target),
                        x.target_year,
                        _value(m.value),
                        _value(m.previous_value),
                        m.trend.label if m.trend else None,
                        m.status,
                        m.computed_status,
                        a.justification if a and a.status else None,
                        m.comment or None,
                        _value(m.forecast),
                        BASIS_WORDS[m.basis],
                        _value(m.latest_value),
                        m.latest_period.code if m.latest_period else None,
                        a.decision if a else None,
                        a.analysis if a else None,
                        x.source or None,
                        x.responsible or None,
                    ]
                )
    sheets.append(
        (
            "Mål",
            [
                "Mål-id",
                "Mål",
                "Status",
                "Beräknad status",
                "Motivering",
                "Beslut",
                "Analys",
                *GROUNDS_HEADERS,
            ],
            goal_rows,
        )
    )
    sheets.append(
        (
            "Delmål",
            [
                "Delmål-id",
                "Mål-id",
                "Delmål",
                "Status",
                "Beräknad status",
                "Motivering",
                *GROUNDS_HEADERS,
                "Beslut",
                "Analys",
            ],
            sub_rows,
        )
    )
    sheets.append(
        (
            "Mätvärden",
            [
                "Mätvärde-id",
                "Delmål-id",
                "Mätvärde",
                "Typ",
                "Enhet",
                "Riktning",
                "Utgångsvärde",
                "Utgångsår",
                "Målvärde",
                "Målår",
                f"Utfall {period.code}",
                f"Utfall {prev.code}",
                "Trend",
                "Status",
                "Beräknad status",
                "Motivering",
                "Kommentar",
                f"Prognos helår {period.year}",
                "Bedömningen bygger på",
                "Senaste utfall",
                "Senaste utfallets period",
                "Beslut",
                "Analys",
                "Källa",
                "Ansvarig",
            ],
            measure_rows,
        )
    )

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws0 = wb.active
    assert ws0 is not None
    ws0.title = "Sammanfattning"
    ws0.append([f"{report.settings.board}: måluppfyllelse {period.words}"])
    ws0["A1"].data_type = "s"  # the board's name as text, never a formula
    ws0["A1"].font = Font(bold=True, size=14)
    ws0.append([])
    ws0.append(["Status", "Antal mätvärden"])
    for c in ws0[3]:
        c.font = bold
    for status, n in report.summary.items():
        ws0.append([_status(status), n])
        ws0.cell(ws0.max_row, 1).fill = PatternFill("solid", fgColor=STATUS_STYLE[status].fill)
    ws0.column_dimensions["A"].width = 28
    ws0.column_dimensions["B"].width = 18

    for title, headers, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for c in ws[1]:
            c.font = bold
        ws.freeze_panes = "A2"
        for values in rows:
            r = ws.max_row + 1
            for i, v in enumerate(values, start=1):
                cell = ws.cell(r, i)
                if isinstance(v, Status):
                    cell.value = _status(v)
                    cell.fill = PatternFill("solid", fgColor=STATUS_STYLE[v].fill)
                else:
                    cell.value = v
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = wrap
        for i, h in enumerate(headers, start=1):
            width = (
                48
                if h in ("Mål", "Delmål", "Mätvärde", "Motivering", "Analys", "Beslut", "Kommentar")
                else max(12, len(h) + 2)
            )
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.auto_filter.ref = ws.dimensions

    wb.properties.creator = "ksreport"
    wb.properties.title = f"Måluppfyllelse {period.words}"
    wb.properties.language = "sv-SE"
    return workbook_bytes(wb, generated)
