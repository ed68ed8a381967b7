"""Does the search generalise? (issue 11)

Two reports, run with -s to see them:
- the second, independent collection (tests/data/search-eval-2/, written before any tuning on it):
  nDCG@10, recall@10 and P@1 per query kind, with floors a little below today's figures;
- queries no article of the sample collection answers (tests/data/search-eval/unanswerable.jsonl):
  how many of them still get hits.
"""

import pytest
from django.db import connection

from kb.importer import import_file
from tests.evaluation import by_kind, evaluate, hit_order, load_queries, page_order, table

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
EVAL = DATA_DIR / "search-eval"
EVAL_2 = DATA_DIR / "search-eval-2"


def _search(client, q: str, filters: dict) -> dict:
    response = client.get("/api/v1/search/", {"q": q, **filters, "page_size": 20})
    assert response.status_code == 200
    return response.json()


def test_second_collection_report(staff_client, capsys):
    import_file((EVAL_2 / "articles.jsonl").read_bytes())
    queries = load_queries(EVAL_2 / "queries.jsonl")

    scores = evaluate(queries, lambda q, f: page_order(_search(staff_client, q, f)))
    hits_only = evaluate(queries, lambda q, f: hit_order(_search(staff_client, q, f)))
    with capsys.disabled():
        print(f"\nSecond collection on {connection.vendor} ({len(queries)} queries), page order:")
        print(table(scores))
        print("Hits alone (without the related articles):")
        print(table(hits_only))
        for score in scores:
            if score.ndcg < 0.5:
                weak = f"  weak: {score.id} {score.kind:12} nDCG {score.ndcg:.2f}"
                print(f"{weak}  {score.q!r} -> {score.top}")

    mine, hits = by_kind(scores)["ALL"], by_kind(hits_only)["ALL"]
    # Measured on SQLite, 44 queries (the collection was written before any tuning on it):
    #   before issue 11 (f1ddde4):  nDCG@10 0.883, recall@10 0.875, P@1 0.841 (all were hits)
    #   issue 11 hit rule alone, page order:  nDCG@10 0.880, recall@10 0.864, P@1 0.841
    #   issue 11 hit rule alone, hits alone:  nDCG@10 0.660, recall@10 0.591, P@1 0.705
    #   + lemmatizer, without thesaurus:      page 0.875 / 0.864 / 0.818, hits 0.656 / 0.591 / 0.682
    #   + lemmatizer and thesaurus, page:     nDCG@10 0.919, recall@10 0.886, P@1 0.886
    #   + related only by direct matches:     nDCG@10 0.903, recall@10 0.864, P@1 0.886
    #   + lemmatizer and thesaurus, hits:     nDCG@10 0.762, recall@10 0.682, P@1 0.773
    # Floors: the figure measured without the thesaurus (mythes-de may be missing) minus 0.05,
    # rounded down, so that a regression fails.
    assert mine["ndcg"] >= 0.83
    assert mine["recall"] >= 0.81
    assert mine["p1"] >= 0.79
    assert hits["ndcg"] >= 0.61


def test_unanswerable_queries_report(staff_client, capsys):
    import_file((EVAL / "articles.jsonl").read_bytes())
    queries = load_queries(EVAL / "unanswerable.jsonl")

    rows = []
    for query in queries:
        data = _search(staff_client, query["q"], {})
        first = data["results"][0]["slug"] if data["results"] else "-"
        rows.append((query["id"], query["q"], data["count"], first))
    zero_hits = sum(1 for _, _, count, _ in rows if count == 0)

    with capsys.disabled():
        print(f"\nUnanswerable queries on {connection.vendor} ({len(rows)} queries):")
        print("| id | query | count | first hit |")
        print("|---|---|---|---|")
        for row in rows:
            print("| {} | {} | {} | {} |".format(*row))
        print(f"without a hit: {zero_hits} of {len(rows)}")

    # Measured on SQLite, 16 queries: 0 without a hit before issue 11 (f1ddde4, 5 to 32 hits
    # each); 10 with issue 11's hit rule (a hit holds every word of a short query, all but one
    # of three and more, and more than a compound's head or a number); 14 once the word a hit
    # may miss is never a compound that no visible document holds (ParsedQuery.forgivable).
    # The two left: u15 (Unfall, Haftung, Stadt occur together in articles on other subjects)
    # and u16, whose hit does mention sandbags (see its note).
    assert len(rows) >= 12
    assert zero_hits >= 14
