"""Search quality on the German sample collection, through the JSON API, against plain FTS5.

Prints the table per query kind (run with -s to see it); asserts the floors of the search issue.
"""

import json

import pytest
from django.db import connection

from kb.importer import import_file
from tests.evaluation import by_kind, evaluate, load_queries, table
from tests.fts5_baseline import PlainFTS5

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
EVAL = DATA_DIR / "search-eval"


def test_search_quality_floors(staff_client, capsys):
    articles_bytes = (EVAL / "articles.jsonl").read_bytes()
    import_file(articles_bytes)
    articles = [json.loads(line) for line in articles_bytes.decode().splitlines() if line]
    queries = load_queries(EVAL / "queries.jsonl")

    def through_api(q: str, filters: dict) -> list[str]:
        response = staff_client.get("/api/v1/search/", {"q": q, **filters, "page_size": 20})
        assert response.status_code == 200
        return [result["slug"] for result in response.json()["results"]]

    ours = evaluate(queries, through_api)
    baseline = evaluate(queries, PlainFTS5(articles).search)
    with capsys.disabled():
        print(f"\nSearch quality on {connection.vendor} ({len(queries)} queries):")
        print(table(ours, baseline))

    mine, base = by_kind(ours), by_kind(baseline)
    assert mine["ALL"]["ndcg"] >= 0.85
    assert mine["ALL"]["recall"] >= 0.90
    assert mine["ALL"]["p1"] >= 0.85
    assert all(score.returned > 0 for score in ours), [s.q for s in ours if not s.returned]
    for kind, figures in mine.items():
        assert figures["ndcg"] >= base[kind]["ndcg"], kind
