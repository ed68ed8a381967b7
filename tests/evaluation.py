"""Search quality metrics over a judged query set (tests/data/search-eval/).

nDCG@10 with gain 2^grade - 1 and log2(rank + 1) discount, normalised by the ideal ordering of the
judged grades; recall@10 over articles with grade >= 1; P@1 = first result graded 2.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

K = 10


@dataclass
class QueryScore:
    id: str
    kind: str
    q: str
    ndcg: float
    recall: float
    p1: float
    returned: int
    top: list[str]


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def ndcg_at_k(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    dcg = sum(
        (2 ** judged.get(slug, 0) - 1) / math.log2(rank + 2) for rank, slug in enumerate(ranked[:k])
    )
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    relevant = {slug for slug, grade in judged.items() if grade >= 1}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(queries: list[dict], run: Callable[[str, dict], list[str]]) -> list[QueryScore]:
    """`run(q, filters)` returns the ranked slugs of one query."""
    scores = []
    for query in queries:
        ranked = run(query["q"], query.get("filters") or {})
        judged = query["relevant"]
        scores.append(
            QueryScore(
                id=query["id"],
                kind=query["kind"],
                q=query["q"],
                ndcg=ndcg_at_k(ranked, judged),
                recall=recall_at_k(ranked, judged),
                p1=1.0 if ranked and judged.get(ranked[0], 0) == 2 else 0.0,
                returned=len(ranked),
                top=ranked[:3],
            )
        )
    return scores


def by_kind(scores: list[QueryScore]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[QueryScore]] = defaultdict(list)
    for score in scores:
        groups[score.kind].append(score)
    groups["ALL"] = list(scores)
    return {
        kind: {
            "n": len(items),
            "ndcg": sum(s.ndcg for s in items) / len(items),
            "recall": sum(s.recall for s in items) / len(items),
            "p1": sum(s.p1 for s in items) / len(items),
        }
        for kind, items in groups.items()
    }


def table(ours: list[QueryScore], baseline: list[QueryScore] | None = None) -> str:
    """Markdown table per query kind; with a baseline, its figures side by side."""
    mine = by_kind(ours)
    base = by_kind(baseline) if baseline else {}
    head = "| kind | n | nDCG@10 | recall@10 | P@1 |"
    rule = "|---|---|---|---|---|"
    if baseline:
        head += " FTS5 nDCG@10 | FTS5 recall@10 | FTS5 P@1 |"
        rule += "---|---|---|"
    lines = [head, rule]
    for kind in sorted(mine, key=lambda k: (k == "ALL", k)):
        row = mine[kind]
        line = (
            f"| {kind} | {row['n']} | {row['ndcg']:.3f} | {row['recall']:.3f} | {row['p1']:.3f} |"
        )
        if baseline:
            other = base.get(kind, {"ndcg": 0, "recall": 0, "p1": 0})
            line += f" {other['ndcg']:.3f} | {other['recall']:.3f} | {other['p1']:.3f} |"
        lines.append(line)
    return "\n".join(lines)


def page_order(payload: dict) -> list[str]:
    """The slugs of an API answer in the order the search page shows them: the hits, then the
    related articles that share only part of the query (set apart, not counted as hits)."""
    return [item["slug"] for item in payload["results"] + payload.get("related", [])]


def hit_order(payload: dict) -> list[str]:
    """The hits alone (the API's `results`)."""
    return [item["slug"] for item in payload["results"]]
