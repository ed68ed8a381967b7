"""kb_export leaves private articles out unless asked (issue 10, #4): the format has no field
for view restrictions, so a re-import would make them public."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db


def _slugs(path) -> set[str]:
    return {json.loads(line)["slug"] for line in path.read_text(encoding="utf-8").splitlines()}


def test_private_articles_are_left_out_of_the_export(demo_articles, tmp_path):
    private = ArticlePage.objects.live().order_by("pk").first()
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])

    target = tmp_path / "export.jsonl"
    out = io.StringIO()
    call_command("kb_export", str(target), stdout=out)
    slugs = _slugs(target)
    assert private.slug not in slugs
    assert len(slugs) == ArticlePage.objects.live().count() - 1
    assert "1 Beiträge mit Zugriffsbeschränkung nicht exportiert" in out.getvalue()

    everything = tmp_path / "alles.jsonl"
    call_command("kb_export", str(everything), "--include-private", stdout=io.StringIO())
    assert private.slug in _slugs(everything)
