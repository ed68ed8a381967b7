"""The private Wagtail/treebeard/Django APIs behind the bulk import (kb/wagtail_internals.py).

These fail loudly when an upgrade changes one of them: the import would otherwise write wrong
tree paths or reference rows silently."""

from __future__ import annotations

import pytest
from wagtail.models import Page, ReferenceIndex

from kb.models import ArticlePage, TopicPage
from kb.topics import ensure_topic
from kb.wagtail_internals import (
    child_path,
    content_path_hash,
    path_step,
    references_of,
)

pytestmark = pytest.mark.django_db


def _article(topic: TopicPage, slug: str, **fields) -> ArticlePage:
    page = ArticlePage(title=slug, slug=slug, summary="Kurz", **fields)
    topic.add_child(instance=page)
    return page


def test_tree_paths_are_the_ones_add_child_gives():
    topic = ensure_topic("Stadtplanung")
    first, second = _article(topic, "erster"), _article(topic, "zweiter")
    assert path_step(first.path) == 1
    assert path_step(second.path) == 2
    assert child_path(topic.path, topic.depth + 1, 2) == second.path
    # The next free place is where Wagtail puts the next child.
    expected = child_path(topic.path, topic.depth + 1, 3)
    assert _article(topic, "dritter").path == expected
    assert len(expected) == len(topic.path) + Page.steplen


def test_references_and_their_hash_match_the_reference_index():
    topic = ensure_topic("Stadtplanung")
    target = _article(topic, "ziel")
    source = _article(topic, "quelle", counterpart=target)
    found = references_of(source)
    assert any(
        str(target.pk) == str(to_id) and path == "counterpart" for _, to_id, _, path in found
    )

    ReferenceIndex.create_or_update_for_object(source)
    row = ReferenceIndex.objects.get(object_id=str(source.pk), content_path="counterpart")
    assert row.content_path_hash == content_path_hash("counterpart")
    stored = {
        (r.to_content_type_id, r.to_object_id, r.model_path, r.content_path)
        for r in ReferenceIndex.objects.filter(object_id=str(source.pk))
    }
    assert {(ct, str(to), model_path, path) for ct, to, model_path, path in found} == stored
