#!/usr/bin/env python3
"""Synthetic knowledge articles in the JSONL import format (docs/FORMAT.md), for benchmarks.

    python benchmarks/generate_articles.py 10000 /tmp/articles.jsonl [--seed 1]

Writes N realistic-looking German municipal articles of Arnsberg and Sundern: the nine topic
areas, ~60 departments, ~150 tags used Zipf-like, ~400 fictitious contact persons, Markdown
bodies of 150–600 words built from sentence templates and municipal vocabulary, publication
dates 2022-01-01 .. 2026-10-31, unique slugs and, on ~20 % of the articles, a "counterpart"
(an earlier article of the other city on the same topic). The output is a pure function of
N and --seed. Standard library only; 100 000 articles take a few seconds.
"""

# ruff: noqa: E501 - vocabulary tables and sentence templates read better unwrapped
from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
from dataclasses import dataclass, field

MIN_WORDS, MAX_WORDS = 150, 600

# --- places, partners ---------------------------------------------------------------------------

CITIES = ("Arnsberg", "Sundern")
BOTH = ("Arnsberg", "Sundern")
ORTSTEILE = {
    "Arnsberg": [
        "Neheim",
        "Hüsten",
        "Alt-Arnsberg",
        "Oeventrop",
        "Herdringen",
        "Bruchhausen",
        "Voßwinkel",
        "Rumbeck",
        "Müschede",
        "Niedereimer",
        "Wennigloh",
        "Holzen",
        "Breitenbruch",
        "Uentrop",
        "Bachum",
        "Moosfelde",
        "Dinschede",
        "Wildshausen",
    ],
    "Sundern": [
        "Sundern-Mitte",
        "Hachen",
        "Langscheid",
        "Stockum",
        "Allendorf",
        "Endorf",
        "Hagen",
        "Amecke",
        "Linnepe",
        "Westenfeld",
        "Wildewiese",
        "Hövel",
        "Enkhausen",
        "Altenhellefeld",
        "Meinkenbracht",
        "Estinghausen",
        "Seidfeld",
        "Settmecke",
    ],
}
AREA_CODE = {"Arnsberg": "02931", "Sundern": "02933"}
DOMAIN = {"Arnsberg": "arnsberg.example", "Sundern": "sundern.example"}
PARTNERS = [
    "dem Hochsauerlandkreis",
    "der Bezirksregierung Arnsberg",
    "dem Land NRW",
    "dem Ruhrverband",
    "der Verbraucherzentrale NRW",
    "dem Caritasverband",
    "der Diakonie",
    "dem DRK-Kreisverband",
    "dem THW-Ortsverband",
    "der Freiwilligen Feuerwehr",
    "den Stadtwerken",
    "der Kreispolizeibehörde",
    "dem Jobcenter",
    "dem Kommunalen Integrationszentrum",
    "der Handwerkskammer Südwestfalen",
    "der IHK Arnsberg",
    "der Südwestfalen-IT",
    "dem Landesjugendamt",
    "der Energieagentur NRW",
    "den Wohnungsbaugesellschaften",
    "den Schulträgern",
    "den freien Trägern",
    "dem Seniorenbeirat",
    "dem Integrationsrat",
    "dem Kinder- und Jugendparlament",
    "den Ortsvorstehern",
    "dem Landesbetrieb Straßen.NRW",
    "der Polizei",
    "der Kreisverwaltung in Meschede",
    "dem Gesundheitsamt",
]
MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
ROLES = [
    "Sachbearbeitung",
    "Teamleitung",
    "Fachdienstleitung",
    "Amtsleitung",
    "Projektleitung",
    "Bürgermeisterin",
    "Kämmerei",
    "Rechnungsprüfung",
    "Personalrat",
    "Gleichstellungsstelle",
    "Datenschutzbeauftragte",
    "Pressestelle",
    "Bauaufsicht",
    "Ordnungsamt",
    "Vergabestelle",
]
ADJECTIVES = [
    "aufwendig",
    "hilfreich",
    "unverzichtbar",
    "schwierig",
    "überraschend einfach",
    "zeitkritisch",
    "gut planbar",
    "personalintensiv",
    "bewährt",
    "ausbaufähig",
    "rechtlich heikel",
    "teuer",
    "günstiger als erwartet",
    "gut angenommen",
    "noch ungewohnt",
    "eindeutig geregelt",
]

# --- nouns: (singular, plural, gender) -----------------------------------------------------------
# Topic vocabulary is built from determinants x heads (Starkregen + vorsorge), as German
# administrative language does, plus a few stand-alone nouns per topic.

H = {
    "konzept": ("konzept", "konzepte", "n"),
    "plan": ("plan", "pläne", "m"),
    "maßnahme": ("maßnahme", "maßnahmen", "f"),
    "beratung": ("beratung", "beratungen", "f"),
    "antrag": ("antrag", "anträge", "m"),
    "projekt": ("projekt", "projekte", "n"),
    "bericht": ("bericht", "berichte", "m"),
    "verfahren": ("verfahren", "verfahren", "n"),
    "programm": ("programm", "programme", "n"),
    "richtlinie": ("richtlinie", "richtlinien", "f"),
    "stelle": ("stelle", "stellen", "f"),
    "netzwerk": ("netzwerk", "netzwerke", "n"),
    "büro": ("büro", "büros", "n"),
    "portal": ("portal", "portale", "n"),
    "system": ("system", "systeme", "n"),
    "gebühr": ("gebühr", "gebühren", "f"),
    "satzung": ("satzung", "satzungen", "f"),
    "dienst": ("dienst", "dienste", "m"),
    "akte": ("akte", "akten", "f"),
    "prozess": ("prozess", "prozesse", "m"),
    "anlage": ("anlage", "anlagen", "f"),
    "versorgung": ("versorgung", "versorgungen", "f"),
    "netz": ("netz", "netze", "n"),
    "bilanz": ("bilanz", "bilanzen", "f"),
    "speicher": ("speicher", "speicher", "m"),
    "sanierung": ("sanierung", "sanierungen", "f"),
    "vorsorge": ("vorsorge", "vorsorgemaßnahmen", "f"),
    "schutz": ("schutz", "schutzmaßnahmen", "m"),
    "karte": ("karte", "karten", "f"),
    "management": ("management", "managementaufgaben", "n"),
    "risiko": ("risiko", "risiken", "n"),
    "kataster": ("kataster", "kataster", "n"),
    "check": ("check", "checks", "m"),
    "kurs": ("kurs", "kurse", "m"),
    "angebot": ("angebot", "angebote", "n"),
    "lotse": ("lotse", "lotsen", "m"),
    "café": ("café", "cafés", "n"),
    "zentrum": ("zentrum", "zentren", "n"),
    "gespräch": ("gespräch", "gespräche", "n"),
    "nachweis": ("nachweis", "nachweise", "m"),
    "übung": ("übung", "übungen", "f"),
    "stab": ("stab", "stäbe", "m"),
    "zentrale": ("zentrale", "zentralen", "f"),
    "punkt": ("punkt", "punkte", "m"),
    "vorrat": ("vorrat", "vorräte", "m"),
    "kette": ("kette", "ketten", "f"),
    "plattform": ("plattform", "plattformen", "f"),
    "lösung": ("lösung", "lösungen", "f"),
    "anwendung": ("anwendung", "anwendungen", "f"),
    "schnittstelle": ("schnittstelle", "schnittstellen", "f"),
    "platz": ("platz", "plätze", "m"),
    "anmeldung": ("anmeldung", "anmeldungen", "f"),
    "ausbau": ("ausbau", "ausbauschritte", "m"),
    "bedarf": ("bedarf", "bedarfe", "m"),
    "gruppe": ("gruppe", "gruppen", "f"),
    "treff": ("treff", "treffs", "m"),
    "freizeit": ("freizeit", "freizeiten", "f"),
    "arbeit": ("arbeit", "arbeitsfelder", "f"),
    "team": ("team", "teams", "n"),
    "gebiet": ("gebiet", "gebiete", "n"),
    "fläche": ("fläche", "flächen", "f"),
    "entwurf": ("entwurf", "entwürfe", "m"),
    "beteiligung": ("beteiligung", "beteiligungen", "f"),
    "förderung": ("förderung", "förderungen", "f"),
    "leitfaden": ("leitfaden", "leitfäden", "m"),
    "vertrag": ("vertrag", "verträge", "m"),
    "budget": ("budget", "budgets", "n"),
    "konferenz": ("konferenz", "konferenzen", "f"),
    "statistik": ("statistik", "statistiken", "f"),
    "termin": ("termin", "termine", "m"),
    "frist": ("frist", "fristen", "f"),
    "kontrolle": ("kontrolle", "kontrollen", "f"),
    "strategie": ("strategie", "strategien", "f"),
    "sensor": ("sensor", "sensoren", "m"),
    "monitoring": ("monitoring", "monitorings", "n"),
    "kampagne": ("kampagne", "kampagnen", "f"),
    "wegweiser": ("wegweiser", "wegweiser", "m"),
}
COMMON_HEADS = [
    "konzept",
    "plan",
    "maßnahme",
    "beratung",
    "antrag",
    "projekt",
    "bericht",
    "verfahren",
    "programm",
    "richtlinie",
    "förderung",
    "leitfaden",
    "strategie",
]


@dataclass
class Topic:
    name: str
    firsts: list[str]
    heads: list[str]
    nouns: list[tuple[str, str, str]]
    tags: list[str]
    sentences: list[str]
    headings: list[str]
    items: list[str]
    compounds: list[tuple[str, str, str]] = field(default_factory=list)


TOPICS = [
    Topic(
        "Kommunalverwaltung & Daseinsvorsorge",
        [
            "Bürgerservice",
            "Termin",
            "Personal",
            "Abfall",
            "Friedhofs",
            "Melde",
            "Gebühren",
            "Straßenreinigungs",
            "Akten",
            "Rechnungs",
            "Vergabe",
            "Winterdienst",
            "Ausbildungs",
            "Haushalts",
            "Wissens",
            "Beschwerde",
            "Laub",
            "Bürger",
            "Förder",
            "Wasser",
        ],
        [
            "büro",
            "portal",
            "system",
            "gebühr",
            "satzung",
            "dienst",
            "akte",
            "prozess",
            "team",
            "termin",
            "vertrag",
            "statistik",
        ],
        [
            ("Bürgerbüro", "Bürgerbüros", "n"),
            ("E-Akte", "E-Akten", "f"),
            ("Laubsammlung", "Laubsammlungen", "f"),
            ("Terminvergabe", "Terminvergaben", "f"),
            ("Meldebescheinigung", "Meldebescheinigungen", "f"),
            ("Wissenstransfer", "Wissenstransfers", "m"),
            ("Generationswechsel", "Generationswechsel", "m"),
            ("Personalausweis", "Personalausweise", "m"),
            ("Straßenreinigung", "Straßenreinigungen", "f"),
            ("Bauhof", "Bauhöfe", "m"),
            ("Onlinezugangsgesetz", "Onlinezugangsgesetze", "n"),
            ("Rechnungseingang", "Rechnungseingänge", "m"),
        ],
        [
            "Bürgerservice",
            "Abfall",
            "Personal",
            "Stadtgrün",
            "E-Akte",
            "Gebühren",
            "Friedhof",
            "Winterdienst",
            "Ausbildung",
            "Haushalt",
            "Vergaberecht",
            "Bauhof",
            "Wissensmanagement",
            "Onlinezugangsgesetz",
            "Meldewesen",
            "Straßenreinigung",
        ],
        [
            "Im Bürgerbüro {O} buchen Kundinnen und Kunden ihre Termine inzwischen überwiegend online.",
            "Die Gebührensatzung wurde zuletzt {J} angepasst; die Kalkulation liegt bei der Kämmerei.",
            "Für die Laubsammlung stellen wir im Herbst zusätzliche Laubkörbe in Straßen mit vielen Straßenbäumen auf.",
            "Beim Generationswechsel sichern Tandems aus erfahrenen und neuen Beschäftigten das Erfahrungswissen.",
            "Die Einführung der E-Akte hat die Durchlaufzeiten {D_dat} um etwa {Q} Prozent verkürzt.",
            "Der Bauhof übernimmt im Winterdienst zuerst Hauptverkehrsstraßen, Busrouten und Schulwege.",
            "Rechnungen gehen nur noch elektronisch ein und werden im Workflow freigegeben.",
            "Wer kein Internet nutzt, kann {N_acc} weiterhin telefonisch oder persönlich im Rathaus erledigen.",
            "Die No-Show-Quote bei Terminen sank nach Einführung der Erinnerungsmail auf rund {Q} Prozent.",
            "Friedhofsgebühren und Grabnutzungsrechte werden seit {J} in einem Fachverfahren verwaltet.",
        ],
        [
            "Terminbuchung",
            "Gebührenkalkulation",
            "Übergabe an Nachfolgerinnen",
            "Digitale Akte",
            "Öffnungszeiten",
            "Winterdienstplan",
        ],
        [
            "Anliegen im Portal so benennen, wie Bürgerinnen und Bürger sie verstehen",
            "Kombinationstermine für Familien anbieten",
            "Übergabegespräche mindestens drei Monate vor dem Ruhestand beginnen",
            "Aktenplan und Ablagestruktur vor der Migration bereinigen",
            "Gebührenbescheide mit verständlicher Begründung versehen",
        ],
    ),
    Topic(
        "Klimaneutralität & Energieversorgung",
        [
            "Energie",
            "Wärme",
            "Photovoltaik",
            "Solar",
            "Klimaschutz",
            "Sanierungs",
            "Wärmepumpen",
            "Nahwärme",
            "Strom",
            "Mobilitäts",
            "Ladesäulen",
            "Effizienz",
            "Beleuchtungs",
            "Emissions",
            "Gebäudeenergie",
            "Förder",
            "Dach",
            "Windenergie",
        ],
        [
            "anlage",
            "versorgung",
            "netz",
            "bilanz",
            "speicher",
            "sanierung",
            "check",
            "monitoring",
            "kampagne",
            "budget",
        ],
        [
            ("Wärmepumpe", "Wärmepumpen", "f"),
            ("Photovoltaikanlage", "Photovoltaikanlagen", "f"),
            ("Wärmeplanung", "Wärmeplanungen", "f"),
            ("Bürgerenergiegenossenschaft", "Bürgerenergiegenossenschaften", "f"),
            ("Energiebericht", "Energieberichte", "m"),
            ("Ladesäule", "Ladesäulen", "f"),
            ("Straßenbeleuchtung", "Straßenbeleuchtungen", "f"),
            ("Treibhausgasbilanz", "Treibhausgasbilanzen", "f"),
            ("Dienstfahrrad", "Dienstfahrräder", "n"),
            ("Heizungsanlage", "Heizungsanlagen", "f"),
            ("Balkonkraftwerk", "Balkonkraftwerke", "n"),
            ("Klimaschutzmanagerin", "Klimaschutzmanagerinnen", "f"),
        ],
        [
            "Photovoltaik",
            "Wärmewende",
            "Gebäudemanagement",
            "Klimaschutz",
            "Energieeffizienz",
            "E-Mobilität",
            "Wärmeplanung",
            "Windenergie",
            "LED",
            "Energiegenossenschaft",
            "CO2-Bilanz",
            "Sanierung",
            "Solarpflicht",
            "Fernwärme",
            "Energiesparen",
        ],
        [
            "Die Wärmepumpe in der Grundschule {O} läuft seit {J} mit einer Jahresarbeitszahl von etwa 3,5.",
            "Auf städtischen Dächern sind inzwischen {Z} Photovoltaikanlagen mit zusammen {G} kWp in Betrieb.",
            "Die kommunale Wärmeplanung muss bis {J} vorliegen und wird gemeinsam mit {P} erarbeitet.",
            "Die Umstellung der Straßenbeleuchtung auf LED spart jährlich rund {G} Megawattstunden Strom.",
            "Die Bürgerenergiegenossenschaft pachtet die Dachflächen und verkauft den Strom an die Schule.",
            "Für Heizungsanlagen in Verwaltungsgebäuden gibt es ein monatliches Energiemonitoring.",
            "Dienstfahrräder und E-Autos ersetzen seit {J} einen Teil der Dienstwagenflotte.",
            "Die Treibhausgasbilanz zeigt, dass Gebäude und Verkehr den größten Anteil haben.",
            "Statik, Denkmalschutz und Brandschutz müssen vor der Montage einer PV-Anlage geprüft werden.",
            "Balkonkraftwerke in Mietwohnungen sind ein häufiges Thema in der Energieberatung.",
        ],
        [
            "Technik und Betrieb",
            "Wirtschaftlichkeit",
            "Energiebilanz",
            "Dachflächen prüfen",
            "Wärmenetze",
            "Kommunale Liegenschaften",
        ],
        [
            "Dachstatik vor der Ausschreibung prüfen lassen",
            "Verbrauchsdaten monatlich ins Energiemonitoring übernehmen",
            "Netzbetreiber frühzeitig einbinden",
            "Hausmeisterinnen und Hausmeister in die Anlagentechnik einweisen",
            "Fördermittel für Wärmepumpen vor Auftragsvergabe beantragen",
        ],
    ),
    Topic(
        "Klimafolgenanpassung & Resilienz",
        [
            "Starkregen",
            "Hitze",
            "Hochwasser",
            "Überflutungs",
            "Trockenheits",
            "Regenwasser",
            "Versickerungs",
            "Begrünungs",
            "Stadtbaum",
            "Schwammstadt",
            "Gewässer",
            "Grünflächen",
            "Klimaanpassungs",
            "Bewässerungs",
            "Risiko",
            "Dachbegrünungs",
            "Förder",
        ],
        [
            "vorsorge",
            "schutz",
            "karte",
            "management",
            "risiko",
            "kataster",
            "check",
            "konzept",
            "kampagne",
            "wegweiser",
        ],
        [
            ("Starkregengefahrenkarte", "Starkregengefahrenkarten", "f"),
            ("Dachbegrünung", "Dachbegrünungen", "f"),
            ("Fassadenbegrünung", "Fassadenbegrünungen", "f"),
            ("Hitzeaktionsplan", "Hitzeaktionspläne", "m"),
            ("Trinkbrunnen", "Trinkbrunnen", "m"),
            ("Baumkataster", "Baumkataster", "n"),
            ("Gießpatenschaft", "Gießpatenschaften", "f"),
            ("Rückhaltebecken", "Rückhaltebecken", "n"),
            ("Elementarschadenversicherung", "Elementarschadenversicherungen", "f"),
            ("Entsiegelung", "Entsiegelungen", "f"),
            ("Schattenplatz", "Schattenplätze", "m"),
            ("Hitzewarnung", "Hitzewarnungen", "f"),
        ],
        [
            "Starkregen",
            "Hitze",
            "Stadtgrün",
            "Hochwasser",
            "Klimaanpassung",
            "Dachbegrünung",
            "Entsiegelung",
            "Trockenheit",
            "Stadtbäume",
            "Regenwasser",
            "Schwammstadt",
            "Gesundheitsschutz",
            "Versickerung",
            "Hitzeschutz",
        ],
        [
            "Die Starkregengefahrenkarten zeigen für {O} Fließwege und Senken, in denen sich Wasser sammelt.",
            "Bei Hitzewarnungen des Deutschen Wetterdienstes informiert die Stadt Pflegedienste und Kitas.",
            "Über das Förderprogramm werden Dachbegrünung und Fassadenbegrünung mit bis zu {G} Euro bezuschusst.",
            "Im Baumkataster sind {G} Straßenbäume mit Art, Zustand und Kontrollintervall erfasst.",
            "Gießpatenschaften helfen, junge Stadtbäume durch trockene Sommer zu bringen.",
            "Die Beratung zur Starkregenvorsorge für Hausbesitzer ist kostenlos und findet vor Ort statt.",
            "Neue Bebauungspläne enthalten Festsetzungen zu Versickerung und Gründächern.",
            "In der Stadtbücherei und im Rathaus gibt es an heißen Tagen kühle Räume mit Trinkwasser.",
            "Nach dem Unwetter im {M} {J} liefen in {O} zahlreiche Keller voll.",
            "Entsiegelte Schulhöfe speichern Regenwasser und heizen sich weniger auf.",
        ],
        [
            "Gefährdung erkennen",
            "Beratung für Eigentümer",
            "Hitze im Sommer",
            "Bäume und Grün",
            "Schutz bei Starkregen",
            "Förderbedingungen",
        ],
        [
            "Rückstauklappen im Keller prüfen lassen",
            "Lichtschächte und Kellertreppen sichern",
            "Kühle Orte im Stadtplan kennzeichnen",
            "Gießrhythmus an die Bodenfeuchte anpassen",
            "Förderantrag vor Beginn der Maßnahme stellen",
        ],
    ),
    Topic(
        "Migration & Integration",
        [
            "Integrations",
            "Sprach",
            "Einbürgerungs",
            "Aufenthalts",
            "Unterbringungs",
            "Willkommens",
            "Dolmetscher",
            "Flüchtlings",
            "Anerkennungs",
            "Bildungs",
            "Teilhabe",
            "Patenschafts",
            "Kultur",
            "Beratungs",
            "Ausländer",
        ],
        [
            "kurs",
            "angebot",
            "lotse",
            "café",
            "zentrum",
            "gespräch",
            "nachweis",
            "netzwerk",
            "termin",
            "wegweiser",
        ],
        [
            ("Wohnsitzauflage", "Wohnsitzauflagen", "f"),
            ("Integrationskurs", "Integrationskurse", "m"),
            ("Sprachcafé", "Sprachcafés", "n"),
            ("Einbürgerung", "Einbürgerungen", "f"),
            ("Aufenthaltstitel", "Aufenthaltstitel", "m"),
            ("Integrationslotsin", "Integrationslotsinnen", "f"),
            ("Sammelunterkunft", "Sammelunterkünfte", "f"),
            ("Sprachmittlung", "Sprachmittlungen", "f"),
            ("Berufsanerkennung", "Berufsanerkennungen", "f"),
            ("Ausländerbehörde", "Ausländerbehörden", "f"),
            ("Geflüchtete", "Geflüchtete", "f"),
            ("Willkommensmappe", "Willkommensmappen", "f"),
        ],
        [
            "Geflüchtete",
            "Ausländerrecht",
            "Sprachförderung",
            "Integration",
            "Einbürgerung",
            "Unterbringung",
            "Sprachmittlung",
            "Anerkennung",
            "Arbeitsmarkt",
            "Ukraine",
            "Interkulturelle Öffnung",
            "Integrationskurs",
            "Asyl",
            "Frauen",
        ],
        [
            "Anträge auf Aufhebung der Wohnsitzauflage prüft die Ausländerbehörde anhand von Arbeitsvertrag und Wohnung.",
            "Im Sprachcafé in {O} üben Geflüchtete einmal pro Woche Deutsch ohne Kursdruck.",
            "Integrationslotsinnen und -lotsen begleiten Neuzugewanderte zu Behörden, Ärzten und Schulen.",
            "Die Sammelunterkunft in {O} bietet Platz für {Z} Personen und wird von {P} betreut.",
            "Für Gespräche in der Ausländerbehörde stehen Sprachmittler für {Z} Sprachen zur Verfügung.",
            "Einbürgerungsanträge können seit {J} online gestellt werden; die Bearbeitung dauert rund {Z} Monate.",
            "Die Berufsanerkennung ausländischer Abschlüsse ist für viele der wichtigste Schritt in Arbeit.",
            "Die Willkommensmappe gibt es inzwischen in Deutsch, Arabisch, Ukrainisch und Türkisch.",
            "Ehrenamtliche sind über die Sammelversicherung der Stadt unfall- und haftpflichtversichert.",
            "Das Kommunale Integrationszentrum koordiniert die Integrationskurse im Kreisgebiet.",
        ],
        [
            "Rechtslage",
            "Beratung und Begleitung",
            "Sprache lernen",
            "Ehrenamtliche einbinden",
            "Wohnen und Unterbringung",
            "Arbeit und Anerkennung",
        ],
        [
            "Dolmetscher frühzeitig zum Termin bestellen",
            "Unterlagen in einfacher Sprache bereitlegen",
            "Zuständigkeit zwischen Stadt und Kreis klären",
            "Ehrenamtliche vor dem ersten Einsatz schulen",
            "Kinderbetreuung während der Kurse organisieren",
        ],
    ),
    Topic(
        "Krisenmanagement",
        [
            "Katastrophenschutz",
            "Notfall",
            "Krisen",
            "Warn",
            "Evakuierungs",
            "Stromausfall",
            "Sirenen",
            "Notstrom",
            "Einsatz",
            "Lage",
            "Bevölkerungsschutz",
            "Trinkwassernot",
            "Alarmierungs",
            "Funk",
            "Kommunikations",
            "Hochwasser",
        ],
        [
            "plan",
            "übung",
            "stab",
            "zentrale",
            "punkt",
            "vorrat",
            "kette",
            "konzept",
            "netz",
            "kontrolle",
        ],
        [
            ("Notfalltreffpunkt", "Notfalltreffpunkte", "m"),
            ("Katastrophenschutz-Leuchtturm", "Katastrophenschutz-Leuchttürme", "m"),
            ("Sirene", "Sirenen", "f"),
            ("Warntag", "Warntage", "m"),
            ("Krisenstab", "Krisenstäbe", "m"),
            ("Notstromaggregat", "Notstromaggregate", "n"),
            ("Notbrunnen", "Notbrunnen", "m"),
            ("Probealarm", "Probealarme", "m"),
            ("Trinkwassernotversorgung", "Trinkwassernotversorgungen", "f"),
            ("Evakuierung", "Evakuierungen", "f"),
            ("Warn-App", "Warn-Apps", "f"),
            ("Stromausfall", "Stromausfälle", "m"),
        ],
        [
            "Bevölkerungsschutz",
            "Stromausfall",
            "Krisenstab",
            "Warnung",
            "Trinkwasser",
            "Feuerwehr",
            "Notfallplanung",
            "Blackout",
            "Sirenen",
            "Evakuierung",
            "Krisenkommunikation",
            "Übung",
            "Cybersicherheit",
        ],
        [
            "Bei einem längeren Stromausfall öffnen die Katastrophenschutz-Leuchttürme in {O} als Anlaufstelle.",
            "Am Warntag im {M} {J} lösten {Z} von {G} Sirenen nicht zuverlässig aus.",
            "Der Krisenstab tritt zweimal im Jahr zu einer Stabsrahmenübung zusammen.",
            "Die Notfalltreffpunkte sind mit Notstrom, Funkgerät und Erste-Hilfe-Material ausgestattet.",
            "Die Trinkwassernotversorgung stützt sich auf {Z} Notbrunnen und mobile Verteilstellen.",
            "Die Warnung der Bevölkerung läuft über Sirenen, Warn-App, Radio und Lautsprecherwagen.",
            "Für Pflegeheime und Krankenhäuser gibt es eigene Evakuierungspläne mit {P}.",
            "Das Notstromaggregat im Rathaus wird monatlich unter Last getestet.",
            "Ausgefallene Sirenen meldet die Feuerwehr über ein Störungsformular an den Hersteller.",
            "Ehrenamtliche aus den Ortsteilen betreiben die Notfalltreffpunkte gemeinsam mit der Feuerwehr.",
        ],
        [
            "Alarmierung",
            "Ausstattung",
            "Ablauf im Ernstfall",
            "Übungen",
            "Kommunikation im Krisenfall",
            "Rollen im Krisenstab",
        ],
        [
            "Tankvorrat für das Notstromaggregat prüfen",
            "Funkverbindung zur Feuerwehr testen",
            "Schlüsselliste der Notfalltreffpunkte aktualisieren",
            "Meldeformular für ausgefallene Sirenen bereithalten",
            "Pressemitteilung für den Ernstfall vorbereiten",
        ],
    ),
    Topic(
        "Smart City",
        [
            "Daten",
            "Sensor",
            "Digitalisierungs",
            "Plattform",
            "Parkraum",
            "LoRaWAN",
            "Breitband",
            "Glasfaser",
            "Software",
            "Online",
            "App",
            "Schnittstellen",
            "Open-Data-",
            "IT-Sicherheits",
            "Prozess",
            "Mobilitäts",
        ],
        [
            "portal",
            "plattform",
            "dienst",
            "lösung",
            "anwendung",
            "schnittstelle",
            "netz",
            "sensor",
            "monitoring",
            "strategie",
        ],
        [
            ("LoRaWAN-Netz", "LoRaWAN-Netze", "n"),
            ("Parkraumsensorik", "Parkraumsensoriken", "f"),
            ("Bodensensor", "Bodensensoren", "m"),
            ("Open-Data-Portal", "Open-Data-Portale", "n"),
            ("Datensatz", "Datensätze", "m"),
            ("Gateway", "Gateways", "n"),
            ("Glasfaserausbau", "Glasfaserausbauten", "m"),
            ("Bürger-App", "Bürger-Apps", "f"),
            ("Schnittstelle", "Schnittstellen", "f"),
            ("Füllstandsensor", "Füllstandsensoren", "m"),
            ("Digitalstrategie", "Digitalstrategien", "f"),
            ("Dashboard", "Dashboards", "n"),
        ],
        [
            "Digitalisierung",
            "Sensorik",
            "Open Data",
            "LoRaWAN",
            "Glasfaser",
            "Datenschutz",
            "Mobilität",
            "Smart Parking",
            "Künstliche Intelligenz",
            "IT-Sicherheit",
            "Dashboard",
            "Onlinedienste",
            "Datenplattform",
            "Breitband",
        ],
        [
            "Das gemeinsame LoRaWAN-Netz beider Städte umfasst inzwischen {Z} Gateways.",
            "Bodensensoren melden in {O} die Belegung von {G} Stellplätzen in Echtzeit.",
            "Über das Open-Data-Portal stehen {G} Datensätze unter freier Lizenz zur Verfügung.",
            "Füllstandsensoren in Altglascontainern sparen Leerfahrten des Entsorgers.",
            "Die Bodenfeuchtesensoren an Straßenbäumen zeigen, wann gegossen werden muss.",
            "Die Digitalstrategie wurde {J} vom Rat beschlossen und wird jährlich fortgeschrieben.",
            "Der Glasfaserausbau in den Außenbereichen von {O} wird über ein Bundesprogramm gefördert.",
            "Datenschutz und IT-Sicherheit werden vor jedem Sensorprojekt mit der Datenschutzbeauftragten geklärt.",
            "Die Bürger-App bündelt Mängelmelder, Abfallkalender und Veranstaltungen.",
            "Schnittstellen zu den Fachverfahren sind oft aufwendiger als die Sensorik selbst.",
        ],
        [
            "Technik",
            "Datenschutz und IT-Sicherheit",
            "Anwendungsfälle",
            "Betrieb und Wartung",
            "Daten veröffentlichen",
            "Kosten",
        ],
        [
            "Lizenz der Daten vor Veröffentlichung klären",
            "Gateways auf städtischen Gebäuden montieren",
            "Batteriewechsel der Sensoren einplanen",
            "Datenschutz-Folgenabschätzung erstellen",
            "Metadaten vollständig pflegen",
        ],
    ),
    Topic(
        "Schule & Kita",
        [
            "Kita",
            "Schul",
            "Ganztags",
            "Betreuungs",
            "Schulweg",
            "Kindertagesstätten",
            "Schulbau",
            "Inklusions",
            "Elternbeitrags",
            "Medien",
            "Sprachförder",
            "Grundschul",
            "Anmelde",
            "Förder",
            "Kindertagespflege",
        ],
        [
            "platz",
            "anmeldung",
            "ausbau",
            "bedarf",
            "gruppe",
            "zentrum",
            "konzept",
            "plan",
            "satzung",
            "gebühr",
        ],
        [
            ("Kindertagesstätte", "Kindertagesstätten", "f"),
            ("Offene Ganztagsschule", "Offene Ganztagsschulen", "f"),
            ("Kitaplatz", "Kitaplätze", "m"),
            ("Rechtsanspruch", "Rechtsansprüche", "m"),
            ("Schulwegplan", "Schulwegpläne", "m"),
            ("Elternhaltestelle", "Elternhaltestellen", "f"),
            ("Laufbus", "Laufbusse", "m"),
            ("Schulsozialarbeit", "Schulsozialarbeiten", "f"),
            ("Elternbeitrag", "Elternbeiträge", "m"),
            ("Mittagessen", "Mittagessen", "n"),
            ("Tagespflegeperson", "Tagespflegepersonen", "f"),
            ("Schulentwicklungsplan", "Schulentwicklungspläne", "m"),
        ],
        [
            "Kita",
            "Grundschule",
            "Schulweg",
            "Ganztag",
            "Inklusion",
            "Elternbeiträge",
            "Kindertagespflege",
            "Schulsozialarbeit",
            "Medienbildung",
            "Sprachförderung",
            "Schulentwicklung",
            "Fachkräftemangel",
            "Kinderbetreuung",
            "Schulbau",
        ],
        [
            "Ab {J} gilt der Rechtsanspruch auf Ganztagsbetreuung für Grundschulkinder stufenweise.",
            "Die Vergabe der Kitaplätze für das Kindergartenjahr erfolgt über das Kita-Portal bis zum {Z}. {M}.",
            "Elternhaltestellen in {O} entlasten den Bereich direkt vor der Grundschule.",
            "Ein Laufbus ist eine Gruppe von Kindern, die zu festen Zeiten gemeinsam zur Schule geht.",
            "In den Kindertagesstätten fehlen derzeit rund {Z} Fachkräfte.",
            "Die Elternbeiträge richten sich nach dem Einkommen und sind in der Satzung geregelt.",
            "Der Schulentwicklungsplan rechnet für {O} mit steigenden Schülerzahlen bis {J}.",
            "Schulsozialarbeit ist an allen weiterführenden Schulen mit mindestens einer halben Stelle vertreten.",
            "Für die Mittagsverpflegung im Ganztag wurde {J} ein neuer Caterer ausgeschrieben.",
            "Die Kindertagespflege ergänzt die Kitas vor allem bei Kindern unter drei Jahren.",
        ],
        [
            "Anmeldung und Vergabe",
            "Räume und Ausstattung",
            "Personal",
            "Schulwege",
            "Zusammenarbeit mit Eltern",
            "Finanzierung",
        ],
        [
            "Schulwegplan jährlich mit Polizei und Schule überprüfen",
            "Anmeldefristen in der Kita-Satzung veröffentlichen",
            "Raumbedarf für den Ganztag früh melden",
            "Eltern beim Start des Laufbusses begleiten",
            "Fachkräfte aus der Kindertagespflege einbinden",
        ],
    ),
    Topic(
        "Jugendarbeit",
        [
            "Jugend",
            "Ferien",
            "Jugendzentrums",
            "Streetwork",
            "Beteiligungs",
            "Freizeit",
            "Jugendschutz",
            "Präventions",
            "Vereins",
            "Kinderschutz",
            "Sport",
            "Medienkompetenz",
            "Jugendförder",
            "Betreuer",
        ],
        [
            "angebot",
            "treff",
            "freizeit",
            "arbeit",
            "projekt",
            "team",
            "konzept",
            "programm",
            "konferenz",
            "budget",
        ],
        [
            ("Jugendzentrum", "Jugendzentren", "n"),
            ("Ferienfreizeit", "Ferienfreizeiten", "f"),
            ("Streetwork", "Streetworkangebote", "n"),
            ("Jugendparlament", "Jugendparlamente", "n"),
            ("Pumptrack", "Pumptracks", "m"),
            ("Skateanlage", "Skateanlagen", "f"),
            ("Jugendleitercard", "Jugendleitercards", "f"),
            ("Ferienspaß", "Ferienspaßaktionen", "m"),
            ("Präventionsprojekt", "Präventionsprojekte", "n"),
            ("Jugendbeteiligung", "Jugendbeteiligungen", "f"),
            ("Jugendtreff", "Jugendtreffs", "m"),
            ("Kinderschutzkonzept", "Kinderschutzkonzepte", "n"),
        ],
        [
            "Jugendliche",
            "Jugendbeteiligung",
            "Ferien",
            "Prävention",
            "Kinderschutz",
            "Jugendzentrum",
            "Streetwork",
            "Sport",
            "Vereine",
            "Medienkompetenz",
            "Suchtprävention",
            "Freizeit",
            "Jugendschutz",
        ],
        [
            "Die Ferienfreizeit nach {O} war mit {Z} Kindern und {Z} Betreuerinnen und Betreuern ausgebucht.",
            "Streetworker sind in der Innenstadt von {O} an drei Abenden pro Woche unterwegs.",
            "Beim Pumptrack haben Jugendliche von der ersten Skizze bis zur Eröffnung mitgeplant.",
            "Das Jugendparlament hat {J} ein eigenes Budget von {G} Euro erhalten.",
            "Betreuerinnen und Betreuer brauchen eine Jugendleitercard und ein erweitertes Führungszeugnis.",
            "Das Jugendzentrum in {O} ist dienstags bis samstags ab 14 Uhr geöffnet.",
            "Zuschüsse für Ferienfreizeiten der Vereine werden bis zum {Z}. {M} beantragt.",
            "Das Kinderschutzkonzept regelt Verfahren bei Verdacht auf Kindeswohlgefährdung.",
            "Präventionsprojekte zu Sucht und Mediennutzung laufen gemeinsam mit den Schulen.",
            "Jugendliche wünschen sich vor allem Treffpunkte ohne Konsumzwang.",
        ],
        [
            "Beteiligung",
            "Betreuung und Aufsicht",
            "Versicherung und Haftung",
            "Anmeldung",
            "Zusammenarbeit mit Vereinen",
            "Angebote vor Ort",
        ],
        [
            "Führungszeugnisse vor der Freizeit einsehen",
            "Notfallnummern an alle Betreuenden verteilen",
            "Jugendliche an der Auswahl der Angebote beteiligen",
            "Zuschussantrag fristgerecht einreichen",
            "Elternabend vor der Abfahrt anbieten",
        ],
    ),
    Topic(
        "Stadtplanung",
        [
            "Bebauungs",
            "Flächennutzungs",
            "Bauleit",
            "Innenstadt",
            "Quartiers",
            "Leerstands",
            "Wohnraum",
            "Städtebau",
            "Rahmen",
            "Verkehrs",
            "Stadtentwicklungs",
            "Gestaltungs",
            "Sanierungsgebiets",
            "Ortskern",
            "Förder",
            "Dorfentwicklungs",
        ],
        [
            "plan",
            "gebiet",
            "fläche",
            "entwurf",
            "satzung",
            "beteiligung",
            "management",
            "konzept",
            "verfahren",
            "wegweiser",
        ],
        [
            ("Bebauungsplan", "Bebauungspläne", "m"),
            ("Flächennutzungsplan", "Flächennutzungspläne", "m"),
            ("Öffentlichkeitsbeteiligung", "Öffentlichkeitsbeteiligungen", "f"),
            ("Stellungnahme", "Stellungnahmen", "f"),
            ("Leerstandsmanagement", "Leerstandsmanagements", "n"),
            ("Innenstadtentwicklung", "Innenstadtentwicklungen", "f"),
            ("Baulücke", "Baulücken", "f"),
            ("Städtebauförderung", "Städtebauförderungen", "f"),
            ("Beteiligungsportal", "Beteiligungsportale", "n"),
            ("Gestaltungssatzung", "Gestaltungssatzungen", "f"),
            ("Quartiersmanagement", "Quartiersmanagements", "n"),
            ("Dorferneuerung", "Dorferneuerungen", "f"),
        ],
        [
            "Bauleitplanung",
            "Innenstadt",
            "Leerstand",
            "Bürgerbeteiligung",
            "Wohnen",
            "Städtebauförderung",
            "Verkehrsplanung",
            "Dorfentwicklung",
            "Baukultur",
            "Einzelhandel",
            "Flächenmanagement",
            "Denkmalschutz",
            "Quartiersentwicklung",
        ],
        [
            "Der Bebauungsplan für {O} lag im {M} {J} einen Monat öffentlich aus.",
            "Stellungnahmen können über das Beteiligungsportal oder schriftlich abgegeben werden.",
            "Das Leerstandsmanagement vermittelt leerstehende Ladenlokale in der Innenstadt an Gründerinnen.",
            "Über die Städtebauförderung wurden {J} rund {G} Tausend Euro für den Ortskern von {O} bewilligt.",
            "Das Baulückenkataster umfasst {G} Grundstücke, die sofort bebaut werden könnten.",
            "Die Gestaltungssatzung regelt Werbeanlagen, Fassadenfarben und Dachformen.",
            "Die frühzeitige Öffentlichkeitsbeteiligung findet vor dem Entwurfsbeschluss statt.",
            "Im Flächennutzungsplan sind neue Wohnbauflächen in {O} dargestellt.",
            "Das Quartiersmanagement hat ein Büro direkt im Stadtteilzentrum von {O}.",
            "Für die Dorferneuerung in {O} können private Eigentümer Zuschüsse beantragen.",
        ],
        [
            "Verfahrensschritte",
            "Beteiligung der Öffentlichkeit",
            "Abwägung",
            "Innenstadt beleben",
            "Förderkulisse",
            "Planungsrecht",
        ],
        [
            "Auslegungsfrist im Amtsblatt bekannt machen",
            "Stellungnahmen der Behörden fristgerecht einholen",
            "Abwägungstabelle für den Ausschuss vorbereiten",
            "Eigentümer leerstehender Ladenlokale persönlich ansprechen",
            "Planunterlagen barrierefrei im Portal veröffentlichen",
        ],
    ),
]
GLOBAL_TAGS = [
    "Digitalisierung",
    "Förderprogramme",
    "Bürgerbeteiligung",
    "Ehrenamt",
    "Interkommunale Zusammenarbeit",
    "Öffentlichkeitsarbeit",
    "Datenschutz",
    "Barrierefreiheit",
    "Senioren",
    "Familien",
    "Nachhaltigkeit",
    "Vergabe",
    "Fortbildung",
    "Innenstadt",
    "Mobilität",
    "Ortsteile",
    "Projektmanagement",
    "Gleichstellung",
    "Einfache Sprache",
    "Ratsbeschluss",
    "Wissenstransfer",
    "Qualitätsmanagement",
    "Kooperation",
]

# --- generic sentences: {S} subject, {N} another topic noun, {O} Ortsteil, {C} city, ... -----
SENTENCES = [
    "{S_nom} ist seit {J} fester Bestandteil der Arbeit {D_dat}.",
    "Seit {M} {J} kümmert sich ein kleines Team um {S_acc}.",
    "Auslöser war ein Beschluss des Rates aus dem Jahr {J}.",
    "Zuständig: {D}; bei Fragen hilft die {ROLE} weiter.",
    "In {O} haben wir {S_acc} zuerst erprobt, bevor das Verfahren auf die ganze Stadt übertragen wurde.",
    "Die Erfahrungen aus {O} zeigen, dass {S_nom} ohne klare Zuständigkeiten nicht funktioniert.",
    "Für {S_acc} stehen jährlich rund {G} Euro im Haushalt bereit.",
    "Ein Teil der Kosten wird über ein Förderprogramm von {P} getragen.",
    "Der Förderantrag muss vor Beginn der Maßnahme gestellt werden, sonst ist eine Förderung ausgeschlossen.",
    "Wichtig ist, {N_acc} frühzeitig mit {P} abzustimmen.",
    "{N_nom} und {N2_nom} hängen eng zusammen und sollten gemeinsam geplant werden.",
    "Die {N_pl} werden zweimal im Jahr überprüft und im Fachverfahren dokumentiert.",
    "Bei den {N_pl_dat} gab es {J} deutlich mehr Rückfragen als erwartet.",
    "Rückblickend war {S_nom} {ADJ}, hat sich aber gelohnt.",
    "Viele Kolleginnen und Kollegen fanden den Einstieg in {S_acc} zunächst {ADJ}.",
    "Die Zusammenarbeit mit {P} läuft über eine feste Ansprechperson.",
    "Bürgerinnen und Bürger können sich telefonisch, per E-Mail oder persönlich im Rathaus melden.",
    "Anfragen zu {S_dat} landen meist zuerst beim Bürgerservice und werden dann weitergeleitet.",
    "Ein Merkblatt in einfacher Sprache erklärt die wichtigsten Schritte.",
    "Die Unterlagen liegen {D_dat} in der E-Akte unter dem Aktenzeichen des Vorgangs.",
    "Wir empfehlen, {N_acc} mindestens {Z} Wochen im Voraus zu planen.",
    "Pro Jahr bearbeitet das Team etwa {G} Vorgänge zu {S_dat}.",
    "Die durchschnittliche Bearbeitungszeit liegt bei {Z} Arbeitstagen.",
    "Im Vergleich zum Vorjahr ist die Zahl der Anträge um {Q} Prozent gestiegen.",
    "Die Rückmeldungen aus den Ortsteilen waren überwiegend positiv.",
    "Kritisch gesehen wurde vor allem der hohe Abstimmungsaufwand zwischen den Fachdiensten.",
    "Für {C} ist {S_nom} Teil der Strategie bis {J}.",
    "{C} und die Nachbarstadt tauschen sich zweimal im Jahr zu {S_dat} aus.",
    "Die Nachbarstadt hat sich bewusst für einen anderen Weg entschieden.",
    "Eine Checkliste für {S_acc} steht im Intranet zur Verfügung.",
    "Der Ausschuss für Umwelt, Planung und Bauen wird regelmäßig über den Stand informiert.",
    "Im {M} {J} wurde das Verfahren evaluiert und an mehreren Stellen vereinfacht.",
    "Als Stolperstein erwies sich die Abstimmung mit {P}.",
    "Datenschutzrechtlich wurde {S_nom} mit der Datenschutzbeauftragten abgestimmt.",
    "Bei Personalwechsel sorgt eine Übergabemappe dafür, dass Wissen nicht verloren geht.",
    "Die Vorlage für den Rat enthält Kosten, Zeitplan und Risiken.",
    "Rund {Q} Prozent der Befragten kannten {S_acc} bereits.",
    "Eine Öffentlichkeitskampagne mit Plakaten, Presse und Social Media begleitete den Start.",
    "In {O} gibt es inzwischen eine feste Sprechstunde zu {S_dat}.",
    "Die Sprechzeiten sind dienstags von 8 bis 12 Uhr und donnerstags von 14 bis 18 Uhr.",
    "Für Rückfragen steht die unten genannte Ansprechperson zur Verfügung.",
    "Die Vergabe der Leistungen erfolgte nach einer beschränkten Ausschreibung.",
    "Den Zuschlag erhielt ein regionales Unternehmen aus dem Hochsauerlandkreis.",
    "Die Umsetzung hat etwa {Z} Monate länger gedauert als geplant.",
    "Gründe waren Lieferengpässe, Personalausfälle und zusätzliche Abstimmungen.",
    "Die wichtigsten Kennzahlen werden quartalsweise im Controlling-Bericht veröffentlicht.",
    "Neue Kolleginnen und Kollegen werden in den ersten Wochen von einer Patin begleitet.",
    "{N_nom} war in der Evaluation das meistgenannte Thema.",
    "Beim nächsten Mal würden wir {N_acc} früher in den Blick nehmen.",
    "Ohne die Unterstützung von {P} wäre das Projekt nicht möglich gewesen.",
    "Die Ortsvorsteherinnen und Ortsvorsteher wurden frühzeitig beteiligt.",
    "In der Ratssitzung im {M} wurde {S_nom} einstimmig beschlossen.",
    "Für {O} ist eine Erweiterung ab {J} vorgesehen.",
    "Eine Fortbildung zu {S_dat} findet jährlich im Studieninstitut statt.",
    "Mit {Z} Teilnehmenden war die Informationsveranstaltung in {O} gut besucht.",
    "Hinweise und Beschwerden werden im Ideen- und Beschwerdemanagement erfasst.",
    "Wer {N_acc} beantragen möchte, braucht Personalausweis, Nachweise und gegebenenfalls eine Vollmacht.",
    "Die Formulare stehen im Serviceportal der Stadt als ausfüllbare PDF-Dateien bereit.",
    "Seit der Einführung des Onlinedienstes gehen {Q} Prozent der Anträge digital ein.",
    "Die Fristen ergeben sich aus der Satzung und den Förderrichtlinien.",
    "Die Verantwortung liegt {D_dat}, die Umsetzung erfolgt gemeinsam mit {P}.",
    "Mehrere Kommunen aus Südwestfalen haben sich unser Vorgehen bereits angesehen.",
    "Wichtigste Erkenntnis: {N_nom} muss von Anfang an mitgedacht werden.",
    "Das Thema {S} wird auch im kommenden Haushaltsjahr eine Rolle spielen.",
    "Im Intranet gibt es eine Sammlung häufiger Fragen zu {S_dat}.",
    "Ein Praxistipp aus {O}: Termine immer schriftlich bestätigen.",
    "Die Abstimmung mit dem Personalrat war nach zwei Gesprächen abgeschlossen.",
    "Die Zahl der Beschwerden ist seit {J} deutlich zurückgegangen.",
    "Einige Schritte laufen noch auf Papier und sollen bis {J} digitalisiert werden.",
    "Besonders ältere Menschen schätzen die persönliche Beratung vor Ort.",
    "Für Menschen mit Behinderung gibt es einen barrierefreien Zugang im Erdgeschoss.",
    "Die Öffentlichkeitsarbeit übernimmt die Pressestelle in Abstimmung mit den Fachleuten {D_dat}.",
    "Die {N_pl} sind im Geoportal der Stadt verzeichnet.",
    "Aus {S_dat} ist inzwischen ein dauerhaftes Angebot geworden.",
    "Die Kosten pro Fall liegen bei etwa {G} Euro.",
    "Im Rahmen der interkommunalen Zusammenarbeit nutzen beide Städte dieselbe Software.",
    "Die Bürgermeisterin hat {S_acc} zur Chefsache erklärt.",
    "Gerade in kleinen Ortsteilen wie {O} sind kurze Wege ein Vorteil.",
    "Die Beteiligten treffen sich monatlich zu einem kurzen Jour fixe.",
    "Der Aufwand für die Dokumentation wird häufig unterschätzt.",
    "Ohne eine verbindliche Dienstanweisung bleibt vieles dem Zufall überlassen.",
    "Welche Unterlagen benötigt werden, hängt vom Einzelfall ab.",
    "In dringenden Fällen kann die Bearbeitung beschleunigt werden.",
    "Die Anzahl der {N_pl} hat sich seit {J} verdoppelt.",
    "Eine Befragung im {M} ergab eine Zufriedenheit von {Q} Prozent.",
    "Offene Punkte werden in einer gemeinsamen Liste im Teams-Kanal gesammelt.",
    "Die Mittel aus dem Förderprogramm müssen bis Ende {J} abgerufen werden.",
    "Nach Abschluss der Pilotphase entscheidet der Rat über die Verstetigung.",
    "Für {C} war das ein wichtiger Schritt zu einer modernen Verwaltung.",
]
SUMMARIES = [
    "Der Beitrag beschreibt, wie {C} {S_acc} organisiert und welche Erfahrungen wir seit {J} gemacht haben.",
    "Überblick über Zuständigkeiten, Ablauf und Fristen bei {S_dat} in {C}.",
    "Was bei {S_dat} zu beachten ist, wer zuständig ist und wo es Unterlagen gibt.",
    "Praxisbericht aus {O}: {S} von der Idee bis zur Umsetzung.",
    "Wie {S_nom} in {C} funktioniert und was wir beim nächsten Mal anders machen würden.",
    "Kurzanleitung zu {S_dat} mit Checkliste, Ansprechpersonen und häufigen Fragen.",
    "Erfahrungen mit {S_dat} und {N2_dat} {D_dat}.",
    "Der Artikel fasst Stand, Kosten und nächste Schritte bei {S_dat} zusammen.",
]
TITLES = [
    "{S} in {O}: {ASPECT}",
    "{S}: {ASPECT}",
    "{S} in {C}",
    "{S} und {N}: {ASPECT}",
    "Praxisbericht: {S} in {O}",
    "Checkliste {S}",
    "Leitfaden {S}",
    "{S} – {ASPECT}",
    "Häufige Fragen zu {S_dat}",
    "{S} {J}: {ASPECT}",
]
ASPECTS = [
    "Ablauf und Zuständigkeiten",
    "Erfahrungen aus dem ersten Jahr",
    "Fristen, Formulare, Ansprechpersonen",
    "was sich bewährt hat",
    "Stand {J}",
    "Kosten und Förderung",
    "ein Praxisbericht",
    "Schritt für Schritt",
    "häufige Fragen aus der Beratung",
    "Zusammenarbeit mit {P}",
    "Lessons learned",
    "Planung, Umsetzung, Evaluation",
    "neue Regelungen ab {J}",
    "Tipps für die Einrichtung",
    "Organisation im Alltag",
]
HEADINGS = [
    "Ausgangslage",
    "Ziele",
    "Vorgehen",
    "Zuständigkeiten",
    "Ablauf im Überblick",
    "Erfahrungen",
    "Kosten und Finanzierung",
    "Fördermöglichkeiten",
    "Rechtliche Grundlagen",
    "Zeitplan",
    "Beteiligte",
    "Was gut funktioniert",
    "Stolpersteine",
    "Tipps für die Praxis",
    "Ausblick",
    "Häufige Fragen",
    "Kennzahlen",
    "Checkliste",
    "Kommunikation",
    "Nächste Schritte",
    "Hintergrund",
    "Organisation",
    "Evaluation",
    "Erfahrungen aus {O}",
    "Was {C} anders macht",
    "{S} im Alltag",
    "Stand {J}",
]
ITEMS = [
    "{N_acc} frühzeitig mit {P} abstimmen",
    "Unterlagen vollständig in der E-Akte ablegen",
    "Ansprechperson {D_dat} benennen",
    "Fristen im Kalender des Teams eintragen",
    "Merkblatt in einfacher Sprache bereitstellen",
    "Kosten für {N_acc} im Haushalt anmelden",
    "Rückmeldungen aus {O} auswerten",
    "Personalrat rechtzeitig beteiligen",
    "Datenschutz mit der Datenschutzbeauftragten klären",
    "Vertretung für Urlaub und Krankheit regeln",
    "Pressestelle vor dem Start informieren",
    "Erfahrungen nach {Z} Monaten auswerten",
    "Formulare im Serviceportal aktualisieren",
    "{N_pl} jährlich überprüfen",
    "Beschluss des Ausschusses abwarten",
    "Ortsvorsteher in {O} einbinden",
    "Fördermittel bis {M} abrufen",
    "Nachweise für den Verwendungsnachweis sammeln",
]

# --- departments, people -------------------------------------------------------------------------
# (name, city or None for both, topic indices)
DEPARTMENTS = [
    ("Fachdienst Bürgerdienste", "Arnsberg", [0, 3]),
    ("Fachdienst Personal und Organisation", "Arnsberg", [0]),
    ("Fachdienst Finanzen", "Arnsberg", [0]),
    ("Fachdienst Recht und Vergabe", "Arnsberg", [0]),
    ("Technische Dienste, Abteilung Straßenreinigung", "Arnsberg", [0]),
    ("Technische Dienste, Abteilung Stadtgrün", "Arnsberg", [0, 2]),
    ("Fachdienst Gebäudemanagement", "Arnsberg", [1, 6]),
    ("Fachdienst Umwelt und Klimaanpassung", "Arnsberg", [1, 2]),
    ("Klimaschutzmanagement Arnsberg", "Arnsberg", [1]),
    ("Fachdienst Stadtentwässerung", "Arnsberg", [2]),
    ("Fachdienst Senioren und Soziales", "Arnsberg", [2, 3]),
    ("Fachdienst Ausländerangelegenheiten", "Arnsberg", [3]),
    ("Fachdienst Integration", "Arnsberg", [3]),
    ("Feuerwehr und Bevölkerungsschutz", "Arnsberg", [4]),
    ("Fachdienst Ordnung und Sicherheit", "Arnsberg", [4, 0]),
    ("Stabsstelle Digitalisierung", "Arnsberg", [5, 0]),
    ("Fachdienst IT-Service", "Arnsberg", [5]),
    ("Fachdienst Verkehr und Mobilität", "Arnsberg", [5, 8, 1]),
    ("Fachdienst Schule und Sport", "Arnsberg", [6]),
    ("Fachdienst Kindertagesbetreuung", "Arnsberg", [6]),
    ("Fachdienst Jugendförderung", "Arnsberg", [7]),
    ("Fachdienst Kinder- und Jugendschutz", "Arnsberg", [7, 6]),
    ("Fachdienst Stadtplanung", "Arnsberg", [8]),
    ("Fachdienst Bauordnung", "Arnsberg", [8]),
    ("Fachdienst Stadtentwicklung und Wirtschaftsförderung", "Arnsberg", [8, 5]),
    ("Zukunftsagentur Arnsberg", "Arnsberg", [8, 1]),
    ("Pressestelle Arnsberg", "Arnsberg", [0, 4]),
    ("Fachbereich Bürgerservice und Ordnung", "Sundern", [0, 3, 4]),
    ("Fachbereich Zentrale Dienste", "Sundern", [0]),
    ("Fachbereich Finanzen und Steuern", "Sundern", [0]),
    ("Baubetriebshof", "Sundern", [0, 2]),
    ("Fachbereich Gebäudewirtschaft", "Sundern", [1, 6]),
    ("Fachbereich Planen, Bauen und Umwelt", "Sundern", [8, 2, 1]),
    ("Sachgebiet Klimaschutz und Energie", "Sundern", [1]),
    ("Sachgebiet Umwelt und Grünflächen", "Sundern", [2]),
    ("Fachbereich Soziales und Senioren", "Sundern", [2, 3]),
    ("Integrationsbeauftragte", "Sundern", [3]),
    ("Sachgebiet Asyl und Unterbringung", "Sundern", [3]),
    ("Sachgebiet Bevölkerungsschutz", "Sundern", [4]),
    ("Freiwillige Feuerwehr Sundern", "Sundern", [4]),
    ("Sachgebiet Digitalisierung und IT", "Sundern", [5, 0]),
    ("Fachbereich Jugend, Schule und Sport", "Sundern", [6, 7]),
    ("Sachgebiet Kindertagesbetreuung", "Sundern", [6]),
    ("Kinder- und Jugendarbeit Sundern", "Sundern", [7]),
    ("Sachgebiet Stadtplanung", "Sundern", [8]),
    ("Wirtschaftsförderung und Stadtmarketing", "Sundern", [8, 5]),
    ("Stadtbücherei Sundern", "Sundern", [3, 6]),
    ("Tourismus und Kultur Sundern", "Sundern", [8, 7]),
    ("Sachgebiet Tiefbau und Verkehr", "Sundern", [8, 2]),
    ("Stadtwerke Sundern, Wasserversorgung", "Sundern", [4, 2, 1]),
    ("Personal und Organisation (gemeinsame Projektgruppe beider Städte)", None, [0]),
    ("Klimaschutzmanagement (beide Städte)", None, [1]),
    ("Stadtentwässerung und Umweltplanung (beide Städte)", None, [2]),
    ("Fachdienst Integration (Arnsberg) und Fachbereich Soziales (Sundern)", None, [3]),
    ("Gemeinsamer Krisenstab (beide Städte)", None, [4]),
    ("IT und Digitalisierung (beide Städte)", None, [5]),
    ("Stabsstelle Digitalisierung (beide Städte)", None, [5]),
    ("Schulverwaltung (interkommunal)", None, [6]),
    ("Jugendhilfeplanung (beide Städte)", None, [7]),
    ("Regionale Planungsgruppe (beide Städte)", None, [8]),
]
FIRST_NAMES = [
    "Katrin",
    "Anja",
    "Ralf",
    "Markus",
    "Sabine",
    "Jan",
    "Lena",
    "Stefan",
    "Miriam",
    "Gisela",
    "Andreas",
    "Hannah",
    "Felix",
    "Nermin",
    "Claudia",
    "Olga",
    "Samira",
    "Christian",
    "Bernd",
    "Tobias",
    "Monika",
    "Kevin",
    "Julia",
    "Philipp",
    "Petra",
    "Sandra",
    "Michael",
    "Deniz",
    "Lisa",
    "Tim",
    "Carolin",
    "Matthias",
    "Thomas",
    "Birgit",
    "Heike",
    "Frank",
    "Jürgen",
    "Susanne",
    "Nicole",
    "Daniel",
    "Sebastian",
    "Martina",
    "Ulrike",
    "Jens",
    "Anna",
    "Laura",
    "Marie",
    "Jonas",
    "Lukas",
    "Elif",
    "Mehmet",
    "Ayşe",
    "Natalia",
    "Dmytro",
    "Oksana",
    "Paul",
    "Simone",
    "Kerstin",
    "Dirk",
    "Torsten",
    "Maren",
    "Svenja",
    "Benedikt",
    "Franziska",
    "Helga",
    "Wolfgang",
    "Rainer",
    "Ingrid",
    "Yvonne",
    "Hendrik",
    "Leonie",
    "Moritz",
    "Greta",
    "Amir",
]
LAST_NAMES = [
    "Wiegand",
    "Kersting",
    "Bödefeld",
    "Tillmann",
    "Frohne",
    "Overhoff",
    "Brüggemann",
    "Rettler",
    "Falke",
    "Vollmer",
    "Kemper",
    "Lübke",
    "Wrede",
    "Aydın",
    "Beckmann",
    "Reimer",
    "Haddad",
    "Padberg",
    "Schmidtmann",
    "Klauke",
    "Hoffmeister",
    "Lange",
    "Neuhaus",
    "Wienand",
    "Kordes",
    "Feldmann",
    "Gerwin",
    "Kaya",
    "Hengsbach",
    "Rademacher",
    "Stratmann",
    "Eickhoff",
    "Schulte",
    "Becker",
    "Hüttemann",
    "Kraft",
    "Rüther",
    "Schröder",
    "Vogt",
    "Hanses",
    "Sauerwald",
    "Gödde",
    "Hesse",
    "Köster",
    "Pieper",
    "Rinke",
    "Schmelter",
    "Tigges",
    "Voß",
    "Wulff",
    "Berkenkopf",
    "Dünnebacke",
    "Enste",
    "Funke",
    "Griese",
    "Heimes",
    "Jürgens",
    "Kleine",
    "Löhr",
    "Menke",
    "Nölke",
    "Otto",
    "Pöttgen",
    "Quinke",
    "Risse",
    "Stemmer",
    "Teipel",
    "Ueberhorst",
    "Vorderwülbecke",
    "Wegener",
    "Zöllner",
    "Albers",
    "Baumeister",
    "Cramer",
    "Droste",
    "Evers",
    "Fromme",
    "Gerke",
    "Hollenstein",
    "Ilgen",
    "Jakobs",
    "Keggenhoff",
    "Linnemann",
    "Mertens",
    "Nies",
    "Osterhaus",
    "Plaßmann",
    "Rameil",
    "Sommer",
    "Thiele",
    "Ulrich",
    "Vielhaber",
    "Wolf",
    "Yilmaz",
    "Zimmermann",
    "Kowalski",
    "Nowak",
    "Petrenko",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Koch",
    "Richter",
    "Klein",
    "Schäfer",
    "Bauer",
    "Hartmann",
    "Krüger",
    "Werner",
    "Lehmann",
    "Schmitz",
    "Krause",
    "Brinkmann",
]

_TRANSLIT = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ı": "i",
        "ş": "s",
        "é": "e",
        "Ä": "ae",
        "Ö": "oe",
        "Ü": "ue",
    }
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _NON_SLUG.sub("-", text.translate(_TRANSLIT).lower()).strip("-")


# --- grammar helpers -----------------------------------------------------------------------------
DEF = {
    "nom": {"m": "der", "f": "die", "n": "das"},
    "acc": {"m": "den", "f": "die", "n": "das"},
    "dat": {"m": "dem", "f": "der", "n": "dem"},
}


def dative_plural(plural: str) -> str:
    return plural if plural.endswith(("n", "s")) else plural + "n"


class NounForms:
    __slots__ = ("bare", "nom", "acc", "dat", "pl", "pl_dat")

    def __init__(self, singular: str, plural: str, gender: str):
        self.bare = singular
        self.nom = f"{DEF['nom'][gender]} {singular}"
        self.acc = f"{DEF['acc'][gender]} {singular}"
        self.dat = f"{DEF['dat'][gender]} {singular}"
        self.pl = plural
        self.pl_dat = dative_plural(plural)


def compound(first: str, head: tuple[str, str, str]) -> tuple[str, str, str]:
    singular, plural, gender = head
    if first.endswith("-"):
        return first + singular.capitalize(), first + plural.capitalize(), gender
    return first + singular, first + plural, gender


# --- templates are pre-split into literals and slots, so filling is cheap -----------------------
_SLOT = re.compile(r"\{(\w+)\}")


def compile_template(template: str) -> tuple[str, ...]:
    return tuple(_SLOT.split(template))  # even indices: literals, odd: slot names


def build_model(rng: random.Random):
    for topic in TOPICS:
        seen = {noun[0] for noun in topic.nouns}
        forms = list(topic.nouns)
        heads = [H[name] for name in dict.fromkeys(topic.heads + COMMON_HEADS)]
        for first in topic.firsts:
            for head in heads:
                word = compound(first, head)
                if word[0] not in seen:
                    seen.add(word[0])
                    forms.append(word)
        topic.compounds = [NounForms(*noun) for noun in forms]

    departments = []
    for name, city, topics in DEPARTMENTS:
        departments.append({"name": name, "city": city, "topics": topics, "contacts": []})

    people = []
    used_emails = set()
    used_names = set()
    person_rng = random.Random(rng.random())
    phone_ext = {"Arnsberg": 100, "Sundern": 100}
    while len(people) < 400:
        first = person_rng.choice(FIRST_NAMES)
        last = person_rng.choice(LAST_NAMES)
        if (first, last) in used_names:
            continue
        used_names.add((first, last))
        city = "Arnsberg" if person_rng.random() < 0.56 else "Sundern"
        local = f"{slugify(first)[0]}.{slugify(last)}"
        if local in used_emails:
            local = f"{slugify(first)}.{slugify(last)}"
        used_emails.add(local)
        phone_ext[city] += person_rng.randint(1, 2)
        person = {
            "name": f"{first} {last}",
            "email": f"{local}@{DOMAIN[city]}",
            "phone": f"{AREA_CODE[city]} 0000-{phone_ext[city]}",
        }
        candidates = [d for d in departments if d["city"] in (city, None)]
        # Small departments (joint project groups) get fewer people.
        weights = [1.0 if d["city"] else 0.3 for d in candidates]
        person_rng.choices(candidates, weights)[0]["contacts"].append(person)
        people.append(person)
    for department in departments:
        if not department["contacts"]:
            department["contacts"].append(person_rng.choice(people))

    by_city_topic: dict[tuple[str | None, int], list[dict]] = {}
    for city in (*CITIES, None):
        for index in range(len(TOPICS)):
            found = [d for d in departments if d["city"] == city and index in d["topics"]]
            if not found:
                found = [d for d in departments if d["city"] == city]
            by_city_topic[(city, index)] = found

    # Zipf-like tag usage: weight 1/rank over each topic's own tags followed by the shared ones.
    tag_pools = []
    for topic in TOPICS:
        shared = [tag for tag in GLOBAL_TAGS if tag != "Interkommunale Zusammenarbeit"]
        pool = list(dict.fromkeys(topic.tags + shared))
        tag_pools.append((pool, [1.0 / (rank + 1) for rank in range(len(pool))]))
    return by_city_topic, tag_pools


class Writer:
    """Fills the pre-split templates for one article."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.random = rng.random
        self.sentences = [compile_template(t) for t in SENTENCES]
        self.topic_sentences = [[compile_template(t) for t in topic.sentences] for topic in TOPICS]
        self.summaries = [compile_template(t) for t in SUMMARIES]
        self.titles = [compile_template(t) for t in TITLES]
        self.aspects = [compile_template(t) for t in ASPECTS]
        self.headings = [compile_template(t) for t in HEADINGS]
        self.topic_headings = [[compile_template(t) for t in topic.headings] for topic in TOPICS]
        self.items = [compile_template(t) for t in ITEMS]
        self.topic_items = [[compile_template(t) for t in topic.items] for topic in TOPICS]
        pick = self.pick
        number = self.number
        self.slots = {
            "S": lambda: self.subject.bare,
            "S_nom": lambda: self.subject.nom,
            "S_acc": lambda: self.subject.acc,
            "S_dat": lambda: self.subject.dat,
            "N": lambda: pick(self.nouns).bare,
            "N_nom": lambda: pick(self.nouns).nom,
            "N_acc": lambda: pick(self.nouns).acc,
            "N_dat": lambda: pick(self.nouns).dat,
            "N_pl": lambda: pick(self.nouns).pl,
            "N_pl_dat": lambda: pick(self.nouns).pl_dat,
            "N2_nom": lambda: self.second.nom,
            "N2_dat": lambda: self.second.dat,
            # Mostly the article's own Ortsteil, sometimes another one.
            "O": lambda: self.ortsteil if self.random() < 0.7 else pick(self.ortsteile),
            "C": lambda: self.city,
            "J": lambda: number(2018, 2026),
            "M": lambda: pick(MONTHS),
            "Z": lambda: number(2, 30),
            "G": lambda: str(number(5, 250) * 10),
            "Q": lambda: number(3, 85),
            "P": lambda: pick(PARTNERS),
            "D": lambda: self.dept,
            "D_dat": lambda: self.dept_dat,
            "ROLE": lambda: pick(ROLES),
            "ADJ": lambda: pick(ADJECTIVES),
            "ASPECT": lambda: self.fill(pick(self.aspects)),
        }
        for parts in (
            self.sentences
            + self.summaries
            + self.titles
            + self.aspects
            + self.headings
            + self.items
            + [p for group in self.topic_sentences for p in group]
            + [p for group in self.topic_headings for p in group]
            + [p for group in self.topic_items for p in group]
        ):
            unknown = set(parts[1::2]) - set(self.slots)
            if unknown:
                raise KeyError(f"unknown slot(s) {unknown} in template {''.join(parts)!r}")

    def pick(self, sequence):
        return sequence[int(self.random() * len(sequence))]

    def number(self, low: int, high: int) -> str:
        return str(low + int(self.random() * (high - low + 1)))

    def start(self, topic: int, subject: NounForms, city: str, ortsteile: list[str], dept: str):
        self.topic = topic
        self.nouns = TOPICS[topic].compounds
        self.subject = subject
        self.city = city
        self.ortsteile = ortsteile
        self.ortsteil = self.pick(ortsteile)
        self.dept = dept
        self.dept_dat = department_dative(dept)
        self.second = self.pick(self.nouns)
        self.used: set[int] = set()

    def fill(self, parts: tuple[str, ...]) -> str:
        if len(parts) == 1:
            return parts[0]
        slots = self.slots
        text = "".join([slots[part]() if index & 1 else part for index, part in enumerate(parts)])
        return text[0].upper() + text[1:] if text[0].islower() else text

    def sentence(self) -> str:
        # Avoid repeating a template within one article (a second try is enough).
        for _ in range(3):
            pool = self.topic_sentences[self.topic] if self.random() < 0.3 else self.sentences
            parts = self.pick(pool)
            if id(parts) not in self.used:
                break
        self.used.add(id(parts))
        return self.fill(parts)

    def paragraph(self, count: int) -> tuple[str, int]:
        text = " ".join([self.sentence() for _ in range(count)])
        return text, text.count(" ") + 1

    def body(self, target: int) -> str:
        rng = self.rng
        blocks = []
        text, words = self.paragraph(rng.randint(2, 4))
        blocks.append(text)
        used_headings = set()
        while words < target:
            pool = self.topic_headings[self.topic] if self.random() < 0.4 else self.headings
            heading = self.fill(self.pick(pool))
            if heading in used_headings:
                continue
            used_headings.add(heading)
            section = [f"## {heading}"]
            text, count = self.paragraph(rng.randint(2, 5))
            section.append(text)
            words += count + heading.count(" ") + 2
            if self.random() < 0.45 and words < target + 40:
                items = []
                for _ in range(rng.randint(3, 6)):
                    pool = self.topic_items[self.topic] if self.random() < 0.4 else self.items
                    item = self.fill(self.pick(pool))
                    if item not in items:
                        items.append(item)
                words += sum(item.count(" ") + 2 for item in items)
                section.append("\n".join(f"- {item}" for item in items))
            # Heading directly followed by its text, blank lines between the other blocks.
            blocks.append(section[0] + "\n" + "\n\n".join(section[1:]))
        body = "\n\n".join(blocks)
        # Keep within 150–600 words ('##' and '-' counted as words, pessimistically).
        while len(blocks) > 2 and word_count(body) > MAX_WORDS:
            blocks.pop()
            body = "\n\n".join(blocks)
        while word_count(body) < MIN_WORDS:
            body += "\n\n" + self.paragraph(3)[0]
        return body


def word_count(text: str) -> int:
    """len(text.split()) for our generated text (single spaces, blank lines between blocks)."""
    return text.count(" ") + text.count("\n") - text.count("\n\n") + 1


_IM = (
    "Fachdienst",
    "Fachbereich",
    "Sachgebiet",
    "Baubetriebshof",
    "Klimaschutzmanagement",
    "Gemeinsamer",
    "IT ",
    "Personal ",
)
_IN_DER = (
    "Stabsstelle",
    "Stadtbücherei",
    "Zukunftsagentur",
    "Pressestelle",
    "Freiwillige",
    "Wirtschaftsförderung",
    "Schulverwaltung",
    "Jugendhilfeplanung",
    "Regionale",
    "Feuerwehr",
    "Integrationsbeauftragte",
    "Kinder- und Jugendarbeit",
    "Stadtentwässerung",
)


def department_dative(name: str) -> str:
    """'im Fachdienst …' / 'in der Stabsstelle …' / 'bei …' for use inside a sentence."""
    if name.startswith(_IM):
        return f"im {name}"
    if name.startswith("Integrationsbeauftragte"):
        return f"bei der {name.replace('beauftragte', 'beauftragten', 1)}"
    if name.startswith(_IN_DER):
        return f"in der {name}"
    return f"bei {name}"


_CONTRACTIONS = (
    ("bei dem ", "beim "),
    ("zu dem ", "zum "),
    ("zu der ", "zur "),
    ("in dem ", "im "),
    ("von dem ", "vom "),
    ("Bei dem ", "Beim "),
    ("Zu dem ", "Zum "),
    ("In dem ", "Im "),
)


def contract(text: str) -> str:
    for long, short in _CONTRACTIONS:
        if long in text:
            text = text.replace(long, short)
    return text


def random_date(rng: random.Random) -> str:
    start = datetime.date(2022, 1, 1).toordinal()
    end = datetime.date(2026, 10, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end)).isoformat()


def generate(count: int, seed: int):
    rng = random.Random(seed)
    by_city_topic, tag_pools = build_model(rng)
    writer = Writer(rng)
    slugs: set[str] = set()
    earlier: dict[tuple[str, int], list[str]] = {}
    # Topic frequencies differ a little, as in a real knowledge base.
    topic_weights = [1.4, 1.1, 1.0, 0.9, 0.7, 0.8, 1.2, 0.8, 1.1]
    topic_indices = list(range(len(TOPICS)))
    for _ in range(count):
        topic_index = rng.choices(topic_indices, topic_weights)[0]
        topic = TOPICS[topic_index]
        roll = rng.random()
        if roll < 0.1:
            cities, key = list(BOTH), None
            ortsteile = ORTSTEILE["Arnsberg"] + ORTSTEILE["Sundern"]
            city_label = "Arnsberg und Sundern"
        else:
            key = "Arnsberg" if roll < 0.6 else "Sundern"
            cities, ortsteile, city_label = [key], ORTSTEILE[key], key
        department = rng.choice(by_city_topic[(key, topic_index)])
        # Subjects: stand-alone topic nouns more often than generated compounds.
        if rng.random() < 0.35:
            subject = topic.compounds[rng.randrange(len(topic.nouns))]
        else:
            subject = rng.choice(topic.compounds)
        writer.start(topic_index, subject, city_label, ortsteile, department["name"])

        title = contract(writer.fill(rng.choice(writer.titles)))
        prefix = "-".join(slugify(c) for c in cities)
        base = f"{prefix}-{slugify(subject.bare)}-{slugify(writer.ortsteil)}"
        slug, number = base, 2
        while slug in slugs:
            slug, number = f"{base}-{number}", number + 1
        slugs.add(slug)

        pool, weights = tag_pools[topic_index]
        wanted = rng.choices((2, 3, 4, 5, 6), (3, 4, 3, 2, 1))[0]
        tags = list(dict.fromkeys(rng.choices(pool, weights, k=wanted + 4)))[:wanted]
        while len(tags) < 2:
            tag = rng.choice(pool)
            if tag not in tags:
                tags.append(tag)
        if len(cities) == 2 and "Interkommunale Zusammenarbeit" not in tags and len(tags) < 6:
            tags.append("Interkommunale Zusammenarbeit")

        summary_count = 1 if rng.random() < 0.6 else 2
        summary = contract(
            " ".join(writer.fill(rng.choice(writer.summaries)) for _ in range(summary_count))
        )
        body = contract(writer.body(int(rng.triangular(160, 560, 320))))
        record = {
            "slug": slug,
            "title": title,
            "cities": cities,
            "topic": topic.name,
            "department": department["name"],
            "tags": tags,
            "summary": summary,
            "body": body,
            "contact": rng.choice(department["contacts"]),
            "date": random_date(rng),
        }
        if key is not None:
            other = "Sundern" if key == "Arnsberg" else "Arnsberg"
            candidates = earlier.get((other, topic_index))
            if candidates and rng.random() < 0.23:
                record["counterpart"] = rng.choice(candidates)
            earlier.setdefault((key, topic_index), []).append(slug)
        yield record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("output", help="output JSONL file ('-' for standard output)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    handle = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        buffer = []
        for record in generate(args.count, args.seed):
            buffer.append(dumps(record))
            if len(buffer) >= 1000:
                handle.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            handle.write("\n".join(buffer) + "\n")
    finally:
        if handle is not sys.stdout:
            handle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
