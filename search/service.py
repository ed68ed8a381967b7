"""What the search page and the JSON API share: parameters in, results, facets and hints out."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import Query as PromotionQuery
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from kb.listings import attach_topics, restricted_paths_for, visible_articles
from kb.models import ArticlePage, City, ContactPerson, Department, TopicPage
from kb.topics import german_slug

from .analysis import normalise, surface_words
from .backends import get_backend
from .backends.base import FACETS
from .models import DailyQueryCount, SearchDocument
from .query import ParsedQuery, parse
from .snippets import highlight
from .vocabulary import cached, one_index_version

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
TOP_TAGS = 10


class BadRequest(ValueError):
    """A parameter that cannot be understood (answered with 400 by the API)."""


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _int(value: str | None, default: int, name: str, *, strict: bool) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        if strict:
            raise BadRequest(f"„{name}“ muss eine ganze Zahl sein.") from None
        return default
    if number < 1:
        if strict:
            raise BadRequest(f"„{name}“ muss mindestens 1 sein.")
        return default
    return number


def read_params(data: QueryDict, *, strict: bool) -> SearchParams:
    """Read request parameters; with strict=True malformed values raise BadRequest."""
    sort = data.get("sort") or "relevance"
    if sort not in ("relevance", "newest"):
        if strict:
            raise BadRequest("„sort“ ist „relevance“ oder „newest“.")
        sort = "relevance"
    page_size = _int(data.get("page_size"), DEFAULT_PAGE_SIZE, "page_size", strict=strict)
    page = _int(data.get("page"), 1, "page", strict=strict)
    filters = {
        name: [v for v in data.getlist(name) if v.strip()][:MAX_FILTER_VALUES]
        for name in FACETS
    }
    return SearchParams(
        q=data.get("q", ""),
        filters={k: v for k, v in filters.items() if v},
        sort=sort,
        page=min(page, 10_000),
        page_size=min(page_size, MAX_PAGE_SIZE),
    )


# --- facet values: slugs in the index, display names for people --------------------------------


def _labels() -> dict[str, dict[str, str]]:
    return cached(
        "facet-labels",
        lambda: {
            "city": dict(City.objects.values_list("slug", "name")),
            "topic": dict(TopicPage.objects.values_list("slug", "title")),
            "tag": dict(Tag.objects.values_list("slug", "name")),
            "department": {
                german_slug(name): name
                for name in Department.objects.values_list("name", flat=True)
            },
        },
    )


def resolve_filter(name: str, values: list[str]) -> set[str]:
    """Display names or slugs, any case -> index values. Unknown values match nothing."""
    labels = _labels()[name]
    by_name = {label.casefold(): slug for slug, label in labels.items()}
    resolved = set()
    for value in values:
        value = value.strip()[:255]
        key = value.casefold()
        resolved.add(by_name.get(key) or (key if key in labels else f"\x00{key}"))
    return resolved


def facet_list(name: str, counts) -> list[dict[str, Any]]:
    labels = _labels()[name]
    items = [
        {"value": value, "label": labels.get(value, value), "count": count}
        for value, count in counts.items()
        if count
    ]
    items.sort(key=lambda item: (-item["count"], item["label"].casefold()))
    return items


# --- analytics ---------------------------------------------------------------------------------


def log_query(text: str, result_count: int) -> None:
    """Aggregated per day and query; no user is recorded."""
    query = normalise(" ".join(text.split()))[:255]
    if not query:
        return
    today = timezone.localdate()
    zero = 1 if result_count == 0 else 0
    with transaction.atomic():
        updated = DailyQueryCount.objects.filter(day=today, query=query).update(
            count=F("count") + 1, zero_results=F("zero_results") + zero
        )
        if not updated:
            DailyQueryCount.objects.get_or_create(
                day=today, query=query, defaults={"count": 1, "zero_results": zero}
            )


def promoted_page_ids(text: str) -> list[int]:
    # Normalised the way Wagtail stores the editors' promotion queries.
    query = normalise_query_string(text)
    if not query:
        return []
    found = PromotionQuery.objects.filter(query_string=query).first()
    if not found:
        return []
    return list(found.editors_picks.order_by("sort_order").values_list("page_id", flat=True))


# --- hints -------------------------------------------------------------------------------------




def _surface_vocabulary() -> dict[str, str]:
    """Normalised word -> the word as written, from titles, summaries and tags."""

    def build():
        found: dict[str, str] = {}
        texts = list(ArticlePage.objects.live().values_list("title", "summary"))
        texts += [(name, "") for name in Tag.objects.values_list("name", flat=True)]
        for title, summary in texts:
            for word in surface_words(f"{title} {summary}"):
                if len(word) > 3:
                    found.setdefault(normalise(word), word)
        return found

    return cached("surface-vocabulary", build)


def suggestion(text: str) -> str | None:
    """A 'Meinten Sie …' spelling for a query without results, if there is a close one."""
    vocabulary = _surface_vocabulary()
    changed = False
    corrected = []
    for word in surface_words(text)[:10]:
        key = normalise(word)
        if key in vocabulary:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(key, list(vocabulary), n=1, cutoff=0.75)
        if close:
            corrected.append(vocabulary[close[0]])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def run_engine(query: ParsedQuery, *, offset: int = 0, size: int | None = None, **options):
    """Run a query on the configured backend: a window of hits, the total count, the facets."""
    result = get_backend().search(query, offset=offset, size=size, **options)
    return result.hits, result.total, result.facets


def popular_tags(restricted: list[str], limit: int = 10) -> list[dict[str, Any]]:
    _, _, facets = run_engine(parse(""), restricted=restricted, size=0)
    return facet_list("tag", facets.get("tag", {}))[:limit]


# --- the search itself -------------------------------------------------------------------------


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
    promoted: list[ArticlePage]
    suggestion: str | None
    matched_tag: str | None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def _matched_tag(query: ParsedQuery) -> str | None:
    if not query.tag_text:
        return None
    for slug, label in _labels()["tag"].items():
        if normalise(label) == query.tag_text:
            return slug
    return None


def city_names() -> dict[str, str]:
    return {normalise(label): slug for slug, label in _labels()["city"].items()}


def search(
    request: HttpRequest, params: SearchParams, *, log: bool = True, for_api: bool = False
) -> SearchOutcome:
    """Run a search. `for_api`: results as JSON-ready dicts (`outcome.results`, no page objects,
    no contact persons), which saves most of the per-request cost of the JSON API."""
    with one_index_version():
        return _search(request, params, log=log, for_api=for_api)


def _search(
    request: HttpRequest, params: SearchParams, *, log: bool, for_api: bool
) -> SearchOutcome:
    query = parse(params.q, city_names=city_names())
    restricted = restricted_paths_for(request)
    filters = {name: resolve_filter(name, values) for name, values in params.filters.items()}
    matched_tag = _matched_tag(query)
    start = (params.page - 1) * params.page_size
    window, count, facets = run_engine(
        query,
        offset=start,
        size=params.page_size,
        filters=filters,
        restricted=restricted,
        sort=params.sort,
        boost_tag=matched_tag,
    )

    promoted: list[ArticlePage] = []
    if params.q.strip() and params.page == 1:
        ids = promoted_page_ids(query.text)
        if ids:
            promoted = list(visible_articles(request).filter(pk__in=ids))
            promoted.sort(key=lambda page: ids.index(page.pk))
            attach_topics(promoted)

    ids = [hit.doc.object_id for hit in window]
    terms = query.all_terms()
    texts = dict(
        SearchDocument.objects.filter(kind=SearchDocument.ARTICLE, object_id__in=ids).values_list(
            "object_id", "text"
        )
    )
    articles: list[ArticlePage] = []
    results: list[dict[str, Any]] = []
    if for_api:
        results = result_dicts(request, window, texts, terms)
        snippets = {}
    else:
        pages = {page.pk: page for page in visible_articles(request).filter(pk__in=ids)}
        articles = attach_topics([pages[i] for i in ids if i in pages])
        snippets = {
            page.pk: highlight(texts.get(page.pk) or page.summary, terms) for page in articles
        }

    contacts: list[ContactPerson] = []
    if not query.is_empty and params.page == 1 and not for_api:
        contact_hits, _, _ = run_engine(
            query, kind=SearchDocument.CONTACT, with_facets=False, size=4
        )
        by_id = ContactPerson.objects.select_related("city", "department").in_bulk(
            [hit.doc.object_id for hit in contact_hits]
        )
        contacts = [by_id[h.doc.object_id] for h in contact_hits if h.doc.object_id in by_id]

    if log and params.q.strip() and params.page == 1:
        log_query(query.text, count)
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
        promoted=promoted,
        suggestion=suggestion(query.text) if count == 0 and not query.is_empty else None,
        matched_tag=matched_tag,
    )


def result_dicts(
    request: HttpRequest, hits: list, texts: dict[int, str], terms: set[str]
) -> list[dict[str, Any]]:
    """API results straight from one row query and the index's facet values, without loading
    page objects. Pages that are no longer live are left out even
    if the index has not caught up yet."""
    ids = [hit.doc.object_id for hit in hits]
    rows = {
        row[0]: row
        for row in ArticlePage.objects.filter(pk__in=ids, live=True).values_list(
            "pk", "slug", "title", "url_path", "summary", "first_published"
        )
    }
    labels = _labels()
    results = []
    for hit in hits:
        row = rows.get(hit.doc.object_id)
        if row is None:
            continue
        pk, slug, title, url_path, summary, first_published = row
        results.append(
            _result(
                slug=slug,
                title=title,
                url=Page(url_path=url_path).get_url(request),
                cities=[labels["city"].get(v, v) for v in hit.doc.city],
                topic=next((labels["topic"].get(v, v) for v in hit.doc.topic), ""),
                tags=[labels["tag"].get(v, v) for v in hit.doc.tag],
                summary=summary,
                snippet=highlight(texts.get(pk) or summary, terms),
                date=first_published,
            )
        )
    return results


def _result(
    *,
    slug: str,
    title: str,
    url: str | None,
    cities: list[str],
    topic: str,
    tags: list[str],
    summary: str,
    snippet: str,
    date: datetime.date | None,
) -> dict[str, Any]:
    """One entry of the API's result lists (the contract in the README)."""
    return {
        "slug": slug,
        "title": title,
        "url": url,
        "cities": sorted(cities),
        "topic": topic,
        "tags": sorted(tags, key=str.casefold),
        "summary": summary,
        "snippet": str(snippet),
        "date": date.isoformat() if isinstance(date, datetime.date) else None,
    }


def article_json(page: ArticlePage, snippet: str) -> dict[str, Any]:
    """An API result from a page object (promoted results)."""
    topic = getattr(page, "topic_page", None)
    return _result(
        slug=page.slug,
        title=page.title,
        url=page.url,
        cities=[city.name for city in page.cities.all()],
        topic=topic.title if topic else "",
        tags=[tag.name for tag in page.tags.all()],
        summary=page.summary,
        snippet=snippet,
        date=page.first_published,
    )
