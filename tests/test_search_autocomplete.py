"""Autocomplete folds like the search and ranks word starts first (issue 11)."""

import pytest

pytestmark = pytest.mark.django_db


def suggestions(client, q: str) -> list[tuple[str, str]]:
    response = client.get("/api/v1/autocomplete/", {"q": q})
    assert response.status_code == 200
    return [(s["type"], s["label"]) for s in response.json()["suggestions"]]


def test_umlauts_typed_as_ae_oe_ue_find_the_words(staff_client, demo_articles):
    found = suggestions(staff_client, "buerger")
    assert (
        "article",
        "Bürgerbüro Arnsberg: Kürzere Wartezeiten durch Termine und Checklisten",
    ) in (found)
    assert ("tag", "Bürgerservice") in found
    assert ("tag", "Städtetag") in suggestions(staff_client, "staedte")


def test_a_word_start_finds_the_word_with_an_umlaut(staff_client, demo_articles):
    found = suggestions(staff_client, "Sta")
    assert ("tag", "Städtetag") in found
    assert any(kind == "article" and "Städtetag" in label for kind, label in found)


def test_case_and_sharp_s_are_folded(staff_client, demo_articles):
    assert suggestions(staff_client, "BÜRGERBÜRO") == suggestions(staff_client, "bürgerbüro")
    assert suggestions(staff_client, "bürgerbüro")


def test_word_starts_come_before_matches_inside_a_word(staff_client, demo_articles):
    # "stadt" starts "Stadtteilen" and sits inside "Innenstadt", "Schwammstadt".
    found = suggestions(staff_client, "stadt")
    labels = [label for _, label in found]
    starts = [
        i
        for i, label in enumerate(labels)
        if any(w.lower().startswith("stadt") for w in label.split())
    ]
    inside = [i for i in range(len(labels)) if i not in starts]
    assert starts and inside
    assert max(starts) < min(inside), labels


def test_people_are_found_by_folded_names(staff_client, demo_articles):
    assert ("contact", "Daniel Kovačević") in suggestions(staff_client, "kovacevic")
    assert ("contact", "Petra Hengstebeck") in suggestions(staff_client, "hengst")
