"""Search quality on the German sample collection, through the JSON API, against plain FTS5.

Prints the table per query kind (run with -s to see it); asserts the floors of the search issues.
Measured on what the search page shows: the hits, then the "Ähnliche Beiträge" that share only
part of the query (issue 11: those are no hits). The hits alone are printed and have a floor too.
"""

import json

import pytest
from django.db import connection

from kb.importer import import_file
from tests.evaluation import by_kind, evaluate, hit_order, load_queries, page_order, table
from tests.fts5_baseline import PlainFTS5

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
EVAL = DATA_DIR / "search-eval"


def test_search_quality_floors(staff_client, capsys):
    articles_bytes = (EVAL / "articles.jsonl").read_bytes()
    import_file(articles_bytes)
    articles = [json.loads(line) for line in articles_bytes.decode().splitlines() if line]
    queries = load_queries(EVAL / "queries.jsonl")

    def answer(q: str, filters: dict) -> dict:
        response = staff_client.get("/api/v1/search/", {"q": q, **filters, "page_size": 20})
        assert response.status_code == 200
        return response.json()

    ours = evaluate(queries, lambda q, filters: page_order(answer(q, filters)))
    hits_only = evaluate(queries, lambda q, filters: hit_order(answer(q, filters)))
    baseline = evaluate(queries, PlainFTS5(articles).search)
    with capsys.disabled():
        print(f"\nSearch quality on {connection.vendor} ({len(queries)} queries), page order:")
        print(table(ours, baseline))
        print("Hits alone (without the related articles):")
        print(table(hits_only))

    mine, base = by_kind(ours), by_kind(baseline)
    # Issue 11: the sample collection must not drop (0.988 / 0.979 / 1.000 before it).
    assert mine["ALL"]["ndcg"] >= 0.98
    assert mine["ALL"]["recall"] >= 0.95
    assert mine["ALL"]["p1"] == 1.0
    assert all(score.returned > 0 for score in ours), [s.q for s in ours if not s.returned]
    for kind, figures in mine.items():
        assert figures["ndcg"] >= base[kind]["ndcg"], kind
    # The hits alone: measured 0.843 / 0.788 / 0.875 with issue 11's hit rule, 0.890 / 0.844 /
    # 0.917 with the lemmatizer and the thesaurus.
    assert by_kind(hits_only)["ALL"]["ndcg"] >= 0.80
    assert by_kind(hits_only)["ALL"]["p1"] >= 0.85
