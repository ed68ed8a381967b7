"""A Mitarbeitende user finds how the neighbouring city handles heat protection."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

SUNDERN_TITLE = "Hitzeschutz in Sundern: Telefonkette und kühle Räume für ältere Menschen"
ARNSBERG_TITLE = "Hitzeaktionsplan Arnsberg: kühle Orte, Trinkwasser und Warnketten"


def test_staff_searches_filters_reads_and_follows_tag_and_counterpart(
    new_page, demo_articles, e2e_users
):
    page = new_page()

    # Everything needs a login: the home page sends an anonymous visitor to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/anmelden/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden im Wissensnetz")
    page.get_by_label("Benutzername").fill("mia")
    page.get_by_label("Passwort").fill("pw-mia")
    page.get_by_role("button", name="Anmelden").click()

    # Home: logged in, the topic areas and the header navigation are there.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".site-user__name")).to_have_text("Angemeldet als mia")
    expect(page.get_by_role("heading", name="Themenfelder")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation.get_by_role("link", name="Krisenmanagement")).to_be_visible()

    # The header search box is on every page but the home page (which has its own): go to a
    # topic page through the main navigation and search from the header there.
    navigation.get_by_role("link", name="Klimafolgenanpassung & Resilienz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Klimafolgenanpassung & Resilienz")
    header_search = page.locator("header").get_by_role("search", name="Wissensnetz durchsuchen")
    header_search.get_by_label("Suche im Wissensnetz").fill("Hitze")
    header_search.get_by_role("button", name="Suchen").click()

    # Results for "Hitze" from both cities.
    expect(page).to_have_url(re.compile(r"/suche/\?q=Hitze$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    expect(page.get_by_label("Suchbegriffe")).to_have_value("Hitze")
    expect(page.locator("#result-count")).to_contain_text("Treffer für „Hitze“")
    results = page.locator("ol.search-results > li")
    expect(results.get_by_role("link", name=SUNDERN_TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=ARNSBERG_TITLE)).to_be_visible()

    # City filter "Sundern" (a facet link in the "Stadt" group).
    facets = page.get_by_role("complementary", name="Treffer eingrenzen")
    city_facet = facets.get_by_role("region", name="Stadt", exact=True)
    city_facet.get_by_role("link", name=re.compile(r"^Sundern\b")).click()
    expect(page).to_have_url(re.compile(r"[?&]city=sundern\b", re.IGNORECASE))
    expect(page.locator(".chips .chip")).to_have_count(1)
    expect(page.locator(".chips .chip")).to_contain_text("Stadt: Sundern")
    expect(page.locator("#result-count")).to_contain_text("mit einem Filter")
    expect(results.get_by_role("link", name=SUNDERN_TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=ARNSBERG_TITLE)).to_have_count(0)
    # Every remaining result comes from Sundern.
    assert results.count() >= 1
    for index in range(results.count()):
        expect(results.nth(index).locator(".badge--city")).to_contain_text(["Sundern"])

    # Open the Sundern article.
    results.get_by_role("link", name=SUNDERN_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUNDERN_TITLE)
    expect(page).to_have_title(f"{SUNDERN_TITLE} · Wissensnetz")
    meta = page.locator(".article__meta")
    expect(meta.locator(".badge--city")).to_have_text(["Sundern"])
    expect(meta.get_by_role("link", name="Klimafolgenanpassung & Resilienz")).to_be_visible()
    breadcrumbs = page.get_by_role("navigation", name="Brotkrumen")
    expect(breadcrumbs.get_by_role("link", name="Startseite")).to_be_visible()
    expect(page.get_by_role("heading", name="Ansprechpersonen – wer weiß mehr?")).to_be_visible()
    article_url = page.url

    # Follow the tag "Hitze": the tag page lists this article. (The CSS puts a "#" before every
    # tag name, and it ends up in the link's accessible name.)
    tags = meta.get_by_role("list", name="Schlagwörter")
    tags.get_by_role("link", name=re.compile(r"^#?Hitze$")).click()
    expect(page).to_have_url(re.compile(r"/tags/hitze/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schlagwort: Hitze")
    expect(page.locator(".result-count")).to_contain_text("mit dem Schlagwort „Hitze“")
    expect(page.get_by_role("link", name=SUNDERN_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=ARNSBERG_TITLE)).to_be_visible()

    # Back to the article, then to its counterpart: how Arnsberg does it.
    page.go_back()
    expect(page).to_have_url(article_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(SUNDERN_TITLE)
    counterparts = page.get_by_role("region", name="Gegenstücke aus anderen Städten")
    expect(counterparts.get_by_role("heading", name="So macht es Arnsberg")).to_be_visible()
    counterparts.get_by_role("link", name=ARNSBERG_TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ARNSBERG_TITLE)
    expect(page.locator(".article__meta .badge--city")).to_have_text(["Arnsberg"])
    # ... and the way back is offered there, too.
    counterparts = page.get_by_role("region", name="Gegenstücke aus anderen Städten")
    expect(counterparts.get_by_role("heading", name="So macht es Sundern")).to_be_visible()
    expect(counterparts.get_by_role("link", name=SUNDERN_TITLE)).to_be_visible()
