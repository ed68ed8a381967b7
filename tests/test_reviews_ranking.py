"""Overdue articles rank slightly lower in search (search.ranking.OVERDUE_FACTOR), never hidden;
confirming one ("Inhalt ist aktuell") moves it back up."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from kb.importer import import_file
from kb.models import ArticlePage
from kb.reviews import confirm_review
from kb.topics import ensure_default_topics
from search import vocabulary
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch.queries import build_query
from search.models import SearchDocument
from search.query import parse
from search.ranking import OVERDUE_FACTOR

pytestmark = pytest.mark.django_db

BODY = (
    "Die Zisterne sammelt das Regenwasser vom Dach. Was sie nicht fasst, versickert in einer "
    "Mulde im Garten. Die Stadt berät kostenlos zur Zisterne."
)


def record(slug: str, title: str, body: str = BODY, **extra) -> dict:
    return {
        "slug": slug,
        "title": title,
        "cities": ["Arnsberg"],
        "topic": "Klimafolgenanpassung & Resilienz",
        "department": "Fachdienst Umwelt",
        "tags": ["Regenwasser"],
        "summary": "Regenwasser sammeln und versickern lassen.",
        "body": body,
        "contact": None,
        "date": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        **extra,
    }


def long_ago() -> str:
    return (timezone.localdate() - datetime.timedelta(days=800)).isoformat()


@pytest.fixture(autouse=True)
def fresh_caches():
    vocabulary.clear()
    yield
    vocabulary.clear()


def load(*records) -> dict[int, str]:
    ensure_default_topics()
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    import_file(lines.encode())
    return dict(ArticlePage.objects.values_list("pk", "slug"))


def ranked(text: str) -> tuple[list[str], int, list[float]]:
    slugs = dict(ArticlePage.objects.values_list("pk", "slug"))
    vocabulary.clear()
    result = DatabaseBackend().search(parse(text), size=10)
    return (
        [slugs[hit.doc.object_id] for hit in result.hits],
        result.total,
        [hit.score for hit in result.hits],
    )


def test_of_two_equal_articles_the_overdue_one_ranks_second(django_capture_on_commit_callbacks):
    # The overdue one is imported last: on equal scores the newer id would come first.
    load(
        record(
            "zisterne-neu", "Zisterne im Garten", last_reviewed=timezone.localdate().isoformat()
        ),
        record("zisterne-alt", "Zisterne im Garten", last_reviewed=long_ago()),
    )
    old = ArticlePage.objects.get(slug="zisterne-alt")
    assert old.review_due < timezone.localdate()
    assert SearchDocument.objects.get(object_id=old.pk).review_due == old.review_due
    order, total, scores = ranked("Zisterne")
    assert order == ["zisterne-neu", "zisterne-alt"]
    assert total == 2  # never hidden: both counted
    assert scores[1] == pytest.approx(scores[0] * OVERDUE_FACTOR)

    # Confirmed, it is reviewed as recently as the other one and comes back up (equal scores).
    with django_capture_on_commit_callbacks(execute=True):
        confirm_review(old, None)
    order, total, scores = ranked("Zisterne")
    assert order == ["zisterne-alt", "zisterne-neu"]  # back up: equal again, the tie-break
    assert total == 2
    assert scores[0] == pytest.approx(scores[1])


def test_a_clearly_better_overdue_match_still_ranks_first():
    load(
        record(
            "zisterne-ueberfaellig",
            "Zisterne bauen: Zisterne, Förderung und Zisterne im Garten",
            body=BODY + " Zisterne, Zisterne und noch einmal Zisterne.",
            last_reviewed=long_ago(),
        ),
        record(
            "regenwasser-aktuell",
            "Regenwasser im Garten",
            body="Regenwasser versickert im Garten. Eine Zisterne ist eine Möglichkeit.",
        ),
    )
    order, total, _ = ranked("Zisterne")
    assert order[0] == "zisterne-ueberfaellig"
    assert total == 2


def test_no_regular_review_is_never_overdue():
    load(
        record("zisterne-bericht", "Zisterne im Garten", review_interval=0),
        record(
            "zisterne-neu", "Zisterne im Garten", last_reviewed=timezone.localdate().isoformat()
        ),
    )
    _, total, scores = ranked("Zisterne")
    assert total == 2
    assert scores[0] == pytest.approx(scores[1])


def test_elasticsearch_applies_the_same_factor_to_overdue_articles():
    body = build_query(
        parse("Zisterne"),
        kind="article",
        filters={},
        restricted=[],
        sort="relevance",
        boost_tag=None,
        size=10,
        offset=0,
    )
    function_score = body["query"]["function_score"]
    assert function_score["functions"][0] == {
        "filter": {"range": {"review_due": {"lt": "now/d", "time_zone": "Europe/Berlin"}}},
        "weight": OVERDUE_FACTOR,
    }
    assert function_score["score_mode"] == function_score["boost_mode"] == "multiply"
