"""Slide stage: the report context → the board presentation, laid out and paginated once.

Both presentation renderers (``render.slides_pdf`` through WeasyPrint and ``render.pptx`` through
python-pptx) draw these slides as they are: the same text, the same table rows on the same slide,
each block at the same place. Where the title and the content go, the text sizes and the font come
from the PowerPoint master (a :class:`Frame`, read by ``render.pptx_master``: the packaged
master or the user's ``--pptx-template``). What fits is decided here, by measuring every line in
the master's font (the packaged Liberation Sans for Arial, which it is metric-compatible with),
never smaller than 16 pt on a 13,33 × 7,5 inch slide. A goal with more than fits continues on a
"forts." slide.

All lengths are in points (1/72 inch); the slide is 960 × 540 pt, 16:9.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

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
from ksreport.render import clean, symbol_font_file

if TYPE_CHECKING:
    from PIL import ImageFont

# --- Geometry of ksreport's own master ---------------------------------------------------------

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
NUMBER_WIDTH = 80.0

TITLE_PT = 28.0
TITLE_MIN_PT = 24.0
MAX_TITLE_LINES = 3
TITLE_LINE = 1.15
BODY_PT = 18.0
MAX_BODY_PT = 24.0
"""A master's body text larger than this is set at this size: the tables beside it are 16 pt."""
TABLE_PT = 16.0
NUMBER_PT = 16.0
MIN_PT = 16.0
"""The smallest text on any slide (the master's date, footer and slide number excepted)."""
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
PERIOD_SHARE = TS_PERIOD_PT / TS_TITLE_PT
"""The period under the title, as a share of the title's size."""
ORG_SHARE = TS_ORG_PT / TS_BOARD_PT
"""The organisation above the board's name, as a share of the board's size."""

DECISION_PT = 24.0
DECISION_SHARE = DECISION_PT / BODY_PT

CHART_SCALE = MIN_PT / 10.0
"""Points per chart pixel: the charts' smallest text (10 px) becomes 16 pt."""

CONTINUED = Labels().continued
"""Appended to the title of a slide that continues the one before (and to a group heading)."""

SlideKind = Literal[
    "title", "definitions", "overview", "chart", "changes", "goal", "later", "missing", "decision"
]
Align = Literal["left", "right", "center"]
Anchor = Literal["top", "middle", "bottom"]


# --- Fonts and the master's frame ---------------------------------------------------------------

BOLD_SPREAD = 1.1
"""Bold measured in a regular file (a family without a bold file, which renderers embolden)."""
_SYMBOLS = re.compile("([\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf]+)")
_MEASURE_PX = 200


@cache
def _truetype(path: str) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, _MEASURE_PX)


@dataclass(frozen=True)
class Measure:
    """How wide text runs in one font family, from its font files (regular and bold).

    Without files, the packaged Liberation Sans (Arial's metrics). ``spread`` widens every
    measure: room for a master's font that could not be found on this computer.
    """

    family: str = "Arial"
    regular: str = ""
    bold: str = ""
    spread: float = 1.0

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        """The width of ``text`` at ``size`` points, in points."""
        if not self.regular:
            return text_width(text, size, bold=bold) * self.spread
        path = (self.bold or self.regular) if bold else self.regular
        emboldened = BOLD_SPREAD if bold and not self.bold else 1.0
        total = 0.0
        for i, part in enumerate(_SYMBOLS.split(text)):
            if part:  # the odd parts are symbols, which many fonts lack: the symbol font's
                font = _truetype(str(symbol_font_file()) if i % 2 else path)
                total += font.getlength(part)
        return total * size / _MEASURE_PX * self.spread * emboldened


HOUSE_FONT = Measure()


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Area:
    """A placeholder of the master as the slides use it: where its text goes (inside the
    placeholder's insets) and how the master sets it."""

    box: Box
    size: float
    bold: bool = False
    font: Measure = HOUSE_FONT
    anchor: Anchor = "top"
    align: Align = "left"
    line: float = LINE
    """Line pitch as a multiple of the font size (titles are set closer)."""

    def fits(self, paras: Sequence[tuple[str, float, bool]], scale: float) -> float:
        """The height of ``paras`` (text, size, bold) at ``scale`` × their sizes."""
        return sum(
            len(wrap(t, s * scale, self.box.width, bold=b, font=self.font)) * s * scale * self.line
            for t, s, b in paras
        )


@dataclass(frozen=True)
class Frame:
    """Where a slide's parts go and how its text is set, from the PowerPoint master.

    ``title`` and ``body`` are the content slides' title and content area; ``cover_*`` the
    title slide's title (and period), the organisation and board, and the facts (mandate period
    and date; None: they follow the organisation and board).
    """

    title: Area
    body: Area
    cover_title: Area
    cover_sub: Area
    cover_facts: Area | None = None
    width: float = SLIDE_WIDTH
    height: float = SLIDE_HEIGHT

    @property
    def left(self) -> float:
        return self.body.box.left

    @property
    def content_width(self) -> float:
        return self.body.box.width

    @property
    def font(self) -> Measure:
        return self.body.font

    @property
    def body_pt(self) -> float:
        return min(max(self.body.size, MIN_PT), MAX_BODY_PT)

    def cols(self, width: float) -> float:
        """A column width planned for ksreport's 864 pt content area, on this master's."""
        return width * self.content_width / CONTENT_WIDTH


def _r2(value: float) -> float:
    return round(value, 2)


HOUSE_FRAME = Frame(
    title=Area(
        Box(MARGIN_X, TITLE_TOP, CONTENT_WIDTH, _r2(TITLE_PT * TITLE_LINE)),
        TITLE_PT,
        True,
        line=TITLE_LINE,
    ),
    body=Area(
        Box(
            MARGIN_X,
            _r2(TITLE_TOP + TITLE_PT * TITLE_LINE + TITLE_GAP),
            CONTENT_WIDTH,
            _r2(CONTENT_BOTTOM - (TITLE_TOP + TITLE_PT * TITLE_LINE + TITLE_GAP)),
        ),
        BODY_PT,
    ),
    cover_title=Area(
        Box(
            MARGIN_X,
            _r2(TS_TOP + (TS_ORG_PT + TS_BOARD_PT) * LINE + TS_RULE_GAP + TS_RULE + TS_TITLE_GAP),
            CONTENT_WIDTH,
            _r2((TS_TITLE_PT + TS_PERIOD_PT) * TITLE_LINE),
        ),
        TS_TITLE_PT,
        True,
        line=TITLE_LINE,
    ),
    cover_sub=Area(
        Box(MARGIN_X, TS_TOP, CONTENT_WIDTH, _r2((TS_ORG_PT + TS_BOARD_PT) * LINE)),
        TS_BOARD_PT,
        anchor="bottom",
    ),
    cover_facts=Area(
        Box(
            MARGIN_X,
            _r2(
                TS_TOP
                + (TS_ORG_PT + TS_BOARD_PT) * LINE
                + TS_RULE_GAP
                + TS_RULE
                + TS_TITLE_GAP
                + (TS_TITLE_PT + TS_PERIOD_PT) * TITLE_LINE
                + TS_FACTS_GAP
            ),
            CONTENT_WIDTH,
            _r2(2 * TS_FACTS_PT * LINE),
        ),
        TS_FACTS_PT,
    ),
)
"""ksreport's own master (``templates/presentation.pptx`` is built to match it)."""


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


def _split_word(word: str, size: float, width: float, bold: bool, font: Measure) -> list[str]:
    """A word wider than the line, in pieces that fit (renderers break such words anywhere)."""
    pieces: list[str] = []
    current, used = "", 0.0
    for ch in word:
        advance = font.width(ch, size, bold=bold)
        if current and used + advance > width:
            pieces.append(current)
            current, used = ch, advance
        else:
            current, used = current + ch, used + advance
    return [*pieces, current] if current else pieces


def wrap(
    text: str,
    size: float,
    width: float,
    *,
    bold: bool = False,
    lead: str = "",
    font: Measure = HOUSE_FONT,
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
                used = font.width(line_bold + " ", size, bold=True)
                fits = used + font.width(candidate, size, bold=bold) <= room
            else:
                fits = font.width(candidate, size, bold=bold) <= room
            if fits:
                line = candidate
                continue
            if line or line_bold:
                out.append(_Line(line, False))
                line_bold = ""
            pieces = _split_word(word, size, room, bold, font)
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


def _title_sizes(f: Frame) -> tuple[float, float]:
    """The master's title size, and the smaller one for a long title (28 → 24 pt)."""
    size = max(f.title.size, MIN_PT)
    return size, max(MIN_PT, round(size * TITLE_MIN_PT / TITLE_PT))


def _title_fit(f: Frame, title: str, suffix: str = "") -> tuple[str, float, int]:
    """The title (with ``suffix``, e.g. "(forts.)"), its size and lines: the master's size on up
    to two lines, else a smaller one on up to three; a longer title is cut with "…" before the
    suffix (the speaker notes keep it whole)."""
    big, small = _title_sizes(f)
    width, bold, font = f.title.box.width, f.title.bold, f.title.font
    full = f"{title} {suffix}" if suffix else title
    lines = len(wrap(full, big, width, bold=bold, font=font))
    if lines <= 2:
        return full, big, lines
    lines = len(wrap(full, small, width, bold=bold, font=font))
    if lines <= MAX_TITLE_LINES:
        return full, small, lines
    words = title.split(" ")
    cut = full
    while len(words) > 1 and lines > MAX_TITLE_LINES:
        words.pop()
        cut = " ".join([*words, "…", suffix]).rstrip()
        lines = len(wrap(cut, small, width, bold=bold, font=font))
    return cut, small, lines


def title_box(f: Frame, size: float, lines: int) -> Box:
    """The title's place: the master's, taller where the title needs more lines."""
    box = f.title.box
    return dataclasses.replace(box, height=max(box.height, _r2(lines * size * TITLE_LINE)))


def content_top(f: Frame, title_size: float, title_lines: int) -> float:
    """Where content starts: the master's content area, or lower under a long title."""
    below_title = f.title.box.top + title_lines * title_size * TITLE_LINE + TITLE_GAP
    return max(f.body.box.top, below_title)


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
    """``Status för målet: [● Grönt] note``: a label, the status as a badge, a muted note.

    The widths are measured in the master's font when the line is made (:func:`_status_line`).
    """

    label: str
    status: StatusView
    note: str = ""
    top: float = 0.0
    size: float = BODY_PT
    label_width: float = 0.0
    badge_width: float = 0.0
    note_width: float = 0.0
    """The room right of the badge, where the note goes."""

    @property
    def height(self) -> float:
        return self.size * LINE + 2 * BADGE_PAD_Y


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
    """A stacked bar chart of measures per status and goal: a picture drawn so that its smallest
    text is 16 pt in the PDF, a native chart with the same data in PowerPoint."""

    spec: StackedBarChart
    width: float
    height: float
    top: float = 0.0
    caption: str = ""
    """The chart's name (``Antal mätvärden per status och mål, helår 2020``)."""

    @property
    def alt(self) -> str:
        return self.spec.alt


Block = TextBlock | StatusLine | Table | Chart


@dataclass(frozen=True)
class CoverText:
    """A placeholder of the title slide as filled: its paragraphs (text, size, bold, muted),
    where it sits and how it is anchored."""

    paragraphs: tuple[tuple[str, float, bool, bool], ...]
    box: Box
    anchor: Anchor = "top"
    align: Align = "left"
    text_height: float = 0.0
    """The height the paragraphs take, for the anchor."""


@dataclass(frozen=True)
class TitleSlide:
    """The title and period in the master's title placeholder, the organisation and board in its
    subtitle, the mandate period and date below (in the date placeholder where there is room)."""

    number: int
    title: str
    period: str
    organisation: str
    board: str
    facts: tuple[str, ...]
    notes: str = ""
    kind: SlideKind = "title"
    heading_text: CoverText | None = None
    sub_text: CoverText | None = None
    facts_text: CoverText | None = None

    @property
    def heading(self) -> str:
        """The slide's name in bookmarks and outlines."""
        return f"{self.title} {self.period[:1].lower()}{self.period[1:]}"


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
    title_box: Box = field(default_factory=lambda: HOUSE_FRAME.title.box)

    @property
    def heading(self) -> str:
        return self.title

    @property
    def title_height(self) -> float:
        return self.title_lines * self.title_size * TITLE_LINE


Slide = TitleSlide | ContentSlide


# --- Measuring blocks ------------------------------------------------------------------------


def row_height(lines: int) -> float:
    return lines * TABLE_PT * LINE + 2 * CELL_PAD_Y + RULE


def _cell_width(column: Column) -> float:
    return column.width - 2 * CELL_PAD_X


def _cell_lines(f: Frame, cell: Cell, width: float, *, bold: bool = False) -> int:
    strong = bold or cell.bold or cell.status is not None
    lines = len(wrap(cell.text, TABLE_PT, width, bold=strong, font=f.font))
    if cell.note:
        lines += len(wrap(cell.note, TABLE_PT, width, font=f.font))
    return lines


def _row(
    f: Frame, cells: Sequence[Cell], columns: Sequence[Column], *, header: bool = False
) -> Row:
    lines = max(
        _cell_lines(f, c, _cell_width(col), bold=header)
        for c, col in zip(cells, columns, strict=True)
    )
    return Row(tuple(cells), lines)


def _group_row(f: Frame, text: str) -> Row:
    lines = len(wrap(text, TABLE_PT, f.content_width - 2 * CELL_PAD_X, bold=True, font=f.font))
    return Row((Cell(text, bold=True),), lines, group=True)


def _table(
    f: Frame,
    label: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell] | Row],
    *,
    header: bool = True,
    row_headers: bool = True,
) -> Table:
    rows = list(rows)
    heads = [Cell(c.header, bold=True) for c in columns] if header else None
    cols = _widen(f, tuple(columns), heads, [r for r in rows if not isinstance(r, Row)])
    head = _row(f, heads, cols, header=True) if heads is not None else None
    body = tuple(r if isinstance(r, Row) else _row(f, r, cols) for r in rows)
    return Table(label, cols, head, body, row_headers=row_headers)


def _longest_word(f: Frame, cell: Cell, bold: bool) -> float:
    strong = bold or cell.bold or cell.status is not None
    words = [(w, strong) for w in re.split(r"[ \n]", cell.text)]
    words += [(w, False) for w in re.split(r"[ \n]", cell.note)]
    return max((f.font.width(w, TABLE_PT, bold=b) for w, b in words if w), default=0.0)


def _widen(
    f: Frame,
    columns: tuple[Column, ...],
    header: Sequence[Cell] | None,
    rows: Sequence[Sequence[Cell]],
) -> tuple[Column, ...]:
    """Columns wide enough for their longest word (``Genomförd``, ``kWh/m²``, ``2 710 kr``),
    where a narrow master or a wide font would split it: the room comes from the columns with
    room to spare, the first (the names) first."""
    need = []
    for j in range(len(columns)):
        cells = [(r[j], False) for r in rows] + ([(header[j], True)] if header else [])
        widest = max((_longest_word(f, c, b) for c, b in cells), default=0.0)
        need.append(math.ceil(widest / FIT + 2 * CELL_PAD_X + 1))
    short = sum(max(n - c.width, 0.0) for n, c in zip(need, columns, strict=True))
    if not short:
        return columns
    spare = [max(c.width - n, 0.0) for n, c in zip(need, columns, strict=True)]
    if sum(spare) < short:
        return columns  # nothing to gain: the words are split where they must be
    widths = [max(c.width, n) for n, c in zip(need, columns, strict=True)]
    for j in sorted(range(len(columns)), key=lambda j: (j != 0, -spare[j])):
        take = min(spare[j], short)
        widths[j] -= take
        short -= take
    return tuple(dataclasses.replace(c, width=w) for c, w in zip(columns, widths, strict=True))


def _text(
    f: Frame,
    text: str,
    *,
    size: float | None = None,
    lead: str = "",
    muted: bool = False,
    space_before: float = 0.0,
) -> Text:
    text = normalise(text)
    size = f.body_pt if size is None else size
    lines = len(wrap(text, size, f.content_width, lead=lead, font=f.font))
    return Text(text, size, lead, False, muted, space_before, lines)


def _status_line(f: Frame, label: str, status: StatusView, note: str = "") -> StatusLine:
    size = f.body_pt
    label_width = f.font.width(label, size, bold=True) / FIT
    badge_width = f.font.width(status.text, size, bold=True) / FIT + 2 * BADGE_PAD_X
    note_width = f.content_width - label_width - badge_width - 2 * STATUS_GAP
    return StatusLine(
        label,
        status,
        note,
        size=size,
        label_width=label_width,
        badge_width=badge_width,
        note_width=note_width,
    )


def _height(block: Block) -> float:
    return block.height


def _gap(block: Block) -> float:
    return TIGHT_GAP if isinstance(block, TextBlock) and block.tight else BLOCK_GAP


# --- Splitting blocks across slides ----------------------------------------------------------


def _split_text(
    f: Frame, block: TextBlock, room: float, force: bool
) -> tuple[Block | None, Block | None]:
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
            lines = wrap(
                para.text, para.size, f.content_width, bold=para.bold, lead=para.lead, font=f.font
            )
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


def _split_row(f: Frame, row: Row, columns: Sequence[Column], lines: int) -> tuple[Row, Row]:
    """A row too tall for a whole slide, cut after ``lines`` lines of every cell."""
    full = f.content_width - 2 * CELL_PAD_X
    widths = [full] if row.group else [_cell_width(c) for c in columns]
    heads: list[Cell] = []
    tails: list[Cell] = []
    for cell, width in zip(row.cells, widths, strict=True):
        strong = cell.bold or cell.status is not None
        wrapped = wrap(cell.text, TABLE_PT, width, bold=strong, font=f.font)
        note_lines = len(wrap(cell.note, TABLE_PT, width, font=f.font))
        note_fits = len(wrapped) + note_lines <= lines
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
    tail = _group_row(f, tails[0].text) if row.group else _row(f, tails, columns)
    return head, tail


def _split_table(
    f: Frame, table: Table, room: float, force: bool
) -> tuple[Block | None, Block | None]:
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
        head, tail = _split_row(f, table.rows[0], table.columns, max(1, lines))
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
        rest = (_group_row(f, f"{heading} {CONTINUED}"), *rest)
    return first, dataclasses.replace(table, rows=rest)


def _split(f: Frame, block: Block, room: float, force: bool) -> tuple[Block | None, Block | None]:
    if isinstance(block, TextBlock):
        return _split_text(f, block, room, force)
    if isinstance(block, Table):
        return _split_table(f, block, room, force)
    return (block, None) if force else (None, block)


def _paginate(
    f: Frame, kind: SlideKind, title: str, blocks: Sequence[Block], notes: str = ""
) -> list[ContentSlide]:
    """Place blocks top to bottom; what does not fit continues on "forts." slides."""
    slides: list[ContentSlide] = []
    pending = list(blocks)
    bottom = f.body.box.bottom
    while True:
        heading, size, lines = _title_fit(f, title, CONTINUED if slides else "")
        y = content_top(f, size, lines)
        placed: list[Block] = []
        while pending:
            block = pending[0]
            gap = _gap(block) if placed else 0.0
            room = bottom - y - gap
            if _height(block) <= room:
                placed.append(dataclasses.replace(block, top=y + gap))
                y += gap + _height(block)
                pending.pop(0)
                continue
            head, tail = _split(f, block, room, force=not placed)
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
                title_box=title_box(f, size, lines),
            )
        )
        if not pending:
            return slides


# --- The slides ------------------------------------------------------------------------------


def _status_cell(a: Assessed) -> Cell:
    note = f"Beräknad: {a.computed.text}" if a.computed is not None else ""
    return Cell(a.status.text, status=a.status, note=note)


def _cover_text(
    area: Area, paras: Sequence[tuple[str, float, bool, bool]], *, min_pt: float = MIN_PT
) -> CoverText:
    """Paragraphs (text, size, bold, muted) in a placeholder of the title slide, made smaller
    until they fit its box (never below ``min_pt``); where they still do not, the box grows."""
    paras = [p for p in paras if p[0]]
    measured = [(t, s, b) for t, s, b, _ in paras]
    smallest = min((s for _, s, _ in measured), default=min_pt)
    scale = 1.0
    while area.fits(measured, scale) > area.box.height + 0.01 and smallest * scale > min_pt:
        scale = max(scale - 0.05, min_pt / smallest)
    needed = _r2(area.fits(measured, scale))
    return CoverText(
        tuple((t, _r2(s * scale), b, m) for t, s, b, m in paras),
        dataclasses.replace(area.box, height=max(area.box.height, needed)),
        area.anchor,
        area.align,
        needed,
    )


def _title_slide(f: Frame, ctx: ReportContext) -> TitleSlide:
    facts = []
    if ctx.mandate_period:
        facts.append(f"{ctx.labels.mandate_period} {ctx.mandate_period}")
    facts.append(ctx.generated_long)
    facts = [normalise(x) for x in facts]
    organisation, board = normalise(ctx.organisation), normalise(ctx.board)
    big = f.cover_title.size
    heading = _cover_text(
        f.cover_title,
        [
            (ctx.title, big, f.cover_title.bold, False),
            (ctx.period_heading, _r2(big * PERIOD_SHARE), False, False),
        ],
    )
    sub_pt = max(f.cover_sub.size, MIN_PT)
    org_pt = max(MIN_PT, _r2(sub_pt * ORG_SHARE))
    sub = [(organisation, org_pt, False, True), (board, sub_pt, True, False)]
    facts_text = None
    if f.cover_facts is not None:
        facts_pt = max(f.cover_facts.size, MIN_PT)
        facts_text = _cover_text(f.cover_facts, [(x, facts_pt, False, True) for x in facts])
        if facts_text.box.height > f.cover_facts.box.height + 0.01:
            facts_text = None  # too little room: under the board instead
    if facts_text is None:
        sub += [(x, org_pt, False, True) for x in facts]
    return TitleSlide(
        number=0,
        title=ctx.title,
        period=ctx.period_heading,
        organisation=organisation,
        board=board,
        facts=tuple(facts),
        heading_text=heading,
        sub_text=_cover_text(f.cover_sub, sub),
        facts_text=facts_text,
    )


def _definitions(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    term_w = f.cols(220.0)
    columns = (Column("Begrepp", term_w), Column("Så bedöms det", f.content_width - term_w))
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
    intro = _text(f, intro_text, muted=True)
    table = _table(f, ctx.labels.definitions, columns, rows, header=False)
    notes = "\n\n".join([ctx.definitions_intro, *(f"{d.term}: {d.text}" for d in ctx.definitions)])
    return _paginate(f, "definitions", ctx.labels.definitions, [TextBlock((intro,)), table], notes)


_COUNT_WIDTH = 84.0
_STATUS_WIDTH = 150.0
"""Fits "● Grönt" above "Beräknad: ▲ Gult" in a status cell."""
_STATUS_WIDTH_MAX = 210.0


def _status_width(f: Frame, ctx: ReportContext) -> float:
    """At an interim period, wide enough for a forecast's status on one line (``● Grönt
    (prognos)``, ``▲ Bedöms delvis uppnås``); at full year as before."""
    if not ctx.interim:
        return f.cols(_STATUS_WIDTH)
    widest = max(
        f.font.width(status_view(s, ctx.status_words, True).text, TABLE_PT, bold=True) / FIT
        for s in (Status.GREEN, Status.YELLOW, Status.RED)
    )
    needed = math.ceil((widest + 2 * CELL_PAD_X) / 10) * 10
    return min(max(f.cols(_STATUS_WIDTH), needed), f.cols(_STATUS_WIDTH_MAX))


def _status_heading(ctx: ReportContext, assessed: Iterable[Assessed]) -> str:
    """The status column's heading: ``Prognos helår`` where every status in it rests on
    forecasts, else ``Status`` (each forecast still says so in its own label)."""
    prefixes = {a.prefix for a in assessed}
    return prefixes.pop() if len(prefixes) == 1 else ctx.labels.status


BASIS_HEADING = "Underlag"
_BASIS_WIDTH = 330.0
"""Fits ``Bedömningen bygger på 12 av 14 mätvärden, varav 10 prognoser.`` on two lines."""


def _overview(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    title = f"{ctx.labels.overview}: {ctx.period_words}"
    if not ctx.summary_rows:
        return _paginate(f, "overview", title, [TextBlock((_text(f, ctx.labels.no_goals),))])
    paras = [_text(f, ctx.summary_text)]
    if ctx.empty_period:
        paras.append(_text(f, ctx.empty_period, muted=True))
    table = _interim_goals(f, ctx) if ctx.interim else _counts(f, ctx)
    return _paginate(f, "overview", title, [TextBlock(tuple(paras)), table])


def _interim_goals(f: Frame, ctx: ReportContext) -> Table:
    """Per goal: the forecast for the full year and what it rests on. The counts per status
    follow on the chart slide, forecasts apart from outcomes."""
    status_w, basis_w = _status_width(f, ctx), f.cols(_BASIS_WIDTH)
    columns = (
        Column(ctx.labels.summary_goal, f.content_width - status_w - basis_w),
        Column(_status_heading(ctx, (r.assessed for r in ctx.summary_rows)), status_w),
        Column(BASIS_HEADING, basis_w),
    )
    rows = [
        [Cell(r.goal_heading), _status_cell(r.assessed), Cell(r.assessed.grounds)]
        for r in ctx.summary_rows
    ]
    return _table(f, f"Målens prognos för helåret och underlag, {ctx.period_words}", columns, rows)


def _counts(f: Frame, ctx: ReportContext) -> Table:
    """Per goal: its status and its measures per status, with the totals."""
    count_w = f.cols(_COUNT_WIDTH)
    counts = [Column(s.text, count_w, "right") for s in ctx.summary_columns]
    status_width = f.cols(_STATUS_WIDTH - 10)
    goal_width = f.content_width - status_width - count_w * len(counts)
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
    return _table(f, f"Mål och mätvärden per status, {ctx.period_words}", columns, rows)


def _chart_height(spec: StackedBarChart) -> float:
    return chart_size_inches(spec)[1] * CSS_DPI * CHART_SCALE


def _charts(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    """The stacked bars, as many goals per slide as fit at 16 pt."""
    rows = list(ctx.summary_rows)
    if not rows:
        return []
    title = ctx.labels.chart_slide
    room = f.body.box.bottom - content_top(f, *_title_fit(f, title, CONTINUED)[1:])
    chunks: list[tuple[StackedBarChart, str]] = []
    while rows:
        take = 1
        while take < len(rows) and _chart_height(_bars(f, rows[: take + 1], ctx)[0]) <= room:
            take += 1
        chunks.append(_bars(f, rows[:take], ctx))
        rows = rows[take:]
    blocks = [Chart(c, f.content_width, _chart_height(c), caption=caption) for c, caption in chunks]
    return _paginate(f, "chart", title, blocks)


def _bars(f: Frame, rows: Sequence[SummaryRow], ctx: ReportContext) -> tuple[StackedBarChart, str]:
    figure = summary_chart(rows, ctx.period_words, ctx.status_words)
    assert figure is not None and isinstance(figure.chart, StackedBarChart)
    chart = dataclasses.replace(figure.chart, width=f.content_width / CHART_SCALE)
    return chart, figure.caption


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


def _goal(f: Frame, ctx: ReportContext, g: GoalSection) -> list[ContentSlide]:
    a = g.assessed
    note = ""
    if a.computed is not None:
        note = f"{ctx.labels.board_status}. {ctx.labels.computed}: {a.computed.text}."
    line = _status_line(f, f"{a.prefix} för målet:", a.status, normalise(note))
    below = []
    if line.note and len(wrap(line.note, line.size, line.note_width, font=f.font)) > 1:
        below.append(_text(f, line.note, size=TABLE_PT, muted=True))  # too long beside the badge
        line = dataclasses.replace(line, note="")
    if ctx.interim and a.grounds:
        below.append(_text(f, a.grounds, size=TABLE_PT, muted=True))
    blocks: list[Block] = [line]
    if below:
        blocks.append(TextBlock(tuple(below), tight=True))
    paras = []
    if a.justification:
        paras.append(_text(f, a.justification, lead=f"{ctx.labels.justification}:"))
    if a.decision:
        paras.append(_text(f, a.decision, lead=f"{ctx.labels.decision}:"))
    if paras:
        blocks.append(TextBlock(tuple(paras)))
    if g.subgoals:
        status_w = _status_width(f, ctx)
        columns = (
            Column(ctx.labels.subgoal, f.content_width - status_w),
            Column(_status_heading(ctx, (s.assessed for s in g.subgoals)), status_w),
        )
        rows = [[Cell(f"{s.number} {s.name}"), _status_cell(s.assessed)] for s in g.subgoals]
        blocks.append(_table(f, f"Delmål för {g.heading}", columns, rows))
    flagged = [m for s in g.subgoals for m in s.measures if m.assessed.status.code in _FLAGGED]
    flagged.sort(key=lambda m: _FLAGGED.index(m.assessed.status.code))
    if flagged:
        blocks.append(_measure_table(f, ctx, g, flagged))
    elif g.subgoals:
        blocks.append(TextBlock((_text(f, ctx.labels.none_flagged, muted=True),)))
    return _paginate(f, "goal", g.heading, blocks, _goal_notes(g, ctx.interim))


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


def _measure_table(
    f: Frame, ctx: ReportContext, g: GoalSection, rows: Sequence[MeasureRow]
) -> Table:
    if ctx.interim:
        value_w, target_w, status_w = f.cols(130.0), f.cols(148.0), _status_width(f, ctx)
    else:
        value_w, target_w, status_w = f.cols(140.0), f.cols(150.0), f.cols(_STATUS_WIDTH)
    forecast_w = f.cols(_FORECAST_WIDTH)
    forecast = [Column(ctx.col_previous, forecast_w, "right")] if ctx.interim else []
    name_w = f.content_width - value_w - target_w - status_w - forecast_w * len(forecast)
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
    return _table(f, f"{ctx.labels.flagged} för {g.heading}", columns, cells)


def _measures_with(ctx: ReportContext, status: Status) -> list[tuple[str, MeasureRow]]:
    return [
        (s.number, m)
        for g in ctx.goals
        for s in g.subgoals
        for m in s.measures
        if m.assessed.status.code == status.value
    ]


def _later(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    title = ctx.labels.later
    found = _measures_with(ctx, Status.LATER)
    if not found:
        return _paginate(f, "later", title, [TextBlock((_text(f, ctx.labels.none_listed),))])
    sub_w, value_w, target_w = f.cols(90.0), f.cols(150.0), f.cols(130.0)
    forecast_w = f.cols(_FORECAST_WIDTH)
    forecast = [Column(ctx.col_previous, forecast_w, "right")] if ctx.interim else []
    name_w = f.content_width - sub_w - value_w - target_w - forecast_w * len(forecast)
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
        rows.append(_group_row(f, f"{ctx.labels.target_year} {year}"))
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
    table = _table(f, f"{title}, per målår", columns, rows)
    return _paginate(f, "later", title, [table])


def _missing(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    found = _measures_with(ctx, Status.MISSING)
    if not found:
        return []
    sub_w, target_w = f.cols(90.0), f.cols(170.0)
    columns = (
        Column(ctx.labels.measure, f.content_width - sub_w - target_w),
        Column(ctx.labels.subgoal, sub_w),
        Column(f"{ctx.labels.target} (år)", target_w, "right"),
    )
    rows = [[Cell(m.name), Cell(n), Cell(f"{m.target} ({m.target_year})")] for n, m in found]
    title = ctx.labels.missing
    return _paginate(f, "missing", title, [_table(f, title, columns, rows)])


def _changes(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    """What changed since the previous report: status changes as before → now, then lists."""
    changes = ctx.changes
    if changes is None:
        return []
    # The board sees the changes that matter; measures that merely became due later or lost
    # an outcome are counted here and listed in full in the report.
    rows = [r for r in changes.rows if r.notable]
    paras = [_text(f, changes.intro)]
    others = len(changes.rows) - len(rows)
    if others:
        paras.append(
            _text(
                f,
                f"Ytterligare {others} {'mätvärde' if others == 1 else 'mätvärden'} har ändrats "
                "till eller från Följs upp senare eller Utfall saknas; se rapporten.",
                muted=True,
            )
        )
    blocks: list[Block] = [TextBlock(tuple(paras))]
    if rows:
        change_w, status_w = f.cols(130.0), _status_width(f, ctx)
        columns = (
            Column(ctx.labels.name, f.content_width - 2 * status_w - change_w),
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
        blocks.append(_table(f, changes.heading, columns, cells))
    for heading, items in changes.lists:
        column = (Column(heading, f.content_width),)
        blocks.append(_table(f, heading, column, [[Cell(item)] for item in items]))
    return _paginate(f, "changes", changes.heading, blocks)


def _decision(f: Frame, ctx: ReportContext) -> list[ContentSlide]:
    body = f.body_pt
    paras = [_text(f, ctx.decision_proposal, size=_r2(body * DECISION_SHARE))]
    if ctx.diary_number:
        paras.append(
            _text(
                f,
                f"{ctx.labels.diary_number} {ctx.diary_number}",
                muted=True,
                space_before=body,
            )
        )
    return _paginate(f, "decision", ctx.labels.decision_proposal, [TextBlock(tuple(paras))])


_SECTIONS: tuple[Callable[[Frame, ReportContext], list[ContentSlide]], ...] = (
    _definitions,
    _overview,
    _charts,
    _changes,
)


@lru_cache(maxsize=4)
def build_slides(ctx: ReportContext, frame: Frame = HOUSE_FRAME) -> tuple[Slide, ...]:
    """Every slide of the presentation, laid out in ``frame`` (the master's), paginated and
    numbered from 1."""
    slides: list[Slide] = [_title_slide(frame, ctx)]
    for section in _SECTIONS:
        slides += section(frame, ctx)
    for g in ctx.goals:
        slides += _goal(frame, ctx, g)
    slides += _later(frame, ctx)
    slides += _missing(frame, ctx)
    slides += _decision(frame, ctx)
    return tuple(dataclasses.replace(s, number=i) for i, s in enumerate(slides, 1))
