"""Result snippets (search.snippets.highlight): escaped text, matched words in <mark>, and the
passage with the most matches."""

import re

from django.utils.safestring import SafeString

from kb.text import body_text, strip_html
from search.analysis import analyse
from search.snippets import MAX_TEXT, SNIPPET_LENGTH, highlight


def terms(query: str) -> set[str]:
    """The index terms of a query, as the search passes them to highlight()."""
    return set(analyse(query))


def filler(count: int, word: str = "Lorem") -> str:
    return " ".join([word] * count)


def plain(snippet: str) -> str:
    """The snippet's text without marks and ellipses."""
    return re.sub(r"</?mark>", "", snippet).removeprefix("… ").removesuffix(" …")


def test_text_is_escaped_and_marks_are_the_only_markup():
    text = 'Die <script>alert("x")</script> Zisterne & der <Zisterne>-Deckel'
    snippet = highlight(text, terms("Zisterne"))
    assert isinstance(snippet, SafeString)
    assert "<script" not in snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in snippet
    assert "&amp; der &lt;<mark>Zisterne</mark>&gt;-Deckel" in snippet
    assert re.findall(r"<[^>]*>", snippet) == ["<mark>", "</mark>"] * 2


def test_inflected_forms_are_marked_as_written():
    snippet = highlight(
        "Zisternen speichern Regen. Eine ZISTERNE hilft, auch bei Förderanträgen.",
        terms("Zisterne Förderantrag"),
    )
    assert snippet == (
        "<mark>Zisternen</mark> speichern Regen. Eine <mark>ZISTERNE</mark> hilft, "
        "auch bei <mark>Förderanträgen</mark>."
    )


def test_only_whole_matching_words_are_marked():
    snippet = highlight("Parkett im Park, Parken am Parkhaus", terms("Park"))
    assert "Parkett" in snippet and "<mark>Parkett</mark>" not in snippet
    assert "<mark>Park</mark>" in snippet
    assert "<mark>Parken</mark>" in snippet  # same stem
    # Compounds are marked through their parts, the same way they are found.
    assert "<mark>Parkhaus</mark>" in snippet


def test_compound_query_marks_its_parts_in_the_text():
    snippet = highlight("Sensoren zählen freie Plätze.", terms("Parkplatzsensoren"))
    assert snippet == "<mark>Sensoren</mark> zählen freie <mark>Plätze</mark>."


def test_window_is_placed_around_the_densest_cluster():
    text = (
        "Am Anfang steht eine Zisterne allein. "
        + filler(80)
        + " Hier Zisterne, dort Zisterne und noch eine Zisterne. "
        + filler(80)
    )
    snippet = highlight(text, terms("Zisterne"))
    assert snippet.count("<mark>Zisterne</mark>") == 3
    assert "Anfang" not in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(plain(snippet)) <= SNIPPET_LENGTH


def test_snippet_is_never_cut_inside_a_word():
    words = [f"Wort{i:03d}" for i in range(300)]
    words[150] = "Zisterne"
    text = " ".join(words)
    snippet = highlight(text, terms("Zisterne"))
    shown = plain(snippet).split(" ")
    assert "Zisterne" in shown
    assert all(word in words for word in shown)
    # And the words shown are one contiguous run of the text.
    start = words.index(shown[0])
    assert words[start : start + len(shown)] == shown


def test_without_matches_the_text_starts_at_the_beginning():
    text = filler(100, "Sommer")
    snippet = highlight(text, terms("Zisterne"))
    assert snippet.startswith("Sommer") and snippet.endswith(" …")
    assert "<mark>" not in snippet
    assert highlight(text, set()) == snippet


def test_short_text_is_shown_whole_with_whitespace_collapsed():
    text = "Die  Zisterne\n\n liegt\tim Garten."
    assert highlight(text, terms("Zisterne")) == "Die <mark>Zisterne</mark> liegt im Garten."
    assert highlight(text, terms("Zisterne"), length=12).endswith(" …")


def test_empty_text_gives_an_empty_snippet():
    assert highlight("", terms("Zisterne")) == ""
    assert highlight(" \n\t ", terms("Zisterne")) == ""


def test_only_the_first_part_of_long_articles_is_searched():
    head = "x " * ((MAX_TEXT - 200) // 2)
    early = highlight(head + "Zisterne " + "y " * 1000, terms("Zisterne"))
    assert "<mark>Zisterne</mark>" in early
    late = highlight("x " * (MAX_TEXT // 2) + "Zisterne", terms("Zisterne"))
    assert "Zisterne" not in late
    assert late.startswith("x x")


# --- sentence and list boundaries (kb.text builds the text snippets are cut from) ---------------


class _Body:
    def __init__(self, blocks):
        self.raw_data = blocks


class _Page:
    def __init__(self, *blocks):
        self.body = _Body(list(blocks))


def test_list_items_and_headings_end_like_sentences():
    page = _Page(
        {"type": "heading", "value": {"text": "Was wir umgesetzt haben", "level": "h2"}},
        {
            "type": "list",
            "value": {
                "style": "bullet",
                "items": [
                    {"type": "item", "value": "Sonnensegel am Neheimer Markt"},
                    {"type": "item", "value": "Angepasste Arbeitszeiten an Hitzetagen"},
                    {"type": "item", "value": "Kühle Orte, die jeder kennt!"},
                    "Trinkwasser (Brunnen)",  # older data: a bare value
                ],
            },
        },
        {"type": "paragraph", "value": "<p>Federführend ist der Fachbereich Umwelt.</p>"},
    )
    assert body_text(page).split("\n") == [
        "Was wir umgesetzt haben.",
        "Sonnensegel am Neheimer Markt.",
        "Angepasste Arbeitszeiten an Hitzetagen.",
        "Kühle Orte, die jeder kennt!",  # punctuation of its own is kept, nothing added
        "Trinkwasser (Brunnen).",
        "Federführend ist der Fachbereich Umwelt.",
    ]


def test_rich_text_keeps_its_blocks_apart_but_not_its_soft_line_breaks():
    value = (
        '<h3 data-block-key="a">Ablauf</h3><p data-block-key="b">Die Karte wurde\n'
        "oft aufgerufen</p><ul><li>Kirchen</li><li>Foyers<ul><li>Rathaus</li></ul></li></ul>"
        "<p>Rathaus<br/>Markt 1</p><p>„Gut so.“</p>"
    )
    assert strip_html(value).split("\n") == [
        "Ablauf.",
        "Die Karte wurde oft aufgerufen.",
        "Kirchen.",
        "Foyers.",
        "Rathaus.",
        "Rathaus.",
        "Markt 1.",
        "„Gut so.“",
    ]


def test_table_cells_quotes_and_captions_keep_their_boundaries():
    page = _Page(
        {
            "type": "table",
            "value": {
                "table_caption": "Kosten im Überblick",
                "data": [["Maßnahme", "Kosten"], ["Sonnensegel", "12.000 €"], [None, ""]],
            },
        },
        {
            "type": "quote",
            "value": {"text": "Das hat sich\nbewährt\n\nGern wieder", "source": "Bürgermeister"},
        },
        {"type": "image", "value": {"image": 1, "caption": "Der Neheimer Markt"}},
    )
    assert body_text(page).split("\n") == [
        "Kosten im Überblick.",
        "Maßnahme; Kosten.",
        "Sonnensegel; 12.000 €.",
        "Das hat sich bewährt.",  # a line break inside a quote only wraps the line
        "Gern wieder.",
        "Bürgermeister.",
        "Der Neheimer Markt.",
    ]


def test_snippet_never_glues_two_list_items_into_one_phrase():
    page = _Page(
        {
            "type": "list",
            "value": {
                "style": "bullet",
                "items": [
                    {"type": "item", "value": "Sonnensegel auf drei Spielplätzen und am Markt"},
                    {"type": "item", "value": "Angepasste Arbeitszeiten an Hitzetagen"},
                ],
            },
        },
        {"type": "heading", "value": {"text": "Organisation", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Federführend ist der Fachbereich.</p>"},
    )
    snippet = highlight(body_text(page), terms("Arbeitszeiten Organisation"))
    assert snippet == (
        "… drei Spielplätzen und am Markt. Angepasste <mark>Arbeitszeiten</mark> "
        "an Hitzetagen. <mark>Organisation</mark>. Federführend ist der Fachbereich."
    )
