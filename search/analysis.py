"""German text analysis: the one place that turns text into search terms.

The same steps run on article text at index time and on what staff type at query time:

1. normalise: lower case, ß -> ss, accents off (é -> e); umlauts stay for the stemmer, which
   also reads ae/oe/ue as ä/ö/ü (so "Buergerbuero" and "Bürgerbüro" meet);
2. tokenise into words (hyphenated words also yield their parts: "Katastrophenschutz-Leuchtturm");
3. stem with the Snowball German stemmer (PyStemmer): Förderanträgen -> forderantrag;
4. split compounds (Koehn & Knight's frequency method over wordfreq's German lexicon):
   Parkplatzsensoren -> parkplatz + sensor, so parts match either way round.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
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


def words(text: str) -> list[str]:
    """Normalised words of a text, hyphenated words kept together ("b-plan")."""
    return _WORD_RE.findall(normalise(_THOUSANDS_RE.sub("", text)))


def surface_words(text: str) -> list[str]:
    """The words of a text as written (not normalised), split as words() splits them."""
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


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German, plus -ung removal so that verb and noun meet (buchen ~ Buchung)."""
    stemmed = _stemmer.stemWord(word)
    if stemmed.endswith("ung") and len(stemmed) >= 7:
        stemmed = stemmed[:-3]
    return stemmed


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
