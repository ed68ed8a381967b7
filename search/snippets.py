"""Result snippets with the matched words highlighted (<mark>), HTML-escaped."""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import normalise, surface_tokens, surface_words, word_terms

SNIPPET_LENGTH = 220
MAX_TEXT = 3000  # the passage is looked for in the first part of long articles


@lru_cache(maxsize=100_000)
def _terms_of(word: str) -> frozenset[str]:
    return frozenset(word_terms(normalise(word)))


def _is_match(word: str, terms: set[str]) -> bool:
    return not terms.isdisjoint(_terms_of(word))


def highlight(text: str, terms: set[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """The passage of `text` with the most query matches, matches wrapped in <mark>."""
    text = " ".join(text[:MAX_TEXT].split())
    if not text:
        return mark_safe("")
    # Each distinct word is analysed once; then only a set lookup per word of the text.
    matching = {word for word in set(surface_words(text)) if terms and _is_match(word, terms)}
    hits = (
        [token for token in surface_tokens(text) if token.group() in matching] if matching else []
    )
    if hits:
        # Window around the densest cluster of hits.
        starts = [hit.start() for hit in hits]
        best_start, best_count, last = starts[0], 0, 0
        for first, position in enumerate(starts):  # two pointers over the sorted hit positions
            while last < len(starts) and starts[last] < position + length:
                last += 1
            if last - first > best_count:
                best_start, best_count = position, last - first
        start = max(0, text.rfind(" ", 0, max(0, best_start - 40)) + 1)
    else:
        start = 0
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    parts: list[str] = ["… " if start > 0 else ""]
    cursor = start
    for token in hits:
        if token.start() < start or token.end() > end:
            continue
        parts.append(escape(text[cursor : token.start()]))
        parts.append(f"<mark>{escape(token.group())}</mark>")
        cursor = token.end()
    parts.append(escape(text[cursor:end]))
    parts.append(" …" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
