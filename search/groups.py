"""Working groups (Arbeitsgruppen) in the search: a small lookup beside the index.

There are few working groups (a handful per Städtetag), so they get no index of their own: the
live groups' title, description and topic areas are analysed once per index version with
search.analysis (the terms the article index holds, compounds split alike, so "Klimawandel"
finds "Resilienz gegen Folgen des Klimawandels" and "Energie" finds "Energieversorgung") and
each query's clauses are matched against them in memory. Publishing, unpublishing, moving or
deleting a group bumps the index version (search.signal_handlers).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.html import strip_tags
from wagtail.models import Page

from cooperation.models import GroupStatus, WorkingGroupPage
from kb.collation import german_sort_key
from kb.listings import restricted_paths_for
from kb.models import TopicPage

from .analysis import analyse, stems
from .facets import city_names
from .query import THESAURUS_WEIGHT, Clause, ParsedQuery, needed_matches
from .vocabulary import cached

MAX_GROUPS = 3
# A group that matches only a thesaurus sense of a word is noise in a box of three: the query's
# words as written, their compound parts, editors' synonyms and corrected spellings count.
MIN_VARIANT_WEIGHT = THESAURUS_WEIGHT + 0.1
# A word in the group's title counts more than one in its description or topic areas.
TITLE_WEIGHT = 2.0
_TAG_RE = re.compile(r"<")


@dataclass(frozen=True)
class GroupEntry:
    """What the lookup holds of one live working group."""

    pk: int
    path: str
    url_path: str
    title: str
    status: str
    topics: tuple[tuple[str, str], ...]  # (slug, title) of its live topic areas
    cities: tuple[tuple[str, str], ...]  # (slug, name)
    title_terms: frozenset[str]
    # Title and topic areas: what a person's membership is found by (search.indexing).
    label_terms: frozenset[str]
    terms: frozenset[str]
    sequence: tuple[str, ...]  # stems in reading order, for quoted phrases

    @property
    def status_label(self) -> str:
        return GroupStatus(self.status).label if self.status in GroupStatus.values else ""


@dataclass
class GroupResult:
    """A working group as the search page and the API show it."""

    title: str
    url: str | None
    status: str
    status_label: str
    topics: list[str]
    cities: list[str]


def plain_text(rich_text: str) -> str:
    """The words of a rich-text field (tags dropped, each block apart)."""
    return " ".join(html.unescape(strip_tags(_TAG_RE.sub(" <", rich_text or ""))).split())


def group_text(page: WorkingGroupPage, topic_titles: list[str]) -> str:
    """The text of a group that search.indexing adds to its members' documents."""
    return " ".join([page.title, *topic_titles])


def _load() -> dict[int, GroupEntry]:
    pages = (
        WorkingGroupPage.objects.live()
        .prefetch_related(
            Prefetch("topics", queryset=TopicPage.objects.live().order_by("path")), "cities"
        )
        .order_by("path")
        .only("pk", "path", "url_path", "title", "status", "description")
    )
    entries = {}
    for page in pages:
        topics = tuple((topic.slug, topic.title) for topic in page.topics.all())
        cities = tuple((city.slug, city.name) for city in page.cities.all())
        label = group_text(page, [title for _, title in topics])
        description = plain_text(page.description)
        title_terms = frozenset(analyse(page.title))
        label_terms = frozenset(analyse(label))
        entries[page.pk] = GroupEntry(
            pk=page.pk,
            path=page.path,
            url_path=page.url_path,
            title=page.title,
            status=page.status,
            topics=topics,
            cities=cities,
            title_terms=title_terms,
            label_terms=label_terms,
            terms=label_terms | frozenset(analyse(description)),
            sequence=tuple(stems(f"{label}\n{description}")),
        )
    return entries


def live_groups() -> dict[int, GroupEntry]:
    """Every live working group by page id (cached per index version)."""
    return cached("working-groups", _load)


def visible_groups(request: HttpRequest) -> list[GroupEntry]:
    """The live groups this request may see (view restrictions of the pages above them)."""
    restricted = tuple(restricted_paths_for(request))
    return [entry for entry in live_groups().values() if not entry.path.startswith(restricted)]


def clause_weight(clause: Clause, terms: frozenset[str]) -> float:
    """The weight of the clause's best variant whose terms all occur in `terms` (0: none)."""
    return max(
        (
            variant.weight
            for variant in clause.variants
            if variant.weight >= MIN_VARIANT_WEIGHT and all(t in terms for t in variant.terms)
        ),
        default=0.0,
    )


def _contains(sequence: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(sequence[i : i + size] == phrase for i in range(len(sequence) - size + 1))


def _score(query: ParsedQuery, entry: GroupEntry, clauses: list[Clause]) -> float:
    """How well the group matches: 0 unless it matches as many of the required clauses as an
    article hit must (search.query.needed_matches) and holds every quoted phrase."""
    if any(not _contains(entry.sequence, phrase) for phrase in query.phrases):
        return 0.0
    considered = {id(clause) for clause in clauses}
    required = {id(clause) for clause in query.required if id(clause) in considered}
    matched = 0
    score = 0.0
    for clause in clauses:
        weight = clause_weight(clause, entry.terms)
        if not weight:
            continue
        matched += id(clause) in required
        score += weight * (TITLE_WEIGHT if clause_weight(clause, entry.title_terms) else 1.0)
    return score if matched >= max(needed_matches(len(required)), 1) else 0.0


def _passes(entry: GroupEntry, filters: dict[str, set[str]]) -> bool:
    """Groups honour the page's city and topic filters; groups have no tags or department, so
    such a filter leaves none."""
    for name, values in filters.items():
        if not values:
            continue
        if name == "city":
            have = {slug for slug, _ in entry.cities}
        elif name == "topic":
            have = {slug for slug, _ in entry.topics}
        else:
            return False
        if not have & values:
            return False
    return True


def matching_groups(
    query: ParsedQuery,
    request: HttpRequest,
    filters: dict[str, set[str]] | None = None,
    limit: int = MAX_GROUPS,
) -> list[GroupResult]:
    """The working groups the query is about, best first (active before closed among equals)."""
    # A city's name says where, not what about ("Sundern" is in every group's description of
    # the Städtetag in Sundern): it picks the groups of that city.
    cities = city_names()
    clauses = [clause for clause in query.clauses if clause.text not in cities]
    if not clauses:
        return []
    named = set(query.cities)
    scored = []
    for entry in visible_groups(request):
        if not _passes(entry, filters or {}):
            continue
        if named and entry.cities and not named & {slug for slug, _ in entry.cities}:
            continue
        score = _score(query, entry, clauses)
        if score:
            active = entry.status == GroupStatus.ACTIVE
            scored.append((-score, not active, german_sort_key(entry.title), entry))
    scored.sort(key=lambda item: item[:3])
    return [_result(entry, request) for *_, entry in scored[:limit]]


def _result(entry: GroupEntry, request: HttpRequest) -> GroupResult:
    return GroupResult(
        title=entry.title,
        url=Page(url_path=entry.url_path).get_url(request),
        status=entry.status,
        status_label=entry.status_label,
        topics=sorted((title for _, title in entry.topics), key=german_sort_key),
        cities=sorted((name for _, name in entry.cities), key=german_sort_key),
    )


def group_json(group: GroupResult) -> dict[str, Any]:
    """An API entry for a working group the query is about."""
    return {
        "title": group.title,
        "url": group.url,
        "status": group.status_label,
        "topics": group.topics,
        "cities": group.cities,
    }
