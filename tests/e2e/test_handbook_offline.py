"""The Notfallhandbuch opened from a USB stick: file://, no server, no network.

The bundle is built (tests/test_handbook_bundle.py's content: demo Krisenmanagement plus an
article with image, document and links), unzipped into a temporary folder and opened in
Debian's chromium with the network switched off; every request that is not file:// is aborted
and recorded. The start page, a page, a relative link, an image, a document and the offline
search must work, and nothing may have tried to leave file://. Screenshots of the start page
with search results and of an article at 1280 and 375 px go to tests/artifacts/.
"""

from __future__ import annotations

import zipfile

import pytest

from handbook.bundle import build_bundle
from tests.e2e.conftest import BROWSER_TEST, TIMEOUT_MS, artifact_path
from tests.test_handbook_bundle import DOCUMENT_TEXT, handbook_content  # noqa: F401

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect


def screenshots(page, name: str) -> None:
    for width, height, suffix in ((1280, 900, ""), (375, 740, "-375")):
        page.set_viewport_size({"width": width, "height": height})
        # Nothing wider than a phone: no horizontal scrolling at 375 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        page.screenshot(path=artifact_path(f"handbook-{name}{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_handbook_works_offline_from_file(browser, handbook_content, tmp_path):  # noqa: F811
    built = build_bundle(tmp_path / "handbuch.zip")
    stick = tmp_path / "usb-stick"
    with zipfile.ZipFile(built.path) as archive:
        archive.extractall(stick)
    index = (stick / "notfallhandbuch" / "index.html").as_uri()

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    left_file = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            left_file.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    context.set_offline(True)
    page = context.new_page()
    try:
        # --- The start page: contents, Stand, the CSS applied. ---
        page.goto(index)
        expect(page.get_by_role("heading", level=1)).to_have_text("Notfallhandbuch")
        expect(page.locator(".handbook-stand")).to_contain_text("Stand:")
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.site-header')).display")
            != "inline"
        ), "the bundle's CSS did not load"

        # --- The offline search: folded word prefixes, results as links. ---
        search = page.get_by_label("Suchbegriff")
        search.fill("notstr rathaus")
        results = page.locator("#handbook-results")
        expect(results.get_by_role("link", name="Notstrom im Rathaus")).to_be_visible()
        search.fill("Ubung")  # "Übung im März 2023" in the Arnsberg blackout article
        expect(results.get_by_role("link", name=handbook_content["blackout"].title)).to_be_visible()
        search.fill("Zzyzx")
        expect(page.locator("#handbook-search-status")).to_contain_text("Keine Seite")
        search.fill("checkliste")
        screenshots(page, "start")
        results.get_by_role("link", name="Notstrom im Rathaus").click()

        # --- A page with an image, a relative link and a document. ---
        expect(page.get_by_role("heading", level=1)).to_have_text("Notstrom im Rathaus")
        expect(page.locator(".handbook-stand")).to_contain_text("Stand:")
        image = page.get_by_role("img", name="Aggregat im Keller")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        screenshots(page, "article")
        article_url = page.url

        page.locator(".article__body").get_by_role(
            "link", name=handbook_content["blackout"].title
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            handbook_content["blackout"].title
        )
        assert page.url.startswith("file://")

        page.goto(article_url)
        page.get_by_role("link", name="Checkliste herunterladen").click()
        expect(page.locator("body")).to_contain_text(DOCUMENT_TEXT.strip())
        assert page.url.startswith("file://") and "dokumente/" in page.url

        # --- The contacts page with phone numbers. ---
        page.goto(index)
        page.get_by_role("link", name="Ansprechpersonen und Telefonnummern").first.click()
        expect(page.get_by_role("link", name="02932 201-1234")).to_be_visible()
    finally:
        context.close()
    assert left_file == []
