"""German word forms against a noun table: does every inflected form of a noun get the term of
its lemma, do feminine and masculine forms meet, and do unrelated nouns stay apart?

The table is the one of the german-nouns package (Wiktionary, CC BY-SA; a dev dependency, read
from the installed package and not copied into this repository); the nouns are the most frequent
ones by wordfreq. Snowball alone, the stemmer before the lemmatizer came in front of it, is the
baseline each figure is printed against.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import Stemmer

from search.analysis import STOPWORDS, normalise, whole_stem, words

FREQUENT_NOUNS = 6000
MIN_SAME_TERM = 0.98  # share of nouns whose every form gets the lemma's term
MIN_PAIRS_MEET = 0.95  # share of feminine/masculine pairs that meet in every spelling
FORM_COLUMNS_FROM = 7  # lemma, pos and the genus columns come first
FAILURES_SHOWN = 10

_snowball = Stemmer.Stemmer("german")
# How words() split text before gender-inclusive spellings were handled.
_OLD_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def our_term(text: str) -> str:
    """The term the index holds for a word as written (a whole word's stem, as for names)."""
    found = words(text)
    return whole_stem(found[0]) if found else ""


def snowball_term(text: str) -> str:
    """Snowball alone on the first word, as the words used to be split."""
    found = _OLD_WORD_RE.findall(normalise(text))
    return _snowball.stemWord(found[0].replace("-", "")) if found else ""


ANALYSES: dict[str, Callable[[str], str]] = {"Snowball alone": snowball_term, "ours": our_term}


@dataclass(frozen=True)
class Noun:
    lemma: str
    genus: str
    forms: frozenset[str]


def _table_path() -> Path:
    # german_nouns is a namespace package (no __file__); its config names the table.
    config = pytest.importorskip("german_nouns.config")
    path = Path(config.CSV_FILE_PATH)
    if not path.is_file():
        pytest.skip("german-nouns is installed without its nouns.csv")
    return path


def _is_word(text: str) -> bool:
    return text.isalpha() and len(text) >= 2


@cache
def nouns() -> dict[str, Noun]:
    """Common nouns of the table (no names, abbreviations or phrases), by lemma; without the
    nominalised stopwords (das Die, das Ist), which wordfreq ranks first and search drops."""
    found: dict[str, Noun] = {}
    with _table_path().open(encoding="utf-8", newline="") as table:
        rows = csv.reader(table)
        next(rows)
        for row in rows:
            lemma, pos, genus = row[0], row[1], row[2]
            if pos != "Substantiv" or not _is_word(lemma) or not lemma[0].isupper():
                continue
            if normalise(lemma) in STOPWORDS:
                continue
            forms = frozenset(form for form in row[FORM_COLUMNS_FROM:] if _is_word(form))
            if lemma in found:  # a second reading (another genus): its forms count too
                old = found[lemma]
                found[lemma] = Noun(lemma, old.genus or genus, old.forms | forms)
            else:
                found[lemma] = Noun(lemma, genus, forms | {lemma})
    return found


@cache
def frequent_nouns() -> list[Noun]:
    from wordfreq import get_frequency_dict

    frequency = get_frequency_dict("de", wordlist="large")
    ranked = sorted(nouns().values(), key=lambda noun: -frequency.get(noun.lemma.lower(), 0.0))
    return ranked[:FREQUENT_NOUNS]


_DEUMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})


@cache
def gender_pairs() -> list[tuple[str, str]]:
    """(feminine, masculine) lemmas: nouns on -in of the table whose masculine is one of the
    frequent nouns (Bürgerin/Bürger, Kollegin/Kollege, Ärztin/Arzt)."""
    table = nouns()
    frequent = {noun.lemma for noun in frequent_nouns()}
    pairs = []
    for noun in table.values():
        if noun.genus != "f" or not noun.lemma.endswith("in") or len(noun.lemma) < 5:
            continue
        base = noun.lemma[:-2]
        plain = base.translate(_DEUMLAUT)
        for candidate in (base, base + "e", plain, plain + "e"):
            masculine = table.get(candidate)
            if masculine is not None and masculine.genus == "m" and candidate in frequent:
                pairs.append((noun.lemma, candidate))
                break
    return pairs


def gender_spellings(feminine: str) -> list[str]:
    base = feminine[:-2]
    return [
        feminine,
        feminine + "nen",
        f"{base}*innen",
        f"{base}:innen",
        f"{base}_innen",
        f"{base}Innen",
        f"{base}*in",
        f"{base}In",
    ]


def form_failures(term: Callable[[str], str]) -> list[str]:
    failures = []
    for noun in frequent_nouns():
        expected = term(noun.lemma)
        wrong = sorted(form for form in noun.forms if term(form) != expected)
        if wrong:
            failures.append(
                f"{noun.lemma} ({expected}): " + ", ".join(f"{w}={term(w)}" for w in wrong)
            )
    return failures


def pair_failures(term: Callable[[str], str]) -> list[str]:
    failures = []
    for feminine, masculine in gender_pairs():
        expected = term(masculine)
        wrong = [spelling for spelling in gender_spellings(feminine) if term(spelling) != expected]
        if wrong:
            shown = ", ".join(f"{w}={term(w)}" for w in wrong)
            failures.append(f"{masculine} ({expected}): {shown}")
    return failures


def merges(term: Callable[[str], str]) -> list[str]:
    """Groups of frequent lemmas that get one term although they are different nouns (a
    feminine and its masculine are one noun here)."""
    masculine_of = dict(gender_pairs())
    by_term: dict[str, set[str]] = defaultdict(set)
    for noun in frequent_nouns():
        by_term[term(noun.lemma)].add(masculine_of.get(noun.lemma, noun.lemma))
    return [
        f"{key}: {', '.join(sorted(group))}" for key, group in by_term.items() if len(group) > 1
    ]


def merge_count(groups: list[str]) -> int:
    # A group of n lemmas is n - 1 merges.
    return sum(group.count(",") for group in groups)


@cache
def results() -> dict[str, dict[str, list[str]]]:
    return {
        name: {"forms": form_failures(term), "pairs": pair_failures(term), "merges": merges(term)}
        for name, term in ANALYSES.items()
    }


def _print_report(capsys: pytest.CaptureFixture[str]) -> None:
    nouns_total, pairs_total = len(frequent_nouns()), len(gender_pairs())
    with capsys.disabled():
        print(f"\n{nouns_total} frequent nouns, {pairs_total} feminine/masculine pairs")
        print(f"{'':16} {'all forms = lemma':>18} {'pairs meet':>12} {'merges':>8}")
        for name, found in results().items():
            forms = 1 - len(found["forms"]) / nouns_total
            pairs = 1 - len(found["pairs"]) / pairs_total
            print(f"{name:16} {forms:>18.1%} {pairs:>12.1%} {merge_count(found['merges']):>8}")
        ours = results()["ours"]
        for kind in ("forms", "pairs", "merges"):
            print(f"first failures ({kind}):")
            for failure in ours[kind][:FAILURES_SHOWN]:
                print(f"  {failure}")


@pytest.fixture(scope="module")
def report() -> dict[str, dict[str, list[str]]]:
    return results()


def test_every_form_of_a_noun_gets_the_term_of_its_lemma(capsys, report):
    _print_report(capsys)
    share = 1 - len(report["ours"]["forms"]) / len(frequent_nouns())
    assert share >= MIN_SAME_TERM


def test_feminine_and_masculine_meet_in_every_gender_inclusive_spelling(report):
    assert len(gender_pairs()) >= 100  # the table is large enough to say something
    share = 1 - len(report["ours"]["pairs"]) / len(gender_pairs())
    assert share >= MIN_PAIRS_MEET


def test_fewer_unrelated_nouns_merge_than_with_snowball_alone(report):
    assert merge_count(report["ours"]["merges"]) < merge_count(report["Snowball alone"]["merges"])


# --- examples ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "one, other",
    [
        ("Thema", "Themas"),
        ("Thema", "Themen"),
        ("Problem", "Probleme"),
        ("Auto", "Autos"),
        ("Euro", "Euros"),
        ("Herr", "Herrn"),
        ("Museum", "Museen"),
        ("Mitarbeiter", "Mitarbeiter*innen"),
        ("Mitarbeiter", "MitarbeiterInnen"),
        ("Bürger", "Bürger:innen"),
        ("Bürger", "Bürger_innen"),
        ("Autor", "Autorin"),
        ("Chef", "Chefinnen"),
        ("Straße", "Strasse"),
        ("Photovoltaik", "Fotovoltaik"),
        ("Paragraph", "Paragrafen"),
        ("Buchung", "buchen"),
    ],
)
def test_forms_that_meet(one, other):
    assert our_term(one) == our_term(other)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Richtung", "Richter"),
        ("Bürger", "Burg"),
        ("Schule", "Schüler"),
        # -in words that are no feminine forms.
        ("Termin", "Term"),
        ("Benzin", "Benz"),
        ("Kaminen", "kam"),
    ],
)
def test_words_that_stay_apart(one, other):
    assert our_term(one) != our_term(other)


def test_gender_inclusive_spellings_are_read_before_lower_casing():
    assert words("Bürger*innen und Ärzt:innen, KundInnen") == ["bürger", "und", "arzt", "kunde"]
    assert whole_stem(words("Kolleg_innen")[0]) == whole_stem("kollege")
    # Hyphenated words keep their other part.
    assert words("Bürger*innen-Service") == ["bürger-service"]


def test_a_capital_i_in_a_product_name_is_no_gender_form():
    assert words("LinkedIn") == ["linkedin"]
