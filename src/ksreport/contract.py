"""The workbook contract (v2: v1 plus ``Prognos`` in Utfall and ``Statusord``): sheet and column
names, required columns, fixed value lists and the known settings, with their Swedish
explanations. The single source of truth for the reader, the validator, the blank workbook
(``ksreport init``) and docs/workbook.md. No I/O, no heavy imports.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT_VERSION = 2

# --- Sheets and columns -------------------------------------------------------------------

SHEET_INSTRUCTIONS = "Instruktioner"
SHEET_SETTINGS = "Inställningar"
SHEET_GOALS = "Mål"
SHEET_SUBGOALS = "Delmål"
SHEET_MEASURES = "Mätvärden"
SHEET_OUTCOMES = "Utfall"
SHEET_ASSESSMENTS = "Bedömningar"
SHEET_COMPARISONS = "Jämförelser"
SHEET_CASE_TEXTS = "Ärendetext"

#: Every data sheet with its headers, in the order ``write_workbook`` writes them.
SHEETS: dict[str, list[str]] = {
    SHEET_SETTINGS: ["Inställning", "Värde"],
    SHEET_GOALS: ["Mål-id", "Mål", "Beskrivning", "Fullmäktigemål", "Agenda 2030"],
    SHEET_SUBGOALS: ["Delmål-id", "Mål-id", "Delmål", "Beskrivning"],
    SHEET_MEASURES: [
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
        "Källa",
        "Ansvarig",
    ],
    SHEET_OUTCOMES: ["Mätvärde-id", "Period", "Värde", "Kommentar", "Kön", "Prognos"],
    SHEET_ASSESSMENTS: ["Nivå", "Id", "Period", "Bedömning", "Motivering", "Analys", "Beslut"],
    SHEET_COMPARISONS: ["Mätvärde-id", "År", "Riket", "Jämförelsegrupp", "Källa"],
    SHEET_CASE_TEXTS: ["Rubrik", "Text"],
}

REQUIRED_SHEETS: list[str] = [SHEET_GOALS, SHEET_SUBGOALS, SHEET_MEASURES, SHEET_OUTCOMES]
OPTIONAL_SHEETS: list[str] = [
    SHEET_SETTINGS,
    SHEET_ASSESSMENTS,
    SHEET_COMPARISONS,
    SHEET_CASE_TEXTS,
]

#: Columns that must exist and whose cells must be filled in on every row (starred in the
#: contract). ``Inställningar`` has no starred column; a value without a key means nothing, but
#: an empty ``Värde`` is allowed (the default applies), as in the blank workbook.
REQUIRED_COLUMNS: dict[str, list[str]] = {
    SHEET_SETTINGS: ["Inställning"],
    SHEET_GOALS: ["Mål-id", "Mål"],
    SHEET_SUBGOALS: ["Delmål-id", "Mål-id", "Delmål"],
    SHEET_MEASURES: ["Mätvärde-id", "Delmål-id", "Mätvärde", "Typ", "Målår"],
    SHEET_OUTCOMES: ["Mätvärde-id", "Period", "Värde"],
    SHEET_ASSESSMENTS: ["Nivå", "Id", "Period"],
    SHEET_COMPARISONS: ["Mätvärde-id", "År"],
    SHEET_CASE_TEXTS: ["Rubrik", "Text"],
}

#: Cells required only in some rows: sheet → column → when (Swedish, shown in Instruktioner).
CONDITIONALLY_REQUIRED: dict[str, dict[str, str]] = {
    SHEET_MEASURES: {"Riktning": "För indikatorer", "Målvärde": "För indikatorer"},
    SHEET_OUTCOMES: {"Värde": "När Prognos inte är ifylld och Kommentar inte säger varför"},
    SHEET_ASSESSMENTS: {"Motivering": "När Bedömning är ifylld"},
}

# --- Fixed value lists --------------------------------------------------------------------

KIND_INDICATOR = "Indikator"
KIND_ACTIVITY = "Aktivitet"
DIRECTION_HIGHER = "Högre är bättre"
DIRECTION_LOWER = "Lägre är bättre"
GENDER_TOTAL = "T"
GENDER_WOMEN = "K"
GENDER_MEN = "M"

#: Column name → allowed values; each becomes a dropdown wherever the column appears.
#: The sections of the tjänsteskrivelse that ``Ärendetext`` may give text for, in memo order.
CASE_SUMMARY = "Sammanfattning av ärendet"
CASE_SECTIONS: list[str] = [
    "Bakgrund",
    "Ekonomiska konsekvenser",
    "Politiska mål och beslut kopplade till ärendet",
    "Agenda 2030",
    "Samråd",
    "Uppföljning och utvärdering",
    "Förvaltningens helhetsbedömning",
    "Handlingar och bilagor",
]
CASE_HEADINGS: list[str] = [CASE_SUMMARY, *CASE_SECTIONS]

ENUMS: dict[str, list[str]] = {
    "Rubrik": CASE_HEADINGS,
    "Typ": [KIND_INDICATOR, KIND_ACTIVITY],
    "Riktning": [DIRECTION_HIGHER, DIRECTION_LOWER],
    "Nivå": ["Mål", "Delmål", "Mätvärde"],
    "Bedömning": ["Grönt", "Gult", "Rött"],
    "Kön": [GENDER_TOTAL, GENDER_WOMEN, GENDER_MEN],
}

#: Kön in Utfall: the code → every accepted spelling (compare case-insensitively). An empty cell
#: is the total (T), the only value that is scored; K and M are shown beside it.
GENDER_VALUES: dict[str, list[str]] = {
    GENDER_TOTAL: ["T", "Totalt", "Total"],
    GENDER_WOMEN: ["K", "Kvinnor", "Kvinna"],
    GENDER_MEN: ["M", "Män", "Man"],
}

#: Activity statuses: the canonical word → every accepted spelling (compare case-insensitively).
ACTIVITY_VALUES: dict[str, list[str]] = {
    "Genomförd": ["Genomförd"],
    "Påbörjad": ["Påbörjad", "Pågår"],
    "Ej påbörjad": ["Ej påbörjad", "Ej genomförd", "Ej startad"],
}

ROLLUP_VALUES: list[str] = ["Medel", "Sämsta"]
STATUS_WORDS_COLOURS = "Färger"
STATUS_WORDS_ATTAINMENT = "Måluppfyllelse"
STATUS_WORD_VALUES: list[str] = [STATUS_WORDS_COLOURS, STATUS_WORDS_ATTAINMENT]

#: Bedömning: the colour words of the contract, and the Statusord words also accepted.
ASSESSMENT_ALIASES: dict[str, list[str]] = {
    "Grönt": ["Grönt", "Grön", "Uppnått", "Bedöms uppnås"],
    "Gult": ["Gult", "Gul", "Delvis uppnått", "Bedöms delvis uppnås"],
    "Rött": ["Rött", "Röd", "Inte uppnått", "Bedöms inte uppnås"],
}

#: The periods a Prognos may be given for (codes as written in the workbook).
INTERIM_CODES = "T1, H1, T2"

# --- Settings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingSpec:
    """A known key of ``Inställningar``: its name, a Swedish explanation and its default."""

    key: str
    help: str
    default: str | int | float | None = None


SETTING_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("Organisation", "Kommunens eller organisationens namn, t.ex. Exempelkommun."),
    SettingSpec(
        "Nämnd", "Nämndens namn. Visas i rubriker och används i filnamnen.", "Kommunstyrelsen"
    ),
    SettingSpec(
        "Förvaltning", "Förvaltningen som tar fram uppföljningen, t.ex. Kommunledningskontoret."
    ),
    SettingSpec("Diarienummer", "Ärendets diarienummer, t.ex. KS 2021/123."),
    SettingSpec(
        "Kommunkod",
        "Kommunens kod med fyra siffror, t.ex. 0840 (0000 = hela riket). Behövs för att hämta "
        "utfall från Kolada med ksreport kolada.",
    ),
    SettingSpec(
        "Jämförelsegrupp",
        "Id för en kommungrupp i Kolada, t.ex. G37411, vars medelvärde visas som jämförelse. "
        "Lämnas den tom används gruppen Liknande kommuner, övergripande för kommunen.",
    ),
    SettingSpec("Mandatperiod", "Mandatperiodens första och sista år, t.ex. 2020–2022."),
    SettingSpec(
        "Rapportperiod",
        "Perioden som rapporten gäller, t.ex. 2020 eller 2021-T1. Lämnas den tom används "
        "den senaste perioden som har utfall.",
    ),
    SettingSpec("Handläggare", "Den som har handlagt ärendet (namn eller titel)."),
    SettingSpec(
        "Ansvarig tjänsteman", "Den tjänsteman som ansvarar för ärendet, t.ex. kommundirektör."
    ),
    SettingSpec(
        "Förslag till beslut",
        "Förvaltningens förslag till beslut, som det ska stå i ärendet. Skriv {period}, {år} "
        "och {dokument} där periodens namn (t.ex. delår per augusti 2021), året och dokumentet "
        "(delårsrapporten eller verksamhetsberättelsen) ska stå, så passar texten varje "
        "rapport. Lämnas den tom skriver ksreport ett förslag som passar perioden.",
    ),
    SettingSpec(
        "Beslutet ska skickas till",
        "Vilka som ska få beslutet, åtskilda med kommatecken, t.ex. Kommunfullmäktige, "
        "Ekonomiavdelningen.",
    ),
    SettingSpec(
        "Fullmäktigemål",
        "Kommunfullmäktiges mål, åtskilda med semikolon eller radbrytning. Används i den "
        "samlade rapporten per fullmäktigemål (ksreport build --consolidated); ett "
        "fullmäktigemål som inget av nämndernas mål är kopplat till visas där ändå.",
    ),
    SettingSpec(
        "Tolerans",
        "Hur nära målvärdet ett utfall får ligga för att bli gult, i procent av målvärdet.",
        5,
    ),
    SettingSpec(
        "Sammanvägning",
        "Hur delmål och mål bedöms utifrån de underliggande: Medel (medelpoäng) "
        "eller Sämsta (den sämsta bedömningen).",
        "Medel",
    ),
    SettingSpec(
        "Gräns grönt",
        "Lägsta medelpoäng för grönt vid sammanvägning med Medel (grönt 2, gult 1, rött 0).",
        1.5,
    ),
    SettingSpec("Gräns gult", "Lägsta medelpoäng för gult vid sammanvägning med Medel.", 0.75),
    SettingSpec(
        "Statusord",
        "Orden för bedömningarna: Färger (Grönt, Gult, Rött) eller Måluppfyllelse (Uppnått, "
        "Delvis uppnått, Inte uppnått; för en prognos Bedöms uppnås, Bedöms delvis uppnås, "
        "Bedöms inte uppnås). Bara orden ändras, inte reglerna eller symbolerna.",
        STATUS_WORDS_COLOURS,
    ),
)

SETTING_KEYS: list[str] = [s.key for s in SETTING_SPECS]
SETTING_DEFAULTS: dict[str, str | int | float] = {
    s.key: s.default for s in SETTING_SPECS if s.default is not None
}
#: Settings whose value is one of a fixed set (a dropdown on that row of Inställningar).
SETTING_ENUMS: dict[str, list[str]] = {
    "Sammanvägning": ROLLUP_VALUES,
    "Statusord": STATUS_WORD_VALUES,
}

# --- Explanations (Swedish, shown in Instruktioner) ---------------------------------------

SHEET_HELP: dict[str, str] = {
    SHEET_SETTINGS: "Uppgifter om organisationen och rapporten samt inställningar för "
    "bedömningen. Bladet är frivilligt.",
    SHEET_GOALS: "Nämndens mål för mandatperioden, ett mål per rad.",
    SHEET_SUBGOALS: "Delmålen, ett per rad. Varje delmål hör till ett mål.",
    SHEET_MEASURES: "Indikatorer och aktiviteter som följer upp delmålen, ett mätvärde per rad.",
    SHEET_OUTCOMES: "Utfallen: en rad per mätvärde och period (och kön, där det finns). I en "
    "delårsperiod (T1, H1, T2) skrivs också prognosen för helåret i kolumnen Prognos.",
    SHEET_ASSESSMENTS: "Nämndens egna bedömningar och analystexter för ett mål, delmål eller "
    "mätvärde och en period. Bladet är frivilligt.",
    SHEET_COMPARISONS: "Jämförelsevärden per mätvärde och år: riket och en jämförelsegrupp av "
    "kommuner. Fylls i av ksreport kolada --compare. Bladet är frivilligt.",
    SHEET_CASE_TEXTS: "Egna texter till tjänsteskrivelsen, en rad per stycke. Rubriker utan "
    "egen text får en text som ksreport skriver utifrån resultatet. Bladet är frivilligt.",
}


COLUMN_HELP: dict[str, dict[str, str]] = {
    SHEET_SETTINGS: {
        "Inställning": "Inställningens namn, se listan över inställningar nedan.",
        "Värde": "Inställningens värde. Lämna tomt för att använda standardvärdet.",
    },
    SHEET_GOALS: {
        "Mål-id": "Målets id, t.ex. 1. Måste vara unikt.",
        "Mål": "Målets namn så som nämnden har beslutat det.",
        "Beskrivning": "En längre beskrivning av målet.",
        "Fullmäktigemål": "Det övergripande mål från kommunfullmäktige som målet bidrar till.",
        "Agenda 2030": "De globala målen (1–17) som målet bidrar till, åtskilda med kommatecken, "
        "t.ex. 3, 10.",
    },
    SHEET_SUBGOALS: {
        "Delmål-id": "Delmålets id, t.ex. 1.1. Måste vara unikt.",
        "Mål-id": "Id för målet som delmålet hör till. Måste finnas i bladet Mål.",
        "Delmål": "Delmålets namn.",
        "Beskrivning": "En längre beskrivning av delmålet.",
    },
    SHEET_MEASURES: {
        "Mätvärde-id": "Mätvärdets id, t.ex. 1.1.1. Måste vara unikt.",
        "Delmål-id": "Id för delmålet som mätvärdet följer upp. Måste finnas i bladet Delmål.",
        "Mätvärde": "Mätvärdets namn, t.ex. Sjukfrånvaro bland medarbetare.",
        "Typ": "Indikator (ett tal med ett målvärde) eller Aktivitet (en insats som ska "
        "genomföras).",
        "Enhet": "Enheten för indikatorns värden, t.ex. %, antal, dagar, kr eller index.",
        "Riktning": "Högre är bättre eller Lägre är bättre. Obligatorisk för indikatorer.",
        "Utgångsvärde": "Värdet när målet sattes. Visar om utvecklingen går åt rätt håll.",
        "Utgångsår": "Året som utgångsvärdet gäller, t.ex. 2019.",
        "Målvärde": "Värdet som ska nås senast målåret. Ett tal; obligatoriskt för indikatorer, "
        "lämnas tomt för aktiviteter.",
        "Målår": "Året då målvärdet ska vara nått eller aktiviteten genomförd, t.ex. 2022.",
        "Källa": "Var värdet kommer ifrån, t.ex. Kolada N00914 (med nyckeltalets id, så kan "
        "utfallen hämtas med ksreport kolada), Medarbetarenkät eller Egen mätning.",
        "Ansvarig": "Den funktion som ansvarar för mätvärdet, t.ex. HR-chef. Ange en roll, "
        "inte ett namn.",
    },
    SHEET_OUTCOMES: {
        "Mätvärde-id": "Id för mätvärdet. Måste finnas i bladet Mätvärden.",
        "Period": "Perioden som utfallet gäller: ÅÅÅÅ, ÅÅÅÅ-T1, ÅÅÅÅ-H1 eller ÅÅÅÅ-T2.",
        "Värde": "Utfallet: ett tal för indikatorer; Genomförd, Påbörjad eller Ej påbörjad för "
        "aktiviteter. Får lämnas tomt när Prognos är ifylld, eller när utfallet saknas och "
        "Kommentar säger varför.",
        "Prognos": "Prognosen för helårets utfall, bara på rader för delårsperioder (T1, H1, "
        "T2): ett tal för indikatorer (som Värde); Genomförd, Påbörjad eller Ej påbörjad för "
        "aktiviteter (Genomförd = aktiviteten väntas vara genomförd vid årets slut). Med en "
        "prognos bedöms mätvärdet i delårsrapporten utifrån prognosen, med reglerna för "
        "helår.",
        "Kommentar": "En kort förklaring till utfallet. Visas i rapporten.",
        "Kön": "T (totalt), K (kvinnor) eller M (män). Tomt betyder totalt. Bara totalen "
        "bedöms; värdena för kvinnor och män visas bredvid den i rapporten. En rad per "
        "mätvärde, period och kön.",
    },
    SHEET_ASSESSMENTS: {
        "Nivå": "Vad bedömningen gäller: Mål, Delmål eller Mätvärde.",
        "Id": "Id för målet, delmålet eller mätvärdet.",
        "Period": "Perioden som bedömningen gäller, skriven som i bladet Utfall.",
        "Bedömning": "Nämndens egen bedömning: Grönt, Gult eller Rött (eller Uppnått, Delvis "
        "uppnått, Inte uppnått). Ersätter den beräknade. I en delårsperiod är det nämndens "
        "bedömning av prognosen för helåret. Lämna tomt om nämnden inte gör en egen bedömning.",
        "Motivering": "Varför nämnden gör en egen bedömning. Obligatorisk när Bedömning är ifylld.",
        "Analys": "Fri text om utvecklingen som visas i rapporten för perioden.",
        "Beslut": "Var bedömningen beslutades, t.ex. KS 2021-03-10 § 45.",
    },
    SHEET_CASE_TEXTS: {
        "Rubrik": "Avsnittet i tjänsteskrivelsen: Sammanfattning av ärendet, Bakgrund, "
        "Ekonomiska konsekvenser, Politiska mål och beslut kopplade till ärendet, Agenda 2030, "
        "Samråd, Uppföljning och utvärdering, Förvaltningens helhetsbedömning eller Handlingar "
        "och bilagor.",
        "Text": "Texten, ett stycke per rad. Flera rader med samma rubrik blir flera stycken. "
        "Text under Sammanfattning av ärendet står före den sammanfattning ksreport skriver.",
    },
    SHEET_COMPARISONS: {
        "Mätvärde-id": "Id för mätvärdet. Måste finnas i bladet Mätvärden.",
        "År": "Året som jämförelsevärdena gäller, t.ex. 2021.",
        "Riket": "Värdet för hela riket.",
        "Jämförelsegrupp": "Medelvärdet för jämförelsegruppen av kommuner.",
        "Källa": "Var värdena kommer ifrån, t.ex. Kolada N00914 och jämförelsegruppens namn.",
    },
}
