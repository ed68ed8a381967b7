"""German text analysis (search.analysis) on its own: the same steps run on articles at index
time and on queries, so a change here changes what every search finds."""

import pytest

from search.analysis import (
    STOPWORDS,
    analyse,
    normalise,
    quoted_phrases,
    split_compound,
    stem,
    stems,
    surface_words,
    word_parts,
    word_terms,
    words,
)

# --- normalise, words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Straße", "strasse"),
        ("GROẞE", "grosse"),
        ("Café Crème", "cafe creme"),
        ("São Paulo Ångström", "sao paulo angström"),
        ("Bürgerbüro ÄRGER Öl", "bürgerbüro ärger öl"),
        ("u\u0308ber", "über"),  # decomposed umlaut becomes the precomposed letter
        ("plain ascii", "plain ascii"),
    ],
)
def test_normalise_folds_case_sharp_s_and_accents_but_keeps_umlauts(text, expected):
    assert normalise(text) == expected


def test_words_are_normalised_and_hyphenated_words_stay_together():
    assert words("Die Straße zum Café-Ausgang, B-Plan!") == [
        "die",
        "strasse",
        "zum",
        "cafe-ausgang",
        "b-plan",
    ]
    # Underscores and punctuation separate words; digits are words.
    assert words("file_name 2024 (x86-64)") == ["file", "name", "2024", "x86-64"]


def test_surface_words_keep_the_spelling_but_split_alike():
    text = "Die Straße zum Café-Ausgang, B-Plan!"
    surface = surface_words(text)
    assert surface == ["Die", "Straße", "zum", "Café-Ausgang", "B-Plan"]
    assert [normalise(word) for word in surface] == words(text)


def test_word_parts_split_only_hyphenated_words():
    assert word_parts("e-akte") == ["e", "akte"]
    assert word_parts("katastrophenschutz-leuchtturm") == ["katastrophenschutz", "leuchtturm"]
    assert word_parts("l’ami") == ["l", "ami"]
    assert word_parts("rathaus") == ["rathaus"]


# --- stemming ----------------------------------------------------------------------------------


def test_inflected_forms_share_a_stem():
    assert stem("förderanträgen") == stem("förderantrag") == "forderantrag"
    assert stem("kinder") == stem("kind")
    assert stem("ämter") == stem("amt")


def test_verb_and_ung_noun_meet():
    assert stem("buchen") == stem("buchung") == "buch"
    assert stem("verwaltung") == stem("verwalten")


def test_short_ung_words_keep_their_ending():
    # Folding -ung off "Übung" would leave "ub" and mix it up with unrelated words.
    assert stem("übung") == "ubung"
    assert stem("jung") == "jung"


def test_ae_oe_ue_spelling_meets_the_umlaut_spelling():
    assert stem("buergerbuero") == stem("bürgerbüro")
    assert word_terms("buergerbuero") == word_terms("bürgerbüro")
    assert analyse("Buergerbuero Oeffnungszeiten") == analyse("Bürgerbüro Öffnungszeiten")


# --- compounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, parts",
    [
        ("parkplatzsensoren", ("park", "platz", "sensoren")),
        ("trinkwassernotbrunnen", ("trink", "wasser", "not", "brunnen")),
        ("kindergarten", ("kinder", "garten")),
        # Umlauts come back folded, whichever way the word was written.
        ("bürgerbüro", ("buerger", "buero")),
        ("buergerbuero", ("buerger", "buero")),
    ],
)
def test_compounds_are_split_into_words(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize(
    "word",
    ["haus", "brunnen", "angebot", "sensoren", "xyzqwvbnmlk", "b-plan", "covid19"],
)
def test_short_words_plain_words_and_non_words_are_not_split(word):
    assert split_compound(word) == ()


def test_word_terms_start_with_the_stem_then_the_parts():
    assert word_terms("parkplatzsensoren") == ("parkplatzsensor", "park", "platz", "sensor")
    # Two levels: Trinkwasser|notbrunnen also yields trink and wasser (a lemma keeps its -er).
    assert word_terms("trinkwassernotbrunnen") == (
        "trinkwassernotbrunn",
        "trink",
        "wasser",
        "not",
        "brunn",
    )


def test_word_terms_of_hyphenated_words_hold_the_joined_word_and_each_part():
    terms = word_terms("katastrophenschutz-leuchtturm")
    # "ph" is read as "f" (Katastrophe = Katastrofe).
    assert terms[0] == "katastrofenschutzleuchtturm"
    assert {"katastrofenschutz", "schutz", "leuchtturm", "turm"} <= set(terms)
    assert len(terms) == len(set(terms))
    # One-letter pieces are no terms, numbers are.
    assert word_terms("b-plan") == ("bplan", "plan")
    assert word_terms("e") == ()
    assert word_terms("5") == ("5",)


# --- texts -------------------------------------------------------------------------------------


def test_analyse_drops_stopwords_and_counts_every_occurrence():
    assert analyse("Die Kinder und die Kinder spielen im Park") == ["kind", "kind", "spiel", "park"]
    assert analyse("der die das und oder") == []
    assert {"der", "und", "für", "über"} <= STOPWORDS


def test_analyse_adds_compound_parts_so_either_way_round_matches():
    document = set(analyse("Neue Sensoren für den Parkplatz am Bahnhof"))
    query = set(analyse("Parkplatzsensoren"))
    assert {"park", "platz", "sensor"} <= document & query


def test_stems_keep_reading_order_and_stopwords_with_parts_after_the_compound():
    assert stems("Die Parkplatzsensoren am Bahnhof") == [
        "die",
        "parkplatzsensor",
        "park",
        "platz",
        "sensor",
        "am",
        "bahnhof",
    ]
    assert stems("der die das") == ["der", "die", "das"]
    # A hyphenated word appears once, joined, then its parts.
    assert stems("B-Plan") == ["bplan", "plan"]


def test_quoted_phrases():
    assert quoted_phrases('"kühle Orte" Hitze "Wasser"') == ["kühle Orte", "Wasser"]
    assert quoted_phrases('ohne Anführungszeichen oder "offen') == []
