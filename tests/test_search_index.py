"""The search index's posting lists stay exact through edits, deletions, bulk sessions, rebuilds
and the upgrade from the earlier one-row-per-posting layout."""

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kb.models import ArticlePage
from search import indexing
from search.models import SearchDocument, TermPostings
from search.postings import decode

API = "/api/v1/search/"


def found(client, query: str) -> list[str]:
    response = client.get(API, {"q": query})
    assert response.status_code == 200
    return [result["slug"] for result in response.json()["results"]]


def index_contents() -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(kind, term) -> [(object id, weight)], independent of document row ids."""
    object_of = dict(SearchDocument.objects.values_list("pk", "object_id"))
    contents = {}
    for kind, term, df, data in TermPostings.objects.values_list("kind", "term", "df", "data"):
        ids, weights = decode(data)
        assert df == len(ids)
        contents[(kind, term)] = sorted(
            (object_of[int(pk)], float(weight)) for pk, weight in zip(ids, weights, strict=True)
        )
    return contents


def assert_lists_consistent() -> None:
    """Every list is sorted, has no duplicate, names only existing documents of its kind, and
    holds exactly the terms its documents record."""
    kinds = dict(SearchDocument.objects.values_list("pk", "kind"))
    terms_of = {
        pk: set(terms.split()) for pk, terms in SearchDocument.objects.values_list("pk", "terms")
    }
    seen: dict[int, set[str]] = {pk: set() for pk in kinds}
    for kind, term, data in TermPostings.objects.values_list("kind", "term", "data"):
        ids, _ = decode(data)
        assert len(ids), f"empty list for {term}"
        assert np.all(np.diff(ids) > 0), f"unsorted or duplicate ids for {term}"
        for pk in ids.tolist():
            assert kinds.get(pk) == kind, f"{term} names a missing document {pk}"
            seen[pk].add(term)
    assert seen == terms_of


@pytest.mark.django_db
def test_an_edited_article_is_found_by_its_new_words_only(staff_client, demo_articles):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    page.summary = "Ein Kaltwasserspender Zauberwortalpha im Rathaus"
    page.save_revision().publish()
    assert "demo-hitzeschutz-sundern" in found(staff_client, "Zauberwortalpha")

    page = ArticlePage.objects.get(pk=page.pk)
    page.summary = "Ein Kaltwasserspender Zauberwortbeta im Rathaus"
    page.save_revision().publish()
    assert found(staff_client, "Zauberwortalpha") == []
    assert "demo-hitzeschutz-sundern" in found(staff_client, "Zauberwortbeta")
    assert_lists_consistent()


@pytest.mark.django_db
def test_removing_the_last_article_with_a_term_removes_its_list(demo_articles):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    page.summary = "Einmaliges Wort Quargelsturm"
    page.save_revision().publish()
    assert TermPostings.objects.filter(term__startswith="quargelsturm").exists()
    page.unpublish()
    assert not TermPostings.objects.filter(term__startswith="quargelsturm").exists()
    assert_lists_consistent()


@pytest.mark.django_db
def test_rebuild_gives_the_same_index_as_the_updates_on_publish(demo_articles):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    page.title = "Hitzeaktionsplan mit Trinkbrunnen"
    page.save_revision().publish()
    ArticlePage.objects.get(slug="demo-hitzeschutz-sundern").unpublish()
    incremental = index_contents()
    indexing.rebuild()
    assert index_contents() == incremental
    assert_lists_consistent()


@pytest.mark.django_db
def test_article_published_and_deleted_in_one_bulk_session_leaves_nothing(
    staff_client, demo_articles
):
    topic = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern").get_parent()
    with indexing.deferred():
        page = ArticlePage(
            title="Kurzlebig Zwirbelfalter", slug="kurzlebig", summary="Zwirbelfalter"
        )
        topic.add_child(instance=page)
        page.save_revision().publish()
        ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg").save_revision().publish()
        page.delete()
    assert found(staff_client, "Zwirbelfalter") == []
    assert not TermPostings.objects.filter(term__startswith="zwirbelfalt").exists()
    assert "demo-hitzeschutz-arnsberg" in found(staff_client, "Hitzeaktionsplan")
    assert_lists_consistent()


# Migrations run outside a test transaction; serialized_rollback restores the migration data
# (content types, groups) afterwards, as later tests expect it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_converts_the_row_per_posting_index():
    """Migration 0006 turns the earlier one-row-per-term-and-document index into lists."""
    executor = MigrationExecutor(connection)
    old_state = [("search", "0005_posting_covering_index")]
    executor.migrate(old_state)
    old_apps = executor.loader.project_state(old_state).apps
    OldDocument = old_apps.get_model("search", "SearchDocument")
    OldPosting = old_apps.get_model("search", "Posting")
    first = OldDocument.objects.create(kind="article", object_id=7)
    second = OldDocument.objects.create(kind="article", object_id=8)
    person = OldDocument.objects.create(kind="contact", object_id=7)
    OldPosting.objects.bulk_create(
        [
            OldPosting(term="hitz", document=first, weight=2.5, in_title=True),
            OldPosting(term="hitz", document=second, weight=1.0, in_title=False),
            OldPosting(term="plan", document=second, weight=0.5, in_title=False),
            OldPosting(term="hitz", document=person, weight=3.0, in_title=True),
        ]
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert index_contents() == {
            ("article", "hitz"): [(7, -2.5), (8, 1.0)],
            ("article", "plan"): [(8, 0.5)],
            ("contact", "hitz"): [(7, -3.0)],
        }
        assert_lists_consistent()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_deleting_an_article_updates_its_contact_persons(
    demo_articles, django_capture_on_commit_callbacks
):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    assert page.contacts.exists()
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    incremental = index_contents()
    indexing.rebuild()
    assert index_contents() == incremental
