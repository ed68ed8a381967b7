#!/usr/bin/env python3
"""Synthetic knowledge articles in the JSONL import format (docs/FORMAT.md), for benchmarks.

    python benchmarks/generate_articles.py 10000 /tmp/articles.jsonl [--seed 1]

Writes N realistic-looking German municipal articles of Arnsberg and Sundern: the nine topic
areas, ~60 departments, ~150 tags used Zipf-like, ~400 fictitious contact persons, Markdown
bodies of 150–600 words built from sentence templates and municipal vocabulary, publication
dates 2022-01-01 .. 2026-10-31, unique slugs and, on ~20 % of the articles, a "counterpart"
(an earlier article of the other city on the same topic). The output is a pure function of
N and --seed. Standard library only; 100 000 articles take a few seconds. The vocabulary
and the sentence templates are data files in benchmarks/data/ (described in its README.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

MIN_WORDS, MAX_WORDS = 150, 600

# --- vocabulary: benchmarks/data/ (see its README.md for the files and the template slots) -----

DATA_DIR = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    """A plain-text table: one entry a line."""
    return (DATA_DIR / name).read_text(encoding="utf-8").splitlines()


def _json(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _noun(entry: list[str]) -> tuple[str, str, str]:
    singular, plural, gender = entry
    return singular, plural, gender


_PLACES = _json("places.json")
ORTSTEILE: dict[str, list[str]] = _PLACES["ortsteile"]
AREA_CODE: dict[str, str] = _PLACES["area_codes"]
DOMAIN: dict[str, str] = _PLACES["domains"]
CITIES = tuple(ORTSTEILE)  # ("Arnsberg", "Sundern")
BOTH = CITIES
PARTNERS = _lines("partners.txt")
MONTHS = _lines("months.txt")
ROLES = _lines("roles.txt")
ADJECTIVES = _lines("adjectives.txt")

# Nouns are (singular, plural, gender). Topic vocabulary is built from determinants x heads
# (Starkregen + vorsorge), as German administrative language does, plus stand-alone nouns.
_HEADS = _json("heads.json")
H: dict[str, tuple[str, str, str]] = {name: _noun(e) for name, e in _HEADS["heads"].items()}
COMMON_HEADS: list[str] = _HEADS["common"]


@dataclass
class Topic:
    name: str
    weight: float  # relative frequency: topics differ a little, as in a real knowledge base
    firsts: list[str]
    heads: list[str]
    nouns: list[tuple[str, str, str]]
    tags: list[str]
    sentences: list[str]
    headings: list[str]
    items: list[str]
    compounds: list[NounForms] = field(default_factory=list)


TOPICS = [
    Topic(**{**entry, "nouns": [_noun(noun) for noun in entry["nouns"]]})
    for entry in _json("topics.json")
]
GLOBAL_TAGS = _lines("global_tags.txt")

# Templates with {slots}, filled by Writer.
SENTENCES = _lines("sentences.txt")
SUMMARIES = _lines("summaries.txt")
TITLES = _lines("titles.txt")
ASPECTS = _lines("aspects.txt")
HEADINGS = _lines("headings.txt")
ITEMS = _lines("items.txt")

# (name, city or None for both, topic indices)
DEPARTMENTS: list[tuple[str, str | None, list[int]]] = [
    (entry["name"], entry["city"], entry["topics"]) for entry in _json("departments.json")
]
FIRST_NAMES = _lines("first_names.txt")
LAST_NAMES = _lines("last_names.txt")

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
    topic_weights = [topic.weight for topic in TOPICS]
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
