"""People by name: a query that names a colleague ("Hengstebeck", "Thomas Kleinschmidt") finds
the person first. Names are matched word for word, as written (folded like all search text),
never split into compounds or corrected into common words."""

from __future__ import annotations

from django.http import HttpRequest

from kb.collation import german_sort_key
from kb.listings import readable_contacts
from kb.models import ContactPerson

from .analysis import STOPWORDS, words
from .query import ParsedQuery
from .vocabulary import cached

MAX_PEOPLE = 4


def _name_index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for pk, name in ContactPerson.objects.values_list("pk", "name"):
        for word in words(name):
            if len(word) >= 2 and word not in STOPWORDS:
                index.setdefault(word, set()).add(pk)
    return {word: frozenset(ids) for word, ids in index.items()}


def name_index() -> dict[str, frozenset[int]]:
    """Normalised name word -> ids of the contact persons whose name holds it (cached per
    index version: saving a contact person bumps it)."""
    return cached("people-names", _name_index)


def name_words() -> frozenset[str]:
    return frozenset(name_index())


def named_people(query: ParsedQuery, request: HttpRequest) -> list[ContactPerson]:
    """The contact persons the whole query names (every query word is a word of their name),
    among those the reader may know (see kb.listings.readable_contacts)."""
    wanted = [word for clause in query.clauses for word in clause.text.split()]
    if not wanted or query.phrases:
        return []
    index = name_index()
    ids: frozenset[int] | None = None
    for word in wanted:
        found = index.get(word)
        if not found:
            return []
        ids = found if ids is None else ids & found
    if not ids:
        return []
    people = readable_contacts(
        ContactPerson.objects.filter(pk__in=ids).select_related("city", "department"), request
    )
    # Only the people whose name holds every query word: few, sorted here in German order.
    ordered = sorted(people, key=lambda person: (german_sort_key(person.name), person.pk))
    return ordered[:MAX_PEOPLE]
