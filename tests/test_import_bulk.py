"""kb_import's bulk path: new articles written in bulk must be indistinguishable from articles
created through Wagtail (add_child → save_revision → publish), and every index must be right
when the command returns."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models.signals import post_save
from modelsearch import signal_handlers as modelsearch_handlers
from modelsearch.index import insert_or_update_object
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from kb import bulk, importer
from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage, ContactPerson, TopicPage
from search.models import SearchDocument

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
SAMPLE = DATA_DIR / "search-eval" / "articles.jsonl"


def records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def write(tmp_path, items, name="file.jsonl"):
    path = tmp_path / name
    path.write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8"
    )
    return path


def run_import(path) -> str:
    out = StringIO()
    call_command("kb_import", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def linked(tmp_path):
    """The sample collection where the first article's counterpart comes LATER in the file."""
    items = records()
    items[0]["counterpart"] = items[-1]["slug"]
    items[-1]["counterpart"] = items[0]["slug"]
    run_import(write(tmp_path, items))
    return items


def test_each_new_article_is_live_with_exactly_one_revision_and_its_log(linked):
    pages = list(ArticlePage.objects.all())
    assert len(pages) == len(linked)
    for page in pages:
        revisions = list(Revision.objects.filter(object_id=str(page.pk)))
        assert len(revisions) == 1
        revision = revisions[0]
        assert page.live and not page.has_unpublished_changes and not page.expired
        assert page.latest_revision_id == page.live_revision_id == revision.pk
        assert page.first_published_at and page.last_published_at
        assert page.latest_revision_created_at == revision.created_at
        assert page.draft_title == page.title == revision.object_str
        assert page.url_path == page.get_parent().url_path + page.slug + "/"
        assert page.locale_id == page.get_parent().locale_id
        actions = list(
            PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)
        )
        assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
        assert (
            PageLogEntry.objects.filter(page=page, action="wagtail.publish").get().revision_id
            == revision.pk
        )


def test_revision_content_is_the_page(linked):
    for page in ArticlePage.objects.all():
        restored = page.latest_revision.as_object()
        assert restored.title == page.title and restored.slug == page.slug
        assert restored.summary == page.summary
        assert restored.body.get_prep_value() == page.body.get_prep_value()
        assert restored.counterpart_id == page.counterpart_id
        assert restored.department_id == page.department_id
        assert {c.pk for c in restored.cities.all()} == {c.pk for c in page.cities.all()}
        assert {c.pk for c in restored.contacts.all()} == {c.pk for c in page.contacts.all()}
        assert {t.pk for t in restored.tags.all()} == {t.pk for t in page.tags.all()}
        assert restored.path == page.path and restored.url_path == page.url_path


def test_counterpart_later_in_the_file_is_set_in_the_single_revision(linked):
    first = ArticlePage.objects.get(slug=linked[0]["slug"])
    last = ArticlePage.objects.get(slug=linked[-1]["slug"])
    assert first.counterpart_id == last.pk and last.counterpart_id == first.pk
    assert first.latest_revision.content["counterpart"] == last.pk
    assert first.revisions.count() == 1


def test_tree_is_consistent(linked):
    assert all(not problems for problems in Page.find_problems())
    for topic in TopicPage.objects.all():
        assert topic.numchild == topic.get_children().count()


def test_reference_index_is_what_wagtail_computes(linked):
    first = ArticlePage.objects.get(slug=linked[0]["slug"])
    references = ReferenceIndex.get_references_to(first.counterpart)
    assert references.filter(object_id=str(first.pk), model_path="counterpart").exists()
    before = set(ReferenceIndex.objects.values_list("object_id", "to_object_id", "content_path"))
    assert ReferenceIndex.objects.filter(object_id=str(first.pk)).count() > 3
    for page in ArticlePage.objects.all():
        ReferenceIndex.create_or_update_for_object(page)
    for contact in ContactPerson.objects.all():
        ReferenceIndex.create_or_update_for_object(contact)
    after = set(ReferenceIndex.objects.values_list("object_id", "to_object_id", "content_path"))
    assert after == before


def test_admin_search_index_is_what_per_page_indexing_writes(linked):
    def terms(text) -> set[str]:
        # PostgreSQL stores tsvectors whose positions follow the (unordered) order in which
        # related objects such as tags are fetched; compare the terms, not their positions.
        return {token.split(":")[0] for token in str(text).split()}

    def entries():
        return {
            (entry.content_type_id, entry.object_id): (
                terms(entry.title),
                terms(entry.autocomplete),
                terms(entry.body),
            )
            for entry in IndexEntry.objects.all()
        }

    before = entries()
    assert len(before) >= ArticlePage.objects.count() + ContactPerson.objects.count()
    for page in ArticlePage.objects.all():
        insert_or_update_object(page)
    for contact in ContactPerson.objects.all():
        insert_or_update_object(contact)
    assert entries() == before
    found = {page.slug for page in Page.objects.search("Laufbus")}
    assert "sundern-laufbus-grundschulen" in found


def test_admin_page_search_and_staff_search_find_imported_articles(linked, admin_client):
    response = admin_client.get("/admin/pages/search/", {"q": "Laufbus"})
    assert response.status_code == 200
    assert "sundern-laufbus-grundschulen" in response.content.decode() or (
        "Laufbus" in response.content.decode()
    )
    payload = admin_client.get("/api/v1/search/", {"q": "Laufbus"}).json()
    assert "sundern-laufbus-grundschulen" in [r["slug"] for r in payload["results"]]
    assert SearchDocument.objects.filter(kind="article").count() == ArticlePage.objects.count()


def test_reimport_unchanged_writes_nothing(linked, tmp_path):
    counts = (Revision.objects.count(), PageLogEntry.objects.count(), IndexEntry.objects.count())
    out = run_import(write(tmp_path, linked, "again.jsonl"))
    assert f"0 neu, 0 aktualisiert, {len(linked)} unverändert" in out
    assert (
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        IndexEntry.objects.count(),
    ) == counts


def test_update_and_new_counterpart_publish_once(linked, tmp_path):
    items = [dict(linked[1]), dict(linked[2])]
    items[0]["title"] = "Ganz neuer Titel"
    items[1]["counterpart"] = linked[3]["slug"]
    out = run_import(write(tmp_path, items, "update.jsonl"))
    assert "0 neu, 2 aktualisiert, 0 unverändert" in out
    for item in items:
        page = ArticlePage.objects.get(slug=item["slug"])
        assert page.revisions.count() == 2
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision_id == page.latest_revision_id
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 2
    changed = ArticlePage.objects.get(slug=items[0]["slug"])
    assert changed.title == "Ganz neuer Titel"
    assert "Ganz neuer Titel" in {p.title for p in Page.objects.search("Ganz neuer Titel")}
    linked_page = ArticlePage.objects.get(slug=items[1]["slug"])
    target = ArticlePage.objects.get(slug=linked[3]["slug"])
    assert linked_page.counterpart_id == target.pk
    assert ReferenceIndex.get_references_to(target).filter(object_id=str(linked_page.pk)).exists()


def test_failure_while_writing_leaves_nothing_and_restores_signal_handlers(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(importer, "create_articles", broken)
    with pytest.raises(RuntimeError):
        import_file(SAMPLE.read_bytes())
    assert ArticlePage.objects.count() == 0
    assert Revision.objects.filter(object_str__in=[r["title"] for r in records()]).count() == 0
    assert SearchDocument.objects.count() == 0
    receivers = [r for r in post_save._live_receivers(ContactPerson)[0]]
    assert modelsearch_handlers.post_save_signal_handler in receivers
    assert bulk._modelsearch_on_save not in receivers
    contact = ContactPerson.objects.create(name="Nach dem Fehler")
    assert IndexEntry.objects.filter(object_id=str(contact.pk)).exists()


def test_duplicate_city_in_a_record_is_stored_once(tmp_path):
    item = records()[0]
    item["cities"] = ["Sundern", "sundern"]
    run_import(write(tmp_path, [item]))
    assert ArticlePage.objects.get().cities.count() == 1


def test_slug_taken_by_a_page_of_another_type_is_reported_not_crashed(tmp_path):
    item = records()[0]
    topic = TopicPage.objects.filter(title=item["topic"]).first()
    if topic is None:
        from kb.topics import ensure_topic

        topic = ensure_topic(item["topic"])
    topic.add_child(instance=Page(title="Andere Seite", slug=item["slug"]))
    with pytest.raises(ImportFailed) as failure:
        import_file(json.dumps(item, ensure_ascii=False).encode())
    assert "slug" in str(failure.value)
    assert ArticlePage.objects.count() == 0
