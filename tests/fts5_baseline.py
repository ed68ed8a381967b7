"""The comparison baseline: plain, unanalysed SQLite FTS5 (what stock search does on SQLite).

Built in memory with Python's sqlite3 module, independent of the project's database, so the
same figures can be compared on SQLite and PostgreSQL runs. Query words are ORed (with AND,
plain FTS5 finds nothing for most queries here), ranked by bm25; nothing is stemmed or split.
"""

from __future__ import annotations

import re
import sqlite3


class PlainFTS5:
    def __init__(self, articles: list[dict]):
        self.articles = {article["slug"]: article for article in articles}
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, body)")
        self.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [
                (
                    a["slug"],
                    a["title"],
                    " ".join([a["summary"], a["body"], " ".join(a["tags"]), a["department"]]),
                )
                for a in articles
            ],
        )

    def search(self, q: str, filters: dict) -> list[str]:
        words = re.findall(r"\w+", q)
        if not words:
            return []
        expression = " OR ".join(f'"{word}"' for word in words)
        rows = self.db.execute(
            "SELECT slug FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)", (expression,)
        ).fetchall()
        return [slug for (slug,) in rows if self._passes(self.articles[slug], filters)]

    @staticmethod
    def _passes(article: dict, filters: dict) -> bool:
        if "city" in filters and filters["city"] not in article["cities"]:
            return False
        if "topic" in filters and filters["topic"] != article["topic"]:
            return False
        return not ("tag" in filters and filters["tag"] not in article["tags"])
