"""Consolidation stage for the council's view: several boards' scored reports → their goals
gathered under the council goals (``Fullmäktigemål``) they serve, with a status per council goal.

Pure functions, no I/O; ``ksreport build --consolidated`` reads and scores each workbook first
(``ksreport.boards``). The rules are in docs/workbook.md ("Several boards: the council's view"):

- A board goal serves the council goal named in its ``Fullmäktigemål`` cell. Names are matched
  ignoring case and whitespace (:func:`council_key`) and shown as first written.
- There is no master list of council goals: one appears if any workbook names it, in a goal or
  in the setting ``Fullmäktigemål``. One that no board goal serves is listed with none.
- A council goal's status rolls up its board goals' final statuses (the board's own assessment
  where it gave one) with :func:`ksreport.scoring.rollup` and the first workbook's settings.
- At an interim period a board goal's status is a forecast for the full year where it rests on
  forecasts or on the board's own assessment (as in the board's report), and a council goal's
  is one where any board goal it weighs is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ksreport.model import Plan, ScoredGoal, ScoredReport, Settings, Status, is_forecast
from ksreport.periods import Period
from ksreport.scoring import count_statuses, rollup


def council_key(name: str) -> str:
    """What two spellings of a council goal must share to be the same goal: the name without
    differences in case or whitespace (``Ett  gott liv`` is ``ett gott liv``)."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def board_key(name: str) -> str:
    """A board's name compared the same way (two workbooks for one board are an error)."""
    return council_key(name)


@dataclass(frozen=True)
class BoardGoal:
    """One board's goal, as it stands in that board's report for the period."""

    board: str
    number: int
    """The goal's position in the board's own report (``Mål 2``), so readers find it there."""
    goal: ScoredGoal
    interim: bool = False
    """Scored for an interim period (T1, H1, T2)."""

    @property
    def status(self) -> Status:
        """The final status: the board's own assessment where it gave one."""
        return self.goal.status

    @property
    def counted(self) -> bool:
        """Green, yellow or red: weighed in the council goal's roll-up."""
        return self.status.is_assessed

    @property
    def forecast(self) -> bool:
        """The status is a forecast for the full year: at an interim period, it rests on the
        measures' forecasts or is the board's own assessment (of the full year)."""
        return is_forecast(self.goal, self.interim)

    @property
    def computed_status(self) -> Status:
        return self.goal.computed_status

    @property
    def overridden(self) -> bool:
        return self.goal.overridden


@dataclass(frozen=True)
class CouncilGoal:
    name: str
    """As first written (whitespace tidied), in the order the workbooks were given."""
    board_goals: tuple[BoardGoal, ...]
    status: Status
    """The roll-up of the board goals' final statuses; ``not_assessed`` when there are none."""

    @property
    def boards(self) -> tuple[str, ...]:
        """The boards that serve this council goal, each once, in order."""
        return tuple(dict.fromkeys(g.board for g in self.board_goals))

    @property
    def counted(self) -> tuple[BoardGoal, ...]:
        """The board goals weighed in the roll-up (green, yellow or red)."""
        return tuple(g for g in self.board_goals if g.counted)

    @property
    def own_assessments(self) -> tuple[BoardGoal, ...]:
        """The weighed board goals whose status is the board's own assessment, not computed."""
        return tuple(g for g in self.counted if g.overridden)

    @property
    def forecast(self) -> bool:
        """The status is a forecast for the full year: some board goal it weighs is one."""
        return self.status.is_assessed and any(g.forecast for g in self.counted)


@dataclass(frozen=True)
class BoardSummary:
    board: str
    goals: dict[Status, int]
    """Goals per final status, every status present."""
    measures: dict[Status, int]
    """Measures per final status, every status present (the board report's own summary)."""


@dataclass(frozen=True)
class Consolidated:
    """The council's view of several boards for one period."""

    organisation: str
    period: Period
    settings: Settings
    """The settings whose roll-up rules the council goals use: the first workbook's."""
    council_goals: tuple[CouncilGoal, ...]
    unlinked: tuple[BoardGoal, ...]
    """Board goals that name no council goal."""
    boards: tuple[BoardSummary, ...]
    organisations: tuple[str, ...] = ()
    """Every organisation the workbooks name, each once (compared like council goals); more
    than one is worth a warning."""
    other_rules: tuple[str, ...] = ()
    """Boards whose own roll-up settings differ from those the council goals use."""


def _same_rules(a: Settings, b: Settings) -> bool:
    return (a.rollup, a.green_threshold, a.yellow_threshold) == (
        b.rollup,
        b.green_threshold,
        b.yellow_threshold,
    )


def council_names(reports: Sequence[ScoredReport]) -> list[str]:
    """Every council goal the workbooks name, each once, as first written: per workbook in
    order, the setting ``Fullmäktigemål`` first, then the goals."""
    found: dict[str, str] = {}
    for report in reports:
        names = [*report.settings.council_goals, *(g.goal.council_goal for g in report.goals)]
        for name in names:
            tidy = " ".join(name.split())
            if tidy:
                found.setdefault(council_key(tidy), tidy)
    return list(found.values())


def consolidate(reports: Sequence[ScoredReport]) -> Consolidated:
    """Gather the boards' goals under the council goals they serve, roll each council goal up
    and summarise each board. ``reports`` are scored for the same period, one per board."""
    if not reports:
        raise ValueError("consolidate needs at least one scored report")
    settings = reports[0].settings
    names = council_names(reports)
    served: dict[str, list[BoardGoal]] = {council_key(n): [] for n in names}
    unlinked: list[BoardGoal] = []
    summaries = []
    for report in reports:
        board = report.settings.board.strip()
        for number, goal in enumerate(report.goals, 1):
            entry = BoardGoal(board, number, goal, report.period.is_interim)
            if goal.goal.council_goal.strip():
                served[council_key(goal.goal.council_goal)].append(entry)
            else:
                unlinked.append(entry)
        summaries.append(
            BoardSummary(
                board=board,
                goals=count_statuses(g.status for g in report.goals),
                measures=count_statuses(m.status for m in report.measures),
            )
        )
    council_goals = tuple(
        CouncilGoal(
            name=name,
            board_goals=tuple(goals),
            status=rollup((g.status for g in goals), settings),
        )
        for name, goals in ((n, served[council_key(n)]) for n in names)
    )
    found: dict[str, str] = {}
    for r in reports:
        if r.settings.organisation.strip():
            name = " ".join(r.settings.organisation.split())
            found.setdefault(council_key(name), name)
    organisations = tuple(found.values())
    return Consolidated(
        organisation=organisations[0] if organisations else "",
        period=reports[0].period,
        settings=settings,
        council_goals=council_goals,
        unlinked=tuple(unlinked),
        boards=tuple(summaries),
        organisations=organisations,
        other_rules=tuple(
            r.settings.board.strip() for r in reports[1:] if not _same_rules(r.settings, settings)
        ),
    )


def latest_common_period(plans: Sequence[Plan]) -> Period | None:
    """The latest period that every workbook has outcomes or forecasts for; None when there is
    none."""
    if not plans:
        return None
    common = set(plans[0].reported_periods())
    for plan in plans[1:]:
        common &= set(plan.reported_periods())
    return max(common) if common else None


def report_periods(plans: Sequence[Plan]) -> list[Period]:
    """The distinct ``Rapportperiod`` settings of the workbooks that have one, in order."""
    found: list[Period] = []
    for plan in plans:
        period = plan.settings.report_period
        if period is not None and period not in found:
            found.append(period)
    return found
