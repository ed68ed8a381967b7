"""Visibility decided at query time, not by what the index last saw (probe findings 5 and 7).

5: with the worker backend (TASK_BACKEND=database) an article moved into a private section keeps
its old path in the index until the worker runs; the search must still neither list nor count
it, and the facets must agree with the results.
7: contact persons are shown only if the reader may read at least one of their articles, and a
view restriction added or removed refreshes the index like a full rebuild would.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, ContactPerson, TopicPage
from search import indexing
from search.models import SearchDocument

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"
AUTOCOMPLETE = "/api/v1/autocomplete/"
WORD = "Zyxquorplit"
TAG = "Zauberwortgamma"
CONTACT = "Zacharias Quellenmeier"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def restrict_to_chiefs(page) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    return restriction


def add_article(topic: TopicPage, slug: str, title: str, *, tags=(), contacts=(), publish=True):
    page = ArticlePage(title=title, slug=slug, summary=f"{WORD} im Überblick", live=False)
    topic.add_child(instance=page)
    for tag in tags:
        page.tags.add(tag)
    page.contacts.set(contacts)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def private_topic() -> TopicPage:
    public = TopicPage.objects.get(title="Krisenmanagement")
    topic = TopicPage(title="Interne Lage", slug="interne-lage")
    public.get_parent().add_child(instance=topic)
    restrict_to_chiefs(topic)
    return TopicPage.objects.get(pk=topic.pk)


def api(client, **params) -> dict:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def facet_total(payload: dict, name: str) -> int:
    return sum(item["count"] for item in payload["facets"][name])


def test_article_moved_into_private_section_is_hidden_before_the_worker_runs(
    client, staff, chief, demo_articles, settings
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    page = add_article(topic, "quarz-intern", "Zyxquorplit am Wehr")
    hidden = private_topic()
    client.force_login(staff)
    assert [r["slug"] for r in api(client, q=WORD)["results"]] == ["quarz-intern"]

    # From now on index updates wait for the worker, which does not run in this test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ArticlePage.objects.get(pk=page.pk).move(hidden, pos="last-child")
    indexed = SearchDocument.objects.get(kind=SearchDocument.ARTICLE, object_id=page.pk)
    assert indexed.path != ArticlePage.objects.get(pk=page.pk).path  # the index is stale

    payload = api(client, q=WORD)
    assert payload["results"] == []
    assert payload["count"] == 0
    for name in ("city", "topic", "tag", "department"):
        assert facet_total(payload, name) == 0, (name, payload["facets"])
    # Listing by filter (empty query) neither lists nor counts it either.
    listed = api(client, topic="krisenmanagement", page_size=100)
    assert "quarz-intern" not in [r["slug"] for r in listed["results"]]
    assert listed["count"] == len(listed["results"])
    topic_counts = {item["value"]: item["count"] for item in listed["facets"]["topic"]}
    assert topic_counts.get("krisenmanagement", 0) == listed["count"]

    html = client.get("/suche/", {"q": WORD}).content.decode()
    assert "Zyxquorplit am Wehr" not in html
    assert "/interne-lage/" not in html

    # The chief editors may read it: for them it is still found.
    client.force_login(chief)
    assert [r["slug"] for r in api(client, q=WORD)["results"]] == ["quarz-intern"]


def test_contact_of_only_private_or_draft_articles_is_not_shown(
    client, staff, chief, demo_articles
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    secret = ContactPerson.objects.create(name=CONTACT, role="Quellenpflege")
    drafty = ContactPerson.objects.create(name="Zacharias Entwurfsmann", role="Quellenpflege")
    page = add_article(topic, "quelle-intern", "Quellenpflege intern", contacts=[secret])
    restrict_to_chiefs(page)
    add_article(topic, "quelle-entwurf", "Quellenentwurf", contacts=[drafty], publish=False)

    client.force_login(staff)
    html = client.get("/suche/", {"q": "Zacharias"}).content.decode()
    assert CONTACT not in html
    assert "Entwurfsmann" not in html
    labels = [
        s["label"] for s in client.get(AUTOCOMPLETE, {"q": "Zacharias"}).json()["suggestions"]
    ]
    assert CONTACT not in labels
    assert "Zacharias Entwurfsmann" not in labels

    client.force_login(chief)
    html = client.get("/suche/", {"q": "Zacharias"}).content.decode()
    assert CONTACT in html
    labels = [
        s["label"] for s in client.get(AUTOCOMPLETE, {"q": "Zacharias"}).json()["suggestions"]
    ]
    assert CONTACT in labels
    assert "Zacharias Entwurfsmann" not in labels


def test_a_restriction_change_refreshes_the_contact_index_like_a_rebuild(
    client, staff, demo_articles, django_capture_on_commit_callbacks
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    contact = ContactPerson.objects.create(name=CONTACT, role="Quellenpflege")
    add_article(topic, "quelle-offen", "Quellen offen", contacts=[contact])
    tagged = add_article(topic, "quelle-tag", "Quellen markiert", tags=[TAG], contacts=[contact])
    client.force_login(staff)

    def contact_found_by_tag() -> bool:
        return CONTACT in client.get("/suche/", {"q": TAG}).content.decode()

    def stored_terms() -> set[str]:
        stored = SearchDocument.objects.get(kind=SearchDocument.CONTACT, object_id=contact.pk)
        return set(stored.terms.split())

    def rebuilt_terms() -> set[str]:
        document = indexing.contact_document(ContactPerson.objects.get(pk=contact.pk))
        return {term[:64] for term in indexing.weigh(document["fields"])[0]}

    assert contact_found_by_tag()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict_to_chiefs(tagged)
    assert not contact_found_by_tag()
    assert stored_terms() == rebuilt_terms()
    assert not any(term.startswith("zauberwort") for term in stored_terms())

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert contact_found_by_tag()
    assert stored_terms() == rebuilt_terms()


def test_backends_leave_out_excluded_ids_from_hits_totals_and_facets(staff, demo_articles):
    from search.backends.database import DatabaseBackend
    from search.backends.elasticsearch.queries import build_query
    from search.query import parse

    backend = DatabaseBackend()
    everything = backend.search(parse(""))
    first = everything.hits[0].doc
    without = backend.search(parse(""), exclude_ids={first.object_id})
    assert first.object_id not in [hit.doc.object_id for hit in without.hits]
    assert without.total == everything.total - 1
    for value in first.topic:
        assert without.facets["topic"].get(value, 0) == everything.facets["topic"][value] - 1

    body = build_query(
        parse(""),
        kind="article",
        filters={},
        restricted=[],
        exclude_ids={first.object_id},
        sort="relevance",
        boost_tag=None,
        size=10,
        offset=0,
    )
    must_not = body["query"]["bool"]["must_not"]
    assert {"terms": {"object_id": [first.object_id]}} in must_not
