"""How much the thesaurus (search.thesaurus, OpenThesaurus from mythes-de) knows of our texts.

For each evaluation collection in tests/data/ (search-eval, search-eval-2): how many of its index
terms are a one-word thesaurus entry, and how many thesaurus alternatives the query builder adds
per query word (search.query._add_thesaurus, with the collection's own vocabulary). No database:
the index terms are computed with search.analysis.analyse over title, summary, tags and body,
close to but not exactly what the indexer stores. Run from the project folder:

    .venv/bin/python benchmarks/thesaurus_coverage.py
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "tests" / "data"
COLLECTIONS = ("search-eval", "search-eval-2")


def _setup() -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wissensnetz.settings.dev")
    import django

    django.setup()


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def coverage(collection: str) -> dict[str, float]:
    """Figures for one collection (see the module docstring)."""
    from search import thesaurus
    from search.analysis import analyse
    from search.query import THESAURUS_WEIGHT, Clause, _add_thesaurus, _content_words
    from search.vocabulary import Vocabulary

    found = thesaurus.current()
    if found is None:
        raise SystemExit(f"no thesaurus at {thesaurus.configured_path()!r} (apt install mythes-de)")
    df: Counter[str] = Counter()
    for article in _records(DATA_DIR / collection / "articles.jsonl"):
        text = " ".join(
            [article.get("title", ""), article.get("summary", ""), article.get("body", "")]
            + list(article.get("tags", []))
        )
        df.update(set(analyse(text)))
    vocabulary = Vocabulary(dict(df))
    known = [term for term in df if term in found.by_stem]

    words = expanded = added = 0
    for query in _records(DATA_DIR / collection / "queries.jsonl"):
        for word in _content_words(query["q"]):
            clause = Clause(word)
            _add_thesaurus(clause, word, vocabulary, frozenset())
            count = sum(1 for v in clause.variants if v.weight == THESAURUS_WEIGHT)
            words += 1
            expanded += bool(count)
            added += count
    return {
        "terms": len(df),
        "known": len(known),
        "words": words,
        "expanded": expanded,
        "added": added,
    }


def main() -> None:
    _setup()
    print(
        "| collection | index terms | known to the thesaurus | query words | expanded "
        "| alternatives per word |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for collection in COLLECTIONS:
        c = coverage(collection)
        share = c["known"] / c["terms"] if c["terms"] else 0.0
        per_word = c["added"] / c["words"] if c["words"] else 0.0
        print(
            f"| {collection} | {c['terms']} | {c['known']} ({share:.0%}) | {c['words']} "
            f"| {c['expanded']} | {per_word:.2f} |"
        )


if __name__ == "__main__":
    main()
