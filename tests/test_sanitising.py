"""Hostile markup never reaches a page: not from imports, not from stored rich text."""

import json
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from kb.models import ArticlePage

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db

HOSTILE_MARKDOWN = {
    "script": "Text <script>alert('s')</script> Ende",
    "event handler": 'Bild <img src="x" onerror="alert(1)"> Ende',
    "javascript link": "[Klick](javascript:alert(1)) Ende",
    "raw html": '<div style="position:fixed" onmouseover="alert(1)">Überlagerung</div>',
    "iframe": '<iframe src="https://example.com"></iframe> Ende',
}


class Elements(HTMLParser):
    """Every element and attribute of a page as a browser would see them (text is not code)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def assert_inert(html: str) -> None:
    main = Elements(html[html.index("<main") : html.index("</main>")])
    assert not {"script", "iframe", "object", "embed"} & set(main.tags), main.tags
    handlers = [name for name, _ in main.attributes if name.startswith("on")]
    assert not handlers, handlers
    urls = [v for n, v in main.attributes if n in ("href", "src") and "javascript:" in v.lower()]
    assert not urls, urls
    assert not [v for n, v in main.attributes if n == "style"], "inline styles from content"


def import_body(tmp_path, body: str) -> ArticlePage:
    record = json.loads((DATA_DIR / "search-eval" / "articles.jsonl").read_text().splitlines()[0])
    record["body"] = body
    record["summary"] = "Zusammenfassung <script>alert('sum')</script>"
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("kb_import", str(path), stdout=StringIO())
    return ArticlePage.objects.get(slug=record["slug"])


@pytest.mark.parametrize("name", list(HOSTILE_MARKDOWN))
def test_imported_markdown_never_renders_markup(staff_client, tmp_path, name):
    page = import_body(tmp_path, HOSTILE_MARKDOWN[name])
    html = staff_client.get(page.url).content.decode()
    assert_inert(html)
    assert "Ende" in html or "Überlagerung" in html


def test_rich_text_stored_by_other_means_is_sanitised_on_render(staff_client, tmp_path):
    page = import_body(tmp_path, "Harmlos")
    page.body = [
        {
            "type": "paragraph",
            "value": '<p onclick="alert(1)">Hallo <script>alert(2)</script>'
            '<a href="javascript:alert(3)">Link</a> <a href="https://ok.example">ok</a></p>',
        },
        {
            "type": "callout",
            "value": {"kind": "praxistipp", "text": "<p><img src=x onerror=alert(4)>Tipp</p>"},
        },
    ]
    page.save_revision().publish()
    html = staff_client.get(page.url).content.decode()
    assert_inert(html)
    assert 'href="https://ok.example"' in html and "Tipp" in html
