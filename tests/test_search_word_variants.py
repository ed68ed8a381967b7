"""German word forms, legal references and spelling variants meet (issue 11), through the
JSON API on one small collection: each article is written one way, staff search another."""

import json

import pytest

from kb.importer import import_file
from kb.topics import ensure_default_topics

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"


def record(slug: str, title: str, body: str) -> dict:
    return {
        "slug": slug,
        "title": title,
        "cities": ["Arnsberg"],
        "topic": "Kommunalverwaltung & Daseinsvorsorge",
        "department": "Fachdienst Organisation",
        "tags": ["Verwaltung"],
        "summary": "Ein Beitrag aus der Praxis der Verwaltung.",
        "body": body,
        "contact": None,
        "date": "2025-01-15",
    }


ARTICLES = [
    record("wv-buerger", "Sprechstunde für Bürger", "Bürger fragen, die Verwaltung antwortet."),
    record("wv-autor", "Hinweise für Autoren", "Jeder Autor prüft seinen Text vor der Freigabe."),
    record("wv-chef", "Vertretung des Chefs", "Ist der Chef im Urlaub, zeichnet die Vertretung."),
    record("wv-mitarbeitende", "Einarbeitung", "Neue Mitarbeitende erhalten einen Laptop."),
    record("wv-studierende", "Praktikum", "Studierende der Hochschule kommen im Sommer."),
    record("wv-lehrkraefte", "Schulbegleitung", "Lehrkräfte melden den Bedarf beim Schulamt."),
    record("wv-gefluechtete", "Wohnungen", "Geflüchtete ziehen in städtische Wohnungen."),
    record("wv-aussenbereich", "Bauen im Außenbereich", "Vorhaben nach § 35 BauGB brauchen Rat."),
    record("wv-homeoffice", "Arbeit von zu Hause", "Die Dienstvereinbarung zum Home-Office gilt."),
    record("wv-mobilfunk", "Netzausbau", "Ein neuer Mobilfunkmast steht am Ortsrand."),
    record("wv-fotovoltaik", "Strom vom Dach", "Die Fotovoltaik auf dem Rathausdach läuft."),
    record("wv-email", "Postfach", "Anfragen per E-Mail beantworten wir binnen drei Tagen."),
    record("wv-kita", "Anmeldung", "Die KiTa nimmt Anmeldungen im Januar an."),
    record("wv-zuschuss", "Zuschuss", "Der Zuschuss beträgt 2.000 Euro je Gebäude."),
    record("wv-strasse", "Baustelle", "Die Hauptverwaltung liegt in der Lange Straße 20."),
    record("wv-thema", "Themen der Sitzung", "Das Thema der Sitzung war offen."),
    record("wv-probleme", "Meldungen", "Probleme mit dem Drucker meldet man der IT."),
    record("wv-autos", "Fuhrpark", "Die Autos des Fuhrparks werden geteilt."),
    record("wv-euro", "Kosten", "Die Gebühr liegt bei zehn Euro."),
    record("wv-herr", "Anrede", "Sehr geehrter Herr, wir danken Ihnen."),
    record("wv-museen", "Kultur", "Die Museen der Stadt öffnen sonntags."),
    record("wv-richter", "Amtsgericht", "Der Richter entscheidet über den Antrag."),
    record("wv-burg", "Ausflug", "Die Burg auf dem Berg ist ein Ausflugsziel."),
    record("wv-schule", "Schulhof", "Die Schule öffnet den Hof am Nachmittag."),
]


@pytest.fixture
def variants_collection(db):
    ensure_default_topics()
    import_file("\n".join(json.dumps(r, ensure_ascii=False) for r in ARTICLES).encode())


def found(client, q: str) -> list[str]:
    response = client.get(API, {"q": q, "page_size": 50})
    assert response.status_code == 200, response.content
    return [result["slug"] for result in response.json()["results"]]


def assert_finds(client, slug: str, *queries: str) -> None:
    for q in queries:
        assert slug in found(client, q), q


def test_gender_forms_meet_the_masculine(staff_client, variants_collection):
    assert_finds(
        staff_client,
        "wv-buerger",
        "Bürgerin",
        "Bürgerinnen",
        "Bürger*innen",
        "Bürger:innen",
        "Bürger_innen",
        "BürgerInnen",
    )
    assert_finds(staff_client, "wv-autor", "Autorin", "Autorinnen")
    assert_finds(staff_client, "wv-chef", "Chefin")


def test_participles_meet_the_nouns(staff_client, variants_collection):
    assert_finds(staff_client, "wv-mitarbeitende", "Mitarbeiter", "Mitarbeiterinnen")
    assert_finds(staff_client, "wv-studierende", "Studenten")
    assert_finds(staff_client, "wv-lehrkraefte", "Lehrer")
    assert_finds(staff_client, "wv-gefluechtete", "Flüchtlinge")


def test_legal_references_meet_as_staff_write_them(staff_client, variants_collection):
    for q in ("§ 35 BauGB", "§35 BauGB", "Paragraf 35 Baugesetzbuch", "Paragraph 35 BauGB"):
        assert found(staff_client, q)[:1] == ["wv-aussenbereich"], q
    assert found(staff_client, "§ 35 Abs. 2 BauGB")[:1] == ["wv-aussenbereich"]


def test_spelling_variants_meet(staff_client, variants_collection):
    assert_finds(staff_client, "wv-homeoffice", "Homeoffice", "Home-Office", "Home Office")
    assert_finds(staff_client, "wv-mobilfunk", "Mobilfunk-Mast", "Mobilfunkmast")
    assert_finds(staff_client, "wv-fotovoltaik", "Photovoltaik", "Fotovoltaik")
    assert_finds(staff_client, "wv-email", "Email", "E-Mail", "email")
    assert_finds(staff_client, "wv-kita", "Kita", "KiTa")
    assert_finds(staff_client, "wv-zuschuss", "2000 Euro", "2.000 Euro")
    assert_finds(staff_client, "wv-strasse", "Lange Str.", "Lange Straße")


def test_inflected_forms_meet_the_lemma(staff_client, variants_collection):
    assert_finds(staff_client, "wv-thema", "Themas", "Thema")
    assert_finds(staff_client, "wv-probleme", "Problem")
    assert_finds(staff_client, "wv-autos", "Auto")
    assert_finds(staff_client, "wv-euro", "Euros")
    assert_finds(staff_client, "wv-herr", "Herrn")
    assert_finds(staff_client, "wv-museen", "Museum")


def test_unrelated_words_stay_apart(staff_client, variants_collection):
    assert "wv-richter" not in found(staff_client, "Richtung")
    assert "wv-burg" not in found(staff_client, "Bürger")
    assert "wv-buerger" not in found(staff_client, "Burg")
    assert "wv-schule" not in found(staff_client, "Schüler")
