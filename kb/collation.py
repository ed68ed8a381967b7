"""German alphabetical order (DIN 5007-1, "Wörterbuch"-Sortierung) for every list sorted by name.

Python's `sorted` and the databases' default collations compare code points: "Leerstand" comes
before "Ländlicher Raum" and "Starkregen" before "Städtetag", lower case after every capital.
`german_sort_key` is the one sort key for names on the site and in the API (tags, cities,
contact persons, departments, facet values); the search app imports it from here.

The order, level by level (each level only decides between names the previous ones tie):

1. letters without case and accents: ä = a, ö = o, ü = u, ß = ss, é = e; words are compared
   word by word (spaces, hyphens and other punctuation between words all count as one word
   break, which sorts before any letter: "Smart City" before "Smartphone"; leading and
   trailing punctuation such as quotes is ignored);
2. the plain letter before the one with an umlaut or accent ("Masse" before "Maße", "Bar" before
   "Bär");
3. lower case before upper case (as in German dictionaries and CLDR);
4. the text as written, so that different names never tie.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")

# Sorts before every letter and digit.
_WORD_BREAK = " "


# The same names (tags, facet values) are sorted on every search page: each key is built once.
@lru_cache(maxsize=100_000)
def german_sort_key(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...], str]:
    """Sort key of `text` in German alphabetical order (see the module docstring)."""
    text = unicodedata.normalize("NFC", text or "")
    letters: list[str] = []
    marks: list[int] = []
    cases: list[int] = []
    pending_break = False
    for char in text:
        folded = char.casefold()
        # ß (and ẞ) fold to "ss": a variant of the plain letters, like an umlaut.
        variant = folded != char.lower()
        upper = 1 if char != char.lower() else 0
        for part in unicodedata.normalize("NFD", folded):
            if unicodedata.combining(part):
                if marks and not pending_break:
                    marks[-1] = 1
                continue
            if not part.isalnum():
                pending_break = bool(letters)
                continue
            if pending_break:
                letters.append(_WORD_BREAK)
                marks.append(0)
                cases.append(0)
                pending_break = False
            letters.append(part)
            marks.append(1 if variant else 0)
            cases.append(upper)
    return "".join(letters), tuple(marks), tuple(cases), text


def german_sorted(
    items: Iterable[T], key: Callable[[T], str] | None = None, *, reverse: bool = False
) -> list[T]:
    """`items` in German alphabetical order of `key(item)` (default: the item itself)."""
    name_of = key or (lambda item: item)  # type: ignore[assignment,return-value]
    return sorted(items, key=lambda item: german_sort_key(name_of(item)), reverse=reverse)


def by_name(items: Iterable[Any], attribute: str = "name") -> list[Any]:
    """Objects (tags, cities, contact persons …) in German alphabetical order of an attribute."""
    return german_sorted(items, key=lambda item: str(getattr(item, attribute, "") or ""))
