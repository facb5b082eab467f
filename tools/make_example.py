"""Generate the sample workbook ``data/exempel.xlsx`` for the invented municipality Exempelkommun.

Run ``python tools/make_example.py`` from the repository root. The output is deterministic: the
same script gives the same bytes, so the committed file only changes when the data does.

Scored for the period 2020 with the default rules, the 40 measures are meant to come out as
14 green, 8 yellow, 4 red, 12 later and 2 missing; goal 2 computes yellow and the board's
override makes it green. ``EXPECTED_2020`` records the intended status of every measure.

The sample is also a delårsrapport per augusti 2021 (2021-T2): outcomes so far where a
municipality has them, a ``Prognos`` for the full year on every measure due 2021 and on most
others, and the board's analysis per goal. Scored for 2021-T2, goals 1 and 2 are expected to be
reached (green), goal 3 partly (yellow) and goal 4 not (red); ``EXPECTED_2021_T2`` records the
intended status of every measure. The 2021-T1 rows carry the April forecasts, so the changes
since the previous report include changed forecasts.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ksreport.io.template import Formatted, write_workbook  # noqa: E402

TARGET = ROOT / "data" / "exempel.xlsx"
TIMESTAMP = dt.datetime(2021, 2, 15, 8, 0, 0)

IND, ACT = "Indikator", "Aktivitet"
HIGH, LOW = "Högre är bättre", "Lägre är bättre"
DONE, STARTED, NOT_STARTED = "Genomförd", "Påbörjad", "Ej påbörjad"


def pct(fraction: float) -> Formatted:
    """A percent-formatted cell holding a fraction: 0.725 is shown as 72,5 %."""
    return Formatted(fraction, "0.0%")


SETTINGS: dict[str, object] = {
    "Organisation": "Exempelkommun",
    "Nämnd": "Kommunstyrelsen",
    "Förvaltning": "Kommunledningskontoret",
    "Diarienummer": "KS 2021/123",
    "Mandatperiod": "2020–2022",
    "Rapportperiod": "2020",
    "Handläggare": "Verksamhetsutvecklare",
    "Ansvarig tjänsteman": "Kommundirektör",
    # One text for every period: ksreport fills in {period} ("helår 2020", "delår per augusti
    # 2021") and {dokument} ("verksamhetsberättelsen", "delårsrapporten").
    "Förslag till beslut": (
        "Kommunstyrelsen godkänner uppföljningen av kommunstyrelsens mål för {period} och att "
        "den ingår i {dokument}."
    ),
    "Beslutet ska skickas till": "Kommunfullmäktige, Ekonomiavdelningen, Revisionen",
}

# Own texts for the tjänsteskrivelse; the other sections get ksreport's generated text.
CASE_TEXTS: list[list[object]] = [
    [
        "Samråd",
        "Uppföljningen har tagits fram av kommunledningskontoret tillsammans med "
        "verksamhetsansvariga. Utfallen har stämts av med ekonomiavdelningen och HR-avdelningen.",
    ],
    [
        "Ekonomiska konsekvenser",
        "Ärendet har inga direkta ekonomiska konsekvenser. Åtgärder för de mål som inte nås "
        "hanteras inom befintliga ramar eller i budgetprocessen för 2022.",
    ],
]

KF_GOOD_LIFE = "Ett gott liv för alla i alla åldrar"
KF_GROWTH = "Hållbar tillväxt och ett starkt näringsliv"
KF_CLIMATE = "Ett klimatsmart Exempelkommun"
KF_EMPLOYER = "En attraktiv arbetsgivare med god ekonomi"

GOALS: list[list[object]] = [
    [
        "1",
        "Invånarna får god service och kan påverka",
        "Kommunens service ska vara tillgänglig, rättssäker och effektiv, och invånarna ska "
        "ha goda möjligheter att påverka.",
        KF_GOOD_LIFE,
        "10, 16",
    ],
    [
        "2",
        "Exempelkommun har ett gott företagsklimat och fler arbetstillfällen",
        "Kommunen ska underlätta för företag att starta och växa och bidra till att fler "
        "invånare har arbete.",
        KF_GROWTH,
        "8, 9",
    ],
    [
        "3",
        "Kommunens verksamheter minskar sin klimatpåverkan",
        "Kommunen ska minska sin energianvändning, ställa om sina transporter och använda "
        "resurserna effektivt.",
        KF_CLIMATE,
        "7, 12, 13",
    ],
    [
        "4",
        "Kommunen är en attraktiv arbetsgivare med en långsiktigt hållbar ekonomi",
        "Kommunen ska ha friska och engagerade medarbetare och en ekonomi i balans.",
        KF_EMPLOYER,
        "5, 8",
    ],
]

SUBGOALS: list[list[object]] = [
    ["1.1", "1", "Invånarna är nöjda med kommunens service och bemötande", None],
    ["1.2", "1", "Invånarna har goda möjligheter till inflytande och delaktighet", None],
    [
        "1.3",
        "1",
        "Kommunens tjänster är digitala och tillgängliga",
        "Fler ärenden ska kunna skötas digitalt, när det passar invånaren.",
    ],
    ["1.4", "1", "Invånarna känner sig trygga i kommunen", None],
    ["2.1", "2", "Företagen upplever god service från kommunen", None],
    ["2.2", "2", "Fler företag startar och växer i kommunen", None],
    [
        "2.3",
        "2",
        "Fler invånare har arbete",
        "Kommunen samverkar med Arbetsförmedlingen och näringslivet för att fler ska komma i "
        "arbete eller studier.",
    ],
    ["3.1", "3", "Energianvändningen i kommunens lokaler minskar", None],
    ["3.2", "3", "Kommunens transporter är fossilfria", None],
    ["3.3", "3", "Resurserna används effektivt och avfallet minskar", None],
    ["4.1", "4", "Medarbetarna är friska och engagerade", None],
    ["4.2", "4", "Kommunen attraherar och behåller kompetenta medarbetare", None],
    ["4.3", "4", "Ekonomin är i balans", None],
]

# Mätvärde-id, Delmål-id, Mätvärde, Typ, Enhet, Riktning, Utgångsvärde, Utgångsår, Målvärde,
# Målår, Källa, Ansvarig
MEASURES: list[list[object]] = [
    ["1.1.1", "1.1", "Andel invånare som är nöjda med kommunens service", IND, "%", HIGH,
     62, 2019, 70, 2022, "SCB:s medborgarundersökning", "Kommunikationschef"],
    ["1.1.2", "1.1", "Andel som får svar på en e-postfråga inom en arbetsdag", IND, "%", HIGH,
     78, 2019, 90, 2020, "Kommunens Kvalitet i Korthet (KKiK)", "Kontaktcenterchef"],
    ["1.1.3", "1.1", "Andel som får ett direkt svar på en enkel fråga när de ringer kommunen",
     IND, "%", HIGH, 52, 2019, 60, 2020, "Kommunens Kvalitet i Korthet (KKiK)",
     "Kontaktcenterchef"],
    ["1.2.1", "1.2", "Andel medborgarförslag som besvaras inom ett år", IND, "%", HIGH,
     55, 2019, 80, 2021, "Egen mätning", "Kanslichef"],
    ["1.2.2", "1.2", "Nöjd-Inflytande-Index (NII)", IND, "index", HIGH,
     38, 2019, 45, 2022, "SCB:s medborgarundersökning", "Kanslichef"],
    ["1.2.3", "1.2", "Införa en digital plattform för medborgardialog", ACT, None, None,
     None, None, None, 2020, "Egen mätning", "Kommunikationschef"],
    ["1.3.1", "1.3", "Antal e-tjänster som invånarna kan använda", IND, "antal", HIGH,
     24, 2019, 40, 2021, "Egen mätning", "Digitaliseringschef"],
    ["1.3.2", "1.3", "Andel av kommunens webbsidor som uppfyller kraven på tillgänglighet",
     IND, "%", HIGH, 45, 2019, 100, 2020, "Egen mätning", "Kommunikationschef"],
    ["1.3.3", "1.3", "Publicera en tillgänglighetsredogörelse för kommunens webbplats", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Digitaliseringschef"],
    ["1.4.1", "1.4", "Andel invånare som känner sig trygga ute ensamma på kvällen", IND, "%",
     HIGH, 68, 2019, 72, 2020, "Polisens trygghetsmätning", "Säkerhetssamordnare"],
    ["1.4.2", "1.4", "Ta fram en handlingsplan för brottsförebyggande arbete med polisen", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Säkerhetssamordnare"],
    ["2.1.1", "2.1", "Nöjd-Kund-Index (NKI) för kommunens företagsservice", IND, "index", HIGH,
     68, 2019, 73, 2021, "SKR:s Insikt", "Näringslivschef"],
    ["2.1.2", "2.1", "Handläggningstid bygglov från komplett ansökan till beslut (median)",
     IND, "dagar", LOW, 42, 2019, 35, 2020, "Egen mätning", "Samhällsbyggnadschef"],
    ["2.1.3", "2.1", "Handläggningstid serveringstillstånd (median)", IND, "dagar", LOW,
     60, 2019, 45, 2020, "Egen mätning", "Enhetschef tillstånd"],
    ["2.2.1", "2.2", "Antal nya företag", IND, "antal", HIGH,
     118, 2019, 140, 2020, "Nyföretagarbarometern", "Näringslivschef"],
    ["2.2.2", "2.2", "Sammanfattande omdöme om företagsklimatet (skala 1–6)", IND, "index",
     HIGH, 3.4, 2019, 3.8, 2022, "Svenskt Näringslivs företagsklimatenkät", "Näringslivschef"],
    ["2.2.3", "2.2", "Ta fram en ny näringslivsstrategi", ACT, None, None,
     None, None, None, 2020, "Egen mätning", "Näringslivschef"],
    ["2.3.1", "2.3", "Andel invånare 18–64 år som är arbetslösa eller i program med "
     "aktivitetsstöd", IND, "%", LOW, 6.8, 2019, 6.0, 2020, "Kolada N00914",
     "Arbetsmarknadschef"],
    ["2.3.2", "2.3", "Antal feriearbeten för ungdomar", IND, "antal", HIGH,
     150, 2019, 200, 2020, "Egen mätning", "Arbetsmarknadschef"],
    ["2.3.3", "2.3", "Andel deltagare i arbetsmarknadsinsatser som går vidare till arbete "
     "eller studier", IND, "%", HIGH, 35, 2019, 45, 2021, "Egen mätning",
     "Arbetsmarknadschef"],
    ["2.3.4", "2.3", "Teckna en överenskommelse med Arbetsförmedlingen om lokala jobbspår", ACT,
     None, None, None, None, None, 2021, "Egen mätning", "Arbetsmarknadschef"],
    ["3.1.1", "3.1", "Energianvändning i kommunens lokaler", IND, "kWh/m²", LOW,
     165, 2019, 150, 2022, "Energiuppföljningssystemet", "Fastighetschef"],
    ["3.1.2", "3.1", "Installerad effekt i solceller på kommunens byggnader", IND, "kW", HIGH,
     120, 2019, 400, 2022, "Egen mätning", "Fastighetschef"],
    ["3.1.3", "3.1", "Genomföra energikartläggning av kommunens tio största byggnader", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Fastighetschef"],
    ["3.2.1", "3.2", "Andel miljöbilar i kommunens fordonsflotta", IND, "%", HIGH,
     38, 2019, 60, 2020, "Egen mätning", "Fordonssamordnare"],
    ["3.2.2", "3.2", "Koldioxidutsläpp från tjänsteresor med bil", IND, "ton", LOW,
     210, 2019, 180, 2020, "Egen mätning", "Hållbarhetsstrateg"],
    ["3.2.3", "3.2", "Antal laddpunkter för elfordon vid kommunens arbetsplatser", IND,
     "antal", HIGH, 12, 2019, 40, 2021, "Egen mätning", "Fastighetschef"],
    ["3.3.1", "3.3", "Andel ekologiska livsmedel i kommunens verksamheter", IND, "%", HIGH,
     32, 2019, 40, 2020, "Leverantörsstatistik", "Kostchef"],
    ["3.3.2", "3.3", "Matsvinn per portion i kommunens kök", IND, "gram", LOW,
     45, 2019, 35, 2021, "Egen mätning", "Kostchef"],
    ["3.3.3", "3.3", "Införa e-handel och digitala fakturor i alla förvaltningar", ACT,
     None, None, None, None, None, 2020, "Egen mätning", "Upphandlingschef"],
    ["4.1.1", "4.1", "Sjukfrånvaro bland medarbetare", IND, "%", LOW,
     7.2, 2019, 6.5, 2020, "Kolada", "HR-chef"],
    ["4.1.2", "4.1", "Hållbart medarbetarengagemang (HME), index", IND, "index", HIGH,
     78, 2019, 80, 2020, "Medarbetarenkät", "HR-chef"],
    ["4.1.3", "4.1", "Andel medarbetare som har haft medarbetarsamtal", IND, "%", HIGH,
     85, 2019, 95, 2020, "Medarbetarenkät", "HR-chef"],
    ["4.2.1", "4.2", "Personalomsättning, medarbetare som slutar på egen begäran", IND, "%",
     LOW, 9.5, 2019, 8.0, 2022, "Personalsystemet", "HR-chef"],
    ["4.2.2", "4.2", "Andel medarbetare som arbetar heltid", IND, "%", HIGH,
     72, 2019, 80, 2021, "Personalsystemet", "HR-chef"],
    ["4.2.3", "4.2", "Medarbetarnas vilja att rekommendera kommunen som arbetsgivare (eNPS)",
     IND, "index", HIGH, 5, 2019, 15, 2022, "Medarbetarenkät", "HR-chef"],
    ["4.2.4", "4.2", "Införa en gemensam introduktion för nya medarbetare", ACT, None, None,
     None, None, None, 2020, "Egen mätning", "HR-chef"],
    ["4.3.1", "4.3", "Resultat som andel av skatteintäkter och generella statsbidrag", IND,
     "%", HIGH, 1.2, 2019, 2.0, 2020, "Kolada", "Ekonomichef"],
    ["4.3.2", "4.3", "Nettokostnad per invånare för kommunens gemensamma administration", IND,
     "kr", LOW, 2650, 2019, 2600, 2020, "Ekonomisystemet", "Ekonomichef"],
    ["4.3.3", "4.3", "Andel av investeringsbudgeten som har genomförts", IND, "%", HIGH,
     65, 2019, 85, 2020, "Ekonomisystemet", "Ekonomichef"],
]  # fmt: skip

# Mätvärde-id, Period, Värde, Kommentar[, Kön, Prognos]. Year periods are written as numbers for
# goals 3 and 4 and as text for goals 1 and 2, the way a workbook filled in by hand tends to look.
# The 2020 rows are the annual report's; the 2021 rows are appended by period below.
OUTCOMES: list[list[object]] = [
    ["1.1.1", "2019", 62, None],
    ["1.1.1", "2020", 66, None],
    ["1.1.2", "2019", pct(0.78), None],
    ["1.1.2", "2020", pct(0.86), "Fler frågor besvaras direkt av kontaktcenter."],
    ["1.1.3", "2019", pct(0.52), None],
    ["1.1.3", "2020", pct(0.613), None],
    ["1.2.1", "2019", 55, None],
    ["1.2.1", "2020", 72, None],
    ["1.2.2", "2019", 38, None],
    ["1.2.2", "2020", 46, None],
    ["1.2.3", "2020-T1", NOT_STARTED, None],
    ["1.2.3", "2020-T2", STARTED, None],
    ["1.2.3", "2020", DONE, "Plattformen togs i bruk i november."],
    ["1.3.1", "2019", 24, None],
    ["1.3.1", "2020", 42, "Flera nya e-tjänster infördes under pandemin."],
    ["1.3.2", "2019", 45, None],
    ["1.3.2", "2020", 82, None],
    ["1.3.3", "2020-T1", STARTED, None],
    ["1.3.3", "2020-T2", DONE, None],
    ["1.4.1", "2019", 68, None],
    ["1.4.2", "2020-T1", STARTED, None],
    ["1.4.2", "2020-T2", DONE, None],
    ["2.1.1", "2019", 68, None],
    ["2.1.1", "2020", 70, None],
    ["2.1.2", "2019", 42, None],
    ["2.1.2", "2020-T1", 39, None],
    ["2.1.2", "2020-T2", 37, None],
    ["2.1.2", "2020", 36, None],
    ["2.1.2", "2021-T1", 34, None, None, 35],
    ["2.1.3", "2019", 60, None],
    ["2.1.3", "2020", 44, None],
    ["2.2.1", "2019", 118, None],
    ["2.2.1", "2020", 126, None],
    ["2.2.2", "2019", 3.4, None],
    ["2.2.2", "2020", "3,3", None],
    ["2.2.3", "2020-T1", STARTED, None],
    ["2.2.3", "2020-T2", STARTED, None],
    ["2.2.3", "2020", STARTED, "Arbetet försenades av pandemin; strategin beslutas 2021."],
    ["2.2.3", "2021-T1", STARTED, None, None, DONE],
    ["2.3.1", "2019", 6.8, None],
    ["2.3.1", "2020-T1", 7.6, None],
    ["2.3.1", "2020-T2", 8.4, None],
    ["2.3.1", "2020", 8.1, "Arbetslösheten ökade under pandemin, särskilt bland unga."],
    ["2.3.1", "2021-T1", 8.3, None, None, 8.0],
    ["2.3.2", "2019", 150, None],
    ["2.3.2", "2020", 210, None],
    ["2.3.3", "2019", 35, None],
    ["2.3.3", "2020", 31, None],
    ["2.3.4", "2020-T1", NOT_STARTED, None],
    ["2.3.4", "2020-T2", STARTED, None],
    ["2.3.4", "2020", STARTED, None],
    ["2.3.4", "2021-T1", "Pågår", None, None, DONE],
    ["3.1.1", 2019, 165, None],
    ["3.1.1", 2020, 158, None],
    ["3.1.2", 2019, 120, None],
    ["3.1.2", 2020, 260, None],
    ["3.1.3", "2020-T1", STARTED, None],
    ["3.1.3", "2020-T2", STARTED, None],
    ["3.1.3", 2020, DONE, None],
    ["3.2.1", 2019, pct(0.38), None],
    ["3.2.1", 2020, pct(0.447), None],
    ["3.2.2", 2019, 210, None],
    ["3.2.2", 2020, 152, "Färre tjänsteresor och fler digitala möten under pandemin."],
    ["3.2.3", 2019, 12, None],
    ["3.2.3", 2020, 28, None],
    ["3.3.1", 2019, 32, None],
    ["3.3.1", "2020-T1", 33.5, None],
    ["3.3.1", "2020-T2", 34.1, "Leverantörens statistik för helåret väntas under våren 2021."],
    ["3.3.2", 2019, 45, None],
    ["3.3.2", 2020, 41, None],
    ["3.3.3", "2020-T1", NOT_STARTED, None],
    ["3.3.3", "2020-T2", NOT_STARTED, None],
    ["3.3.3", 2020, NOT_STARTED, "Upphandlingen överklagades; införandet börjar 2021."],
    ["3.3.3", "2021-T1", STARTED, None, None, DONE],
    ["4.1.1", 2019, 7.2, None],
    ["4.1.1", "2020-T1", 8.9, None],
    ["4.1.1", "2020-T2", 7.9, None],
    ["4.1.1", 2020, 8.4, "Korttidsfrånvaron ökade under pandemin."],
    ["4.1.1", "2021-T1", 8.0, None, None, 7.5],
    ["4.1.2", 2019, 78, None],
    ["4.1.2", 2020, 79, None],
    ["4.1.3", 2019, 85, None],
    ["4.1.3", 2020, "95,5 %", None],
    ["4.2.1", 2019, 9.5, None],
    ["4.2.1", 2020, 7.8, None],
    ["4.2.2", 2019, 72, None],
    ["4.2.2", "2020", 76, None],
    ["4.2.3", 2019, 5, None],
    ["4.2.3", "2020", 9, None],
    ["4.2.4", "2020-T1", DONE, None],
    ["4.3.1", 2019, 1.2, None],
    ["4.3.1", 2020, 3.4, "Resultatet förklaras till stor del av tillfälliga statsbidrag."],
    ["4.3.1", "2021-T1", None, "Prognos enligt delårsbokslutet per april.", None, 2.6],
    ["4.3.2", 2019, "2 650", None],
    ["4.3.2", 2020, "2 710", None],
    ["4.3.3", 2019, 65, None],
    ["4.3.3", 2020, 58, "Flera byggprojekt har skjutits upp efter överklagade upphandlingar."],
]

# Counts and shares that build up over the year (new companies, emissions, staff turnover,
# investments) get no Värde at 2021-T2: January–August would not compare with a full year.
FULL_YEAR_ONLY = "Redovisas för helår."

# The forecasts of the delårsrapport per april 2021 for the measures that had no 2021-T1 row
# above: Mätvärde-id, Period, Värde, Kommentar, Kön, Prognos. Most stand unchanged in August; the
# ones that change make "Förändringar sedan förra rapporten" show changed forecasts.
OUTCOMES_2021_T1: list[list[object]] = [
    ["1.1.1", "2021-T1", None, None, None, 67],
    ["1.1.2", "2021-T1", None, None, None, pct(0.88)],
    ["1.1.3", "2021-T1", None, None, None, pct(0.62)],
    ["1.2.1", "2021-T1", None, None, None, 80],
    ["1.3.1", "2021-T1", None, None, None, 48],
    ["1.3.2", "2021-T1", None, None, None, 95],
    ["2.1.1", "2021-T1", None, None, None, 73],
    ["2.1.3", "2021-T1", None, None, None, 46],
    ["2.2.1", "2021-T1", None, None, None, 135],
    ["2.3.2", "2021-T1", None, None, None, 200],
    ["2.3.3", "2021-T1", None, None, None, 40],
    ["3.1.1", "2021-T1", None, None, None, 155],
    ["3.1.2", "2021-T1", None, None, None, 380],
    ["3.2.1", "2021-T1", None, None, None, pct(0.52)],
    ["3.2.2", "2021-T1", None, None, None, 150],
    ["3.2.3", "2021-T1", None, None, None, 36],
    ["3.3.1", "2021-T1", None, None, None, 36],
    ["3.3.2", "2021-T1", None, None, None, 37],
    ["4.1.3", "2021-T1", None, None, None, 92],
    ["4.2.1", "2021-T1", None, None, None, 8.6],
    ["4.2.2", "2021-T1", None, None, None, 78],
    ["4.3.2", "2021-T1", None, None, None, "2 740"],
    ["4.3.3", "2021-T1", None, None, None, 70],
]

# The delårsrapport per augusti 2021: Mätvärde-id, Period, Värde (the outcome so far, where there
# is one), Kommentar, Kön, Prognos (the expected outcome for the full year 2021).
OUTCOMES_2021_T2: list[list[object]] = [
    ["1.1.1", "2021-T2", None, "Medborgarundersökningen genomförs under hösten.", None, 67],
    ["1.1.2", "2021-T2", pct(0.87), None, None, pct(0.88)],
    ["1.1.3", "2021-T2", pct(0.628), None, None, pct(0.63)],
    ["1.2.1", "2021-T2", 76, "Några äldre förslag återstår att besvara.", None, 78],
    ["1.3.1", "2021-T2", 47, None, None, 50],
    ["1.3.2", "2021-T2", 91, None, None, 95],
    ["1.4.1", "2021-T2", None, "Polisens trygghetsmätning genomförs i oktober.", None, None],
    ["2.1.1", "2021-T2", None, "SKR:s Insikt för året redovisas under våren.", None, 73],
    ["2.1.2", "2021-T2", 33, None, None, 33],
    ["2.1.3", "2021-T2", 47, "Många ansökningar när restriktionerna hävdes.", None, 46],
    ["2.2.1", "2021-T2", None, FULL_YEAR_ONLY, None, 150],
    ["2.2.3", "2021-T2", STARTED, "Strategin behandlas av kommunfullmäktige i november.", None,
     DONE],
    ["2.3.1", "2021-T2", 7.9, None, None, 7.6],
    ["2.3.2", "2021-T2", 225, "Alla feriearbeten genomfördes under sommaren.", None, 225],
    ["2.3.3", "2021-T2", 34, None, None, 40],
    ["2.3.4", "2021-T2", STARTED, "Arbetsförmedlingens omorganisation har försenat arbetet.",
     None, STARTED],
    ["3.1.1", "2021-T2", None, "Redovisas normalårskorrigerad för helår.", None, 155],
    ["3.1.2", "2021-T2", 340, None, None, 410],
    ["3.2.1", "2021-T2", pct(0.48), None, None, pct(0.52)],
    ["3.2.2", "2021-T2", None, FULL_YEAR_ONLY, None, 150],
    ["3.2.3", "2021-T2", 31, None, None, 36],
    ["3.3.1", "2021-T2", 35.2, None, None, 36],
    ["3.3.2", "2021-T2", 38, None, None, 37],
    ["3.3.3", "2021-T2", STARTED, "Införandet slutförs i de sista förvaltningarna under 2022.",
     None, STARTED],
    ["4.1.1", "2021-T2", 7.6, None, None, 7.8],
    ["4.1.1", "2021-T2", 8.4, None, "K", None],
    ["4.1.1", "2021-T2", 4.5, None, "M", None],
    ["4.1.3", "2021-T2", None, "Medarbetarsamtalen hålls under hösten.", None, 90],
    ["4.2.1", "2021-T2", None, FULL_YEAR_ONLY, None, 8.6],
    ["4.2.2", "2021-T2", 77, None, None, 78],
    ["4.3.1", "2021-T2", None, "Prognos enligt delårsbokslutet per augusti.", None, 4.1],
    ["4.3.2", "2021-T2", None, None, None, "2 760"],
    ["4.3.3", "2021-T2", None, FULL_YEAR_ONLY, None, 62],
]  # fmt: skip

ANALYSIS_1 = (
    "Målet bedöms som uppfyllt för 2020. Invånarna får oftare ett direkt svar när de ringer "
    "kommunen, och antalet e-tjänster har ökat kraftigt under året. Andelen som får svar på "
    "e-post inom en arbetsdag har ökat men når inte målvärdet. Polisens trygghetsmätning "
    "genomfördes inte 2020, och tryggheten kan därför inte bedömas för året."
)
ANALYSIS_2 = (
    "Pandemin har präglat året för det lokala näringslivet. Arbetslösheten har ökat och ligger "
    "över målvärdet, medan antalet nya företag och antalet feriearbeten har ökat. "
    "Handläggningstiderna för bygglov och serveringstillstånd har blivit kortare. Arbetet med "
    "den nya näringslivsstrategin har försenats och slutförs under 2021."
)
JUSTIFICATION_2 = (
    "Kommunstyrelsen bedömer att målet är uppfyllt. Ökningen av arbetslösheten beror på "
    "pandemin och ligger utanför kommunens kontroll. De delar som kommunen själv kan påverka "
    "har utvecklats i rätt riktning, och kommunen har genomfört omfattande stödinsatser för "
    "det lokala näringslivet under året."
)
ANALYSIS_3 = (
    "Målet är delvis uppfyllt för 2020. Utsläppen från tjänsteresor har minskat kraftigt, "
    "främst eftersom fler möten har hållits digitalt. Andelen miljöbilar har ökat men når inte "
    "målvärdet. Införandet av e-handel har inte påbörjats eftersom upphandlingen överklagades, "
    "och uppgiften om ekologiska livsmedel för helåret saknas ännu."
)
ANALYSIS_4 = (
    "Målet är delvis uppfyllt för 2020. Sjukfrånvaron har ökat under pandemin och ligger över "
    "målvärdet. Medarbetarengagemanget är fortsatt högt och personalomsättningen har minskat. "
    "Resultatet är starkt, främst tack vare tillfälliga statsbidrag, men en mindre del av "
    "investeringsbudgeten än planerat har genomförts."
)
ANALYSIS_141 = (
    "Polisens trygghetsmätning genomfördes inte 2020 på grund av pandemin. Nästa mätning "
    "planeras till hösten 2021."
)

# The board's analysis in the delårsrapport per augusti 2021: what is expected by year end.
INTERIM_1 = (
    "Målet bedöms uppnås vid årets slut. Antalet e-tjänster har redan passerat målvärdet, och "
    "fler invånare får ett direkt svar när de ringer kommunen. Andelen medborgarförslag som "
    "besvaras inom ett år ökar, men väntas inte nå målvärdet i år. Tryggheten kan bedömas först "
    "när polisens trygghetsmätning har genomförts i oktober."
)
INTERIM_2 = (
    "Målet bedöms uppnås vid årets slut. Fler företag än på många år har startat under året, "
    "och handläggningstiden för bygglov är kortare än målvärdet. Näringslivsstrategin väntas "
    "beslutas av kommunfullmäktige i november. Arbetslösheten minskar men väntas ligga kvar "
    "över målvärdet, och överenskommelsen med Arbetsförmedlingen om lokala jobbspår blir inte "
    "klar under året."
)
INTERIM_3 = (
    "Målet bedöms delvis uppnås. Utsläppen från tjänsteresor väntas ligga under målvärdet även "
    "i år, och solcellerna på kommunens byggnader når redan i år målvärdet för 2022. Andelen "
    "miljöbilar, antalet laddpunkter och andelen ekologiska livsmedel ökar, men inte tillräckligt "
    "för att nå målvärdena. Införandet av e-handel har försenats och slutförs under 2022."
)
INTERIM_4 = (
    "Målet bedöms inte uppnås. Sjukfrånvaron har minskat något sedan förra året men väntas "
    "ligga kvar långt över målvärdet. Kostnaden för den gemensamma administrationen ökar, och en "
    "mindre del av investeringsbudgeten än planerat väntas genomföras. Resultatet väntas bli "
    "starkt, främst tack vare högre skatteintäkter än budgeterat. Förvaltningen tar fram en "
    "åtgärdsplan för sjukfrånvaron och investeringarna inför budgetberedningen."
)
INTERIM_141 = (
    "Polisens trygghetsmätning genomförs i oktober och redovisas i verksamhetsberättelsen. Det "
    "senast kända utfallet är från 2019."
)
INTERIM_411 = (
    "Korttidsfrånvaron har minskat sedan förra året, men långtidsfrånvaron är fortsatt hög, "
    "särskilt bland kvinnor. HR-avdelningen följer upp de arbetsplatser som har högst "
    "sjukfrånvaro tillsammans med företagshälsovården."
)

# Nivå, Id, Period, Bedömning, Motivering, Analys, Beslut
ASSESSMENTS: list[list[object]] = [
    ["Mål", "1", 2020, None, None, ANALYSIS_1, None],
    ["Mål", "2", 2020, "Grönt", JUSTIFICATION_2, ANALYSIS_2, "KS 2021-03-10 § 45"],
    ["Mål", "3", 2020, None, None, ANALYSIS_3, None],
    ["Mål", "4", 2020, None, None, ANALYSIS_4, None],
    ["Mätvärde", "1.4.1", "2020", None, None, ANALYSIS_141, None],
    ["Mål", "1", "2021-T2", None, None, INTERIM_1, None],
    ["Mål", "2", "2021-T2", None, None, INTERIM_2, None],
    ["Mål", "3", "2021-T2", None, None, INTERIM_3, None],
    ["Mål", "4", "2021-T2", None, None, INTERIM_4, None],
    ["Mätvärde", "1.4.1", "2021-T2", None, None, INTERIM_141, None],
    ["Mätvärde", "4.1.1", "2021-T2", None, None, INTERIM_411, None],
]

# The status each measure should get for the period 2020 under the default rules.
EXPECTED_2020: dict[str, str] = {
    **dict.fromkeys(
        ["1.1.3", "1.2.2", "1.2.3", "1.3.1", "1.3.3", "1.4.2", "2.1.3", "2.3.2", "3.1.3",
         "3.2.2", "4.1.3", "4.2.1", "4.2.4", "4.3.1"],
        "green",
    ),
    **dict.fromkeys(
        ["1.1.2", "1.3.2", "2.1.2", "2.2.1", "2.2.3", "3.2.1", "4.1.2", "4.3.2"], "yellow"
    ),
    **dict.fromkeys(["2.3.1", "3.3.3", "4.1.1", "4.3.3"], "red"),
    **dict.fromkeys(
        ["1.1.1", "1.2.1", "2.1.1", "2.2.2", "2.3.3", "2.3.4", "3.1.1", "3.1.2", "3.2.3",
         "3.3.2", "4.2.2", "4.2.3"],
        "later",
    ),
    **dict.fromkeys(["1.4.1", "3.3.1"], "missing"),
}  # fmt: skip

# The status each measure should get for the period 2021-T2 (most on a forecast).
EXPECTED_2021_T2: dict[str, str] = {
    **dict.fromkeys(
        ["1.1.3", "1.2.3", "1.3.1", "1.3.3", "1.4.2", "2.1.1", "2.1.2", "2.2.1", "2.2.3",
         "2.3.2", "3.1.2", "3.1.3", "3.2.2", "4.2.4", "4.3.1"],
        "green",
    ),
    **dict.fromkeys(
        ["1.1.2", "1.2.1", "1.3.2", "2.1.3", "2.3.3", "2.3.4", "3.2.1", "3.2.3", "3.3.1",
         "3.3.2", "3.3.3", "4.1.3", "4.2.2"],
        "yellow",
    ),
    **dict.fromkeys(["2.3.1", "4.1.1", "4.3.2", "4.3.3"], "red"),
    **dict.fromkeys(
        ["1.1.1", "1.2.2", "1.4.1", "2.2.2", "3.1.1", "4.1.2", "4.2.1", "4.2.3"], "later"
    ),
}  # fmt: skip
#: The goals' statuses for 2021-T2: 1 and 2 expected to be reached, 3 partly, 4 not.
EXPECTED_GOALS_2021_T2: dict[str, str] = {"1": "green", "2": "green", "3": "yellow", "4": "red"}


def example_rows() -> dict[str, list[list[object]]]:
    """The sample's rows per sheet."""
    return {
        "Mål": GOALS,
        "Delmål": SUBGOALS,
        "Mätvärden": MEASURES,
        "Utfall": OUTCOMES + OUTCOMES_2021_T1 + OUTCOMES_2021_T2,
        "Bedömningar": ASSESSMENTS,
        "Ärendetext": CASE_TEXTS,
    }


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(TARGET, example_rows(), SETTINGS, timestamp=TIMESTAMP)
    print(f"Skrev {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
