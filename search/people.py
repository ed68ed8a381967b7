"""People in the search: the colleague a query names, and the people who know about what it asks.

People by name: a query that names a colleague ("Hengstebeck", "Thomas Kleinschmidt") finds
the person first. Names are matched word for word, as written (folded like all search text),
never split into compounds or corrected into common words.

People by subject ("Wer weiß mehr?"): contact documents (search.indexing) describe a person by
their public articles, their expertise entries (Fachwissen) and their live working groups; the
hits honour the page's filters (city, topic area, tag, department) and each person shown says
why ("Fachwissen: …", "Leitung AG …") and links to their person page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from cooperation.models import MemberRole, WorkingGroupMember
from kb.collation import german_sort_key
from kb.listings import readable_contacts, visible_article_pages, visible_topics
from kb.models import ArticlePage, ArticlePageTag, ContactPerson, Department, Expertise, TopicPage
from kb.topics import german_slug

from .analysis import STOPWORDS, analyse, words
from .backends import get_backend
from .groups import GroupEntry, clause_weight, visible_groups
from .models import SearchDocument
from .query import ParsedQuery
from .vocabulary import cached

MAX_PEOPLE = 4
# Lines of "why this person" under each person shown.
MAX_NOTES = 3
# A filter narrows the contact hits down: look at more of them to fill the list.
FILTERED_POOL_FACTOR = 3


@dataclass(frozen=True)
class PersonNote:
    """One line under a person in the results: "Fachwissen: …", "Leitung AG …"."""

    label: str
    text: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.label} {self.text}"


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


def person_url(pk: int) -> str | None:
    """The person page ("cooperation:person"); None while no such route exists."""
    try:
        return reverse("cooperation:person", args=[pk])
    except NoReverseMatch:
        return None


def findable_people(
    queryset: QuerySet[ContactPerson], request: HttpRequest
) -> QuerySet[ContactPerson]:
    """The people the reader may be shown: those with an article the reader may read (see
    kb.listings.readable_contacts), an expertise entry in a topic area the reader sees, or a
    membership in a live working group the reader sees. A person known only from drafts or
    private pages stays hidden: it would reveal what those are about."""
    readable = readable_contacts(ContactPerson.objects.order_by(), request).values("pk")
    expertise = Expertise.objects.filter(
        person=OuterRef("pk"), topic__in=visible_topics(request).order_by().values("pk")
    )
    memberships = WorkingGroupMember.objects.filter(
        person=OuterRef("pk"), page_id__in=[entry.pk for entry in visible_groups(request)]
    )
    return queryset.filter(Q(pk__in=readable) | Exists(expertise) | Exists(memberships))


def _article_links(request: HttpRequest, articles: Q) -> QuerySet:
    return ArticlePage.contacts.through.objects.filter(
        contactperson_id=OuterRef("pk"),
        articlepage_id__in=visible_article_pages(request).filter(articles).order_by().values("pk"),
    )


def filtered_people(
    queryset: QuerySet[ContactPerson], filters: dict[str, set[str]], request: HttpRequest
) -> QuerySet[ContactPerson]:
    """People who fit the search page's filters (index values, see search.facets):
    city: their own city or the city of an expertise entry or of a working-group role;
    topic area: an expertise entry, a working group's topic area or an article the reader may
    read; tag: such an article with the tag; department: their own."""
    # Values no label resolves to come as "\x00…" (search.facets.resolve_filter): they match
    # nothing, and PostgreSQL refuses NUL characters in a query.
    filters = {name: {v for v in values if "\x00" not in v} for name, values in filters.items()}
    if any(not values for values in filters.values()):
        return queryset.none()
    group_ids = [entry.pk for entry in visible_groups(request)]
    cities = filters.get("city")
    if cities:
        queryset = queryset.filter(
            Q(city__slug__in=cities)
            | Exists(Expertise.objects.filter(person=OuterRef("pk"), city__slug__in=cities))
            | Exists(
                WorkingGroupMember.objects.filter(
                    person=OuterRef("pk"), page_id__in=group_ids, city__slug__in=cities
                )
            )
        )
    topics = filters.get("topic")
    if topics:
        in_topic = Q(pk__in=[])
        for path, depth in TopicPage.objects.filter(slug__in=topics).values_list("path", "depth"):
            in_topic |= Q(path__startswith=path, depth=depth + 1)
        queryset = queryset.filter(
            Exists(Expertise.objects.filter(person=OuterRef("pk"), topic__slug__in=topics))
            | Exists(
                WorkingGroupMember.objects.filter(
                    person=OuterRef("pk"), page_id__in=group_ids, page__topics__slug__in=topics
                )
            )
            | Exists(_article_links(request, in_topic))
        )
    tags = filters.get("tag")
    if tags:
        tagged = ArticlePageTag.objects.filter(tag__slug__in=tags).values("content_object_id")
        queryset = queryset.filter(Exists(_article_links(request, Q(pk__in=tagged))))
    departments = filters.get("department")
    if departments:
        ids = [
            pk
            for pk, name in Department.objects.values_list("pk", "name")
            if german_slug(name) in departments
        ]
        queryset = queryset.filter(department_id__in=ids)
    return queryset


def named_people(query: ParsedQuery, request: HttpRequest) -> list[ContactPerson]:
    """The contact persons the whole query names (every query word is a word of their name),
    among those the reader may be shown (see findable_people), with what they know."""
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
    people = findable_people(
        ContactPerson.objects.filter(pk__in=ids).select_related("city", "department"), request
    )
    # Only the people whose name holds every query word: few, sorted here in German order.
    ordered = sorted(people, key=lambda person: (german_sort_key(person.name), person.pk))
    ordered = ordered[:MAX_PEOPLE]
    describe(ordered, query, request, named=True)
    return ordered


def expert_people(
    query: ParsedQuery,
    request: HttpRequest,
    *,
    filters: dict[str, set[str]] | None = None,
    exclude: list[ContactPerson] | None = None,
    limit: int = MAX_PEOPLE,
    pool: int = 20,
) -> list[ContactPerson]:
    """The people who know about what the query asks ("Wer weiß mehr?"), best first: contact
    hits among the people the reader may be shown that fit the filters, without `exclude`
    (the people the query names, shown on their own)."""
    if query.is_empty:
        return []
    filters = {name: values for name, values in (filters or {}).items() if values}
    size = pool * FILTERED_POOL_FACTOR if filters else pool
    hits = (
        get_backend().search(query, kind=SearchDocument.CONTACT, with_facets=False, size=size).hits
    )
    if not hits:
        return []
    people = filtered_people(
        findable_people(ContactPerson.objects.select_related("city", "department"), request),
        filters,
        request,
    ).in_bulk([hit.doc.object_id for hit in hits])
    left_out = {person.pk for person in exclude or ()}
    found = [
        people[hit.doc.object_id]
        for hit in hits
        if hit.doc.object_id in people and hit.doc.object_id not in left_out
    ][:limit]
    describe(found, query, request, named=False)
    return found


def _matches(query: ParsedQuery, terms: frozenset[str]) -> bool:
    return any(clause_weight(clause, terms) for clause in query.clauses)


def describe(
    people: list[ContactPerson], query: ParsedQuery, request: HttpRequest, *, named: bool
) -> None:
    """Attach `search_url` (the person page) and `search_notes` (up to MAX_NOTES PersonNote:
    working-group leads, expertise, memberships) to each person. A person found by subject
    shows what matches the query; a person the query names shows what they know."""
    for person in people:
        person.search_url = person_url(person.pk)
        person.search_notes = []
    if not people:
        return
    by_pk = {person.pk: person for person in people}
    groups: dict[int, GroupEntry] = {entry.pk: entry for entry in visible_groups(request)}
    leads: dict[int, list[PersonNote]] = {}
    members: dict[int, list[PersonNote]] = {}
    memberships = (
        WorkingGroupMember.objects.filter(person_id__in=by_pk, page_id__in=list(groups))
        .order_by("page__path", "sort_order", "pk")
        .values_list("person_id", "page_id", "role", "city__name")
    )
    for person_id, page_id, role, city_name in memberships:
        entry = groups[page_id]
        if not named and not _matches(query, entry.label_terms):
            continue
        person = by_pk[person_id]
        is_lead = role == MemberRole.LEAD
        text = entry.title
        if city_name and city_name != getattr(person.city, "name", None):
            text += f" (für {city_name})"
        note = PersonNote(
            "Leitung AG" if is_lead else "Mitglied AG",
            text,
            _group_url(entry, request),
        )
        (leads if is_lead else members).setdefault(person_id, []).append(note)
    expertise: dict[int, list[PersonNote]] = {}
    entries = (
        Expertise.objects.filter(
            person_id__in=by_pk, topic__in=visible_topics(request).order_by().values("pk")
        )
        .select_related("topic", "city")
        .order_by("topic__path", "pk")
    )
    for entry in entries:
        text = entry.topic.title + (f" – {entry.note}" if entry.note else "")
        if not named and not _matches(query, frozenset(analyse(text))):
            continue
        person = by_pk[entry.person_id]
        if entry.city_id and entry.city_id != person.city_id:
            text += f" (für {entry.city.name})"
        expertise.setdefault(entry.person_id, []).append(PersonNote("Fachwissen:", text))
    for person in people:
        notes = leads.get(person.pk, []) + expertise.get(person.pk, [])
        person.search_notes = (notes + members.get(person.pk, []))[:MAX_NOTES]


def _group_url(entry: GroupEntry, request: HttpRequest) -> str | None:
    return Page(url_path=entry.url_path).get_url(request)
