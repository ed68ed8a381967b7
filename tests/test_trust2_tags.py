"""Tags without slug characters ("!!!", "§", "🔥") must not break any page, and tags are
managed in the admin (rename, merge, delete) by the Chefredaktion."""

from __future__ import annotations

import json

import pytest
from django.template import Context, Template
from django.urls import reverse
from taggit.models import Tag

from kb.importer import import_file
from kb.models import ArticlePage
from kb.topics import ensure_default_topics

from .conftest import make_user

pytestmark = pytest.mark.django_db

BAD_NAMES = ["!!!", "§", "🔥"]


def article(slug: str, title: str, tags: list[str]) -> dict:
    return {
        "slug": slug,
        "title": title,
        "cities": ["Arnsberg"],
        "topic": "Krisenmanagement",
        "department": "Feuerwehr",
        "tags": tags,
        "summary": "Kurz zusammengefasst.",
        "body": "Ein Absatz über Warnungen und Sirenen im Stadtgebiet.",
        "contact": {"name": "Frieda Brand", "email": "frieda@arnsberg.example", "phone": ""},
        "date": "2024-05-01",
    }


def import_articles(*records: dict) -> None:
    ensure_default_topics()
    import_file("\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode())


def tag_admin_url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_taggit_tag:{name}", args=args)


def test_imported_tags_without_slug_characters_break_no_page(staff_client):
    import_articles(article("sirenen-warntag", "Sirenen am Warntag", ["Warnung", *BAD_NAMES]))
    slugs = [Tag.objects.get(name=name).slug for name in BAD_NAMES]
    assert all(slugs), slugs
    assert len(set(slugs)) == len(slugs)
    page = ArticlePage.objects.get(slug="sirenen-warntag")
    urls = [
        "/",
        "/tags/",
        page.get_parent().url,
        page.url,
        "/suche/?q=Sirenen",
        "/suche/?q=!!!",
        "/api/v1/search/?q=Sirenen",
        "/api/v1/autocomplete/?q=!!!",
        "/api/v1/autocomplete/?q=🔥",
    ]
    for url in urls:
        assert staff_client.get(url).status_code == 200, url
    for slug in slugs:
        response = staff_client.get(reverse("kb:tag_detail", args=[slug]))
        assert response.status_code == 200
        assert "Sirenen am Warntag" in response.content.decode()


def test_tag_created_directly_gets_unique_non_empty_slug(db):
    first = Tag.objects.create(name="!!!")
    second = Tag.objects.create(name="🔥")
    third = Tag.objects.create(name="§")
    slugs = [first.slug, second.slug, third.slug]
    assert all(slugs) and len(set(slugs)) == 3, slugs
    assert reverse("kb:tag_detail", args=[first.slug])
    # Ordinary tags keep taggit's slug.
    assert Tag.objects.create(name="Starkregen").slug == "starkregen"


def test_tag_link_with_broken_slug_is_skipped_not_an_error(db):
    tag = Tag.objects.create(name="Hitze")
    Tag.objects.filter(pk=tag.pk).update(slug="")  # as left by older code or raw SQL
    tag.refresh_from_db()
    html = Template('{% include "includes/tag_list.html" with tags=tags %}').render(
        Context({"tags": [tag]})
    )
    assert "Hitze" in html
    assert 'href="/tags//"' not in html


def test_chief_lists_and_renames_tags_in_admin(client, chief, django_capture_on_commit_callbacks):
    import_articles(article("sirenen-warntag", "Sirenen am Warntag", ["Warnung", "!!!"]))
    client.force_login(chief)
    listing = client.get(tag_admin_url("list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Schlagwörter" in html and "Warnung" in html and "!!!" in html
    assert tag_admin_url("merge", Tag.objects.get(name="Warnung").pk) in html

    tag = Tag.objects.get(name="!!!")
    assert client.get(tag_admin_url("edit", tag.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            tag_admin_url("edit", tag.pk), {"name": "Warntag", "slug": "warntag"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Warntag", "warntag")
    page = ArticlePage.objects.get(slug="sirenen-warntag")
    assert "Warntag" in [t.name for t in page.tags.all()]
    # The search index follows the rename.
    client.force_login(make_user("mila", "Mitarbeitende", email="mila@arnsberg.example"))
    results = client.get("/api/v1/search/", {"tag": "warntag"}).json()["results"]
    assert [r["slug"] for r in results] == ["sirenen-warntag"]
    assert "Warntag" in results[0]["tags"]


def test_chief_merges_one_tag_into_another(client, chief, django_capture_on_commit_callbacks):
    import_articles(
        article("sirenen-warntag", "Sirenen am Warntag", ["Warnung", "Sirene"]),
        article("cell-broadcast", "Cell Broadcast", ["Warnungen"]),
    )
    source, target = Tag.objects.get(name="Warnungen"), Tag.objects.get(name="Warnung")
    client.force_login(chief)
    assert client.get(tag_admin_url("merge", source.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tag_admin_url("merge", source.pk), {"target": target.pk})
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=source.pk).exists()
    for slug in ("sirenen-warntag", "cell-broadcast"):
        names = [t.name for t in ArticlePage.objects.get(slug=slug).tags.all()]
        assert "Warnung" in names and "Warnungen" not in names
    assert (
        "Cell Broadcast"
        in client.get(reverse("kb:tag_detail", args=[target.slug])).content.decode()
    )
    client.force_login(make_user("mila", "Mitarbeitende", email="mila@arnsberg.example"))
    results = client.get("/api/v1/search/", {"tag": "warnung"}).json()["results"]
    assert sorted(r["slug"] for r in results) == ["cell-broadcast", "sirenen-warntag"]
    # Publishing a revision saved before the merge keeps the merged tag.
    page = ArticlePage.objects.get(slug="cell-broadcast")
    page.get_latest_revision().publish()
    assert [t.name for t in page.tags.all()] == ["Warnung"]


def test_staff_cannot_manage_tags(client, staff, editor):
    tag = Tag.objects.create(name="Warnung")
    client.force_login(editor)
    assert client.get(tag_admin_url("edit", tag.pk)).status_code in (302, 403)
    assert client.post(tag_admin_url("merge", tag.pk), {"target": tag.pk}).status_code in (
        302,
        403,
    )
    assert Tag.objects.filter(pk=tag.pk).exists()
