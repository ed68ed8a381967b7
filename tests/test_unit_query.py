"""Query building (search.query.parse) against an explicit vocabulary, so that what is parsed
does not depend on the index; synonyms come from SynonymGroup rows created here."""

import pytest

from search import vocabulary
from search.models import SynonymGroup
from search.query import MAX_CLAUSES, MAX_QUERY_LENGTH, clean, parse
from search.vocabulary import Vocabulary

pytestmark = pytest.mark.django_db  # parse() reads the editors' synonym groups

VOCABULARY = Vocabulary(
    terms={
        "parkplatz": 3,
        "park": 5,
        "platz": 4,
        "sensor": 2,
        "antrag": 7,
        "antrags": 1,
        "hitzeschutz": 2,
        "hitz": 9,
        "plan": 3,
    }
)
CITIES = {"arnsberg": "arnsberg", "sundern": "sundern"}


@pytest.fixture(autouse=True)
def own_synonyms():
    """Only the synonym groups a test creates (not the seeded ones), and no cached groups from
    another test: the caches are keyed by the index version, which tests do not change."""
    SynonymGroup.objects.all().delete()
    vocabulary.clear()
    yield
    vocabulary.clear()


def synonyms(*groups: str) -> None:
    for terms in groups:
        SynonymGroup.objects.create(terms=terms)
    vocabulary.clear()


def variants(query, index=0) -> dict[tuple[str, ...], float]:
    return {variant.terms: variant.weight for variant in query.clauses[index].variants}


def test_one_clause_per_content_word_stopwords_dropped():
    query = parse("Wie beantrage ich einen Förderantrag für die Kita?", VOCABULARY)
    assert [clause.text for clause in query.clauses] == ["beantrage", "förderantrag", "kita"]
    assert variants(query, 0) == {("beantrag",): 1.0}
    assert query.tag_text == "wie beantrage ich einen förderantrag für die kita?"


def test_a_query_of_stopwords_only_keeps_them():
    query = parse("Die und der", VOCABULARY)
    assert [clause.text for clause in query.clauses] == ["die", "und", "der"]
    assert not query.is_empty
    assert parse("   ", VOCABULARY).is_empty


def test_compound_gets_its_parts_as_a_weaker_variant():
    query = parse("Parkplatzsensoren", VOCABULARY)
    assert variants(query) == {("parkplatzsensor",): 1.0, ("park", "platz", "sensor"): 0.9}
    assert query.all_terms() == {"parkplatzsensor", "park", "platz", "sensor"}


def test_hyphenated_word_gets_its_parts_unless_one_is_a_single_letter():
    query = parse("Katastrophenschutz-Leuchtturm", VOCABULARY)
    # Terms read "ph" as "f" (search.analysis.stem).
    assert variants(query)[("katastrofenschutzleuchtturm",)] == 1.0
    assert variants(query)[("katastrofenschutz", "leuchtturm")] == 0.9
    # "B-Plan" is an abbreviation, not a kind of "Plan": the piece alone finds every Dienstplan.
    assert variants(parse("B-Plan", VOCABULARY)) == {("bplan",): 1.0}


def test_unknown_word_of_five_letters_or_more_gets_near_spellings():
    assert variants(parse("Antrga", VOCABULARY)) == {("antrga",): 1.0, ("antrag",): 0.7}
    assert variants(parse("Hitzeschuts", VOCABULARY))[("hitzeschutz",)] == 0.7


def test_known_and_short_words_get_no_near_spellings():
    # "antrags" is one edit from "antrag", but "antrag" is a known word: no guessing.
    assert variants(parse("Antrag", VOCABULARY)) == {("antrag",): 1.0}
    # Four letters: too short to correct ("plaz" is one edit from "platz").
    assert variants(parse("Plaz", VOCABULARY)) == {("plaz",): 1.0}
    # The whole compound is unknown but its parts are known: no fuzzy variants either.
    assert 0.7 not in variants(parse("Parkplatzsensoren", VOCABULARY)).values()


def test_near_spellings_most_frequent_first_and_at_most_three():
    words = Vocabulary(terms={"sensox": 1, "sensoy": 5, "sensoz": 3, "sensxr": 2, "sensor": 4})
    assert words.near("sensoa") == ["sensoy", "sensor", "sensoz"]
    assert words.near("sens") == []


def test_compound_with_a_misspelt_part_is_corrected_part_by_part():
    words = Vocabulary(terms={"park": 1, "platz": 1, "sensors": 1})
    assert variants(parse("Parkplatzsensoren", words))[("park", "platz", "sensors")] == 0.7


def test_synonyms_become_variants_of_the_word():
    synonyms("Kita, Kindertagesstätte\nKindertageseinrichtung", "B-Plan, Bebauungsplan")
    query = parse("Kita Anmeldung", VOCABULARY)
    assert variants(query, 0) == {
        ("kita",): 1.0,
        ("kindertagesstatt",): 0.9,
        ("kindertageseinricht",): 0.9,
    }
    assert variants(query, 1) == {("anmeld",): 1.0}
    assert variants(parse("B-Plan", VOCABULARY))[("bebauungsplan",)] == 0.9


def test_multi_word_synonym_is_one_clause():
    synonyms("Sozialamt, Amt für Soziales")
    query = parse("Amt für Soziales Öffnungszeiten", VOCABULARY)
    assert [clause.text for clause in query.clauses] == ["amt soziales", "öffnungszeiten"]
    assert variants(query, 0) == {("amt", "sozial"): 1.0, ("sozialamt",): 0.9}
    # And the other way round: the single word finds the multi-word term.
    assert variants(parse("Sozialamt", VOCABULARY))[("amt", "sozial")] == 0.9
    # Without the synonym group the words are separate clauses.
    SynonymGroup.objects.all().delete()
    vocabulary.clear()
    assert len(parse("Amt für Soziales", VOCABULARY).clauses) == 2


def test_quoted_phrase_is_kept_as_stems_and_its_words_are_clauses():
    query = parse('"kühle Orte" bei Hitze', VOCABULARY)
    assert query.phrases == [("kuhl", "ort")]
    assert [clause.text for clause in query.clauses] == ["kühle", "orte", "hitze"]
    assert query.tag_text == "kühle orte bei hitze"
    assert parse('"" Hitze', VOCABULARY).phrases == []


def test_city_name_is_a_preference_not_a_word_to_match():
    query = parse("Laufbus Arnsberg", VOCABULARY, city_names=CITIES)
    assert query.cities == ["arnsberg"]
    assert [clause.text for clause in query.clauses] == ["laufbus"]
    # Without the city list "Arnsberg" is an ordinary word.
    assert len(parse("Laufbus Arnsberg", VOCABULARY).clauses) == 2


def test_a_query_of_only_cities_still_searches_for_them():
    query = parse("Arnsberg", VOCABULARY, city_names=CITIES)
    assert query.cities == ["arnsberg"]
    assert [clause.text for clause in query.clauses] == ["arnsberg"]
    both = parse("Sundern arnsberg sundern", VOCABULARY, city_names=CITIES)
    assert both.cities == ["sundern", "arnsberg"]
    assert len(both.clauses) == 3


def test_clean_truncates_and_removes_control_characters():
    text, truncated = clean("Hitze\x00schutz\tim\x07 Sommer\n\u200b!")
    assert text == "Hitze schutz im Sommer !"
    assert not truncated
    text, truncated = clean("a" * (MAX_QUERY_LENGTH + 50))
    assert truncated and len(text) == MAX_QUERY_LENGTH


def test_long_query_is_truncated_and_flagged():
    raw = "Hitze " * 100 + "Zisterne"
    query = parse(raw, VOCABULARY)
    assert query.truncated and query.raw == raw
    assert len(query.text) <= MAX_QUERY_LENGTH
    assert "zisterne" not in query.tag_text
    assert "\x00" not in parse("Hitze\x00Zisterne", VOCABULARY).text


def test_number_of_clauses_is_capped():
    query = parse(" ".join(f"wort{i}" for i in range(MAX_CLAUSES + 10)), VOCABULARY)
    assert len(query.clauses) == MAX_CLAUSES
    assert query.clauses[-1].text == f"wort{MAX_CLAUSES - 1}"
