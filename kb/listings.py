"""Query helpers behind the reading pages: what a user may see, and how lists are built.

Every list a reader sees goes through `visible_articles`, so drafts, unpublished pages and pages
behind a view restriction the user does not pass never show up in a listing.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction

from .models import ArticlePage, City, TopicPage

PAGE_SIZE = 10


def restricted_paths_for(request: HttpRequest) -> list[str]:
    """Tree paths of pages whose view restriction this request does not pass."""
    return [
        restriction.page.path
        for restriction in PageViewRestriction.objects.select_related("page")
        if not restriction.accept_request(request)
    ]


def exclude_restricted(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    for path in restricted_paths_for(request):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def visible_articles(request: HttpRequest) -> QuerySet[ArticlePage]:
    """Live articles this request may read, with what cards need prefetched."""
    queryset = ArticlePage.objects.live().select_related("department")
    return with_card_data(exclude_restricted(queryset, request))


def with_card_data(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return queryset.prefetch_related("cities", "tags")


def visible_topics(request: HttpRequest) -> QuerySet[TopicPage]:
    return exclude_restricted(TopicPage.objects.live(), request).order_by("path")


def attach_topics(articles: list[ArticlePage]) -> list[ArticlePage]:
    """Set `topic_page` on each article with one query instead of one per card."""
    parent_paths = {article.path[: -ArticlePage.steplen] for article in articles}
    topics = {topic.path: topic for topic in TopicPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.topic_page = topics.get(article.path[: -ArticlePage.steplen])
    return articles


def paginate(
    request: HttpRequest, queryset: QuerySet | list, per_page: int = PAGE_SIZE
) -> PaginatorPage:
    """A page of results; a malformed or out-of-range ?page= falls back instead of failing."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.object_list = attach_topics(list(page.object_list))
    return page


def selected_city(request: HttpRequest) -> City | None:
    slug = request.GET.get("stadt", "")
    if not slug or len(slug) > 100:
        return None
    return City.objects.filter(slug=slug).first()


def user_city(request: HttpRequest) -> City | None:
    """The reader's own city, recognised by the domain of their work e-mail address."""
    email = getattr(request.user, "email", "") or ""
    domain = email.rpartition("@")[2].lower()
    if not domain:
        return None
    for city in City.objects.exclude(email_domain=""):
        if domain == city.email_domain.lower() or domain.endswith("." + city.email_domain.lower()):
            return city
    return None


def home_context(home: Page, request: HttpRequest) -> dict[str, Any]:
    articles = visible_articles(request)
    topics = list(visible_topics(request).child_of(home))
    # One grouped query: an article's parent path is its path minus the last step.
    parent_len = len(topics[0].path) if topics else 0
    counts = dict(
        articles.order_by()
        .annotate(parent_path=Substr("path", 1, parent_len))
        .values("parent_path")
        .annotate(n=Count("pk"))
        .values_list("parent_path", "n")
    )
    for topic in topics:
        topic.article_count = counts.get(topic.path, 0)

    newest_by_city = []
    for city in City.objects.all():
        newest = list(articles.filter(cities=city).order_by("-first_published", "-pk")[:4])
        newest_by_city.append({"city": city, "articles": attach_topics(newest)})

    own_city = user_city(request)
    neighbour_qs = articles.exclude(cities=own_city) if own_city else articles
    neighbours = attach_topics(list(neighbour_qs.order_by("-first_published", "-pk")[:4]))
    return {
        "topics": topics,
        "newest_by_city": newest_by_city,
        "own_city": own_city,
        "neighbour_articles": neighbours,
        "total_articles": articles.count(),
    }


def topic_context(topic: TopicPage, request: HttpRequest) -> dict[str, Any]:
    articles = visible_articles(request).child_of(topic)
    city = selected_city(request)
    city_counts = {
        row["cities"]: row["n"]
        for row in articles.order_by().values("cities").annotate(n=Count("pk"))
    }
    cities = list(City.objects.all())
    for c in cities:
        c.article_count = city_counts.get(c.pk, 0)
    if city:
        articles = articles.filter(cities=city)
    return {
        "articles": paginate(request, articles.order_by("-first_published", "-pk")),
        "cities": cities,
        "selected_city": city,
    }


def heading_anchor(text: str, position: int) -> str:
    return f"{slugify(text) or 'abschnitt'}-{position}"


def body_with_anchors(article: ArticlePage) -> list[dict[str, Any]]:
    """Body blocks paired with the anchor of each heading, for the table of contents."""
    return [
        {
            "block": block,
            "anchor": heading_anchor(block.value["text"], position)
            if block.block_type == "heading"
            else "",
        }
        for position, block in enumerate(article.body)
    ]


def table_of_contents(body: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "text": item["block"].value["text"],
            "level": item["block"].value["level"],
            "anchor": item["anchor"],
        }
        for item in body
        if item["anchor"]
    ]


def counterparts(article: ArticlePage, request: HttpRequest) -> list[ArticlePage]:
    """The article's counterpart and every article naming it as counterpart (both directions)."""
    query = Q(counterpart_id=article.pk)
    if article.counterpart_id:
        query |= Q(pk=article.counterpart_id)
    return attach_topics(list(visible_articles(request).filter(query).exclude(pk=article.pk)))


def related_articles(
    article: ArticlePage, request: HttpRequest, limit: int = 5, exclude: list[int] | None = None
) -> list[ArticlePage]:
    """Articles sharing tags or the topic; other cities' articles first among equals."""
    tag_ids = list(article.tags.values_list("pk", flat=True))
    own_city_ids = set(article.cities.values_list("pk", flat=True))
    parent_path = article.path[: -ArticlePage.steplen]
    exclude_ids = {article.pk, *(exclude or [])}
    candidates = (
        visible_articles(request)
        .exclude(pk__in=exclude_ids)
        .filter(Q(tags__in=tag_ids) | Q(path__startswith=parent_path, depth=article.depth))
        .annotate(
            shared_tags=Count(
                "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
            )
        )
        .distinct()
    )
    scored = []
    for candidate in candidates[:200]:
        city_ids = {city.pk for city in candidate.cities.all()}
        other_city = bool(city_ids - own_city_ids)
        same_topic = candidate.path.startswith(parent_path)
        score = 2 * candidate.shared_tags + (1 if same_topic else 0) + (1.5 if other_city else 0)
        scored.append((score, candidate.first_published, candidate))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return attach_topics([candidate for _, _, candidate in scored[:limit]])


def article_context(article: ArticlePage, request: HttpRequest) -> dict[str, Any]:
    body = body_with_anchors(article)
    found_counterparts = counterparts(article, request)
    return {
        "breadcrumbs": list(article.get_ancestors().filter(depth__gte=2)),
        "body_blocks": body,
        "toc": table_of_contents(body),
        "counterparts": found_counterparts,
        # The counterpart already has its own section; do not list it twice.
        "related": related_articles(
            article, request, exclude=[page.pk for page in found_counterparts]
        ),
    }
