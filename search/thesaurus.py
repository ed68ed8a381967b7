"""A general German thesaurus (OpenThesaurus in MyThes format) as a weak source of query words.

The editors' synonym groups (search.models.SynonymGroup) know the administration's own words;
staff often type everyday ones ("Übersetzer" for "Sprachmittler", "Hochzeit" for "Trauung",
"kaputt" for "defekt"). OpenThesaurus bridges many of those. Its data is not part of the
repository: Debian's `mythes-de` installs it, and `settings.WISSENSNETZ_THESAURUS` names the
file (an empty value turns the expansion off). Without the file the search works as before.

A thesaurus knows every sense of a word, most of them beside the point of a staff knowledge
base, so only cautious use helps: an alternative must be an index term (a sense whose words
the articles never use adds nothing), must not be a word that a large share of the documents
hold, and each word gets a few alternatives at most (see search.query._add_thesaurus).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .analysis import STOPWORDS, whole_stem, words

logger = logging.getLogger(__name__)

DEFAULT_PATH = "/usr/share/mythes/th_de_DE_v2.dat"

# Members so marked are broader or narrower words, not synonyms: "Person (Oberbegriff)" sits in
# the sense of "Flüchtling", and matching every person for "Flüchtling" is noise.
_NOT_SYNONYMS = ("oberbegriff", "unterbegriff", "derb", "vulgär")
_NOTE_RE = re.compile(r"\(([^()]*)\)")
# Longer entries are phrases or explanations ("nicht mehr zu gebrauchen"), not words staff type
# or articles use as a term.
MAX_ENTRY_WORDS = 2
MIN_STEM_LENGTH = 4
# German inflection endings, longest first: what a query word may carry beyond its base form.
INFLECTION_ENDINGS = ("ern", "nen", "en", "er", "es", "em", "e", "n", "s")


@dataclass
class Thesaurus:
    """Senses as tuples of entries; an entry is the stem sequence of one thesaurus word."""

    senses: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)
    # A one-word entry, normalised, and its stem -> the senses it belongs to.
    by_word: dict[str, list[int]] = field(default_factory=dict)
    by_stem: dict[str, list[int]] = field(default_factory=dict)
    verb_senses: set[int] = field(default_factory=set)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Thesaurus:
        """Parse MyThes data ("word|n" followed by n sense lines "(pos)|syn1|syn2…").

        Every sense is listed under each of its words, so each distinct sense line is read
        once and the headwords only say how many sense lines follow."""
        thesaurus = cls()
        seen: set[str] = set()
        for line in _sense_lines(lines):
            if line in seen:
                continue
            seen.add(line)
            entries: dict[tuple[str, ...], str] = {}
            verbs = 0
            for member in line.split("|")[1:]:
                found = _entry(member)
                if found and found[0] not in entries:
                    entries[found[0]] = found[1]
                    verbs += _looks_like_verb(member)
            if len(entries) < 2:
                continue
            index = len(thesaurus.senses)
            thesaurus.senses.append(tuple(entries))
            if verbs * 2 > len(entries):
                thesaurus.verb_senses.add(index)
            for entry, word in entries.items():
                if len(entry) == 1:
                    thesaurus.by_word.setdefault(word, []).append(index)
                    thesaurus.by_stem.setdefault(entry[0], []).append(index)
        return thesaurus

    @classmethod
    def load(cls, path: str | Path) -> Thesaurus:
        with open(path, encoding=_encoding(path), errors="replace") as data:
            next(data, None)  # the header line names the encoding
            return cls.from_lines(data)

    def senses_of(self, word: str) -> list[int]:
        """The senses of a normalised query word. The thesaurus lists base forms, queries hold
        inflected ones ("Flüchtlinge", "städtische"): the word itself, then without an
        inflection ending, and only then any entry with the same stem. Stems alone merge
        unrelated words (Gebühr and gebührend, Termin and Daten) and with them their senses."""
        found = self.by_word.get(word)
        if found:
            return found
        for ending in INFLECTION_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                found = self.by_word.get(word[: -len(ending)])
                if found:
                    return found
        return self.by_stem.get(whole_stem(word), [])

    def alternatives(self, word: str) -> list[Alternative]:
        """The other entries of every sense of a word, with how many senses they share with it
        (a word that shares several senses is the closer one)."""
        own = (whole_stem(word),)
        shared: Counter[tuple[str, ...]] = Counter()
        nominal: set[tuple[str, ...]] = set()
        for index in self.senses_of(word):
            for entry in self.senses[index]:
                if entry != own:
                    shared[entry] += 1
                    if index not in self.verb_senses:
                        nominal.add(entry)
        return [
            Alternative(entry, count, verbal=entry not in nominal)
            for entry, count in shared.items()
        ]


@dataclass(frozen=True)
class Alternative:
    entry: tuple[str, ...]
    shared: int  # senses in common with the query word
    verbal: bool  # only from senses of verbs


def _sense_lines(lines: Iterable[str]) -> Iterator[str]:
    """The sense lines of MyThes data: after each "word|n" line, the next n lines."""
    pending = 0
    for line in lines:
        line = line.rstrip("\n")
        if pending:
            pending -= 1
            yield line
            continue
        _, _, count = line.rpartition("|")
        pending = int(count) if count.isdigit() else 0


def _looks_like_verb(member: str) -> bool:
    """Lower case and an infinitive ending: how OpenThesaurus writes verbs ("umschreiben")."""
    text = _NOTE_RE.sub(" ", member).strip()
    return bool(text) and text[0].islower() and text.endswith(("en", "ern", "eln"))


def _entry(member: str) -> tuple[tuple[str, ...], str] | None:
    """One thesaurus member as a stem sequence and its normalised text, or None if it is no
    synonym or no term."""
    notes = " ".join(_NOTE_RE.findall(member)).lower()
    if any(mark in notes for mark in _NOT_SYNONYMS):
        return None
    # "(sich) ansammeln", "(tägliche) Arbeit", "Pension (Hauptform)": the bracketed words are
    # optional context or labels, not part of the term.
    text = _NOTE_RE.sub(" ", member)
    if "(" in text or ")" in text or "..." in text or "…" in text:
        return None
    found = words(text)
    # A stopword marks a phrase ("für die Stadt", "außer Betrieb"): without it the rest would
    # be a different word.
    if not found or len(found) > MAX_ENTRY_WORDS or any(word in STOPWORDS for word in found):
        return None
    stems = tuple(whole_stem(word) for word in found)
    # Short stems are mostly other words' stems too ("Rad", "Datum" -> dat as in Daten).
    if any(len(stem) < MIN_STEM_LENGTH or stem.isdigit() for stem in stems):
        return None
    return stems, " ".join(found)


def _encoding(path: str | Path) -> str:
    """MyThes files name their encoding on the first line (this one: UTF-8)."""
    with open(path, "rb") as data:
        header = data.readline().decode("ascii", errors="replace").strip()
    return header or "utf-8"


_lock = threading.Lock()
_loaded: dict[str, Thesaurus | None] = {}


def configured_path() -> str:
    return getattr(settings, "WISSENSNETZ_THESAURUS", DEFAULT_PATH) or ""


def current() -> Thesaurus | None:
    """The configured thesaurus, loaded on first use (about a second) and kept per process;
    None when it is turned off or its file is missing (logged once per path)."""
    path = configured_path()
    if not path:
        return None
    if path in _loaded:
        return _loaded[path]
    with _lock:
        if path not in _loaded:
            try:
                _loaded[path] = Thesaurus.load(path)
            except OSError as error:
                logger.warning(
                    "Thesaurus %s not readable (%s): searching without thesaurus expansion",
                    path,
                    error.strerror or error,
                )
                _loaded[path] = None
        return _loaded[path]


def clear() -> None:
    _loaded.clear()
