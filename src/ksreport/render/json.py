"""The scored tree as JSON (``ksreport score --json`` and ``…-resultat.json``)."""

from __future__ import annotations

import json
from typing import Any

from ksreport.model import (
    ActivityState,
    Assessment,
    Grounds,
    ScoredGoal,
    ScoredMeasure,
    ScoredReport,
    ScoredSubGoal,
    Settings,
)


def _number(value: float | ActivityState | None) -> float | int | str | None:
    if value is None:
        return None
    if isinstance(value, ActivityState):
        return value.label
    number = round(float(value), 9)
    return int(number) if number.is_integer() else number


def _assessment(a: Assessment | None) -> dict[str, Any]:
    return {
        "justification": a.justification if a and a.status is not None else None,
        "analysis": (a.analysis or None) if a else None,
        "decision": (a.decision or None) if a else None,
    }


def settings_dict(s: Settings) -> dict[str, Any]:
    return {
        "organisation": s.organisation,
        "board": s.board,
        "administration": s.administration,
        "diary_number": s.diary_number,
        "mandate_period": s.mandate_period or None,
        "report_period": s.report_period.code if s.report_period else None,
        "tolerance_pct": _number(s.tolerance_pct),
        "rollup": s.rollup.value,
        "green_threshold": _number(s.green_threshold),
        "yellow_threshold": _number(s.yellow_threshold),
        "status_words": s.status_words.value,
    }


def measure_dict(m: ScoredMeasure) -> dict[str, Any]:
    x = m.measure
    return {
        "id": x.id,
        "name": x.name,
        "kind": x.kind.value,
        "unit": x.unit or None,
        "direction": x.direction.value if x.direction else None,
        "baseline": _number(x.baseline),
        "baseline_year": x.baseline_year,
        "target": _number(x.target),
        "target_year": x.target_year,
        "value": _number(m.value),
        "previous_value": _number(m.previous_value),
        "trend": m.trend.value if m.trend else None,
        "status": m.status.value,
        "computed_status": m.computed_status.value,
        **_assessment(m.assessment),
        "comment": m.comment or None,
        "forecast": _number(m.forecast),
        "basis": m.basis.value,
        "latest_value": _number(m.latest_value),
        "latest_period": m.latest_period.code if m.latest_period else None,
        "source": x.source or None,
        "responsible": x.responsible or None,
    }


def _grounds(g: Grounds) -> dict[str, int]:
    return {"counted": g.counted, "total": g.total, "forecasts": g.forecasts}


def subgoal_dict(s: ScoredSubGoal) -> dict[str, Any]:
    return {
        "id": s.subgoal.id,
        "name": s.subgoal.name,
        "description": s.subgoal.description or None,
        "status": s.status.value,
        "computed_status": s.computed_status.value,
        **_assessment(s.assessment),
        **_grounds(s.grounds),
        "measures": [measure_dict(m) for m in s.measures],
    }


def goal_dict(g: ScoredGoal) -> dict[str, Any]:
    return {
        "id": g.goal.id,
        "name": g.goal.name,
        "description": g.goal.description or None,
        "council_goal": g.goal.council_goal or None,
        "agenda2030": list(g.goal.agenda2030),
        "status": g.status.value,
        "computed_status": g.computed_status.value,
        **_assessment(g.assessment),
        **_grounds(g.grounds),
        "subgoals": [subgoal_dict(s) for s in g.subgoals],
    }


def report_dict(report: ScoredReport) -> dict[str, Any]:
    s = report.settings
    return {
        "organisation": s.organisation,
        "board": s.board,
        "period": report.period.code,
        "settings": settings_dict(s),
        "summary": {status.value: n for status, n in report.summary.items()},
        "goals": [goal_dict(g) for g in report.goals],
    }


def render_json(report: ScoredReport) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
