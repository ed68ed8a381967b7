"""A reader's day on a phone (375 px) and on the desktop (1280 px), in Debian's chromium.

Checks what a reader sees, by position on the screen: the search box and the first result on
the phone's first screen, the navigation and the filters folded there (and working without
JavaScript), sort changes that apply at once, the home page without duplicate cards, and one
counterpart heading per city on an article. Screenshots of every state go to tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest

from kb.models import ArticlePage
from tests.e2e.conftest import BROWSER_TEST, artifact_path, login

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 375, "height": 667}  # the smallest common phone screen (iPhone SE)
DESKTOP = {"width": 1280, "height": 900}


def on_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


def shoot(page, name: str) -> None:
    page.screenshot(path=artifact_path(f"day-{name}.png"), full_page=True)


def test_phone_search_shows_box_and_first_result_on_the_first_screen(
    new_page, demo_articles, e2e_users
):
    page = new_page("mia")
    page.set_viewport_size(PHONE)
    page.goto("/suche/?q=Hitzeschutz")
    first = page.locator("ol.search-results > li").first.locator(".card__title")
    expect(first).to_be_visible()
    assert on_first_screen(page, page.locator("#search-q"))
    assert on_first_screen(page, first), first.bounding_box()

    # The filters are folded behind "Filter" above the results, and open on a tap.
    toggle = page.locator("label.facets-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator(".search-layout__facets")).to_be_hidden()
    assert toggle.bounding_box()["y"] < first.bounding_box()["y"]
    shoot(page, "search-375")
    toggle.click()
    expect(page.locator(".search-layout__facets")).to_be_visible()
    shoot(page, "search-375-filters-open")

    # With a filter chosen, the button says how many are active.
    page.goto("/suche/?q=Hitzeschutz&city=sundern")
    expect(page.locator("label.facets-toggle")).to_have_text(re.compile(r"^Filter \(1\)"))


def test_phone_navigation_folds_and_opens_without_javascript(
    browser, live_server, demo_articles, e2e_users
):
    for javascript in (True, False):
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            viewport=PHONE,
            java_script_enabled=javascript,
        )
        try:
            page = context.new_page()
            login(page, "mia")
            page.goto("/")
            topics = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
                "link", name="Krisenmanagement"
            )
            expect(topics).to_be_hidden()
            # The search box is on the first screen, above the folded menu's content.
            assert on_first_screen(page, page.locator("#home-search-q"))
            page.locator("label.site-nav__toggle").click()
            expect(topics).to_be_visible()
            shoot(page, f"home-375-menu-open{'' if javascript else '-no-js'}")
            topics.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Krisenmanagement")
        finally:
            context.close()


def test_desktop_shows_navigation_and_filters_without_toggles(new_page, demo_articles, e2e_users):
    page = new_page("mia")
    page.set_viewport_size(DESKTOP)
    page.goto("/suche/?q=Hitzeschutz")
    expect(page.locator(".search-layout__facets")).to_be_visible()
    expect(page.locator("label.facets-toggle")).to_be_hidden()
    expect(page.locator("label.site-nav__toggle")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Krisenmanagement"
        )
    ).to_be_visible()
    shoot(page, "search-1280")


def test_sort_order_applies_at_once(new_page, demo_articles, e2e_users):
    page = new_page("mia")
    page.goto("/suche/?q=Hitze")
    page.get_by_label("Sortieren nach").select_option(label="Neueste zuerst")
    # No click on "Suchen": the list reloads sorted by date.
    expect(page).to_have_url(re.compile(r"sort=newest"))
    dates = page.locator("ol.search-results .card__date time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))"
    )
    assert dates and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_home_page_lists_every_article_once(new_page, demo_articles, e2e_users, size):
    page = new_page("mia")
    page.set_viewport_size(size)
    page.goto("/")
    links = page.locator("main .card__title a").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('href'))"
    )
    assert links and len(links) == len(set(links)), links
    headings = page.locator("main section h2").all_inner_texts()
    assert headings.index("Neu aus Sundern") < headings.index("Neu aus Arnsberg")
    shoot(page, f"home-{size['width']}")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_article_page_has_one_counterpart_heading_per_city(
    new_page, demo_articles, e2e_users, size
):
    target = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    # A second Sundern article names the same Arnsberg article as its counterpart.
    other = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    second = (
        ArticlePage.objects.live()
        .filter(cities__name="Sundern")
        .exclude(pk__in=[target.pk, other.pk])
        .exclude(cities__name="Arnsberg")
        .first()
    )
    second.counterpart = target
    second.save_revision().publish()

    page = new_page("mia")
    page.set_viewport_size(size)
    page.goto(target.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(target.title)
    if size is PHONE:
        assert on_first_screen(page, page.get_by_role("heading", level=1))
    headings = page.locator(".counterparts h2").all_inner_texts()
    assert headings == ["So macht es Sundern"], headings
    expect(page.locator(".counterparts .card")).to_have_count(2)
    # Staff may print, not edit.
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    expect(page.get_by_role("link", name="Bearbeiten")).to_have_count(0)
    shoot(page, f"article-{size['width']}")
