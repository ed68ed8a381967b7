"""Transfer radar: where one city has knowledge and another none, and what staff searched for
in vain, per topic area and tag.

For editors and working-group leads. Counted are the live articles the viewer may read (the
site's one visibility filter: drafts never, private sections only for those admitted to them),
per topic area and per tag (the most used tags) and city, every City row a column. A "Lücke"
is a city without an article where another city has some, or where staff searched in vain.

The search analytics store queries without their filters or any topic (search/querylog.py:
day, normalised text, count, zero-result count). A zero-result query is therefore attributed
by its words: through search.analysis, its stems are compared with the stems of each topic
area's title and of the tags its articles carry, and with each tag's name. A query counts for
the topic areas (and tags) it matches best; at least one side of a match must be a whole word,
so that two compounds merely sharing a part ("Stadtwerke", "Innenstadt") do not match.

Bounded: a fixed number of grouped queries, whatever the number of articles; at most
ZERO_QUERY_LIMIT logged queries are looked at.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from cooperation.permissions import is_editor_or_lead
from kb.collation import by_name, german_sort_key
from kb.listings import visible_article_pages, visible_topics
from kb.models import ArticlePage, ArticlePageTag, City, TopicPage
from kb.tags import tag_url

from .analysis import STOPWORDS, analyse, whole_stem, words
from .models import DailyQueryCount

PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 90
PERIOD_PARAM = "tage"
TOP_TAGS = 30
ZERO_QUERY_LIMIT = 300
GAP_LIMIT = 60
QUERIES_SHOWN = 5
# A zero-result search weighs as much as two articles elsewhere: staff asked for it in vain.
SEARCH_WEIGHT = 2

CITIES_THROUGH = ArticlePage.cities.through


@dataclass
class Terms:
    """The stems of a text: of whole words, and all of them (compound parts included)."""

    whole: set[str] = field(default_factory=set)
    every: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> Terms:
        whole = {whole_stem(word) for word in words(text) if word not in STOPWORDS}
        return cls(whole=whole, every=set(analyse(text)) | whole)

    def add(self, other: Terms) -> None:
        self.whole |= other.whole
        self.every |= other.every

    def overlap(self, other: Terms) -> int:
        """Shared stems where at least one side is a whole word."""
        return len((self.whole & other.every) | (self.every & other.whole))


@dataclass
class Row:
    """One topic area or tag: articles per city, the zero-result searches attributed to it."""

    kind: str  # "topic" or "tag"
    key: int
    label: str
    url: str
    counts: dict[int, int]
    topic: TopicPage | None = None  # where a missing article belongs
    searches: int = 0
    queries: list[tuple[str, int]] = field(default_factory=list)
    cells: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def period_days(value: str | None) -> int:
    try:
        days = int(value or "")
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


def _parent_counts(articles, path_length: int) -> dict[tuple[str, int], int]:
    """(topic path, city id) -> number of articles: one grouped query."""
    return {
        (parent, city): n
        for parent, city, n in articles.order_by()
        .annotate(parent=Substr("path", 1, path_length))
        .values("parent", "cities")
        .annotate(n=Count("pk", distinct=True))
        .values_list("parent", "cities", "n")
        if city is not None
    }


def _tag_rows(articles, path_length: int) -> tuple[dict, dict, dict]:
    """Per tag: articles per city, articles per topic path, and the tag's total."""
    pairs = ArticlePageTag.objects.filter(content_object__in=articles.order_by().values("pk"))
    per_city: dict[int, dict[int, int]] = defaultdict(dict)
    for tag_id, city_id, n in (
        pairs.values("tag_id", "content_object__cities")
        .annotate(n=Count("content_object_id", distinct=True))
        .values_list("tag_id", "content_object__cities", "n")
    ):
        if city_id is not None:
            per_city[tag_id][city_id] = n
    per_topic: dict[int, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for tag_id, parent, n in (
        pairs.annotate(parent=Substr("content_object__path", 1, path_length))
        .values("tag_id", "parent")
        .annotate(n=Count("content_object_id", distinct=True))
        .values_list("tag_id", "parent", "n")
    ):
        per_topic[tag_id][parent] += n
        totals[tag_id] += n
    return per_city, per_topic, totals


def zero_result_queries(since: datetime.date, limit: int = ZERO_QUERY_LIMIT) -> list[tuple]:
    """(query, searches without result) since `since`, most frequent first."""
    return list(
        DailyQueryCount.objects.filter(day__gte=since, zero_results__gt=0)
        .values("query")
        .annotate(zero=Sum("zero_results"))
        .order_by("-zero", "query")
        .values_list("query", "zero")[:limit]
    )


def attribute(queries: list[tuple[str, int]], targets: dict[Any, Terms]) -> dict[Any, list]:
    """Each query to the targets its words match best (ties: all of them); none if no word
    matches. target key -> [(query, count)]."""
    found: dict[Any, list] = defaultdict(list)
    for text, count in queries:
        terms = Terms.of(text)
        if not terms.every:
            continue
        scores = {key: terms.overlap(target) for key, target in targets.items()}
        best = max(scores.values(), default=0)
        if best <= 0:
            continue
        for key, score in scores.items():
            if score == best:
                found[key].append((text, count))
    return found


def _create_url(topic: TopicPage | None) -> str:
    if topic is None:
        return ""
    return reverse("wagtailadmin_pages:add", args=["kb", "articlepage", topic.pk])


def _can_add(user, topics: list[TopicPage]) -> set[int]:
    """The topic areas under which the user may create an article in the admin."""
    if not user.has_perm("wagtailadmin.access_admin"):
        return set()
    return {topic.pk for topic in topics if topic.permissions_for_user(user).can_add_subpage()}


def radar_context(request: HttpRequest) -> dict[str, Any]:
    days = period_days(request.GET.get(PERIOD_PARAM))
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    cities = by_name(City.objects.all())
    topics = list(visible_topics(request))
    articles = visible_article_pages(request)
    path_length = len(topics[0].path) if topics else 0
    topic_by_path = {topic.path: topic for topic in topics}

    topic_counts = _parent_counts(articles, path_length) if topics else {}
    per_city, per_topic, totals = _tag_rows(articles, path_length) if topics else ({}, {}, {})
    tags = {
        pk: (name, slug)
        for pk, name, slug in Tag.objects.filter(pk__in=list(totals)).values_list(
            "pk", "name", "slug"
        )
    }
    names = {pk: name for pk, (name, _) in tags.items()}

    # Zero-result searches, attributed to topic areas (title and their articles' tags) and
    # to the tags by name.
    queries = zero_result_queries(since)
    tag_terms = {pk: Terms.of(name) for pk, name in names.items()}
    topic_terms: dict[int, Terms] = {}
    for topic in topics:
        topic_terms[topic.pk] = Terms.of(topic.title)
    for tag_id, parents in per_topic.items():
        for parent in parents:
            topic = topic_by_path.get(parent)
            if topic is not None and tag_id in tag_terms:
                topic_terms[topic.pk].add(tag_terms[tag_id])
    by_topic = attribute(queries, topic_terms)

    topic_rows = [
        Row(
            kind="topic",
            key=topic.pk,
            label=topic.title,
            url=topic.url or "",
            counts={city.pk: topic_counts.get((topic.path, city.pk), 0) for city in cities},
            topic=topic,
        )
        for topic in topics
    ]
    for row in topic_rows:
        found = by_topic.get(row.key, [])
        row.searches = sum(count for _, count in found)
        row.queries = found[:QUERIES_SHOWN]

    top = sorted(totals, key=lambda pk: (-totals[pk], names.get(pk, "")))[:TOP_TAGS]
    by_tag = attribute(queries, {pk: tag_terms[pk] for pk in top if pk in tag_terms})
    tag_rows = []
    for tag_id in top:
        home_path = per_topic[tag_id].most_common(1)[0][0] if per_topic.get(tag_id) else ""
        found = by_tag.get(tag_id, [])
        tag_rows.append(
            Row(
                kind="tag",
                key=tag_id,
                label=names.get(tag_id, ""),
                url=tag_url(tags.get(tag_id, ("", ""))[1]),
                counts={city.pk: per_city.get(tag_id, {}).get(city.pk, 0) for city in cities},
                topic=topic_by_path.get(home_path),
                searches=sum(count for _, count in found),
                queries=found[:QUERIES_SHOWN],
            )
        )

    attributed = {text for found in by_topic.values() for text, _ in found}
    allowed = _can_add(request.user, topics)
    gaps = []
    for row in [*topic_rows, *tag_rows]:
        row.cells = []
        for city in cities:
            count = row.counts[city.pk]
            elsewhere = {
                c.name: row.counts[c.pk] for c in cities if c.pk != city.pk and row.counts[c.pk]
            }
            gap = count == 0 and (bool(elsewhere) or row.searches > 0)
            row.cells.append({"city": city, "count": count, "gap": gap})
            if not gap:
                continue
            gaps.append(
                {
                    "row": row,
                    "city": city,
                    "elsewhere": sorted(elsewhere.items(), key=lambda item: -item[1]),
                    "weight": sum(elsewhere.values()) + SEARCH_WEIGHT * row.searches,
                    "create_url": _create_url(row.topic)
                    if row.topic and row.topic.pk in allowed
                    else "",
                }
            )
    gaps.sort(
        key=lambda gap: (
            -gap["weight"],
            gap["row"].kind != "topic",
            german_sort_key(gap["row"].label),
            german_sort_key(gap["city"].name),
        )
    )
    return {
        "cities": cities,
        "topic_rows": topic_rows,
        "tag_rows": tag_rows,
        "gaps": gaps[:GAP_LIMIT],
        "more_gaps": max(0, len(gaps) - GAP_LIMIT),
        "days": days,
        "since": since,
        "periods": [
            {"days": d, "url": f"?{urlencode({PERIOD_PARAM: d})}", "active": d == days}
            for d in PERIODS
        ],
        "zero_searches": sum(count for _, count in queries),
        "unattributed": [(text, count) for text, count in queries if text not in attributed][
            : QUERIES_SHOWN * 2
        ],
        "search_weight": SEARCH_WEIGHT,
    }


def search_url(query: str) -> str:
    return f"{reverse('search')}?{urlencode({'q': query})}"


def transfer_radar(request: HttpRequest) -> HttpResponse:
    if not is_editor_or_lead(request.user):
        return TemplateResponse(
            request,
            "search/transfer_radar.html",
            {"forbidden": True},
            status=403,
        )
    return TemplateResponse(request, "search/transfer_radar.html", radar_context(request))
