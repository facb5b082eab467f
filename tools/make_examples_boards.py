"""Generate two more boards' sample workbooks for the council's view (``build --consolidated``):
``data/exempel-bun.xlsx`` (Barn- och utbildningsnämnden) and ``data/exempel-son.xlsx``
(Socialnämnden), in the same invented municipality as ``data/exempel.xlsx`` (Kommunstyrelsen).

Run ``python tools/make_examples_boards.py`` from the repository root. The output is
deterministic: the same script gives the same bytes.

Together with Kommunstyrelsen the three boards serve the same four council goals. The child and
education board writes one of them with different case and spacing (``ett gott liv  för alla
…``), which the council's view matches to the others, and has one goal with no council goal.
The social services board overrides one goal (computed red, assessed yellow) with a
justification. ``EXPECTED_2020`` records the intended status of every measure for 2020.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ksreport.io.template import write_workbook  # noqa: E402

TIMESTAMP = dt.datetime(2021, 2, 15, 8, 0, 0)

IND, ACT = "Indikator", "Aktivitet"
HIGH, LOW = "Högre är bättre", "Lägre är bättre"
DONE, STARTED, NOT_STARTED = "Genomförd", "Påbörjad", "Ej påbörjad"

# The council's goals, written exactly as in data/exempel.xlsx.
KF_GOOD_LIFE = "Ett gott liv för alla i alla åldrar"
KF_GROWTH = "Hållbar tillväxt och ett starkt näringsliv"
KF_CLIMATE = "Ett klimatsmart Exempelkommun"
KF_EMPLOYER = "En attraktiv arbetsgivare med god ekonomi"
KF_GOALS = "; ".join([KF_GOOD_LIFE, KF_GROWTH, KF_CLIMATE, KF_EMPLOYER])

# The same council goal as KF_GOOD_LIFE, typed by hand with other case and a double space.
KF_GOOD_LIFE_AS_TYPED = "ett gott liv  för alla i alla åldrar"


# --- Barn- och utbildningsnämnden ------------------------------------------------------------

BUN_SETTINGS: dict[str, object] = {
    "Organisation": "Exempelkommun",
    "Nämnd": "Barn- och utbildningsnämnden",
    "Förvaltning": "Barn- och utbildningsförvaltningen",
    "Diarienummer": "BUN 2021/18",
    "Mandatperiod": "2020–2022",
    "Rapportperiod": "2020",
    "Handläggare": "Verksamhetsutvecklare",
    "Ansvarig tjänsteman": "Förvaltningschef",
    "Beslutet ska skickas till": "Kommunstyrelsen, Kommunfullmäktige",
    "Fullmäktigemål": KF_GOALS,
}

BUN_GOALS: list[list[object]] = [
    [
        "1",
        "Alla barn och elever utvecklas och når målen för sin utbildning",
        "Förskolan och skolan ska ge varje barn och elev förutsättningar att lära och utvecklas "
        "så långt som möjligt.",
        KF_GOOD_LIFE_AS_TYPED,
        "4, 10",
    ],
    [
        "2",
        "Förskolor och skolor minskar sin klimatpåverkan",
        "Verksamheterna ska minska matsvinnet, servera mer hållbar mat och göra det lätt att "
        "gå och cykla till skolan.",
        KF_CLIMATE,
        "12, 13",
    ],
    [
        "3",
        "Vårdnadshavare och elever möter en tillgänglig och digital förvaltning",
        "Kontakterna med förvaltningen ska vara enkla, snabba och gå att sköta digitalt.",
        None,
        "16",
    ],
]

BUN_SUBGOALS: list[list[object]] = [
    ["1.1", "1", "Fler elever når kunskapskraven", None],
    ["1.2", "1", "Barnen i förskolan får en god start", None],
    ["2.1", "2", "Mindre matsvinn och mer hållbar mat i skolrestaurangerna", None],
    ["2.2", "2", "Resorna till och från skolan sker hållbart", None],
    ["3.1", "3", "Fler ärenden kan skötas digitalt", None],
    ["3.2", "3", "Vårdnadshavare får snabba svar", None],
]

# Mätvärde-id, Delmål-id, Mätvärde, Typ, Enhet, Riktning, Utgångsvärde, Utgångsår, Målvärde,
# Målår, Källa, Ansvarig
BUN_MEASURES: list[list[object]] = [
    ["1.1.1", "1.1", "Andel elever i årskurs 9 som har nått kunskapskraven i alla ämnen", IND,
     "%", HIGH, 71, 2019, 78, 2022, "Skolverket", "Grundskolechef"],
    ["1.1.2", "1.1", "Andel elever i årskurs 9 som är behöriga till ett yrkesprogram", IND, "%",
     HIGH, 84, 2019, 90, 2020, "Skolverket", "Grundskolechef"],
    ["1.1.3", "1.1", "Andel elever i årskurs 3 som klarar de nationella proven i svenska", IND,
     "%", HIGH, 80, 2019, 85, 2021, "Skolverket", "Grundskolechef"],
    ["1.2.1", "1.2", "Antal barn per årsarbetare i förskolan", IND, "antal", LOW,
     5.4, 2019, 5.0, 2020, "Kolada", "Förskolechef"],
    ["1.2.2", "1.2", "Andel av personalen i förskolan med förskollärarexamen", IND, "%", HIGH,
     38, 2019, 45, 2022, "Kolada", "Förskolechef"],
    ["1.2.3", "1.2", "Införa ett gemensamt systematiskt kvalitetsarbete i alla förskolor", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Förskolechef"],
    ["2.1.1", "2.1", "Matsvinn per portion i skolrestaurangerna", IND, "gram", LOW,
     48, 2019, 40, 2020, "Egen mätning", "Kostchef"],
    ["2.1.2", "2.1", "Andel vegetariska luncher i grundskolan", IND, "%", HIGH,
     20, 2019, 40, 2020, "Egen mätning", "Kostchef"],
    ["2.2.1", "2.2", "Andel elever som går eller cyklar till skolan", IND, "%", HIGH,
     55, 2019, 65, 2022, "Resvaneundersökning", "Grundskolechef"],
    ["2.2.2", "2.2", "Ta fram en plan för säkra skolvägar med samhällsbyggnadsförvaltningen", ACT,
     None, None, None, None, None, 2021, "Egen mätning", "Grundskolechef"],
    ["3.1.1", "3.1", "Införa digital ansökan om förskoleplats och skolval", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Administrativ chef"],
    ["3.2.1", "3.2", "Andel vårdnadshavare som får svar på e-post inom en arbetsdag", IND, "%",
     HIGH, 70, 2019, 85, 2020, "Kommunens Kvalitet i Korthet (KKiK)", "Administrativ chef"],
]  # fmt: skip

# Mätvärde-id, Period, Värde, Kommentar
BUN_OUTCOMES: list[list[object]] = [
    ["1.1.1", "2019", 71, None],
    ["1.1.1", "2020", 74.2, None],
    ["1.1.2", "2019", 84, None],
    ["1.1.2", "2020", 86.5, None],
    ["1.1.3", "2019", 80, None],
    ["1.1.3", "2020", None, "De nationella proven ställdes in våren 2020 på grund av pandemin."],
    ["1.2.1", "2019", 5.4, None],
    ["1.2.1", "2020", 5.1, None],
    ["1.2.2", "2019", 38, None],
    ["1.2.2", "2020", 41, None],
    ["1.2.3", "2020-T1", STARTED, None],
    ["1.2.3", "2020-T2", DONE, None],
    ["2.1.1", "2019", 48, None],
    ["2.1.1", "2020-T1", 50, None],
    ["2.1.1", "2020-T2", 53, None],
    ["2.1.1", "2020", 51, "Färre elever i skolrestaurangen under distansundervisningen."],
    ["2.1.1", "2021-T1", 46, None],
    ["2.1.2", "2019", 20, None],
    ["2.1.2", "2020", 40, "Två vegetariska luncher i veckan sedan höstterminen."],
    ["2.2.1", "2019", 55, None],
    ["2.2.1", "2020", 58, None],
    ["2.2.2", "2020-T1", NOT_STARTED, None],
    ["2.2.2", "2020", STARTED, None],
    ["2.2.2", "2021-T1", STARTED, None],
    ["3.1.1", "2020-T1", STARTED, None],
    ["3.1.1", "2020", DONE, "Ansökan är digital sedan december 2020."],
    ["3.2.1", "2019", 70, None],
    ["3.2.1", "2020", 83, None],
    ["3.2.1", "2021-T1", 84, None],
]

BUN_ASSESSMENTS: list[list[object]] = [
    [
        "Mål",
        "1",
        2020,
        None,
        None,
        "Fler elever är behöriga till gymnasiet och förskolan har fått fler förskollärare. De "
        "nationella proven i årskurs 3 ställdes in 2020, så läsförmågan kan inte följas upp för "
        "året.",
        None,
    ],
    [
        "Mål",
        "2",
        2020,
        None,
        None,
        "Alla grundskolor serverar nu två vegetariska luncher i veckan. Matsvinnet ökade när "
        "många elever hade distansundervisning och har börjat minska igen under 2021.",
        None,
    ],
]

BUN_EXPECTED_2020: dict[str, str] = {
    **dict.fromkeys(["1.2.3", "2.1.2", "3.1.1"], "green"),
    **dict.fromkeys(["1.1.2", "1.2.1", "3.2.1"], "yellow"),
    **dict.fromkeys(["2.1.1"], "red"),
    **dict.fromkeys(["1.1.1", "1.1.3", "1.2.2", "2.2.1", "2.2.2"], "later"),
}


# --- Socialnämnden -----------------------------------------------------------------------------

SON_SETTINGS: dict[str, object] = {
    "Organisation": "Exempelkommun",
    "Nämnd": "Socialnämnden",
    "Förvaltning": "Socialförvaltningen",
    "Diarienummer": "SN 2021/27",
    "Mandatperiod": "2020–2022",
    "Rapportperiod": "2020",
    "Handläggare": "Verksamhetsutvecklare",
    "Ansvarig tjänsteman": "Socialchef",
    "Beslutet ska skickas till": "Kommunstyrelsen, Kommunfullmäktige",
    "Fullmäktigemål": KF_GOALS,
}

SON_GOALS: list[list[object]] = [
    [
        "1",
        "Äldre lever ett självständigt och tryggt liv",
        "Äldre ska få det stöd de behöver för att kunna leva som de vill, hemma så länge de "
        "vill och kan.",
        KF_GOOD_LIFE,
        "3, 10",
    ],
    [
        "2",
        "Fler invånare blir självförsörjande",
        "Den som får ekonomiskt bistånd ska få stöd att komma i arbete eller studier.",
        KF_GROWTH,
        "1, 8",
    ],
    [
        "3",
        "Socialförvaltningen är en attraktiv arbetsplats med en ekonomi i balans",
        "Förvaltningen ska ha friska medarbetare som stannar och en verksamhet som håller "
        "budgeten.",
        KF_EMPLOYER,
        "5, 8",
    ],
]

SON_SUBGOALS: list[list[object]] = [
    ["1.1", "1", "De äldre är nöjda med hemtjänsten", None],
    ["1.2", "1", "Fler kan bo kvar hemma med trygghet", None],
    ["2.1", "2", "Färre hushåll är beroende av ekonomiskt bistånd", None],
    ["2.2", "2", "Unga vuxna får stöd att komma i arbete eller studier", None],
    ["3.1", "3", "Medarbetarna är friska och stannar", None],
    ["3.2", "3", "Verksamheten håller budgeten", None],
]

SON_MEASURES: list[list[object]] = [
    ["1.1.1", "1.1", "Andel brukare som är nöjda med hemtjänsten som helhet", IND, "%", HIGH,
     86, 2019, 90, 2020, "Socialstyrelsens brukarundersökning", "Äldreomsorgschef"],
    ["1.1.2", "1.1", "Antal personal som en brukare i hemtjänsten möter under 14 dagar", IND,
     "antal", LOW, 16, 2019, 12, 2022, "Kolada", "Äldreomsorgschef"],
    ["1.2.1", "1.2", "Väntetid från ansökan till erbjuden plats på särskilt boende (medel)",
     IND, "dagar", LOW, 75, 2019, 60, 2020, "Kolada", "Äldreomsorgschef"],
    ["1.2.2", "1.2", "Införa digital tillsyn nattetid i hemtjänsten", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Äldreomsorgschef"],
    ["2.1.1", "2.1", "Antal hushåll med långvarigt ekonomiskt bistånd", IND, "antal", LOW,
     210, 2019, 180, 2020, "Verksamhetssystemet", "Individ- och familjeomsorgschef"],
    ["2.1.2", "2.1", "Andel vuxna med ekonomiskt bistånd som börjar arbeta eller studera", IND,
     "%", HIGH, 28, 2019, 35, 2021, "Verksamhetssystemet", "Individ- och familjeomsorgschef"],
    ["2.2.1", "2.2", "Andel unga vuxna med ekonomiskt bistånd som har en handlingsplan", IND,
     "%", HIGH, 60, 2019, 90, 2020, "Egen mätning", "Individ- och familjeomsorgschef"],
    ["2.2.2", "2.2", "Starta ett gemensamt jobbteam med arbetsmarknadsenheten", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Individ- och familjeomsorgschef"],
    ["3.1.1", "3.1", "Sjukfrånvaro bland medarbetarna i socialförvaltningen", IND, "%", LOW,
     9.1, 2019, 8.0, 2020, "Personalsystemet", "Socialchef"],
    ["3.1.2", "3.1", "Personalomsättning bland socialsekreterare", IND, "%", LOW,
     22, 2019, 15, 2021, "Personalsystemet", "Socialchef"],
    ["3.2.1", "3.2", "Budgetavvikelse i procent av nettobudgeten", IND, "%", HIGH,
     -2.4, 2019, 0, 2020, "Ekonomisystemet", "Socialchef"],
]  # fmt: skip

SON_OUTCOMES: list[list[object]] = [
    ["1.1.1", "2019", 86, None],
    ["1.1.1", "2020", 91, None],
    ["1.1.2", "2019", 16, None],
    ["1.1.2", "2020", 15, None],
    ["1.2.1", "2019", 75, None],
    ["1.2.1", "2020", 88, "Färre platser kunde erbjudas under pandemin."],
    ["1.2.2", "2020-T1", STARTED, None],
    ["1.2.2", "2020", DONE, None],
    ["2.1.1", "2019", 210, None],
    ["2.1.1", "2020-T1", 219, None],
    ["2.1.1", "2020-T2", 231, None],
    ["2.1.1", "2020", 228, "Fler hushåll behövde bistånd när arbetslösheten ökade."],
    ["2.1.1", "2021-T1", 224, None],
    ["2.1.2", "2019", 28, None],
    ["2.1.2", "2020", 24, None],
    ["2.2.1", "2019", 60, None],
    ["2.2.1", "2020", 82, None],
    ["2.2.2", "2020-T1", NOT_STARTED, None],
    ["2.2.2", "2020-T2", STARTED, None],
    ["2.2.2", "2020", STARTED, "Jobbteamet började arbeta i januari 2021."],
    ["2.2.2", "2021-T1", DONE, None],
    ["3.1.1", "2019", 9.1, None],
    ["3.1.1", "2020-T1", 10.2, None],
    ["3.1.1", "2020", 9.0, None],
    ["3.1.2", "2019", 22, None],
    ["3.1.2", "2020", 18, None],
    ["3.2.1", "2019", -2.4, None],
    ["3.2.1", "2020", "0,6", None],
]

SON_JUSTIFICATION = (
    "Socialnämnden bedömer att målet är delvis uppfyllt. Ökningen av det ekonomiska biståndet "
    "beror främst på pandemin och den ökade arbetslösheten. Nämndens egna insatser har "
    "utvecklats i rätt riktning: fler unga vuxna har en handlingsplan och jobbteamet har "
    "startat."
)

SON_ASSESSMENTS: list[list[object]] = [
    ["Mål", "2", 2020, "Gult", SON_JUSTIFICATION, None, "SN 2021-03-17 § 22"],
    [
        "Mål",
        "1",
        2020,
        None,
        None,
        "De äldre är nöjdare med hemtjänsten och den digitala tillsynen är införd. Väntetiden "
        "till särskilt boende har ökat eftersom färre platser kunde erbjudas under pandemin.",
        None,
    ],
]

SON_EXPECTED_2020: dict[str, str] = {
    **dict.fromkeys(["1.1.1", "1.2.2", "3.2.1"], "green"),
    **dict.fromkeys(["2.2.1", "2.2.2", "3.1.1"], "yellow"),
    **dict.fromkeys(["1.2.1", "2.1.1"], "red"),
    **dict.fromkeys(["1.1.2", "2.1.2", "3.1.2"], "later"),
}


BOARDS: dict[str, tuple[dict[str, object], dict[str, list[list[object]]], dict[str, str]]] = {
    "exempel-bun.xlsx": (
        BUN_SETTINGS,
        {
            "Mål": BUN_GOALS,
            "Delmål": BUN_SUBGOALS,
            "Mätvärden": BUN_MEASURES,
            "Utfall": BUN_OUTCOMES,
            "Bedömningar": BUN_ASSESSMENTS,
        },
        BUN_EXPECTED_2020,
    ),
    "exempel-son.xlsx": (
        SON_SETTINGS,
        {
            "Mål": SON_GOALS,
            "Delmål": SON_SUBGOALS,
            "Mätvärden": SON_MEASURES,
            "Utfall": SON_OUTCOMES,
            "Bedömningar": SON_ASSESSMENTS,
        },
        SON_EXPECTED_2020,
    ),
}
"""File name in data/ → (settings, rows per sheet, the intended status per measure for 2020)."""


def main() -> None:
    for name, (settings, rows, _) in BOARDS.items():
        target = ROOT / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(target, rows, settings, timestamp=TIMESTAMP)
        print(f"Skrev {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
