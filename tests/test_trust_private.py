"""Private pages (view restriction to a group) stay out of everyone else's lists, and a bad
import file leaves the database exactly as it was."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import PageViewRestriction

from kb.exporter import export_lines
from kb.models import ArticlePage

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_article(demo_articles) -> ArticlePage:
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    return page


def test_private_article_is_absent_from_every_list_for_others(staff_client, private_article):
    title = "Hitzeaktionsplan Arnsberg"
    assert title in private_article.title
    counterpart = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    pages = [
        "/",
        private_article.get_parent().url,
        "/tags/hitze/",
        counterpart.url,
        "/suche/?q=Hitze",
    ]
    for url in pages:
        html = staff_client.get(url).content.decode()
        assert title not in html, url
    assert staff_client.get(private_article.url).status_code in (302, 403)
    tags = staff_client.get("/tags/").content.decode()
    assert "Gesundheit" in tags  # still used by the Sundern article


def test_private_article_is_visible_to_its_group(client, chief, private_article):
    client.force_login(chief)
    assert client.get(private_article.url).status_code == 200
    assert "Hitzeaktionsplan Arnsberg" in client.get("/tags/hitze/").content.decode()


def test_rejected_import_leaves_the_database_unchanged(tmp_path, demo_articles):
    before = list(export_lines())
    lines = (DATA_DIR / "search-eval" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    good = lines[:3]
    changed = json.loads(json.dumps(demo_articles[1], ensure_ascii=False))
    changed["title"] = "Überschrieben"  # an update of an existing article …
    bad = json.loads(lines[4])
    bad["cities"] = ["Atlantis"]  # … in the same file as an invalid line
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([*good, json.dumps(changed, ensure_ascii=False), json.dumps(bad)]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=StringIO())
    assert list(export_lines()) == before
