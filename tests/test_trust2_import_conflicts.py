"""kb_import does not move, publish or un-protect an existing article silently (issue 10, #3):
a slug under another topic, in a private section or in a running review is a conflict."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, WorkflowState

from kb.exporter import article_record
from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage, TopicPage

pytestmark = pytest.mark.django_db


def _file(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _article() -> ArticlePage:
    return ArticlePage.objects.live().order_by("pk").first()


def _problems(data: bytes, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_file(data, **options)
    return [str(problem) for problem in failure.value.problems]


def test_slug_under_another_topic_is_a_conflict_unless_moving_is_asked(demo_articles):
    page = _article()
    record = article_record(page)
    other = TopicPage.objects.exclude(pk=page.get_parent().pk).order_by("pk").first()
    record["topic"] = other.title
    problems = _problems(_file(record))
    assert problems == [
        f"Zeile 1, Feld „slug“: „{page.slug}“ gibt es schon unter „{page.get_parent().title}“, "
        f"die Datei nennt „{other.title}“ (anderer Beitrag? Verschieben nur mit --move-topics)"
    ]
    page.refresh_from_db()
    assert page.get_parent().pk != other.pk

    import_file(_file(record), move_topics=True)
    page.refresh_from_db()
    assert page.get_parent().pk == other.pk


def test_article_in_a_private_section_is_a_conflict(demo_articles):
    page = _article()
    topic = page.get_parent()
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    record = article_record(page)
    record["title"] = "Geändert"
    (problem,) = _problems(_file(record))
    assert "Zugriffsbeschränkung" in problem
    page.refresh_from_db()
    assert page.title != "Geändert"
    assert PageViewRestriction.objects.filter(page=topic).exists()


def test_article_in_review_is_a_conflict_and_its_workflow_keeps_running(demo_articles, editor):
    page = _article()
    page.title = "Neue Fassung zur Freigabe"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    record = article_record(ArticlePage.objects.get(pk=page.pk))
    record["summary"] = "Per Import geändert"
    (problem,) = _problems(_file(record))
    assert "Freigabe" in problem
    states = WorkflowState.objects.active().filter(object_id=str(page.pk))
    assert states.count() == 1
    page.refresh_from_db()
    assert page.summary != "Per Import geändert"
