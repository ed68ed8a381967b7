"""The README's search examples work on the demo content (what `make run` loads)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parent.parent / "README.md"


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start : end if end > 0 else None]


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    spans = re.findall(r"`([^`]+)`", _section(text, "### For staff: how to search"))
    quick = _section(text, "## Quick start")
    spans += re.findall(r"`([^`]+)`", quick[quick.index("Try the search") :])
    # Code names (QUERY_FILLERS, search/query.py, the API's `results`) are no queries.
    return [s for s in spans if not re.search(r"[/_.=]|^[A-Z_]+$|^[a-z]+$", s)]


def test_the_readme_names_queries():
    assert {"Telefonkette Arnsberg", "Thomas Kleinschmidt", '"kühle Orte"'} <= set(readme_queries())


@pytest.mark.parametrize("query", readme_queries())
def test_a_readme_example_finds_something_on_the_demo_content(staff_client, demo_articles, query):
    payload = staff_client.get("/api/v1/search/", {"q": query}).json()
    assert payload["count"] or payload["people"], query
