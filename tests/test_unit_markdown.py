"""Markdown of the import format <-> StreamField blocks (kb.markdown_blocks), in both directions,
with the sanitising that keeps imported Markdown from carrying scripts."""

import pytest

from kb.blocks import ArticleBodyBlock, sanitize_rich_text
from kb.markdown_blocks import (
    block_to_markdown,
    blocks_to_markdown,
    escape_markdown,
    html_to_markdown,
    inline_html,
    markdown_to_blocks,
)


def to_markdown(blocks: list[dict]) -> str:
    """Blocks as the exporter sees them: a StreamValue of the article body."""
    return blocks_to_markdown(ArticleBodyBlock().to_python(blocks))


def kinds(blocks: list[dict]) -> list[str]:
    return [block["type"] for block in blocks]


# --- Markdown -> blocks ------------------------------------------------------------------------


def test_headings_two_levels():
    blocks = markdown_to_blocks("# Eins\n## Zwei\n### Drei\n#### Vier\n## **Fett** *Titel*")
    assert [block["value"] for block in blocks] == [
        {"text": "Eins", "level": "h2"},
        {"text": "Zwei", "level": "h2"},
        {"text": "Drei", "level": "h3"},
        {"text": "Vier", "level": "h3"},
        {"text": "Fett Titel", "level": "h2"},  # headings are plain text
    ]


def test_paragraphs_are_split_at_blank_lines_with_inline_markup():
    blocks = markdown_to_blocks(
        "Erste Zeile\nzweite Zeile\n\n\nMit **fett**, *kursiv*, `code` und "
        "[Link](https://example.org).\r\n"
    )
    assert blocks == [
        {"type": "paragraph", "value": "<p>Erste Zeile\nzweite Zeile</p>"},
        {
            "type": "paragraph",
            "value": "<p>Mit <b>fett</b>, <i>kursiv</i>, <code>code</code> und "
            '<a href="https://example.org">Link</a>.</p>',
        },
    ]


def test_bulleted_and_numbered_lists():
    blocks = markdown_to_blocks(
        "- eins\n* zwei **stark**\n+ drei\n\n1. erstens\n2) zweitens\nDanach Text."
    )
    assert blocks == [
        {"type": "list", "value": {"style": "bullet", "items": ["eins", "zwei stark", "drei"]}},
        {"type": "list", "value": {"style": "numbered", "items": ["erstens", "zweitens"]}},
        {"type": "paragraph", "value": "<p>Danach Text.</p>"},
    ]


def test_callouts():
    blocks = markdown_to_blocks(
        "> **Praxistipp:** Früh anfangen.\n>\n> Mit **allen** reden.\n\n"
        "> **lessons learned:** Nie wieder."
    )
    assert blocks == [
        {
            "type": "callout",
            "value": {
                "kind": "praxistipp",
                "text": "<p>Früh anfangen.</p><p>Mit <b>allen</b> reden.</p>",
            },
        },
        {"type": "callout", "value": {"kind": "lessons", "text": "<p>Nie wieder.</p>"}},
    ]
    # Only a quoted label makes a callout.
    assert kinds(markdown_to_blocks("**Praxistipp:** im Fließtext")) == ["paragraph"]


def test_quotes_with_and_without_source():
    assert markdown_to_blocks("> Wer plant, gewinnt.\n> Immer.\n> — Frau Muster") == [
        {"type": "quote", "value": {"text": "Wer plant, gewinnt.\nImmer.", "source": "Frau Muster"}}
    ]
    assert markdown_to_blocks(">Kurz") == [
        {"type": "quote", "value": {"text": "Kurz", "source": ""}}
    ]


def test_tables():
    blocks = markdown_to_blocks(
        "| Stadt | **Plätze** |\n|:---|---:|\n| Arnsberg | 12 |\n| Sundern |"
    )
    assert kinds(blocks) == ["table"]
    assert blocks[0]["value"]["data"] == [["Stadt", "Plätze"], ["Arnsberg", "12"], ["Sundern"]]
    assert blocks[0]["value"]["first_row_is_table_header"] is True


# --- sanitising --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script> Text",
        "Text <img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">klick</a>',
        "> **Praxistipp:** <script>alert(1)</script>",
    ],
)
def test_raw_html_in_markdown_is_text_not_markup(markdown):
    (block,) = markdown_to_blocks(markdown)
    html = block["value"] if block["type"] == "paragraph" else block["value"]["text"]
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;" in html  # still readable as text


def test_javascript_links_lose_their_target():
    html = inline_html("[böse](javascript:alert(1)) und [gut](https://example.org)")
    assert "javascript" not in html
    assert "<a>böse</a>" in html
    assert '<a href="https://example.org">gut</a>' in html


def test_rich_text_allow_list_keeps_only_the_allowed_markup():
    # The one allow-list the Markdown conversion shares with the admin's rich text.
    dirty = (
        '<p onclick="x()" style="color:red">Hi <a href="javascript:alert(1)">x</a>'
        '<script>bad()</script><b class="c">b</b><a href="mailto:a@b.example">m</a>'
        '<a linktype="page" id="3">intern</a><span>Titel</span></p>'
    )
    assert sanitize_rich_text(dirty) == (
        '<p>Hi <a>x</a><b>b</b><a href="mailto:a@b.example">m</a>'
        '<a linktype="page" id="3">intern</a>Titel</p>'
    )


# --- blocks -> Markdown and round trip ---------------------------------------------------------


def test_escape_markdown_protects_special_characters():
    assert escape_markdown("5 * 3 [Anlage] file_name _betont_ `x`") == (
        "5 \\* 3 \\[Anlage\\] file_name \\_betont\\_ \\`x\\`"
    )


def test_html_to_markdown():
    html = (
        '<p>Ein <b>fetter</b> und <i>kursiver</i> <a href="https://x.example">Link</a></p>'
        "<ul><li>u1</li><li>u2</li></ul><ol><li>o1</li><li>o2</li></ol><p>a<br>b</p>"
    )
    assert html_to_markdown(html) == (
        "Ein **fetter** und *kursiver* [Link](https://x.example)\n\n"
        "- u1\n- u2\n\n1. o1\n2. o2\n\na\nb"
    )
    assert html_to_markdown("<p><a>ohne Ziel</a></p>") == "ohne Ziel"


def test_blocks_without_text_are_left_out():
    assert block_to_markdown("image", {"image": None, "caption": "Bild"}) == ""
    assert block_to_markdown("document", {"document": None, "title": "Plan"}) == ""


CANONICAL = """Einleitung mit **fett**, *kursiv* und [Link](https://example.org).

## Überschrift
Absatz direkt unter der Überschrift.

### Unterpunkt
- eins
- zwei \\[Anlage\\]

1. erstens
2. zweitens

> **Praxistipp:** Früh anfangen.
>
> Mit allen reden.

> **Lessons learned:** Nie wieder.

> Ein Zitat
> über zwei Zeilen
> — Frau Muster

| Kopf A | Kopf B |
| --- | --- |
| a1 | b1 |

Preis: 5 \\* 3 und file_name."""


def test_round_trip_markdown_blocks_markdown_is_stable():
    blocks = markdown_to_blocks(CANONICAL)
    assert kinds(blocks) == [
        "paragraph",
        "heading",
        "paragraph",
        "heading",
        "list",
        "list",
        "callout",
        "callout",
        "quote",
        "table",
        "paragraph",
    ]
    exported = to_markdown(blocks)
    assert exported == CANONICAL
    assert markdown_to_blocks(exported) == markdown_to_blocks(CANONICAL)


def test_round_trip_normalises_once_then_stays():
    source = (
        "Text mit __stark__ und *kursiv*.\n\n* a\n+ b\n\n3. drei\n4) vier\n\n#### tief\n\n"
        "> Zitat\n> -- Quelle\n\n>**praxistipp:**   Los geht es."
    )
    once = to_markdown(markdown_to_blocks(source))
    assert once == (
        "Text mit **stark** und *kursiv*.\n\n- a\n- b\n\n1. drei\n2. vier\n\n### tief\n"
        "> Zitat\n> — Quelle\n\n> **Praxistipp:** Los geht es."
    )
    assert to_markdown(markdown_to_blocks(once)) == once


# Known bugs, strict so that a fix shows (then drop the marks):
# - inline_html skips Markdown for "plain" lines, but _PLAIN_LINE_RE's \w admits "_", so
#   "_betont_" is emphasis only when something else in the paragraph needs Markdown;
# - escape_markdown escapes only the outer "_" of "__init__" ("\__init_\_"), and the inner pair
#   comes back as emphasis: literal text changes on export -> import.


@pytest.mark.xfail(strict=True, reason="inline_html's plain-line shortcut counts '_' as a letter")
def test_underscore_emphasis_does_not_depend_on_the_rest_of_the_paragraph():
    alone = markdown_to_blocks("Text mit _betont_.")[0]["value"]
    with_other_markup = markdown_to_blocks("Text mit _betont_ und *kursiv*.")[0]["value"]
    assert with_other_markup == "<p>Text mit <i>betont</i> und <i>kursiv</i>.</p>"
    assert alone == "<p>Text mit <i>betont</i>.</p>"


@pytest.mark.xfail(strict=True, reason="escape_markdown leaves the inner '_' of '__init__'")
def test_literal_double_underscores_survive_export_and_import():
    typed_in_the_admin = "<p>Die Methode __init__ startet.</p>"
    exported = to_markdown([{"type": "paragraph", "value": typed_in_the_admin}])
    assert markdown_to_blocks(exported)[0]["value"] == typed_in_the_admin
