"""Builds search queries: the one place that turns what staff type into weighted term groups.

A query becomes clauses, one per word (or per multi-word synonym or quoted phrase). Each clause
has variants, each a group of index terms that must all occur, with a weight:

- the word's stem (1.0);
- its compound parts (Parkplatzsensoren -> parkplatz + sensor, 0.9);
- synonyms and abbreviations the editors maintain (B-Plan -> bebauungsplan, 0.9);
- for a word the index does not know, near spellings one edit away (0.7);
- words of the same sense in a general thesaurus (Übersetzer -> sprachmittler, 0.5), see
  search.thesaurus: index terms only, a few per word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import thesaurus
from .analysis import (
    STOPWORDS,
    normalise,
    quoted_phrases,
    split_compound,
    stem,
    stems,
    whole_stem,
    word_parts,
    word_terms,
    words,
)
from .vocabulary import Vocabulary, synonym_groups

MAX_QUERY_LENGTH = 500
# Words of a question that say how staff ask, not what they ask about ("Wer kennt sich mit
# Photovoltaik aus?", "Was müssen wir beachten?"), and the words of a legal reference that
# articles write as "§" ("Paragraf 35 Abs. 1 BauGB" = "§ 35 BauGB"). Dropped from queries
# only: in an article, "Kenntnisse" or "beachten" are content.
QUERY_FILLERS = frozenset(
    """
    kennt kennen auskennen auskennt kenne beachten beachtet beachte müssen müsste müssten
    funktioniert funktionieren funktioniere gibt gab geht klappt klappen
    erfahrung erfahrungen infos informationen frage fragen hilft helfen weiß wissen
    jemand irgendwer irgendwie eigentlich genau bitte danke hallo gerne
    paragraf paragraph paragrafen paragraphen abs absatz
    """.split()
)


# Share of a query's required clauses a hit may miss (rounded down): 0 in one- and two-word
# queries, one word in three.
MISSING_SHARE = 0.34


def needed_matches(required: int) -> int:
    """Clauses a hit must match out of `required` (shared by every backend)."""
    return required - int(required * MISSING_SHARE)


MAX_CLAUSES = 24

# Thesaurus alternatives weigh clearly less than the word itself and the editors' synonyms:
# a thesaurus sense is often not the one meant, so such a match finds an article that would
# otherwise be missed but never outranks one that uses the query's own words.
THESAURUS_WEIGHT = 0.5
MAX_THESAURUS_ALTERNATIVES = 4
# An alternative that more than this share of the documents hold ("arbeit", "stadt") would make
# the word match nearly everything: the hit rule would no longer sort anything out.
THESAURUS_GENERIC_SHARE = 0.2
# In a small index a share of the documents is a handful: no word in so few is generic.
MIN_GENERIC_DF = 3
# Short words ("Amt", "Bau") have many senses and stems shared with other words.
MIN_THESAURUS_WORD = 4


@dataclass(frozen=True)
class Variant:
    terms: tuple[str, ...]
    weight: float


@dataclass
class Clause:
    text: str
    variants: list[Variant] = field(default_factory=list)
    # A number ("2021") refines a query but is not what it is about: a document that matches
    # only the numbers of a query is no hit.
    optional: bool = False
    # A word our analysis splits into parts ("Drogenkonsumraum"): see ParsedQuery.forgivable.
    compound: bool = False

    def add(self, terms: tuple[str, ...], weight: float) -> None:
        terms = tuple(dict.fromkeys(term for term in terms if term))
        if not terms:
            return
        for existing in self.variants:
            if existing.terms == terms:
                return
        self.variants.append(Variant(terms, weight))


@dataclass
class ParsedQuery:
    raw: str
    text: str
    truncated: bool
    clauses: list[Clause]
    phrases: list[tuple[str, ...]]
    tag_text: str
    # Cities named in the query ("Laufbus Arnsberg"): a preference, not a word to match.
    cities: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def required(self) -> list[Clause]:
        """The clauses a hit must match (all but the optional ones, unless all are optional)."""
        required = [clause for clause in self.clauses if not clause.optional]
        return required or self.clauses

    @property
    def needed(self) -> int:
        """How many of the required clauses a document must match to be a hit: all of them in
        short queries; in longer ones one may be missing (a question rarely matches word for
        word)."""
        return needed_matches(len(self.required))

    @property
    def forgivable(self) -> list[Clause]:
        """The required compounds a hit could do without (queries of three words and more).

        A hit may miss one word in three, but not a compound that no document the reader may
        see holds in any form: "Drogenkonsumraum Telefonkette Hitzeschutz" asks about
        something the knowledge base does not have, and the two other words would otherwise
        make hits of articles about something else. Each backend checks these clauses against
        the reader's documents and then asks for needed_given()."""
        if self.needed >= len(self.required):
            return []
        return [clause for clause in self.required if clause.compound]

    def needed_given(self, unheld: int) -> int:
        """How many required clauses a hit must match when `unheld` of the forgivable ones
        occur in no document the reader may see: then all of them (that is: no hit)."""
        return len(self.required) if unheld else self.needed

    def all_terms(self) -> set[str]:
        return {term for clause in self.clauses for v in clause.variants for term in v.terms}


def clean(raw: str) -> tuple[str, bool]:
    """Cap the length and drop control characters (NUL included)."""
    truncated = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH]
    text = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(text.split()), truncated


def _content_words(text: str) -> list[str]:
    found = words(text)
    content = [word for word in found if word not in STOPWORDS and word not in QUERY_FILLERS]
    return content or [word for word in found if word not in STOPWORDS] or found


def _word_clause(word: str, vocabulary: Vocabulary, names: frozenset[str] = frozenset()) -> Clause:
    clause = Clause(word, optional=word.isdigit())
    terms = word_terms(word)
    clause.add((terms[0],), 1.0) if terms else None
    if word in names:
        # A person's name is matched as written: "Kleinschmidt" is not "klein" + "schmidt",
        # and no common word one letter away stands in for it.
        return clause
    pieces = word_parts(word)
    # "B-Plan" without its one-letter part would be any "Plan": such a word stays whole.
    if len(pieces) > 1 and all(len(piece) > 1 for piece in pieces):
        clause.add(tuple(stem(piece) for piece in pieces), 0.9)
        clause.compound = True
    parts = split_compound(word)
    if parts:
        clause.add(tuple(stem(part) for part in parts), 0.9)
        clause.compound = True
    known = [v for v in clause.variants if all(vocabulary.knows(t) for t in v.terms)]
    if not known and len(word) >= 5:
        for candidate in vocabulary.near(stem(word)):
            clause.add((candidate,), 0.7)
        if parts:
            fixed = []
            for part in parts:
                part_stem = stem(part)
                options = [part_stem] if vocabulary.knows(part_stem) else vocabulary.near(part_stem)
                if not options:
                    break
                fixed.append(options[0])
            else:
                clause.add(tuple(fixed), 0.7)
    return clause


def _add_thesaurus(
    clause: Clause, word: str, vocabulary: Vocabulary, names: frozenset[str]
) -> None:
    """Add the thesaurus words of `word` that the index holds, after the editors' synonyms
    (Clause.add keeps the first weight of a term group, so the stronger sources go first)."""
    # A person's name or a number means exactly itself.
    if word in names or len(word) < MIN_THESAURUS_WORD or any(char.isdigit() for char in word):
        return
    found = thesaurus.current()
    if found is None:
        return
    word_stem = whole_stem(word)
    generic = vocabulary.max_df() * THESAURUS_GENERIC_SHARE
    candidates = []
    for alternative in found.alternatives(word):
        entry = alternative.entry
        # A longer entry holding the word itself ("harte Arbeit" for "Arbeit") is narrower.
        if word_stem in entry and len(entry) > 1:
            continue
        # OpenThesaurus gives verbs many loose senses ("umschreiben": schildern, bearbeiten,
        # erklären…), and common verbs then turn unanswerable questions into hits: a verb's
        # alternative must share two senses with it.
        if alternative.verbal and alternative.shared < 2:
            continue
        frequencies = [vocabulary.df(term) for term in entry]
        if not all(frequencies) or max(frequencies) > max(generic, MIN_GENERIC_DF):
            continue
        # Closest first: the words that share most senses with the query word, single words
        # before pairs, then the commoner ones.
        candidates.append((-alternative.shared, len(entry), -min(frequencies), entry))
    for *_, entry in sorted(candidates)[:MAX_THESAURUS_ALTERNATIVES]:
        clause.add(entry, THESAURUS_WEIGHT)


def _synonym_spans(query_stems: list[str]) -> list[tuple[int, int, list[tuple[str, ...]]]]:
    """Where a synonym term occurs in the query: (start, end, alternatives as stem tuples)."""
    spans = []
    groups = synonym_groups()
    position = 0
    while position < len(query_stems):
        match = None
        for group in groups:
            for term in group:
                length = len(term)
                if not length or tuple(query_stems[position : position + length]) != term:
                    continue
                others = [t for t in group if t != term]
                if match is None or length > match[1] - match[0]:
                    match = (position, position + length, others)
                elif length == match[1] - match[0]:
                    # A term in several groups ("Photovoltaik": PV, Fotovoltaik) gets them all.
                    match[2].extend(t for t in others if t not in match[2])
        if match:
            spans.append(match)
            position = match[1]
        else:
            position += 1
    return spans


def _join_spaced_compounds(free_words: list[str], vocabulary: Vocabulary) -> list[str]:
    """ "Katastrophenschutz Leuchtturm" is read as "Katastrophenschutz-Leuchtturm" when the
    index or the synonym list knows the joined word: spaced and hyphenated spellings of a
    compound then give the same query, so they rank alike."""
    single_terms = {term[0] for group in synonym_groups() for term in group if len(term) == 1}
    joined: list[str] = []
    position = 0
    while position < len(free_words):
        for length in (3, 2):
            run = free_words[position : position + length]
            if len(run) < length or any(len(word) < 3 or word.isdigit() for word in run):
                continue
            compound = whole_stem("".join(run))
            if compound in single_terms or vocabulary.knows(compound):
                joined.append("-".join(run))
                position += length
                break
        else:
            joined.append(free_words[position])
            position += 1
    return joined


def parse(
    raw: str,
    vocabulary: Vocabulary | None = None,
    city_names: dict[str, str] | None = None,
    names: frozenset[str] = frozenset(),
) -> ParsedQuery:
    """Parse what staff typed. `city_names` maps normalised city names to their slugs; `names`
    holds the normalised words of people's names (matched whole, never split or corrected)."""
    vocabulary = vocabulary or Vocabulary.current()
    text, truncated = clean(raw)
    # Compared with the documents' stem sequences, so built by the same function.
    phrases = [tuple(stems(p)) for p in quoted_phrases(text)]
    phrases = [phrase for phrase in phrases if phrase]
    free_words = _content_words(text.replace('"', " "))[:MAX_CLAUSES]
    city_names = city_names or {}
    cities = [city_names[word] for word in free_words if word in city_names]
    if cities and len(cities) < len(free_words):
        free_words = [word for word in free_words if word not in city_names]
    free_words = _join_spaced_compounds(free_words, vocabulary)
    query_stems = [whole_stem(word) for word in free_words]

    clauses: list[Clause] = []
    spans = {start: (end, alternatives) for start, end, alternatives in _synonym_spans(query_stems)}
    position = 0
    while position < len(free_words):
        if position in spans:
            end, alternatives = spans[position]
            clause = Clause(" ".join(free_words[position:end]))
            if end - position == 1:
                clause = _word_clause(free_words[position], vocabulary, names)
            else:
                clause.add(tuple(query_stems[position:end]), 1.0)
            for alternative in alternatives:
                clause.add(alternative, 0.9)
            if end - position == 1:
                _add_thesaurus(clause, free_words[position], vocabulary, names)
            clauses.append(clause)
            position = end
        else:
            clause = _word_clause(free_words[position], vocabulary, names)
            _add_thesaurus(clause, free_words[position], vocabulary, names)
            clauses.append(clause)
            position += 1
    return ParsedQuery(
        raw=raw,
        text=text,
        truncated=truncated,
        clauses=[clause for clause in clauses if clause.variants],
        phrases=phrases,
        tag_text=normalise(text.replace('"', "")).strip(),
        cities=list(dict.fromkeys(cities)),
    )


def warm_up() -> None:
    """Load what the first search of a process would otherwise wait for (seconds): the word
    lexicon of the compound splitter, the lemma dictionary and the thesaurus. Called once per
    web worker at start (wissensnetz/gunicorn_conf.py), not by management commands."""
    from .analysis import lemma_dictionary, lexicon

    lexicon()
    lemma_dictionary()
    thesaurus.current()
