"""The field × format matrix: every text a user writes in the workbook, and for each output
whether it is shown there (or why not). tests/test_field_matrix.py builds one workbook with a
marker and hostile text in every field and checks every cell; docs/field-matrix.md is this table
for humans, written by ``python tests/field_matrix.py --markdown > docs/field-matrix.md``.

A cell is :data:`SHOWN`, :data:`NOTES` (PowerPoint: in the speaker notes, not on a slide),
:data:`SECTION_3` (the memo: in the generated text of section 3, which the workbook's own
``Ärendetext`` for that section replaces) or a short reason why the output does not show it.
Columns that hold no free text (ids, numbers, years, fixed values) are listed in
:data:`NOT_TEXT` and :data:`NOT_TEXT_SETTINGS`, so that a new column or setting must be placed
in one list or the other.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from ksreport import contract

#: Every output a build writes, as the table's columns: key → title.
OUTPUTS: dict[str, str] = {
    "report_pdf": "Report PDF",
    "report_docx": "Report DOCX",
    "report_html": "Report HTML",
    "slides_pdf": "Slides PDF",
    "slides_pptx": "Slides PPTX",
    "memo_pdf": "Memo PDF",
    "memo_docx": "Memo DOCX",
    "council_pdf": "Council PDF",
    "council_docx": "Council DOCX",
    "council_html": "Council HTML",
    "results_json": "Results JSON",
    "results_xlsx": "Results XLSX",
}
REPORT = ("report_pdf", "report_docx", "report_html")
SLIDES = ("slides_pdf", "slides_pptx")
MEMO = ("memo_pdf", "memo_docx")
COUNCIL = ("council_pdf", "council_docx", "council_html")
RESULTS = ("results_json", "results_xlsx")

SHOWN = "shown"
NOTES = "speaker notes"
SECTION_3 = "memo section 3"
"""Listed in the generated text of the memo's section 3 (Politiska mål och beslut kopplade till
ärendet), so shown where ``Ärendetext`` gives no own text for that section."""
SHOWN_KINDS = (SHOWN, NOTES, SECTION_3)

# Reasons used in several rows.
MEMO_ONLY = "a memo field (the tjänsteskrivelse only)"
NOT_A_RESULT = "not a result: the results hold scores, names and assessments"
RESULTS_BOARD_ONLY = "the results workbook names only the board"
NO_DESCRIPTIONS = "the results workbook has no descriptions"
COUNCIL_GOALS_ONLY = "the council's view shows board goals, their status and own assessment"
MEMO_NO_DETAIL = "the memo summarises goals; it names no sub-goals or measures"
SLIDES_IN_NOTES = "on the slides only in the PowerPoint speaker notes"
SLIDES_GOAL_LEVEL = "the slides give the board's justification for goals only"
MEMO_GOAL_LEVEL = "the memo quotes the board's own assessments of goals only"
CASE_TEXT = "Ärendetext is the memo's own text"
DATA_ONLY = (
    "a data field, in the results only: documents for the board name no source or officer per"
    " measure (Källa also tells `ksreport kolada` the indicator)"
)


def _each(outputs: tuple[str, ...], value: str) -> dict[str, str]:
    return dict.fromkeys(outputs, value)


@dataclass(frozen=True)
class Field:
    """One place a user writes text: sheet, column and, where one column holds several fields,
    the qualifier (the level in Bedömningar, the setting in Inställningar, the heading in
    Ärendetext); and per output whether it is shown."""

    sheet: str
    column: str
    qualifier: str
    cells: Mapping[str, str] = field(repr=False)
    long: bool = False
    """Carries the 2 000-character word (the other fields a word of 100 characters)."""
    note: str = ""

    @property
    def name(self) -> str:
        where = f"{self.sheet} · {self.column}"
        return f"{where} ({self.qualifier})" if self.qualifier else where


def _row(
    sheet: str,
    column: str,
    qualifier: str = "",
    *,
    long: bool = False,
    note: str = "",
    **cells: str,
) -> Field:
    return Field(sheet, column, qualifier, cells, long, note)


def _setting(key: str, *, long: bool = False, note: str = "", **cells: str) -> Field:
    return _row("Inställningar", "Värde", key, long=long, note=note, **cells)


def _assessment(column: str, level: str, **cells: str) -> Field:
    return _row("Bedömningar", column, level, **cells)


FIELDS: tuple[Field, ...] = (
    _setting(
        "Organisation",
        note="Names the council's files, so it carries no 2 000-character word.",
        **_each((*REPORT, *SLIDES, *MEMO, *COUNCIL, "results_json"), SHOWN),
        results_xlsx=RESULTS_BOARD_ONLY,
    ),
    _setting(
        "Nämnd",
        note="Names the board's files, so it carries no 2 000-character word.",
        **_each(tuple(OUTPUTS), SHOWN),
    ),
    _setting(
        "Förvaltning",
        **_each((*REPORT, *MEMO, "results_json"), SHOWN),
        **_each(SLIDES, "the title slide names organisation, board and case number"),
        **_each(COUNCIL, "the council's view spans boards, not one administration"),
        results_xlsx=RESULTS_BOARD_ONLY,
    ),
    _setting(
        "Diarienummer",
        **_each((*REPORT, *SLIDES, *MEMO, "results_json"), SHOWN),
        **_each(COUNCIL, "one board's case number; the council's view has none"),
        results_xlsx=RESULTS_BOARD_ONLY,
    ),
    *(
        _setting(
            key,
            **_each((*REPORT, *SLIDES, *COUNCIL), MEMO_ONLY),
            **_each(MEMO, SHOWN),
            **_each(RESULTS, NOT_A_RESULT),
        )
        for key in ("Handläggare", "Ansvarig tjänsteman", "Beslutet ska skickas till")
    ),
    _setting(
        "Förslag till beslut",
        **_each(REPORT, "the proposal is the memo's and the presentation's"),
        **_each((*SLIDES, *MEMO), SHOWN),
        **_each(COUNCIL, "a board's proposal, not the council's"),
        **_each(RESULTS, NOT_A_RESULT),
    ),
    _setting(
        "Fullmäktigemål",
        note="Split into council goals at semicolons and line breaks.",
        **_each(
            (*REPORT, *SLIDES, *MEMO, *RESULTS),
            "lists council goals for the council's view; a board's outputs show each goal's own",
        ),
        **_each(COUNCIL, SHOWN),
    ),
    _row("Mål", "Mål", **_each(tuple(OUTPUTS), SHOWN)),
    _row(
        "Mål",
        "Beskrivning",
        **_each((*REPORT, "results_json"), SHOWN),
        slides_pdf=SLIDES_IN_NOTES,
        slides_pptx=NOTES,
        **_each(MEMO, "the memo summarises statuses, not descriptions"),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
        results_xlsx=NO_DESCRIPTIONS,
    ),
    _row(
        "Mål",
        "Fullmäktigemål",
        **_each((*REPORT, *COUNCIL, "results_json"), SHOWN),
        slides_pdf=SLIDES_IN_NOTES,
        slides_pptx=NOTES,
        **_each(MEMO, SECTION_3),
        results_xlsx="the results workbook has no council goal column",
    ),
    _row(
        "Delmål",
        "Delmål",
        **_each((*REPORT, *SLIDES, *RESULTS), SHOWN),
        **_each(MEMO, MEMO_NO_DETAIL),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
    ),
    _row(
        "Delmål",
        "Beskrivning",
        **_each((*REPORT, "results_json"), SHOWN),
        **_each(SLIDES, "the slides show sub-goals by name and status"),
        **_each(MEMO, MEMO_NO_DETAIL),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
        results_xlsx=NO_DESCRIPTIONS,
    ),
    *(
        _row(
            "Mätvärden",
            column,
            **_each((*REPORT, *SLIDES, *RESULTS), SHOWN),
            **_each(MEMO, MEMO_NO_DETAIL),
            **_each(COUNCIL, COUNCIL_GOALS_ONLY),
        )
        for column in ("Mätvärde", "Enhet")
    ),
    *(
        _row(
            "Mätvärden",
            column,
            **_each((*REPORT, *SLIDES, *MEMO, *COUNCIL), DATA_ONLY),
            **_each(RESULTS, SHOWN),
        )
        for column in ("Källa", "Ansvarig")
    ),
    _row(
        "Utfall",
        "Kommentar",
        note="Shown for the report period only.",
        **_each((*REPORT, *RESULTS), SHOWN),
        slides_pdf=SLIDES_IN_NOTES,
        slides_pptx=NOTES,
        **_each(MEMO, MEMO_NO_DETAIL),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
    ),
    _assessment(
        "Motivering",
        "Mål",
        long=True,
        **_each(tuple(OUTPUTS), SHOWN),
    ),
    _assessment(
        "Analys",
        "Mål",
        long=True,
        **_each((*REPORT, *RESULTS), SHOWN),
        slides_pdf=SLIDES_IN_NOTES,
        slides_pptx=NOTES,
        **_each(MEMO, "the memo quotes the justification, not the analysis"),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
    ),
    _assessment("Beslut", "Mål", **_each(tuple(OUTPUTS), SHOWN)),
    *(
        field
        for level in ("Delmål", "Mätvärde")
        for field in (
            _assessment(
                "Motivering",
                level,
                **_each((*REPORT, *RESULTS), SHOWN),
                **_each(SLIDES, SLIDES_GOAL_LEVEL),
                **_each(MEMO, MEMO_GOAL_LEVEL),
                **_each(COUNCIL, COUNCIL_GOALS_ONLY),
            ),
            _assessment(
                "Analys",
                level,
                **_each((*REPORT, *RESULTS), SHOWN),
                slides_pdf=SLIDES_IN_NOTES,
                slides_pptx=NOTES,
                **_each(MEMO, MEMO_NO_DETAIL),
                **_each(COUNCIL, COUNCIL_GOALS_ONLY),
            ),
            _assessment(
                "Beslut",
                level,
                note="Slides: in the list of new assessments since the previous report.",
                **_each((*REPORT, *SLIDES, *RESULTS), SHOWN),
                **_each(MEMO, SECTION_3),
                **_each(COUNCIL, COUNCIL_GOALS_ONLY),
            ),
        )
    ),
    _row(
        "Jämförelser",
        "Källa",
        **_each(
            (*REPORT, *SLIDES),
            "only decides whether “Källa: Kolada” is printed; the text is not shown",
        ),
        **_each(MEMO, MEMO_NO_DETAIL),
        **_each(COUNCIL, COUNCIL_GOALS_ONLY),
        **_each(RESULTS, "the results have no comparisons"),
    ),
    *(
        _row(
            "Ärendetext",
            "Text",
            heading,
            long=heading == "Bakgrund",
            **_each(MEMO, SHOWN),
            **_each((*REPORT, *SLIDES, *COUNCIL, *RESULTS), CASE_TEXT),
        )
        for heading in (contract.CASE_SUMMARY, *contract.CASE_SECTIONS)
    ),
)

#: Columns without free text: sheet → column → what they hold instead.
NOT_TEXT: dict[str, dict[str, str]] = {
    "Inställningar": {"Inställning": "the setting's name (one of the known settings)"},
    "Mål": {"Mål-id": "an id", "Agenda 2030": "numbers 1–17"},
    "Delmål": {"Delmål-id": "an id", "Mål-id": "an id"},
    "Mätvärden": {
        "Mätvärde-id": "an id",
        "Delmål-id": "an id",
        "Typ": "Indikator or Aktivitet",
        "Riktning": "Högre or Lägre är bättre",
        "Utgångsvärde": "a number",
        "Utgångsår": "a year",
        "Målvärde": "a number",
        "Målår": "a year",
    },
    "Utfall": {
        "Mätvärde-id": "an id",
        "Period": "a period",
        "Värde": "a number or an activity state",
        "Kön": "T, K or M",
        "Prognos": "a number or an activity state",
    },
    "Bedömningar": {
        "Nivå": "Mål, Delmål or Mätvärde",
        "Id": "an id",
        "Period": "a period",
        "Bedömning": "Grönt, Gult or Rött",
    },
    "Jämförelser": {
        "Mätvärde-id": "an id",
        "År": "a year",
        "Riket": "a number",
        "Jämförelsegrupp": "a number",
    },
    "Ärendetext": {"Rubrik": "one of the memo's headings"},
}

#: Settings without free text: key → what they hold instead.
NOT_TEXT_SETTINGS: dict[str, str] = {
    "Kommunkod": "four digits",
    "Jämförelsegrupp": "a Kolada group id (G and digits)",
    "Mandatperiod": "two years",
    "Rapportperiod": "a period",
    "Tolerans": "a number",
    "Sammanvägning": "Medel or Sämsta",
    "Gräns grönt": "a number",
    "Gräns gult": "a number",
    "Statusord": "Färger or Måluppfyllelse",
}


def marker(index: int) -> str:
    """The unique token of the field at ``index`` in :data:`FIELDS`: ``F07x``."""
    return f"F{index:02d}x"


_INTRO = """\
# Field × format matrix

Every text a user writes in the workbook, and whether each output shows it. Generated from
`tests/field_matrix.py` by `python tests/field_matrix.py --markdown > docs/field-matrix.md`;
`tests/test_field_matrix.py` fails when this file and the table differ, when a column or
setting of the contract has no row (or no place in the lists of columns without free text at
the end), and when any cell is wrong.

The test writes one workbook (helår 2020, with a board's own assessment, a decision and an
analysis on one goal, sub-goal and measure, a comment on the period's outcome, a comparison and
every memo section's own text) where every field holds a unique marker and hostile text:
`=HYPERLINK("http://x")`, `<img src="file:///etc/passwd">`, `<a href="http://x">`,
`{{ 7*7 }}`, `& <b>`, a line break and a word of 100 characters (2 000 in the fields marked
*long*: WeasyPrint needs seconds for each such word, so only a few carry one). It builds every
output once (`ksreport build --format alla` and `ksreport build --consolidated`) and checks
each cell: where it is shown, the text appears literally (never as markup, a formula, a link
or fetched content, and the long word whole); where it is not, the marker does not appear at
all. The memo's section 3 is also built from the same workbook without its own text for that
section.

✓ shown · *notes* in the PowerPoint speaker notes, not on a slide · *§3* in the memo's
generated section 3 (Politiska mål och beslut kopplade till ärendet), i.e. where `Ärendetext`
gives no own text for it · a letter: not shown, for the reason below the table.
"""


def markdown() -> str:
    """The table as docs/field-matrix.md."""
    reasons: dict[str, str] = {}
    symbols = {SHOWN: "✓", NOTES: "*notes*", SECTION_3: "*§3*"}

    def cell(value: str) -> str:
        if value in symbols:
            return symbols[value]
        return reasons.setdefault(value, chr(ord("a") + len(reasons)))

    header = ["Field", *OUTPUTS.values()]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for f in FIELDS:
        name = f"{f.name}{' *long*' if f.long else ''}"
        lines.append("| " + " | ".join([name, *(cell(f.cells[o]) for o in OUTPUTS)]) + " |")
    out = [_INTRO, *lines, ""]
    out += [f"- {letter}: {reason}" for reason, letter in reasons.items()]
    notes = [f"- {f.name}: {f.note}" for f in FIELDS if f.note]
    out += ["", "Notes:", "", *notes]
    out += ["", "## Columns without free text", ""]
    out += [
        f"- {sheet} · {column}: {what}"
        for sheet, columns in NOT_TEXT.items()
        for column, what in columns.items()
    ]
    out += [f"- Inställningar · Värde ({key}): {what}" for key, what in NOT_TEXT_SETTINGS.items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python tests/field_matrix.py --markdown > docs/field-matrix.md")
    sys.stdout.write(markdown())
