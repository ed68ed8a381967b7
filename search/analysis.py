"""German text analysis: the one place that turns text into search terms.

The same steps run on article text at index time and on what staff type at query time:

1. normalise: lower case, ß -> ss, accents off (é -> e); umlauts stay for the stemmer, which
   also reads ae/oe/ue as ä/ö/ü (so "Buergerbuero" and "Bürgerbüro" meet);
2. tokenise into words (hyphenated words also yield their parts: "Katastrophenschutz-Leuchtturm");
   gender-inclusive spellings become the masculine base first (Bürger*innen, Bürger:innen,
   Bürger_innen, BürgerInnen -> Bürger);
3. stem: the simplemma lemmatizer's German dictionary first (Museen -> Museum, Themen -> Thema,
   Bürgerinnen -> Bürger, Buchung -> buchen), then the Snowball German stemmer (PyStemmer) on
   the lemma, or on the word itself if the dictionary does not know it: Förderanträgen ->
   forderantrag; "ph" is read as "f" (Photovoltaik = Fotovoltaik);
4. split compounds (Koehn & Knight's frequency method over wordfreq's German lexicon):
   Parkplatzsensoren -> parkplatz + sensor, so parts match either way round.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache

import Stemmer

MIN_COMPOUND_LENGTH = 7
MIN_PART_LENGTH = 3
# Linking elements (Fugenelemente) that may join the parts of a German compound.
LINKING_ELEMENTS = ("", "s", "es", "n", "en", "e", "er", "ns")
# A part must be an ordinary German word: rarer entries of the lexicon are mostly noise.
MIN_PART_FREQUENCY = 2e-7
MIN_SHORT_PART_FREQUENCY = 1e-5  # parts of 3–4 letters must be common words

STOPWORDS = frozenset(
    """
    a ab aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes auch auf aus bei beim bin bis bist da damit dann das dass dasselbe dazu dein deine
    dem den denn der des dessen deshalb die dies diese diesem diesen dieser dieses doch dort du
    durch ein eine einem einen einer eines einig einige er es etwas euer eure für gegen gewesen
    hab habe haben hat hatte hatten hier hin hinter ich ihr ihre im in indem ins ist jede jedem
    jeden jeder jedes jene jetzt kann kein keine können könnte machen man manche mein meine mit
    muss musste möchte möchten nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich
    sie sind so solche soll sollte sondern sonst über um und uns unser unsere unter viel vom von
    vor wann war waren warum was weg weil welche welchem welchen welcher welches wenn wer werde
    werden wie wieder will wir wird wo wollen wollte würde würden zu zum zur zwar zwischen
    weiss gibt tun jemand jemanden bitte womit wozu wofür worauf wobei
    """.split()
)

# Frequent in colloquial text but never a part of a compound in administrative German.
NOT_PARTS = frozenset({"nen", "ner", "nem", "nes", "ran", "rum", "rein", "raus", "mal", "dran"})

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_stemmer = Stemmer.Stemmer("german")


# Runs of characters that may carry accents (with the letter before them, for a decomposed
# umlaut); plain ASCII and precomposed umlauts, nearly all of a German text, are left alone.
_ACCENTED_RE = re.compile(r"[a-z]?[^\x00-\x7fäöü]+")


def normalise(text: str) -> str:
    """Lower case, ß -> ss, accents removed; umlauts kept for the stemmer."""
    text = text.lower().replace("ß", "ss").replace("ẞ", "ss")
    if text.isascii():
        return text
    return _ACCENTED_RE.sub(_strip_accents, text)


def _strip_accents(match: re.Match) -> str:
    decomposed = unicodedata.normalize("NFD", match.group())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            # Keep the umlaut dots (U+0308) on a, o, u; drop every other accent.
            if char == "\u0308" and kept and kept[-1] in "aou":
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


# "2.000 Euro" is 2000: the dot groups thousands and must not split the number.
_THOUSANDS_RE = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")

# Gender-inclusive plural and singular spellings: Bürger*innen, Bürger:innen, Bürger_innen and
# the Binnen-I (BürgerInnen, which only the original case tells from an ordinary word, so this
# runs before normalise). Group 1 is the base as written, group 2 the marker with its ending.
_GENDER_RE = re.compile(
    r"(?<![^\W_])([^\W\d_]{2,})([*_][Ii]n(?:nen)?|:in(?:nen)?|(?<=[a-zäöüß])In(?:nen)?)(?![^\W_])"
)


def words(text: str) -> list[str]:
    """Normalised words of a text, hyphenated words kept together ("b-plan"), gender-inclusive
    spellings as their masculine base ("Bürger*innen" -> "bürger"), numbers without their
    thousands separators ("2.000" -> "2000")."""
    if "in" in text or "In" in text:
        text = _GENDER_RE.sub(_gender_base, text)
    if "." in text:
        text = _THOUSANDS_RE.sub("", text)
    return _WORD_RE.findall(normalise(text))


def _gender_base(match: re.Match[str]) -> str:
    base, marker = match.group(1), match.group(2)
    # The base is written as the feminine's stem: Kolleg*innen (Kollege), Bäuer*innen (Bauer).
    masculine = _masculine_noun(base)
    if masculine is not None:
        return masculine
    if marker[0] in "*:_":
        # A star, colon or underscore before -in/-innen is unambiguous.
        return base
    # A capital I inside a word is also a product name ("LinkedIn"): without a known base it
    # stays one word, and stem() still reads a known feminine -innen form.
    return match.group()


def surface_words(text: str) -> list[str]:
    """The words of a text as written (not normalised), split as words() splits them, except
    that a gender-inclusive spelling stays two words here ("Bürger", "innen")."""
    return _WORD_RE.findall(text)


def surface_tokens(text: str) -> Iterator[re.Match[str]]:
    """The words of a text as written, with their positions (for highlighting)."""
    return _WORD_RE.finditer(text)


_PHRASE_RE = re.compile(r'"([^"]*)"')


def quoted_phrases(text: str) -> list[str]:
    """The texts between double quotes ('"kühle Orte" Hitze' -> ['kühle Orte'])."""
    return _PHRASE_RE.findall(text)


_PART_SEPARATOR_RE = re.compile(r"[-'’]")


def word_parts(word: str) -> list[str]:
    """A hyphenated word's parts ("e-akte" -> ["e", "akte"]); other words unchanged."""
    if "-" not in word and "'" not in word and "’" not in word:
        return [word]
    return [part for part in _PART_SEPARATOR_RE.split(word) if part]


# Shorter words are left to Snowball: they are mostly stopwords and abbreviations, and the
# dictionary's readings of them (bin -> sein) help no search.
MIN_LEMMA_LENGTH = 3
# The known last part of an unknown compound (Parkplatz|sensoren -> Sensor) must be this long:
# shorter tails are mostly inflections that Snowball handles anyway.
MIN_HEAD_LENGTH = 4


@cache
def lemma_dictionary() -> Mapping[str, str]:
    """simplemma's German form -> lemma dictionary (about 1.1 million forms), loaded on first use.

    The low-memory (front-coded stream) variant: about 15 MB instead of about 100 MB for the
    plain dict in every web and worker process, at some microseconds per lookup, which the
    caches of stem() and word_terms() pay once per distinct word.
    """
    from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

    return LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary("de")


# ae/oe/ue spelled for ä/ö/ü, except where the e belongs to a diphthong or a following syllable
# (Feuer, Bauer, Quelle, Poet).
_UMLAUT_SPELLING_RE = re.compile(r"(?<![aeiouäöüq])(ae|oe|ue)")
_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü"}


def _spellings(word: str) -> list[str]:
    """Spellings of a normalised word to look up: normalise turned ß into ss and the word may
    spell umlauts as ae/oe/ue, while the dictionary keeps ß and umlauts."""
    bases = [word]
    if "ae" in word or "oe" in word or "ue" in word:
        umlauts = _UMLAUT_SPELLING_RE.sub(lambda m: _UMLAUT_OF[m.group()], word)
        if umlauts != word:
            bases.append(umlauts)
    found: list[str] = []
    for base in bases:
        # The ß spelling first: "strasse" is Straße, not the dictionary's Strass.
        count = base.count("ss")
        if count:
            found.append(base.replace("ss", "ß"))
            if 1 < count <= 3:
                parts = base.split("ss")
                for i in range(1, len(parts)):
                    found.append("ss".join(parts[:i]) + "ß" + "ss".join(parts[i:]))
        found.append(base)
    return found


# Endings of an inflected adjective (not -er: dichter is also the noun Dichter).
_ADJECTIVE_ENDINGS = frozenset({"e", "en", "em", "es"})


def _known_lemma(word: str) -> str | None:
    """The lemma of a normalised word as the dictionary spells it, or None if unknown.

    The input is lower case, so which reading is meant is a guess. The noun comes first (stand
    is Stand, not a form of stehen; schule is Schule, not the imperative of schulen), except
    for a verb's or adjective's own form: melden is the verb, not the plural of the plant Melde;
    ausgefallene is ausgefallen, not the noun Ausgefallene. Two flaws of the dictionary are
    mended: a noun that is also a verb stem maps to the verb (Leder -> ledern), and a form may
    map to a second lemma that has a lemma of its own (Gräbern -> Gräber -> Grab; the
    genitive Siegers -> Sieger).
    """
    dictionary = lemma_dictionary()
    for spelling in _spellings(word):
        noun = spelling.capitalize()
        found = dictionary.get(noun)
        lower = dictionary.get(spelling)
        if lower is not None and found is not None and found != spelling + "n":
            if lower == spelling and found == noun[:-1] and found.endswith("e"):
                found = lower  # melden, not the plural of Melde
            elif (
                found == noun
                and spelling.startswith(lower)
                and spelling[len(lower) :] in _ADJECTIVE_ENDINGS
            ):
                found = lower  # ausgefallene
        if found is None:
            found = lower
        if found is None:
            continue
        if found == spelling + "n":
            return noun
        if found == noun and noun.endswith("ers") and dictionary.get(noun[:-1]) == noun[:-1]:
            return noun[:-1]  # the genitive Siegers, which the dictionary has as a lemma
        further = dictionary.get(found)
        if further is not None and further not in (found, found.lower(), found.lower() + "n"):
            return further
        return found
    return None


def _known_noun(word: str) -> str | None:
    """The noun lemma of a normalised word if the dictionary knows it as a noun, else None."""
    lemma = _known_lemma(word)
    return lemma if lemma is not None and lemma[:1].isupper() else None


def _dictionary_lemma(word: str) -> tuple[str, str] | None:
    """(prefix, lemma as the dictionary spells it) of a normalised word, or None if unknown.

    A word the dictionary lacks may still be a feminine form of a known masculine
    (Ausstellerinnen -> Aussteller) or a compound whose last part it knows; the compound then
    inflects like that part (Kunstmuseen -> kunst + Museum).
    """
    lemma = _known_lemma(word)
    if lemma is not None:
        return "", lemma
    for ending in ("innen", "in"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_HEAD_LENGTH:
            base = word[: -len(ending)]
            masculine = _known_noun(base) or _masculine_noun(base)
            if masculine is not None:
                return "", masculine
    parts = split_compound(word)
    if parts and len(parts[-1]) >= MIN_HEAD_LENGTH:
        lemma = _known_lemma(parts[-1])
        if lemma is not None:
            folded = fold_umlauts(word)
            return folded[: len(folded) - len(parts[-1])], lemma
    return None


_DEUMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U"})


def _masculine(lemma: str) -> str | None:
    """The masculine lemma of a feminine -in noun (Bürgerin -> Bürger, Ärztin -> Arzt,
    Kollegin -> Kollege), or None.

    Only if the dictionary knows the -innen plural of the word (which Termin, Benzin and Kamin
    lack) and the masculine base is a known word.
    """
    if not lemma.endswith("in") or len(lemma) < 5:
        return None
    base = lemma[:-2]
    # -erin is a feminine agent noun (Kellnerin) even where the dictionary lacks its plural.
    if lemma_dictionary().get(lemma + "nen") != lemma and not base.endswith("er"):
        return None
    masculine = _masculine_noun(base)
    if masculine is not None:
        return masculine
    if lexicon().get(fold_umlauts(normalise(base)), 0.0) >= MIN_SHORT_PART_FREQUENCY:
        return base
    return None


def _masculine_noun(base: str) -> str | None:
    """The known noun a feminine form was made from: base is the feminine without -in, as
    written (Bürger, Kolleg -> Kollege, Ärzt -> Arzt, Bäuer -> Bauer), or None."""
    base = normalise(base)
    plain = base.translate(_DEUMLAUT)
    for candidate in (base, base + "e", plain, plain + "e"):
        masculine = _known_noun(candidate)
        if masculine is not None and not masculine.endswith("in"):
            return masculine
    return None


def _ung_verb(lemma: str) -> str | None:
    """The verb of an -ung noun if the dictionary knows that verb (Buchung -> buchen, Änderung
    -> ändern), or None: so that verb and noun meet.

    Unlike the plain rule "drop -ung" this never makes Richtung the Richter (whose -er stays,
    see _keeps_er). Short nouns keep their ending: Übung would become "ub".
    """
    if not lemma.endswith("ung") or len(lemma) < 7:
        return None
    dictionary = lemma_dictionary()
    base = lemma[:-3].lower()
    for verb in (base + "en", base + "n"):
        if dictionary.get(verb) == verb:
            return verb
    return None


def _keeps_er(lemma: str) -> bool:
    """Whether the final -er of a lemma (as the dictionary spells it) is part of the word.

    For Snowball -er is an inflection (Bürger -> burg = Burg, Schüler -> schul = Schule); in a
    lemma it is part of the word, except in adjectives used as nouns (der Gute -> Guter).
    """
    if not lemma.endswith("er") or len(lemma) < 5:
        return False
    return lemma_dictionary().get(lemma[:-1]) != lemma


def _stem_lemma(lemma: str, keep_er: bool) -> str:
    """Snowball on a normalised lemma; with keep_er the whole lemma, umlauts and their ae/oe/ue
    spellings folded as Snowball folds them (Kellner -> kellner, not Snowball's kelln + er)."""
    if keep_er:
        return _UMLAUT_SPELLING_RE.sub(lambda m: m.group()[0], lemma).translate(_DEUMLAUT)
    return _stemmer.stemWord(lemma)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The search term of one normalised word: the lemma from simplemma's German dictionary
    (feminine -in nouns as their masculine, -ung nouns as their verb), then Snowball German;
    Snowball alone for words the dictionary does not know. "ph" is folded to "f" last.
    """
    found = None
    # Stopwords stay as Snowball has them: phrases compare them, and as lemmas the articles
    # and pronouns would all meet (die, das -> der).
    if len(word) >= MIN_LEMMA_LENGTH and word.isalpha() and word not in STOPWORDS:
        found = _dictionary_lemma(word)
    if found is None:
        stemmed = _stemmer.stemWord(word)
    else:
        prefix, lemma = found
        lemma = _masculine(lemma) or _ung_verb(lemma) or lemma
        stemmed = _stem_lemma(normalise(prefix + lemma), _keeps_er(lemma))
    # Photovoltaik/Fotovoltaik, Paragraph/Paragraf: both spellings are current German.
    return stemmed.replace("ph", "f")


_UMLAUT_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def fold_umlauts(word: str) -> str:
    """ä -> ae etc.: the lexicon's and the splitter's spelling, so both spellings split alike."""
    return word.translate(_UMLAUT_FOLD)


@cache
def lexicon() -> dict[str, float]:
    """German word frequencies shipped in the wordfreq wheel (loaded once, on first use)."""
    from wordfreq import get_frequency_dict

    lexicon: dict[str, float] = {}
    for word, frequency in get_frequency_dict("de", wordlist="large").items():
        if frequency < MIN_PART_FREQUENCY or len(word) < MIN_PART_LENGTH or not word.isalpha():
            continue
        key = fold_umlauts(normalise(word))
        lexicon[key] = max(frequency, lexicon.get(key, 0.0))
    return lexicon


def _word_frequency(part: str, *, head: bool) -> float:
    """Frequency of a compound part; 0 if it is not a plausible part."""
    if part in STOPWORDS:
        return 0.0
    # Three-letter parts only as heads (Not|brunnen); a short tail is mostly an inflection.
    if part in NOT_PARTS or len(part) < (MIN_PART_LENGTH if head else MIN_PART_LENGTH + 1):
        return 0.0
    frequency = lexicon().get(part, 0.0)
    if head:
        # Heads often drop an ending: Schul|dach (Schule), Förder|antrag (fördern).
        for ending in ("e", "en", "n"):
            frequency = max(frequency, 0.5 * lexicon().get(part + ending, 0.0))
    if len(part) <= 4 and frequency < MIN_SHORT_PART_FREQUENCY:
        return 0.0
    return frequency


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a German compound (umlauts folded to ae/oe/ue), or () if it is none.

    Koehn & Knight (2003): of all ways to cut the word into known words (allowing linking
    elements), take the one whose parts have the highest geometric-mean frequency; split only
    if that beats the frequency of the whole word.
    """
    word = fold_umlauts(word)
    if len(word) < MIN_COMPOUND_LENGTH or not word.isalpha():
        return ()
    best = _best_split(word, 0)
    if best is None:
        return ()
    parts, score = best
    if score <= lexicon().get(word, 0.0):
        return ()
    return parts


def _best_split(word: str, depth: int) -> tuple[tuple[str, ...], float] | None:
    best: tuple[tuple[str, ...], float] | None = None
    for cut in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH):
        head, tail = word[:cut], word[cut:]
        for link in LINKING_ELEMENTS:
            if link and not head.endswith(link):
                continue
            head_word = head[: len(head) - len(link)]
            head_frequency = _word_frequency(head_word, head=True)
            if not head_frequency:
                continue
            tail_frequency = _word_frequency(tail, head=False)
            if tail_frequency:
                # A tail that is a word stays whole (Wohnsitz|auflage, not auf|lage).
                candidate = ((head_word, tail), (head_frequency * tail_frequency) ** 0.5)
            elif depth < 2 and len(tail) >= 2 * MIN_PART_LENGTH + 1:
                deeper = _best_split(tail, depth + 1)
                if deeper is None:
                    continue
                parts, score = deeper
                n = len(parts)
                candidate = ((head_word, *parts), (head_frequency * score**n) ** (1 / (n + 1)))
            else:
                continue
            if best is None or candidate[1] > best[1]:
                best = candidate
    return best


def whole_stem(word: str) -> str:
    """The stem of a normalised word as one unit, hyphens dropped ("b-plan" -> "bplan")."""
    return stem("".join(word_parts(word)))


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """Index terms of one normalised word: its stem, then the stems of its compound parts."""
    terms: list[str] = []
    pieces = word_parts(word)
    if len(pieces) > 1:
        joined = "".join(pieces)
        terms.append(stem(joined))
        for piece in pieces:
            terms.extend(word_terms(piece))
        return tuple(dict.fromkeys(terms))
    terms.append(stem(word))
    for part in split_compound(word):
        terms.append(stem(part))
        # One level further: Trinkwasser|notbrunnen also yields trink and wasser.
        terms.extend(stem(sub) for sub in split_compound(part))
    return tuple(dict.fromkeys(term for term in terms if len(term) >= 2 or term.isdigit()))


def analyse(text: str) -> list[str]:
    """Index terms of a text, one entry per occurrence (stopwords dropped)."""
    terms: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        terms.extend(word_terms(word))
    return terms


def stems(text: str) -> list[str]:
    """Every word's stem in reading order (stopwords kept), each compound followed by its parts'
    stems: what phrase and proximity matching compare."""
    sequence: list[str] = []
    for word in words(text):
        sequence.extend(_stem_sequence(word))
    return sequence


@lru_cache(maxsize=200_000)
def _stem_sequence(word: str) -> tuple[str, ...]:
    whole = whole_stem(word)
    return (whole, *(term for term in word_terms(word) if term != whole))


def analyse_names(text: str) -> list[str]:
    """Index terms of people's names: each word's stem only, never its compound parts
    ("Kleinschmidt" is not "klein" + "schmidt")."""
    return [whole_stem(word) for word in words(text) if word not in STOPWORDS]


def analyse_field(name: str, text: str) -> list[str]:
    """Index terms of one field of a document: names as names, everything else as text."""
    return analyse_names(text) if name in NAME_FIELDS else analyse(text)


# Fields that hold people's names (see analyse_names).
NAME_FIELDS = frozenset({"people"})


SOFT_HYPHEN = "\u00ad"
MIN_HYPHENATED_LENGTH = 12


def soft_hyphens(text: str) -> str:
    """Long compounds with a soft hyphen between their parts ("Klimafolgen\\u00adanpassung"):
    where a narrow column must break such a word, the browser breaks it there, with a hyphen,
    instead of at any letter. Uses the compound splitter, so it works without the browser's
    hyphenation dictionaries (Debian's chromium has none)."""
    return _WORD.sub(lambda match: _hyphenate(match.group(0)), text)


_WORD = re.compile(rf"[^\W\d_]{{{MIN_HYPHENATED_LENGTH},}}")


def _hyphenate(word: str) -> str:
    parts = split_compound(word.lower())
    if len(parts) < 2:
        return word
    # Where each folded character starts in the word as written (ä is two folded letters).
    folded, origin = "", []
    for index, char in enumerate(word.lower()):
        piece = fold_umlauts(char)
        folded += piece
        origin.extend([index] * len(piece))
    cuts, position = [], 0
    for part in parts:
        found = folded.find(part, position)
        if found < 0 or found - position > 3:  # a linking element is at most "ens"
            return word
        if position:
            cuts.append(origin[found])
        position = found + len(part)
    # Never leave a stub of fewer than three letters on either side of a break.
    cuts = [cut for cut in cuts if 3 <= cut <= len(word) - 3]
    for cut in reversed(cuts):
        word = word[:cut] + SOFT_HYPHEN + word[cut:]
    return word
