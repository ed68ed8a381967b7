"""Result snippets of the search keep the boundaries of list items and headings: an article's
list never reads as one run-on phrase in its snippet."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_api_snippet_keeps_list_items_and_headings_apart(staff_client, demo_articles):
    # The demo article on heat protection lists "… am Neheimer Markt" and "Angepasste
    # Arbeitszeiten …" as two items of a list, followed by the heading "Organisation".
    data = staff_client.get("/api/v1/search/", {"q": "Sonnensegel Arbeitszeiten"}).json()
    (result,) = [r for r in data["results"] if r["slug"] == "demo-hitzeschutz-arnsberg"]
    snippet = result["snippet"]
    assert "<mark>Sonnensegel</mark>" in snippet and "<mark>Arbeitszeiten</mark>" in snippet
    text = re.sub(r"</?mark>", "", snippet)
    assert "Markt Angepasste" not in text
    assert "am Neheimer Markt. Angepasste Arbeitszeiten" in text
    assert "Hitzetagen Organisation" not in text


def test_search_page_snippet_keeps_list_items_apart(staff_client, demo_articles):
    html = staff_client.get("/suche/", {"q": "Sonnensegel Arbeitszeiten"}).content.decode()
    assert "am Neheimer Markt. Angepasste <mark>Arbeitszeiten</mark>" in html
