"""The search itself, shared by the search page and the JSON API: parameters in; hits, result
cards, facets, contact persons and hints out. Each part has its own module (params, facets,
results, hints, querylog); this one puts them together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from wagtail.models import Page

from kb.listings import (
    PATH_END,
    attach_topics,
    restricted_paths_for,
    visible_articles,
)
from kb.models import ArticlePage, ContactPerson

from .backends import get_backend
from .backends.base import FACETS
from .facets import city_names, facet_list, matched_tag, resolve_filter
from .groups import GroupResult, matching_groups
from .hints import suggestion
from .models import SearchDocument
from .params import SearchParams
from .people import expert_people, name_words, named_people
from .query import ParsedQuery, parse
from .querylog import log_query
from .results import promoted_page_ids, result_dict_groups
from .snippets import highlight
from .vocabulary import one_index_version

TOP_TAGS = 10
CONTACTS_SHOWN = 4
# Contact hits looked at to find CONTACTS_SHOWN the reader may see (see readable_contacts).
CONTACT_POOL = 20
# Articles that share only part of the query, offered below the hits (never counted as hits).
RELATED_SHOWN = 5


@dataclass
class SearchOutcome:
    params: SearchParams
    query: ParsedQuery
    count: int
    page: int
    page_size: int
    articles: list[ArticlePage]
    results: list[dict[str, Any]]
    snippets: dict[int, str]
    facets: dict[str, list[dict[str, Any]]]
    contacts: list[ContactPerson]
    # The people the query names ("Hengstebeck"): shown first, before any article.
    people: list[ContactPerson]
    promoted: list[ArticlePage]
    suggestion: str | None
    matched_tag: str | None
    # Articles that share only part of the query (not hits; page: pages, API: dicts).
    related: list[Any]
    # The working groups the query is about (search.groups; page 1 only).
    groups: list[GroupResult] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def search(
    request: HttpRequest, params: SearchParams, *, log: bool = True, for_api: bool = False
) -> SearchOutcome:
    """Run a search. `for_api`: results as JSON-ready dicts (`outcome.results`, no page objects,
    no contact persons), which saves most of the per-request cost of the JSON API."""
    with one_index_version():
        return _search(request, params, log=log, for_api=for_api)


def hidden_stale_ids(restricted: list[str]) -> set[int]:
    """Ids of pages that now lie in a section the reader may not see while the index still has
    them elsewhere (moved there; the index update waits for the worker).

    The index knows each document's path as of its last update, and the backends leave out the
    documents under `restricted` by that path; this one query adds the pages whose current path
    says otherwise. It reads only the pages of the restricted sections (a range on the path
    index each) and returns only the stale ones, so the list stays short.
    """
    if not restricted:
        return set()
    now_hidden = Q()
    indexed_hidden = Q()
    for path in restricted:
        now_hidden |= Q(path__gte=path, path__lt=path + PATH_END)
        indexed_hidden |= Q(path__startswith=path)
    stale = SearchDocument.objects.filter(
        kind=SearchDocument.ARTICLE, object_id=OuterRef("pk")
    ).exclude(indexed_hidden)
    return set(Page.objects.filter(now_hidden).filter(Exists(stale)).values_list("pk", flat=True))


def _search(
    request: HttpRequest, params: SearchParams, *, log: bool, for_api: bool
) -> SearchOutcome:
    query = parse(params.q, city_names=city_names(), names=name_words())
    restricted = restricted_paths_for(request)
    filters = {name: resolve_filter(name, values) for name, values in params.filters.items()}
    matched_tag_slug = matched_tag(query, restricted)
    start = (params.page - 1) * params.page_size
    backend = get_backend()
    found = backend.search(
        query,
        offset=start,
        size=params.page_size,
        filters=filters,
        restricted=restricted,
        exclude_ids=hidden_stale_ids(restricted),
        sort=params.sort,
        boost_tag=matched_tag_slug,
        related_limit=RELATED_SHOWN if params.page == 1 and params.q.strip() else 0,
    )
    window, count, facets = found.hits, found.total, found.facets
    people = named_people(query, request) if params.page == 1 else []

    promoted: list[ArticlePage] = []
    if params.q.strip() and params.page == 1:
        ids = promoted_page_ids(query.text)
        if ids:
            promoted = list(visible_articles(request).filter(pk__in=ids))
            promoted.sort(key=lambda page: ids.index(page.pk))
            attach_topics(promoted)

    ids = [hit.doc.object_id for hit in window]
    related_ids = [hit.doc.object_id for hit in found.related]
    terms = query.all_terms()
    texts = dict(
        SearchDocument.objects.filter(
            kind=SearchDocument.ARTICLE, object_id__in=ids + related_ids
        ).values_list("object_id", "text")
    )
    articles: list[ArticlePage] = []
    results: list[dict[str, Any]] = []
    related: list[Any] = []
    if for_api:
        results, related = result_dict_groups(request, [window, found.related], texts, terms)
        snippets = {}
    else:
        pages = {
            page.pk: page for page in visible_articles(request).filter(pk__in=ids + related_ids)
        }
        articles = attach_topics([pages[i] for i in ids if i in pages])
        related = attach_topics([pages[i] for i in related_ids if i in pages])
        snippets = {
            page.pk: highlight(texts.get(page.pk) or page.summary, terms)
            for page in articles + related
        }

    contacts: list[ContactPerson] = []
    if not query.is_empty and params.page == 1 and not for_api:
        # Only people the reader may be shown ("Wer weiß mehr?" must not point to a colleague
        # known only from drafts or private articles), fitting the filters; the people the
        # query names are shown on their own, first.
        contacts = expert_people(
            query,
            request,
            filters=filters,
            exclude=people,
            limit=CONTACTS_SHOWN,
            pool=CONTACT_POOL,
        )
    groups = matching_groups(query, request, filters) if params.page == 1 else []

    if log and params.q.strip() and params.page == 1:
        # Finding the person asked for is an answer: no knowledge gap.
        log_query(query.text, count + len(people))
    return SearchOutcome(
        params=params,
        query=query,
        count=count,
        page=params.page,
        page_size=params.page_size,
        articles=articles,
        results=results,
        snippets=snippets,
        facets={name: facet_list(name, facets.get(name, {})) for name in FACETS},
        contacts=contacts,
        people=people,
        promoted=promoted,
        suggestion=suggestion(query.text, restricted)
        if count == 0 and not people and not query.is_empty
        else None,
        matched_tag=matched_tag_slug,
        related=related,
        groups=groups,
    )
