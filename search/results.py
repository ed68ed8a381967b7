"""Result cards: what the API and the search page show of each hit, and promoted pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from wagtail.contrib.search_promotions.models import Query as PromotionQuery
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from kb.collation import german_sorted
from kb.listings import exclude_restricted
from kb.models import ArticlePage

from .facets import labels
from .snippets import highlight


def promoted_page_ids(text: str) -> list[int]:
    # Normalised the way Wagtail stores the editors' promotion queries.
    query = normalise_query_string(text)
    if not query:
        return []
    found = PromotionQuery.objects.filter(query_string=query).first()
    if not found:
        return []
    return list(found.editors_picks.order_by("sort_order").values_list("page_id", flat=True))


def result_dict_groups(
    request: HttpRequest, groups: list[list], texts: dict[int, str], terms: set[str]
) -> list[list[dict[str, Any]]]:
    """API results for lists of hits (the hits, the related articles) straight from one row
    query and the index's facet values, without loading page objects. Pages that are no longer
    live or that the reader may not see (by their current place in the tree) are left out even
    if the index has not caught up yet."""
    ids = [hit.doc.object_id for hits in groups for hit in hits]
    visible = exclude_restricted(ArticlePage.objects.filter(pk__in=ids, live=True), request)
    rows = {
        row[0]: row
        for row in visible.values_list(
            "pk", "slug", "title", "url_path", "summary", "first_published"
        )
    }
    names = labels()
    return [
        [
            _hit_result(request, hit, rows[hit.doc.object_id], names, texts, terms)
            for hit in hits
            if hit.doc.object_id in rows
        ]
        for hits in groups
    ]


def _hit_result(request: HttpRequest, hit, row: tuple, names, texts, terms) -> dict[str, Any]:
    pk, slug, title, url_path, summary, first_published = row
    return _result(
        slug=slug,
        title=title,
        url=Page(url_path=url_path).get_url(request),
        cities=[names["city"].get(v, v) for v in hit.doc.city],
        topic=next((names["topic"].get(v, v) for v in hit.doc.topic), ""),
        tags=[names["tag"].get(v, v) for v in hit.doc.tag],
        summary=summary,
        snippet=highlight(texts.get(pk) or summary, terms),
        date=first_published,
    )


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
        "cities": german_sorted(cities),
        "topic": topic,
        "tags": german_sorted(tags),
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


def person_json(person) -> dict[str, Any]:
    """An API entry for a contact person the query names: work contact data, the person page
    and what they know (search.people.describe: "Fachwissen: …", "Leitung AG …")."""
    return {
        "name": person.name,
        "role": person.role,
        "department": person.department.name if person.department else "",
        "city": person.city.name if person.city else "",
        "email": person.email,
        "phone": person.phone,
        "url": getattr(person, "search_url", None),
        "expertise": [str(note) for note in getattr(person, "search_notes", ())],
    }
