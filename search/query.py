"""Builds search queries: the one place that turns what staff type into weighted term groups.

A query becomes clauses, one per word (or per multi-word synonym or quoted phrase). Each clause
has variants, each a group of index terms that must all occur, with a weight:

- the word's stem (1.0);
- its compound parts (Parkplatzsensoren -> parkplatz + sensor, 0.9);
- synonyms and abbreviations the editors maintain (B-Plan -> bebauungsplan, 0.9);
- for a word the index does not know, near spellings one edit away (0.7).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
MAX_CLAUSES = 24


@dataclass(frozen=True)
class Variant:
    terms: tuple[str, ...]
    weight: float


@dataclass
class Clause:
    text: str
    variants: list[Variant] = field(default_factory=list)

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
    content = [word for word in found if word not in STOPWORDS]
    return content or found


def _word_clause(word: str, vocabulary: Vocabulary) -> Clause:
    clause = Clause(word)
    terms = word_terms(word)
    clause.add((terms[0],), 1.0) if terms else None
    pieces = word_parts(word)
    if len(pieces) > 1:
        clause.add(tuple(stem(piece) for piece in pieces if len(piece) > 1), 0.9)
    parts = split_compound(word)
    if parts:
        clause.add(tuple(stem(part) for part in parts), 0.9)
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
                longer = match is None or length > match[1] - match[0]
                if length and longer and tuple(query_stems[position : position + length]) == term:
                    match = (position, position + length, [t for t in group if t != term])
        if match:
            spans.append(match)
            position = match[1]
        else:
            position += 1
    return spans


def parse(
    raw: str, vocabulary: Vocabulary | None = None, city_names: dict[str, str] | None = None
) -> ParsedQuery:
    """Parse what staff typed. `city_names` maps normalised city names to their slugs."""
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
    query_stems = [whole_stem(word) for word in free_words]

    clauses: list[Clause] = []
    spans = {start: (end, alternatives) for start, end, alternatives in _synonym_spans(query_stems)}
    position = 0
    while position < len(free_words):
        if position in spans:
            end, alternatives = spans[position]
            clause = Clause(" ".join(free_words[position:end]))
            if end - position == 1:
                clause = _word_clause(free_words[position], vocabulary)
            else:
                clause.add(tuple(query_stems[position:end]), 1.0)
            for alternative in alternatives:
                clause.add(alternative, 0.9)
            clauses.append(clause)
            position = end
        else:
            clauses.append(_word_clause(free_words[position], vocabulary))
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
