"""The search page as staff use it: results, facets, contacts, hints, safe snippets."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get("/suche/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_results_show_badges_topic_tags_date_and_highlighted_snippet(staff_client, demo_articles):
    html = page(staff_client, q="Telefonkette")
    assert "Hitzeschutz in Sundern" in html
    assert "<mark>Telefonkette</mark>" in html
    assert "Klimafolgenanpassung &amp; Resilienz" in html
    assert "/tags/hitze/" in html
    assert "Treffer" in html


def test_facets_link_and_combine(staff_client, demo_articles):
    html = page(staff_client, q="Hitze")
    assert "city=sundern" in html and "city=arnsberg" in html
    filtered = page(staff_client, q="Hitze", city="sundern", tag="hitzeschutz")
    assert "Hitzeschutz in Sundern" in filtered
    assert "Hitzeaktionsplan Arnsberg" not in filtered
    assert "Filter entfernen" in filtered


def test_contact_persons_are_found_by_the_subjects_of_their_articles(staff_client, demo_articles):
    html = page(staff_client, q="Wer weiß etwas über Starkregen?")
    assert "Wer weiß mehr?" in html
    assert "Frank Tillmann" in html or "Christina Beckmann" in html


def test_contact_persons_are_found_by_name_and_role(staff_client, demo_articles):
    assert "Maria Hoffmeister" in page(staff_client, q="Hoffmeister")


def test_zero_results_offer_spelling_dropping_filters_and_popular_tags(staff_client, demo_articles):
    html = page(staff_client, q="Telefonkettte Xqzvbl", city="arnsberg")
    assert "Keine Treffer" in html
    assert "Ohne Filter suchen" in html
    assert "/tags/" in html
    spelling = page(staff_client, q="Leerstandskatasterr Xqzvbl")
    assert "Meinten Sie" in spelling and "Leerstandskataster" in spelling


def test_snippets_escape_article_text(staff_client, db, tmp_path):
    record = json.loads((DATA_DIR / "search-eval" / "articles.jsonl").read_text().splitlines()[0])
    record["body"] = "Vorsicht <script>alert('x')</script> beim Xqzvblwort & Co."
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("kb_import", str(path), stdout=StringIO())
    html = page(staff_client, q="Xqzvblwort")
    assert "<mark>Xqzvblwort</mark>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    payload = staff_client.get("/api/v1/search/", {"q": "Xqzvblwort"}).json()
    assert "&lt;script&gt;" in payload["results"][0]["snippet"]


def test_autocomplete_suggests_titles_tags_and_people(staff_client, demo_articles):
    def labels(q):
        response = staff_client.get("/api/v1/autocomplete/", {"q": q})
        return {(s["type"], s["label"]) for s in response.json()["suggestions"]}

    assert any(kind == "article" and "Hitze" in label for kind, label in labels("Hitze"))
    assert ("tag", "Hitzeschutz") in labels("Hitzes")
    assert ("contact", "Maria Hoffmeister") in labels("Hoffm")
    assert labels("H") == set()


def test_search_page_without_input_explains_how_to_search(staff_client, demo_articles):
    html = page(staff_client)
    assert "findet nur Beiträge, in denen genau diese Wörter hintereinander stehen" in html
    assert "Keine Treffer" not in html and "Treffer für" not in html


def test_long_facet_labels_break_between_compound_parts(staff_client, demo_articles):
    # The filter column is narrow: "Klimafolgenanpassung" may break only where a hyphen belongs.
    html = staff_client.get("/suche/", {"q": "Hitzeschutz"}).content.decode()
    assert "Klima\u00adfolgen\u00adanpassung &amp; Resilienz" in html
    assert "Kommunal\u00adverwaltung &amp; Daseins\u00advorsorge" in html
