"""Slide stage: the report context → the board presentation, laid out and paginated once.

Both presentation renderers (``render.slides_pdf`` through WeasyPrint and ``render.pptx`` through
python-pptx) draw these slides as they are: the same text, the same table rows on the same slide,
each block at the same place. What fits is decided here, by measuring every line in the packaged
font (Liberation Sans, metric-compatible with Arial) at the sizes below, never smaller than 16 pt
on a 13,33 × 7,5 inch slide. A goal with more than fits continues on a "forts." slide.

All lengths are in points (1/72 inch); the slide is 960 × 540 pt, 16:9.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ksreport.charts import CSS_DPI, StackedBarChart, chart_size_inches, text_width
from ksreport.context import (
    Assessed,
    GoalSection,
    Labels,
    MeasureRow,
    ReportContext,
    StatusView,
    SummaryRow,
    status_view,
    summary_chart,
)
from ksreport.model import Status
from ksreport.render import clean

# --- Geometry -------------------------------------------------------------------------------

SLIDE_WIDTH = 960.0
SLIDE_HEIGHT = 540.0
MARGIN_X = 48.0
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN_X
TITLE_TOP = 30.0
TITLE_GAP = 16.0
"""Between the slide title and the first block."""
BLOCK_GAP = 14.0
TIGHT_GAP = 4.0
"""Above a block that belongs to the one before it (a goal's basis under its status)."""
CONTENT_BOTTOM = 496.0
"""Content ends here; below is the band for the slide number."""
NUMBER_TOP = 504.0

TITLE_PT = 28.0
TITLE_MIN_PT = 24.0
MAX_TITLE_LINES = 3
TITLE_LINE = 1.15
BODY_PT = 18.0
TABLE_PT = 16.0
NUMBER_PT = 16.0
MIN_PT = 16.0
"""The smallest text on any slide."""
LINE = 1.2
"""Line pitch as a multiple of the font size, in every text frame and table cell."""

CELL_PAD_X = 6.0
CELL_PAD_Y = 4.0
RULE = 0.75
"""The rule under each table row; counted in the row's height."""
BADGE_PAD_X = 8.0
BADGE_PAD_Y = 3.0
STATUS_GAP = 8.0
"""Between the label, the badge and the note of a status line."""
FIT = 0.98
"""Lines are filled to this share of their width: room for differences in line breaking
between WeasyPrint, LibreOffice and PowerPoint."""

# The title slide: organisation and board above a rule, then the title, the period and the facts.
TS_TOP = 118.0
TS_ORG_PT = 20.0
TS_BOARD_PT = 28.0
TS_RULE_GAP = 16.0
"""Between the board's name and the rule under it."""
TS_RULE = 2.0
TS_TITLE_GAP = 18.0
TS_TITLE_PT = 48.0
TS_PERIOD_PT = 32.0
TS_FACTS_GAP = 40.0
TS_FACTS_PT = 20.0

DECISION_PT = 24.0

CHART_SCALE = MIN_PT / 10.0
"""Points per chart pixel: the charts' smallest text (10 px) becomes 16 pt."""
CHART_WIDTH_PX = CONTENT_WIDTH / CHART_SCALE

CONTINUED = Labels().continued
"""Appended to the title of a slide that continues the one before (and to a group heading)."""

SlideKind = Literal[
    "title", "definitions", "overview", "chart", "changes", "goal", "later", "missing", "decision"
]
Align = Literal["left", "right", "center"]


# --- Measuring text --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    hard: bool
    """The line ends where the text had a line break (not where it wrapped)."""


def normalise(text: str) -> str:
    """Text as slides show it: Office-safe, spaces collapsed, line breaks kept."""
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in clean(text).split("\n"))
    return "\n".join(lines).strip("\n")


def _split_word(word: str, size: float, width: float, bold: bool) -> list[str]:
    """A word wider than the line, in pieces that fit (renderers break such words anywhere)."""
    pieces: list[str] = []
    current, used = "", 0.0
    for ch in word:
        advance = text_width(ch, size, bold=bold)
        if current and used + advance > width:
            pieces.append(current)
            current, used = ch, advance
        else:
            current, used = current + ch, used + advance
    return [*pieces, current] if current else pieces


def wrap(
    text: str, size: float, width: float, *, bold: bool = False, lead: str = ""
) -> list[_Line]:
    """Break ``text`` into the lines it takes in a frame ``width`` wide at ``size`` points.

    ``lead`` is a bold lead-in on the first line (``Motivering:``). Lines break only at ordinary
    spaces: a non-breaking space (``2 600 kr``) keeps its words together, as in the renderers.
    """
    room = width * FIT
    out: list[_Line] = []
    segments = normalise(text).split("\n")
    for n, segment in enumerate(segments):
        words = segment.split(" ") if segment else []
        line_bold = lead if n == 0 else ""
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line_bold:
                used = text_width(line_bold + " ", size, bold=True)
                fits = used + text_width(candidate, size, bold=bold) <= room
            else:
                fits = text_width(candidate, size, bold=bold) <= room
            if fits:
                line = candidate
                continue
            if line or line_bold:
                out.append(_Line(line, False))
                line_bold = ""
            pieces = _split_word(word, size, room, bold)
            out += [_Line(p, False) for p in pieces[:-1]]
            line = pieces[-1]
        out.append(_Line(line, True))
    return out or [_Line("", True)]


def _join(lines: Sequence[_Line]) -> str:
    """Lines back into text: a wrapped line joins with a space, a line break stays a break."""
    if not lines:
        return ""
    joined = "".join(
        line.text + ("\n" if line.hard else " " if line.text else "") for line in lines[:-1]
    )
    return joined + lines[-1].text


def _title_fit(title: str, suffix: str = "") -> tuple[str, float, int]:
    """The title (with ``suffix``, e.g. "(forts.)"), its size and lines: 28 pt on up to two
    lines, else 24 pt on up to three; a longer title is cut with "…" before the suffix (the
    speaker notes keep it whole)."""
    full = f"{title} {suffix}" if suffix else title
    lines = len(wrap(full, TITLE_PT, CONTENT_WIDTH, bold=True))
    if lines <= 2:
        return full, TITLE_PT, lines
    lines = len(wrap(full, TITLE_MIN_PT, CONTENT_WIDTH, bold=True))
    if lines <= MAX_TITLE_LINES:
        return full, TITLE_MIN_PT, lines
    words = title.split(" ")
    cut = full
    while len(words) > 1 and lines > MAX_TITLE_LINES:
        words.pop()
        cut = " ".join([*words, "…", suffix]).rstrip()
        lines = len(wrap(cut, TITLE_MIN_PT, CONTENT_WIDTH, bold=True))
    return cut, TITLE_MIN_PT, lines


def content_top(title_size: float, title_lines: int) -> float:
    return TITLE_TOP + title_lines * title_size * TITLE_LINE + TITLE_GAP


# --- The slide model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A paragraph: optional bold lead-in, then the text, at ``size`` points."""

    text: str
    size: float = BODY_PT
    lead: str = ""
    bold: bool = False
    muted: bool = False
    space_before: float = 0.0
    lines: int = 1

    @property
    def height(self) -> float:
        return self.space_before + self.lines * self.size * LINE


@dataclass(frozen=True)
class TextBlock:
    paragraphs: tuple[Text, ...]
    top: float = 0.0
    tight: bool = False
    """Set close under the block before it (:data:`TIGHT_GAP`), as its second line."""

    @property
    def height(self) -> float:
        return sum(p.height for p in self.paragraphs)


@dataclass(frozen=True)
class StatusLine:
    """``Status för målet: [● Grönt] note``: a label, the status as a badge, a muted note."""

    label: str
    status: StatusView
    note: str = ""
    top: float = 0.0
    size: float = BODY_PT

    @property
    def height(self) -> float:
        return self.size * LINE + 2 * BADGE_PAD_Y

    @property
    def label_width(self) -> float:
        return text_width(self.label, self.size, bold=True) / FIT

    @property
    def badge_width(self) -> float:
        return text_width(self.status.text, self.size, bold=True) / FIT + 2 * BADGE_PAD_X

    @property
    def note_width(self) -> float:
        """The room right of the badge, where the note goes."""
        return CONTENT_WIDTH - self.label_width - self.badge_width - 2 * STATUS_GAP


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: Align = "left"


@dataclass(frozen=True)
class Cell:
    """A table cell; with a status it is shaded in the status colour and reads symbol + word."""

    text: str
    status: StatusView | None = None
    note: str = ""
    """A second line, e.g. ``Beräknad: ■ Rött`` under the board's status."""
    bold: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    lines: int = 1
    group: bool = False
    """A group heading across every column (``Målår 2021``): one cell."""

    @property
    def height(self) -> float:
        return row_height(self.lines)


@dataclass(frozen=True)
class Table:
    label: str
    """What the table shows, for screen readers (PDF caption, PowerPoint alt text)."""
    columns: tuple[Column, ...]
    header: Row | None
    rows: tuple[Row, ...]
    top: float = 0.0
    row_headers: bool = True
    """The first column names the row (``<th scope="row">``)."""

    @property
    def height(self) -> float:
        head = self.header.height if self.header else 0.0
        return head + sum(r.height for r in self.rows)


@dataclass(frozen=True)
class Chart:
    """A stacked bar chart, drawn so that its smallest text is 16 pt."""

    spec: StackedBarChart
    width: float
    height: float
    top: float = 0.0

    @property
    def alt(self) -> str:
        return self.spec.alt


Block = TextBlock | StatusLine | Table | Chart


@dataclass(frozen=True)
class TitleSlide:
    """Organisation and board above a rule; the title and period; mandate period and date."""

    number: int
    title: str
    period: str
    organisation: str
    board: str
    facts: tuple[str, ...]
    org_lines: int = 1
    board_lines: int = 1
    notes: str = ""
    kind: SlideKind = "title"

    @property
    def heading(self) -> str:
        """The slide's name in bookmarks and outlines."""
        return f"{self.title} {self.period[:1].lower()}{self.period[1:]}"

    @property
    def org_height(self) -> float:
        return self.org_lines * TS_ORG_PT * LINE if self.organisation else 0.0

    @property
    def board_top(self) -> float:
        return TS_TOP + self.org_height

    @property
    def board_height(self) -> float:
        return self.board_lines * TS_BOARD_PT * LINE

    @property
    def rule_top(self) -> float:
        return self.board_top + self.board_height + TS_RULE_GAP

    @property
    def title_top(self) -> float:
        return self.rule_top + TS_RULE + TS_TITLE_GAP

    @property
    def title_height(self) -> float:
        return TS_TITLE_PT * TITLE_LINE + TS_PERIOD_PT * TITLE_LINE

    @property
    def facts_top(self) -> float:
        return self.title_top + self.title_height + TS_FACTS_GAP


@dataclass(frozen=True)
class ContentSlide:
    number: int
    kind: SlideKind
    title: str
    title_size: float
    title_lines: int
    blocks: tuple[Block, ...]
    notes: str = ""
    continued: bool = False

    @property
    def heading(self) -> str:
        return self.title

    @property
    def title_height(self) -> float:
        return self.title_lines * self.title_size * TITLE_LINE

    def gap_before(self, index: int) -> float:
        """The space above block ``index``: from the title, or from the block before it."""
        if index == 0:
            return self.blocks[0].top - TITLE_TOP - self.title_height
        before = self.blocks[index - 1]
        return self.blocks[index].top - before.top - before.height


Slide = TitleSlide | ContentSlide


# --- Measuring blocks ------------------------------------------------------------------------


def row_height(lines: int) -> float:
    return lines * TABLE_PT * LINE + 2 * CELL_PAD_Y + RULE


def _cell_width(column: Column) -> float:
    return column.width - 2 * CELL_PAD_X


def _cell_lines(cell: Cell, width: float, *, bold: bool = False) -> int:
    lines = len(wrap(cell.text, TABLE_PT, width, bold=bold or cell.bold or cell.status is not None))
    if cell.note:
        lines += len(wrap(cell.note, TABLE_PT, width))
    return lines


def _row(cells: Sequence[Cell], columns: Sequence[Column], *, header: bool = False) -> Row:
    lines = max(
        _cell_lines(c, _cell_width(col), bold=header) for c, col in zip(cells, columns, strict=True)
    )
    return Row(tuple(cells), lines)


def _group_row(text: str) -> Row:
    lines = len(wrap(text, TABLE_PT, CONTENT_WIDTH - 2 * CELL_PAD_X, bold=True))
    return Row((Cell(text, bold=True),), lines, group=True)


def _table(
    label: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell] | Row],
    *,
    header: bool = True,
    row_headers: bool = True,
) -> Table:
    cols = tuple(columns)
    head = _row([Cell(c.header, bold=True) for c in cols], cols, header=True) if header else None
    body = tuple(r if isinstance(r, Row) else _row(r, cols) for r in rows)
    return Table(label, cols, head, body, row_headers=row_headers)


def _text(
    text: str,
    *,
    size: float = BODY_PT,
    lead: str = "",
    muted: bool = False,
    space_before: float = 0.0,
) -> Text:
    text = normalise(text)
    lines = len(wrap(text, size, CONTENT_WIDTH, lead=lead))
    return Text(text, size, lead, False, muted, space_before, lines)


def _height(block: Block) -> float:
    return block.height


def _gap(block: Block) -> float:
    return TIGHT_GAP if isinstance(block, TextBlock) and block.tight else BLOCK_GAP


# --- Splitting blocks across slides ----------------------------------------------------------


def _split_text(block: TextBlock, room: float, force: bool) -> tuple[Block | None, Block | None]:
    """Whole paragraphs that fit, then as many lines of the next one as fit (at least two)."""
    taken: list[Text] = []
    used = 0.0
    for i, para in enumerate(block.paragraphs):
        if used + para.height <= room:
            taken.append(para)
            used += para.height
            continue
        pitch = para.size * LINE
        fit = int((room - used - para.space_before) // pitch)
        if fit >= 2 or (force and not taken and fit >= 1):
            lines = wrap(para.text, para.size, CONTENT_WIDTH, bold=para.bold, lead=para.lead)
            head = dataclasses.replace(para, text=_join(lines[:fit]), lines=fit)
            tail = dataclasses.replace(
                para, text=_join(lines[fit:]), lines=len(lines) - fit, lead="", space_before=0.0
            )
            rest = (tail, *block.paragraphs[i + 1 :])
            return TextBlock((*taken, head)), TextBlock(rest)
        if not taken:
            return None, block
        return TextBlock(tuple(taken)), TextBlock(block.paragraphs[i:])
    return block, None


def _split_row(row: Row, columns: Sequence[Column], lines: int) -> tuple[Row, Row]:
    """A row too tall for a whole slide, cut after ``lines`` lines of every cell."""
    full = CONTENT_WIDTH - 2 * CELL_PAD_X
    widths = [full] if row.group else [_cell_width(c) for c in columns]
    heads: list[Cell] = []
    tails: list[Cell] = []
    for cell, width in zip(row.cells, widths, strict=True):
        wrapped = wrap(cell.text, TABLE_PT, width, bold=cell.bold or cell.status is not None)
        note_fits = len(wrapped) + len(wrap(cell.note, TABLE_PT, width)) <= lines
        rest = wrapped[lines:]
        heads.append(
            dataclasses.replace(
                cell, text=_join(wrapped[:lines]), note=cell.note if note_fits else ""
            )
        )
        tails.append(
            dataclasses.replace(cell, text=_join(rest), note="" if note_fits else cell.note)
        )
    head = Row(tuple(heads), lines, row.group)
    tail = _group_row(tails[0].text) if row.group else _row(tails, columns)
    return head, tail


def _split_table(table: Table, room: float, force: bool) -> tuple[Block | None, Block | None]:
    """Rows that fit under the header; the rest continue under a repeated header."""
    used = table.header.height if table.header else 0.0
    count = 0
    for row in table.rows:
        if used + row.height > room:
            break
        used += row.height
        count += 1
    total = len(table.rows)
    if 0 < total - count < 2 and count > 2:
        count -= 1  # no single row alone on the next slide
    while count and table.rows[count - 1].group:
        count -= 1  # a group heading goes with its first row
    if count == 1 and total > 2 and not force:
        return None, table  # nor alone at the bottom of this one
    if count == 0:
        if not force:
            return None, table
        lines = int((room - used - 2 * CELL_PAD_Y - RULE) // (TABLE_PT * LINE))
        head, tail = _split_row(table.rows[0], table.columns, max(1, lines))
        return (
            dataclasses.replace(table, rows=(head,)),
            dataclasses.replace(table, rows=(tail, *table.rows[1:])),
        )
    first = dataclasses.replace(table, rows=table.rows[:count])
    rest = table.rows[count:]
    if not rest:
        return first, None
    groups = [r for r in table.rows[:count] if r.group]
    if groups and not rest[0].group:  # the group continues: repeat its heading
        heading = groups[-1].cells[0].text.removesuffix(f" {CONTINUED}")
        rest = (_group_row(f"{heading} {CONTINUED}"), *rest)
    return first, dataclasses.replace(table, rows=rest)


def _split(block: Block, room: float, force: bool) -> tuple[Block | None, Block | None]:
    if isinstance(block, TextBlock):
        return _split_text(block, room, force)
    if isinstance(block, Table):
        return _split_table(block, room, force)
    return (block, None) if force else (None, block)


def _paginate(
    kind: SlideKind, title: str, blocks: Sequence[Block], notes: str = ""
) -> list[ContentSlide]:
    """Place blocks top to bottom; what does not fit continues on "forts." slides."""
    slides: list[ContentSlide] = []
    pending = list(blocks)
    while True:
        heading, size, lines = _title_fit(title, CONTINUED if slides else "")
        y = content_top(size, lines)
        placed: list[Block] = []
        while pending:
            block = pending[0]
            gap = _gap(block) if placed else 0.0
            room = CONTENT_BOTTOM - y - gap
            if _height(block) <= room:
                placed.append(dataclasses.replace(block, top=y + gap))
                y += gap + _height(block)
                pending.pop(0)
                continue
            head, tail = _split(block, room, force=not placed)
            if head is None and not placed:
                head, tail = block, None  # nothing smaller exists: place it as it is
            if head is not None:
                placed.append(dataclasses.replace(head, top=y + gap))
                y += gap + _height(head)
            if tail is None:
                pending.pop(0)
            else:
                pending[0] = tail
            break
        slides.append(
            ContentSlide(
                number=0,
                kind=kind,
                title=heading,
                title_size=size,
                title_lines=lines,
                blocks=tuple(placed),
                notes=notes,
                continued=bool(slides),
            )
        )
        if not pending:
            return slides


# --- The slides ------------------------------------------------------------------------------


def _status_cell(a: Assessed) -> Cell:
    note = f"Beräknad: {a.computed.text}" if a.computed is not None else ""
    return Cell(a.status.text, status=a.status, note=note)


def _title_slide(ctx: ReportContext) -> TitleSlide:
    facts = []
    if ctx.mandate_period:
        facts.append(f"{ctx.labels.mandate_period} {ctx.mandate_period}")
    facts.append(ctx.generated_long)
    organisation, board = normalise(ctx.organisation), normalise(ctx.board)
    return TitleSlide(
        number=0,
        title=ctx.title,
        period=ctx.period_heading,
        organisation=organisation,
        board=board,
        facts=tuple(normalise(f) for f in facts),
        org_lines=len(wrap(organisation, TS_ORG_PT, CONTENT_WIDTH)),
        board_lines=len(wrap(board, TS_BOARD_PT, CONTENT_WIDTH, bold=True)),
    )


def _definitions(ctx: ReportContext) -> list[ContentSlide]:
    columns = (Column("Begrepp", 220.0), Column("Så bedöms det", CONTENT_WIDTH - 220.0))
    rows = []
    for d in ctx.definitions:
        if not d.short:
            continue
        term = Cell(d.status.text, status=d.status) if d.status else Cell(d.term, bold=True)
        rows.append([term, Cell(d.short)])
    if ctx.interim:
        intro_text = (
            f"Varje mätvärde som har en prognos för helåret bedöms utifrån prognosen, övriga "
            f"utifrån utfallet för {ctx.period_words}."
        )
    else:
        intro_text = f"Varje mätvärde får en status utifrån utfallet för {ctx.period_words}."
    intro = _text(intro_text, muted=True)
    table = _table(ctx.labels.definitions, columns, rows, header=False)
    notes = "\n\n".join([ctx.definitions_intro, *(f"{d.term}: {d.text}" for d in ctx.definitions)])
    return _paginate("definitions", ctx.labels.definitions, [TextBlock((intro,)), table], notes)


_COUNT_WIDTH = 84.0
_STATUS_WIDTH = 150.0
"""Fits "● Grönt" above "Beräknad: ▲ Gult" in a status cell."""
_STATUS_WIDTH_MAX = 210.0


def _status_width(ctx: ReportContext) -> float:
    """At an interim period, wide enough for a forecast's status on one line (``● Grönt
    (prognos)``, ``▲ Bedöms delvis uppnås``); at full year as before."""
    if not ctx.interim:
        return _STATUS_WIDTH
    widest = max(
        text_width(status_view(s, ctx.status_words, True).text, TABLE_PT, bold=True) / FIT
        for s in (Status.GREEN, Status.YELLOW, Status.RED)
    )
    needed = math.ceil((widest + 2 * CELL_PAD_X) / 10) * 10
    return min(max(_STATUS_WIDTH, needed), _STATUS_WIDTH_MAX)


def _status_heading(ctx: ReportContext, assessed: Iterable[Assessed]) -> str:
    """The status column's heading: ``Prognos helår`` where every status in it rests on
    forecasts, else ``Status`` (each forecast still says so in its own label)."""
    prefixes = {a.prefix for a in assessed}
    return prefixes.pop() if len(prefixes) == 1 else ctx.labels.status


BASIS_HEADING = "Underlag"
_BASIS_WIDTH = 330.0
"""Fits ``Bedömningen bygger på 12 av 14 mätvärden, varav 10 prognoser.`` on two lines."""


def _overview(ctx: ReportContext) -> list[ContentSlide]:
    title = f"{ctx.labels.overview}: {ctx.period_words}"
    if not ctx.summary_rows:
        return _paginate("overview", title, [TextBlock((_text(ctx.labels.no_goals),))])
    paras = [_text(ctx.summary_text)]
    if ctx.empty_period:
        paras.append(_text(ctx.empty_period, muted=True))
    table = _interim_goals(ctx) if ctx.interim else _counts(ctx)
    return _paginate("overview", title, [TextBlock(tuple(paras)), table])


def _interim_goals(ctx: ReportContext) -> Table:
    """Per goal: the forecast for the full year and what it rests on. The counts per status
    follow on the chart slide, forecasts apart from outcomes."""
    status_w = _status_width(ctx)
    columns = (
        Column(ctx.labels.summary_goal, CONTENT_WIDTH - status_w - _BASIS_WIDTH),
        Column(_status_heading(ctx, (r.assessed for r in ctx.summary_rows)), status_w),
        Column(BASIS_HEADING, _BASIS_WIDTH),
    )
    rows = [
        [Cell(r.goal_heading), _status_cell(r.assessed), Cell(r.assessed.grounds)]
        for r in ctx.summary_rows
    ]
    return _table(f"Målens prognos för helåret och underlag, {ctx.period_words}", columns, rows)


def _counts(ctx: ReportContext) -> Table:
    """Per goal: its status and its measures per status, with the totals."""
    counts = [Column(s.text, _COUNT_WIDTH, "right") for s in ctx.summary_columns]
    status_width = _STATUS_WIDTH - 10
    goal_width = CONTENT_WIDTH - status_width - _COUNT_WIDTH * len(counts)
    columns = (
        Column(ctx.labels.summary_goal, goal_width),
        Column(ctx.labels.status, status_width),
        *counts,
    )
    rows: list[Sequence[Cell]] = [
        [Cell(r.goal_heading), _status_cell(r.assessed), *(Cell(str(n)) for n in r.counts)]
        for r in ctx.summary_rows
    ]
    rows.append(
        [
            Cell(ctx.labels.total, bold=True),
            Cell(""),
            *(Cell(str(n), bold=True) for n in ctx.summary_totals),
        ]
    )
    return _table(f"Mål och mätvärden per status, {ctx.period_words}", columns, rows)


def _chart_height(spec: StackedBarChart) -> float:
    return chart_size_inches(spec)[1] * CSS_DPI * CHART_SCALE


def _charts(ctx: ReportContext) -> list[ContentSlide]:
    """The stacked bars, as many goals per slide as fit at 16 pt."""
    rows = list(ctx.summary_rows)
    if not rows:
        return []
    title = ctx.labels.chart_slide
    room = CONTENT_BOTTOM - content_top(*_title_fit(title, CONTINUED)[1:])
    chunks: list[StackedBarChart] = []
    while rows:
        take = 1
        while take < len(rows) and _chart_height(_bars(rows[: take + 1], ctx)) <= room:
            take += 1
        chunks.append(_bars(rows[:take], ctx))
        rows = rows[take:]
    return _paginate("chart", title, [Chart(c, CONTENT_WIDTH, _chart_height(c)) for c in chunks])


def _bars(rows: Sequence[SummaryRow], ctx: ReportContext) -> StackedBarChart:
    figure = summary_chart(rows, ctx.period_words, ctx.status_words)
    assert figure is not None and isinstance(figure.chart, StackedBarChart)
    return dataclasses.replace(figure.chart, width=CHART_WIDTH_PX)


_FLAGGED = (Status.RED.value, Status.YELLOW.value)


def _goal_notes(g: GoalSection, interim: bool = False) -> str:
    parts = [g.heading]
    if g.description:
        parts.append(g.description)
    facts = []
    if g.council_goal:
        facts.append(f"Fullmäktigemål: {g.council_goal}")
    if g.agenda2030:
        facts.append(f"Agenda 2030: {', '.join(g.agenda2030)}")
    if facts:
        parts.append("\n".join(facts))
    if interim:
        parts.append(f"{g.assessed.prefix}: {g.assessed.status.label}. {g.assessed.grounds}")
    if g.assessed.analysis:
        parts.append(f"Analys: {g.assessed.analysis}")
    for s in g.subgoals:
        if s.assessed.analysis:
            parts.append(f"{s.heading}. Analys: {s.assessed.analysis}")
        for m in s.measures:
            if m.assessed.status.code in _FLAGGED and (m.comment or m.assessed.analysis):
                text = " ".join(t for t in (m.comment, m.assessed.analysis) if t)
                parts.append(f"{m.name} ({m.assessed.status.label.lower()}): {text}")
    return normalise("\n\n".join(parts))


def _goal(ctx: ReportContext, g: GoalSection) -> list[ContentSlide]:
    a = g.assessed
    note = ""
    if a.computed is not None:
        note = f"{ctx.labels.board_status}. {ctx.labels.computed}: {a.computed.text}."
    line = StatusLine(f"{a.prefix} för målet:", a.status, normalise(note))
    below = []
    if line.note and len(wrap(line.note, line.size, line.note_width)) > 1:
        below.append(_text(line.note, size=TABLE_PT, muted=True))  # too long beside the badge
        line = dataclasses.replace(line, note="")
    if ctx.interim and a.grounds:
        below.append(_text(a.grounds, size=TABLE_PT, muted=True))
    blocks: list[Block] = [line]
    if below:
        blocks.append(TextBlock(tuple(below), tight=True))
    paras = []
    if a.justification:
        paras.append(_text(a.justification, lead=f"{ctx.labels.justification}:"))
    if a.decision:
        paras.append(_text(a.decision, lead=f"{ctx.labels.decision}:"))
    if paras:
        blocks.append(TextBlock(tuple(paras)))
    if g.subgoals:
        status_w = _status_width(ctx)
        columns = (
            Column(ctx.labels.subgoal, CONTENT_WIDTH - status_w),
            Column(_status_heading(ctx, (s.assessed for s in g.subgoals)), status_w),
        )
        rows = [[Cell(f"{s.number} {s.name}"), _status_cell(s.assessed)] for s in g.subgoals]
        blocks.append(_table(f"Delmål för {g.heading}", columns, rows))
    flagged = [m for s in g.subgoals for m in s.measures if m.assessed.status.code in _FLAGGED]
    flagged.sort(key=lambda m: _FLAGGED.index(m.assessed.status.code))
    if flagged:
        blocks.append(_measure_table(ctx, g, flagged))
    elif g.subgoals:
        blocks.append(TextBlock((_text(ctx.labels.none_flagged, muted=True),)))
    return _paginate("goal", g.heading, blocks, _goal_notes(g, ctx.interim))


def _value_cell(m: MeasureRow) -> Cell:
    """The outcome for the period; where it has none, the latest known outcome with its
    period on a muted second line (``25 dagar`` / ``(helår 2020)``)."""
    if m.latest:
        value, _, period = m.latest.rpartition(" (")
        if value:
            return Cell(value, note=f"({period}")
    return Cell(m.value)


_FORECAST_WIDTH = 124.0
"""Fits "Prognos helår 2021" on two lines and a forecast on one."""


def _measure_table(ctx: ReportContext, g: GoalSection, rows: Sequence[MeasureRow]) -> Table:
    if ctx.interim:
        value_w, target_w, status_w = 130.0, 148.0, _status_width(ctx)
    else:
        value_w, target_w, status_w = 140.0, 150.0, _STATUS_WIDTH
    forecast = [Column(ctx.col_previous, _FORECAST_WIDTH, "right")] if ctx.interim else []
    name_w = CONTENT_WIDTH - value_w - target_w - status_w - _FORECAST_WIDTH * len(forecast)
    columns = (
        Column(ctx.labels.flagged, name_w),
        Column(ctx.col_value, value_w, "right"),
        *forecast,
        Column(f"{ctx.labels.target} (år)", target_w, "right"),
        Column(ctx.labels.status, status_w),  # not "Prognos helår": the forecast column says it
    )
    cells = [
        [
            Cell(m.name),
            _value_cell(m),
            *([Cell(m.forecast)] if forecast else []),
            Cell(f"{m.target} ({m.target_year})"),
            _status_cell(m.assessed),
        ]
        for m in rows
    ]
    return _table(f"{ctx.labels.flagged} för {g.heading}", columns, cells)


def _measures_with(ctx: ReportContext, status: Status) -> list[tuple[str, MeasureRow]]:
    return [
        (s.number, m)
        for g in ctx.goals
        for s in g.subgoals
        for m in s.measures
        if m.assessed.status.code == status.value
    ]


def _later(ctx: ReportContext) -> list[ContentSlide]:
    title = ctx.labels.later
    found = _measures_with(ctx, Status.LATER)
    if not found:
        return _paginate("later", title, [TextBlock((_text(ctx.labels.none_listed),))])
    sub_w, value_w, target_w = 90.0, 150.0, 130.0
    forecast = [Column(ctx.col_previous, _FORECAST_WIDTH, "right")] if ctx.interim else []
    name_w = CONTENT_WIDTH - sub_w - value_w - target_w - _FORECAST_WIDTH * len(forecast)
    columns = (
        Column(ctx.labels.measure, name_w),
        Column(ctx.labels.subgoal, sub_w),
        Column(ctx.col_value, value_w, "right"),
        *forecast,
        Column(ctx.labels.target, target_w, "right"),
    )
    rows: list[Sequence[Cell] | Row] = []
    years = sorted({m.target_year for _, m in found})
    for year in years:
        rows.append(_group_row(f"{ctx.labels.target_year} {year}"))
        rows += [
            [
                Cell(m.name),
                Cell(number),
                _value_cell(m),
                *([Cell(m.forecast)] if forecast else []),
                Cell(m.target),
            ]
            for number, m in found
            if m.target_year == year
        ]
    table = _table(f"{title}, per målår", columns, rows)
    return _paginate("later", title, [table])


def _missing(ctx: ReportContext) -> list[ContentSlide]:
    found = _measures_with(ctx, Status.MISSING)
    if not found:
        return []
    sub_w, target_w = 90.0, 170.0
    columns = (
        Column(ctx.labels.measure, CONTENT_WIDTH - sub_w - target_w),
        Column(ctx.labels.subgoal, sub_w),
        Column(f"{ctx.labels.target} (år)", target_w, "right"),
    )
    rows = [[Cell(m.name), Cell(n), Cell(f"{m.target} ({m.target_year})")] for n, m in found]
    title = ctx.labels.missing
    return _paginate("missing", title, [_table(title, columns, rows)])


def _changes(ctx: ReportContext) -> list[ContentSlide]:
    """What changed since the previous report: status changes as before → now, then lists."""
    changes = ctx.changes
    if changes is None:
        return []
    # The board sees the changes that matter; measures that merely became due later or lost
    # an outcome are counted here and listed in full in the report.
    rows = [r for r in changes.rows if r.notable]
    paras = [_text(changes.intro)]
    others = len(changes.rows) - len(rows)
    if others:
        paras.append(
            _text(
                f"Ytterligare {others} {'mätvärde' if others == 1 else 'mätvärden'} har ändrats "
                "till eller från Följs upp senare eller Utfall saknas; se rapporten.",
                muted=True,
            )
        )
    blocks: list[Block] = [TextBlock(tuple(paras))]
    if rows:
        change_w, status_w = 130.0, _status_width(ctx)
        columns = (
            Column(ctx.labels.name, CONTENT_WIDTH - 2 * status_w - change_w),
            Column(ctx.labels.before, status_w),
            Column(ctx.labels.after, status_w),
            Column(ctx.labels.change, change_w),
        )
        cells = [
            [
                Cell(f"{r.level} {r.name}"),
                Cell(r.before.text, status=r.before),
                Cell(r.after.text, status=r.after),
                Cell(r.direction),
            ]
            for r in rows
        ]
        blocks.append(_table(changes.heading, columns, cells))
    for heading, items in changes.lists:
        blocks.append(
            _table(heading, (Column(heading, CONTENT_WIDTH),), [[Cell(item)] for item in items])
        )
    return _paginate("changes", changes.heading, blocks)


def _decision(ctx: ReportContext) -> list[ContentSlide]:
    paras = [_text(ctx.decision_proposal, size=DECISION_PT)]
    if ctx.diary_number:
        paras.append(
            _text(
                f"{ctx.labels.diary_number} {ctx.diary_number}",
                muted=True,
                space_before=BODY_PT,
            )
        )
    return _paginate("decision", ctx.labels.decision_proposal, [TextBlock(tuple(paras))])


_SECTIONS: tuple[Callable[[ReportContext], list[ContentSlide]], ...] = (
    _definitions,
    _overview,
    _charts,
    _changes,
)


@lru_cache(maxsize=4)
def build_slides(ctx: ReportContext) -> tuple[Slide, ...]:
    """Every slide of the presentation, laid out, paginated and numbered from 1."""
    slides: list[Slide] = [_title_slide(ctx)]
    for section in _SECTIONS:
        slides += section(ctx)
    for g in ctx.goals:
        slides += _goal(ctx, g)
    slides += _later(ctx)
    slides += _missing(ctx)
    slides += _decision(ctx)
    return tuple(dataclasses.replace(s, number=i) for i, s in enumerate(slides, 1))
