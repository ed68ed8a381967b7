"""Query helpers behind the reading pages: what a user may see, and how lists are built.

Every list a reader sees goes through `visible_articles`, so drafts, unpublished pages and pages
behind a view restriction the user does not pass never show up in a listing.

Every page runs a fixed number of queries however many articles there are (pinned by
tests/test_query_counts.py): lists pick their articles with LIMITed, indexed queries and then
load the cards of all lists of a page in one go, with their cities and tags prefetched; no list
loads all articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponsePermanentRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from wagtail.models import Page, PageLogEntry, PageViewRestriction

from .collation import by_name
from .models import ArticlePage, ArticlePageTag, City, ContactPerson, Department, TopicPage

PAGE_SIZE = 10
NEWEST_PER_CITY = 4
RELATED_LIMIT = 5
# How many articles sharing tags are scored for "Verwandte Beiträge": those sharing the most
# tags (newest pages first among equals). Bounds the work however popular the tags are.
RELATED_POOL = 200
HOME_CACHE_SECONDS = 3600

ORDER_NEWEST = ("-first_published", "-pk")
# The filter parameter of topic and tag pages, named as on the search page (search/params.py),
# and the old names that are redirected to today's (links and bookmarks from before).
CITY_PARAM = "city"
LEGACY_PARAMS = {"stadt": CITY_PARAM}
# Values of one filter parameter looked at (search/params.py caps them the same way).
MAX_FILTER_VALUES = 20
# Sorts after every character of Wagtail's tree paths (0-9, A-Z); see `children_of`.
PATH_END = "~"


def restricted_paths_for(request: HttpRequest) -> list[str]:
    """Tree paths of pages whose view restriction this request does not pass (once per request)."""
    cached = getattr(request, "_kb_restricted_paths", None)
    if cached is None:
        cached = [
            restriction.page.path
            for restriction in PageViewRestriction.objects.select_related("page")
            if not restriction.accept_request(request)
        ]
        request._kb_restricted_paths = cached
    return list(cached)


def exclude_restricted(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    for path in restricted_paths_for(request):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def restricted_paths_for_user(user, restrictions: list | None = None) -> list[str]:
    """Tree paths of pages `user` may not read, decided without a request (e-mails, feeds):
    as Wagtail's PageViewRestriction.accept_request, except that a password-protected section
    counts as closed (a mail or feed reader has entered no password)."""
    if restrictions is None:
        restrictions = list(
            PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        )
    group_ids = None
    closed = []
    for restriction in restrictions:
        kind = restriction.restriction_type
        if kind == PageViewRestriction.NONE:
            continue
        if kind == PageViewRestriction.LOGIN and user.is_authenticated:
            continue
        if kind == PageViewRestriction.GROUPS and user.is_authenticated:
            if user.is_superuser:
                continue
            if group_ids is None:
                group_ids = set(user.groups.values_list("pk", flat=True))
            if group_ids & {group.pk for group in restriction.groups.all()}:
                continue
        closed.append(restriction.page.path)
    return closed


def visible_to_user(queryset: QuerySet, user, restrictions: list | None = None) -> QuerySet:
    """Live pages of `queryset` that `user` (active) may read; nothing for an inactive user."""
    if not user.is_active:
        return queryset.none()
    queryset = queryset.live()
    for path in restricted_paths_for_user(user, restrictions):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def city_of_user(user, cities: Iterable[City] | None = None) -> City | None:
    """The user's own city, recognised by the domain of their work e-mail address."""
    email = getattr(user, "email", "") or ""
    domain = email.rpartition("@")[2].lower()
    if not domain:
        return None
    if cities is None:
        cities = City.objects.exclude(email_domain="")
    for city in cities:
        city_domain = city.email_domain.lower()
        if city_domain and (domain == city_domain or domain.endswith("." + city_domain)):
            return city
    return None


def visible_article_pages(request: HttpRequest) -> QuerySet[ArticlePage]:
    """Live articles this request may read, nothing prefetched: for ids, counts and filters."""
    return exclude_restricted(ArticlePage.objects.live(), request)


def visible_articles(request: HttpRequest) -> QuerySet[ArticlePage]:
    """Live articles this request may read, with what cards need (not the body) prefetched."""
    return with_card_data(visible_article_pages(request).select_related("department"))


def with_card_data(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    # Cards never show the body; not loading it saves parsing its JSON for every card.
    return queryset.defer_streamfields().prefetch_related("cities", "tags")


def readable_contacts(
    queryset: QuerySet[ContactPerson], request: HttpRequest
) -> QuerySet[ContactPerson]:
    """The contact persons with at least one article this request may read: a contact known
    only from drafts or private articles would reveal what those are about."""
    links = ArticlePage.contacts.through.objects.filter(
        contactperson_id=OuterRef("pk"),
        articlepage_id__in=visible_article_pages(request).order_by().values("pk"),
    )
    return queryset.filter(Exists(links))


def visible_topics(request: HttpRequest) -> QuerySet[TopicPage]:
    # "pk in (the topic table)" lets SQLite start from the few topic rows; otherwise it walks
    # the whole page tree in path order to find them (15 ms at 10 000 articles).
    topics = TopicPage.objects.live().filter(pk__in=TopicPage.objects.order_by().values("pk"))
    return exclude_restricted(topics, request).order_by("path")


def _parent_path(page: Page) -> str:
    return page.path[: -page.steplen]


def children_of(queryset: QuerySet, parent_path: str, depth: int) -> QuerySet:
    """Pages at `depth` below `parent_path`, as a range on the path index.

    Wagtail's `child_of` uses LIKE 'path%', which SQLite cannot answer from an index (its LIKE
    ignores case); paths compare bytewise (PostgreSQL's path column has collation "C").
    """
    return queryset.filter(path__gt=parent_path, path__lt=parent_path + PATH_END, depth=depth)


def in_city(queryset: QuerySet[ArticlePage], city: City) -> QuerySet[ArticlePage]:
    """Articles of `city`, as a per-article check: "newest first" can then walk the date index
    and stop after a page instead of sorting all articles of the city."""
    return queryset.filter(
        Exists(
            ArticlePage.cities.through.objects.filter(
                articlepage_id=OuterRef("pk"), city_id=city.pk
            )
        )
    )


def with_tag(queryset: QuerySet[ArticlePage], tag_id: int) -> QuerySet[ArticlePage]:
    """Articles with the tag, as a per-article check (see `in_city`)."""
    return queryset.filter(
        Exists(ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id=tag_id))
    )


def attach_topics(
    articles: list[ArticlePage], topics: Iterable[TopicPage] | None = None
) -> list[ArticlePage]:
    """Set `topic_page` on each article: from `topics` if given, else with one query."""
    if topics is None:
        parent_paths = {_parent_path(article) for article in articles}
        topics = TopicPage.objects.filter(path__in=parent_paths) if parent_paths else []
    by_path = {topic.path: topic for topic in topics}
    for article in articles:
        article.topic_page = by_path.get(_parent_path(article))
    return articles


def cards(
    request: HttpRequest, ids: Iterable[int], topics: Iterable[TopicPage] | None = None
) -> dict[int, ArticlePage]:
    """The articles with these ids that the request may read, ready for cards, by id."""
    ids = set(ids)
    if not ids:
        return {}
    articles = list(visible_articles(request).filter(pk__in=ids))
    attach_topics(articles, topics)
    return {article.pk: article for article in articles}


def paginate(
    request: HttpRequest,
    queryset: QuerySet | list,
    per_page: int = PAGE_SIZE,
    topics: Iterable[TopicPage] | None = None,
    *,
    count: int | None = None,
) -> PaginatorPage:
    """A page of results; a malformed or out-of-range ?page= falls back instead of failing.

    `count` is the number of results if the caller knows it, from a cheaper query than
    counting `queryset` (see `kb.views.tag_detail`); the paginator then does not count.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = attach_topics(list(page.object_list), topics)
    return page


def legacy_params_redirect(request: HttpRequest) -> HttpResponsePermanentRedirect | None:
    """A permanent redirect of a URL with old parameter names (`?stadt=`) to the same page with
    today's names (`?city=`), every other parameter kept; None when there is nothing to rename.
    A value under today's name wins over the old one."""
    if not any(name in request.GET for name in LEGACY_PARAMS):
        return None
    params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        current = LEGACY_PARAMS.get(name, name)
        if current != name and current in request.GET:
            continue
        params.setlist(current, params.getlist(current) + values)
    query = params.urlencode()
    return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))


def selected_city(request: HttpRequest, cities: list[City]) -> City | None:
    """The city the reader filters by: ?city= with its slug or name in any case, as on the
    search page (the first value that names one of `cities`)."""
    for raw in request.GET.getlist(CITY_PARAM)[:MAX_FILTER_VALUES]:
        key = raw.strip()[:100].casefold()
        for city in cities:
            if key and key in (city.slug.casefold(), city.name.casefold()):
                return city
    return None


def city_filter(
    request: HttpRequest,
    articles: QuerySet[ArticlePage],
    base_url: str,
    counted: QuerySet[ArticlePage] | None = None,
) -> tuple[QuerySet[ArticlePage], dict[str, Any]]:
    """The city filter of topic and tag pages: `articles` narrowed to the selected city, and the
    context of includes/city_filter.html (every city in German alphabetical order with its
    number of articles, the selected one, the page's address for the links). `counted`: the
    same articles as a query that is cheaper to count (default `articles`)."""
    cities = by_name(City.objects.all())
    city = selected_city(request, cities)
    counted = articles if counted is None else counted
    city_counts = dict(
        counted.order_by().values("cities").annotate(n=Count("pk")).values_list("cities", "n")
    )
    for c in cities:
        c.article_count = city_counts.get(c.pk, 0)
    context = {
        "cities": cities,
        "selected_city": city,
        "filter_url": base_url,
        # Articles in any city (None: an article without a city), before the filter.
        "any_articles": any(city_counts.values()),
    }
    return (in_city(articles, city) if city else articles), context


def user_city(request: HttpRequest, cities: Iterable[City] | None = None) -> City | None:
    """The reader's own city, recognised by the domain of their work e-mail address."""
    return city_of_user(request.user, cities)


def newest_ids(queryset: QuerySet[ArticlePage], limit: int) -> list[int]:
    """Ids of the newest articles of `queryset`: an index scan on first_published, LIMITed."""
    return list(queryset.order_by(*ORDER_NEWEST).values_list("pk", flat=True)[:limit])


def content_version() -> str:
    """Changes with every change to pages: Wagtail logs each publish, unpublish, move, delete,
    revision and view-restriction change (PageLogEntry). The newest entry's id and time (a
    restored backup or a rolled-back id can repeat an id, not also its time), in one query:
    cached figures keyed by it are right in every process, whatever the cache backend."""
    latest = PageLogEntry.objects.aggregate(pk=Max("pk"), at=Max("timestamp"))
    at = latest["at"].timestamp() if latest["at"] else 0
    return f"{latest['pk'] or 0}-{at:.6f}"


def home_context(home: Page, request: HttpRequest) -> dict[str, Any]:
    topics = list(visible_topics(request).child_of(home))
    cities = by_name(City.objects.all())
    own_city = user_city(request, cities)
    # What the home page counts and picks is the same for every reader who may see the same
    # sections of the tree and belongs to the same city: cached per content version, so a
    # publish or unpublish shows at once (96 ms of counting at 100 000 articles otherwise).
    key = "kb:home:{}:{}:{}:{}:{}".format(
        content_version(),
        home.pk,
        own_city.pk if own_city else "-",
        ",".join(str(city.pk) for city in cities),
        hashlib.sha1("|".join(sorted(restricted_paths_for(request))).encode()).hexdigest(),
    )
    figures = cache.get(key)
    if figures is None:
        figures = _home_figures(request, topics, cities, own_city)
        cache.set(key, figures, HOME_CACHE_SECONDS)
    counts, total, sections = figures
    for topic in topics:
        topic.article_count = counts.get(topic.path, 0)
    loader = _SectionCards(request, [pk for section in sections for pk in section["ids"]], topics)
    return {
        "topics": topics,
        "sections": [
            {**section, "articles": loader.for_ids(section["ids"])} for section in sections
        ],
        "own_city": own_city,
        "total_articles": total,
        # The rendered sections depend on nothing else: the template caches them under it.
        "home_sections_key": key,
    }


class _SectionCards:
    """The cards of all home sections, loaded at once on first use: when the template's
    cached fragment is fresh, no card query runs at all."""

    def __init__(self, request: HttpRequest, ids: list[int], topics: list[TopicPage]):
        self.request, self.ids, self.topics = request, ids, topics
        self._by_id: dict[int, ArticlePage] | None = None

    def for_ids(self, ids: list[int]):
        def articles() -> list[ArticlePage]:
            if self._by_id is None:
                self._by_id = cards(self.request, self.ids, self.topics)
            return [self._by_id[pk] for pk in ids if pk in self._by_id]

        return SimpleLazyObject(articles)


def _home_figures(
    request: HttpRequest, topics: list[TopicPage], cities: list[City], own_city: City | None
) -> tuple[dict[str, int], int, list[dict[str, Any]]]:
    """Articles per topic, their total, and the ids of the "what is new" sections."""
    articles = visible_article_pages(request)
    if topics:
        # One grouped count: an article's parent path is its path minus the last step; every
        # article lives in a topic, so the counts also add up to the total. Counted in the page
        # table alone (its content type says "article"): no join, a third of the time.
        parent_len = len(topics[0].path)
        article_pages = Page.objects.live().filter(
            content_type=ContentType.objects.get_for_model(ArticlePage)
        )
        counts = dict(
            exclude_restricted(article_pages, request)
            .order_by()
            .annotate(parent_path=Substr("path", 1, parent_len))
            .values("parent_path")
            .annotate(n=Count("pk"))
            .values_list("parent_path", "n")
        )
        total = sum(counts.values())
    else:
        counts, total = {}, articles.count()
    return counts, total, _newest_sections(articles, cities, own_city)


def _newest_sections(
    articles: QuerySet[ArticlePage], cities: list[City], own_city: City | None
) -> list[dict[str, Any]]:
    """The home page's "what is new" lists, each article in one of them only.

    A reader of city X first sees what is new from the other cities (what X can learn from),
    then what is new in X, joint articles of X included. A reader without a city (an
    administrator) sees one list per city; an article of several cities appears under the first.
    """
    if own_city is not None:
        others = [city.name for city in cities if city.pk != own_city.pk]
        from_others = articles.exclude(
            Exists(
                ArticlePage.cities.through.objects.filter(
                    articlepage_id=OuterRef("pk"), city_id=own_city.pk
                )
            )
        )
        return [
            {
                "key": "nachbarn",
                "heading": f"Neu aus {_names(others)}" if others else "Neu aus anderen Städten",
                "intro": f"Was die Nachbarstädte von {own_city.name} zuletzt geteilt haben.",
                "ids": newest_ids(from_others, NEWEST_PER_CITY),
            },
            {
                "key": own_city.slug,
                "heading": f"Neu aus {own_city.name}",
                "intro": "",
                "ids": newest_ids(in_city(articles, own_city), NEWEST_PER_CITY),
            },
        ]
    sections, shown = [], set()
    for city in cities:
        ids = newest_ids(in_city(articles, city).exclude(pk__in=shown), NEWEST_PER_CITY)
        shown.update(ids)
        sections.append(
            {"key": city.slug, "heading": f"Neu aus {city.name}", "intro": "", "ids": ids}
        )
    return sections


def _names(names: list[str]) -> str:
    """ "Sundern", "Sundern und Meschede", "Sundern, Meschede und Brilon"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} und {names[-1]}"


def topic_context(topic: TopicPage, request: HttpRequest) -> dict[str, Any]:
    articles = children_of(visible_article_pages(request), topic.path, topic.depth + 1)
    articles, filter_context = city_filter(request, articles, topic.get_url(request) or "")
    articles = with_card_data(articles.order_by(*ORDER_NEWEST))
    return {"articles": paginate(request, articles, topics=[topic]), **filter_context}


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


def counterpart_ids(article: ArticlePage, request: HttpRequest) -> list[int]:
    """The article's counterpart and every article naming it as counterpart (both directions)."""
    query = Q(counterpart_id=article.pk)
    if article.counterpart_id:
        query |= Q(pk=article.counterpart_id)
    return list(
        visible_article_pages(request)
        .filter(query)
        .exclude(pk=article.pk)
        .order_by("path")
        .values_list("pk", flat=True)
    )


def related_ids(
    article: ArticlePage, request: HttpRequest, limit: int = RELATED_LIMIT, exclude=()
) -> list[int]:
    """Ids of articles sharing tags or the topic; other cities' articles first among equals.

    Score: 2 per shared tag, 1 for the same topic, 1.5 if it comes from a city the article is
    not from; newest first among equals. Candidates come from bounded queries: the
    RELATED_POOL articles sharing the most tags (counted in the tag table alone), and the newest
    articles of the same topic without shared tags, from another city and from any city.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    own_city_ids = [city.pk for city in article.cities.all()]
    parent_path = _parent_path(article)
    exclude_ids = {article.pk, *exclude}
    visible = visible_article_pages(request).exclude(pk__in=exclude_ids)
    other_city = Exists(
        ArticlePage.cities.through.objects.filter(articlepage_id=OuterRef("pk")).exclude(
            city_id__in=own_city_ids
        )
    )
    # id -> (score, first_published, id)
    scored: dict[int, tuple[float, Any, int]] = {}

    def score(shared: int, path: str, other: bool) -> float:
        return 2 * shared + (1 if path.startswith(parent_path) else 0) + (1.5 if other else 0)

    if tag_ids:
        shared = dict(
            ArticlePageTag.objects.filter(tag_id__in=tag_ids)
            .exclude(content_object_id__in=exclude_ids)
            .values("content_object_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "-content_object_id")
            .values_list("content_object_id", "n")[:RELATED_POOL]
        )
        if shared:
            rows = (
                visible.filter(pk__in=list(shared))
                .annotate(other_city=other_city)
                .values_list("pk", "path", "first_published", "other_city")
            )
            for pk, path, published, other in rows:
                scored[pk] = (score(shared[pk], path, other), published, pk)

    # Articles of the same topic without shared tags score at most 2.5 (2.5 from another city,
    # 1 otherwise); a candidate sharing a tag scores at least 2 and 3 with the topic or another
    # city. Only look for them when the tag candidates leave room.
    if sum(1 for item in scored.values() if item[0] >= 3) < limit:
        same_topic = children_of(visible, parent_path, article.depth)
        if tag_ids:
            same_topic = same_topic.exclude(tags__in=tag_ids)
        from_other_city = newest_ids(same_topic.filter(other_city), limit)
        rest = newest_ids(same_topic, limit) if len(from_other_city) < limit else []
        for pk in {*from_other_city, *rest} - scored.keys():
            scored[pk] = (0.0, None, pk)
    missing = [pk for pk, item in scored.items() if item[1] is None]
    if missing:
        rows = (
            visible.filter(pk__in=missing)
            .annotate(other_city=other_city)
            .values_list("pk", "path", "first_published", "other_city")
        )
        for pk, path, published, other in rows:
            scored[pk] = (score(0, path, other), published, pk)
    best = sorted((item for item in scored.values() if item[1] is not None), reverse=True)
    return [pk for _, _, pk in best[:limit]]


def _reorder_prefetched(instance, relation: str, order) -> None:
    """Put the objects of a relation prefetched on `instance` in the order `order(objects)`
    gives, so that `instance.<relation>.all()` returns them in that order (still no query)."""
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(relation)
    if cached is not None and cached._result_cache is not None:
        cached._result_cache[:] = order(cached._result_cache)


def article_context(article: ArticlePage, request: HttpRequest) -> dict[str, Any]:
    # What the page shows of the article itself, in a fixed number of queries.
    if article.pk is None:
        # The preview of an article that is not saved yet: its relations exist only in the
        # editor's form, and nothing can name it as counterpart or share its tags in the index.
        body = body_with_anchors(article)
        return {
            "breadcrumbs": list(article.get_ancestors().filter(depth__gte=2))
            if article.path
            else [],
            "body_blocks": body,
            "toc": table_of_contents(body),
            "counterparts": [],
            "related": [],
        }
    prefetch_related_objects(
        [article],
        "cities",
        "tags",
        Prefetch("contacts", queryset=ContactPerson.objects.select_related("department", "city")),
    )
    # The database sorts names by code point ("Özdemir" after "Zander"); the page lists the
    # contact persons (`page.contacts.all`) in German alphabetical order.
    _reorder_prefetched(article, "contacts", by_name)
    if article.department_id:
        article.department = (
            Department.objects.select_related("city").filter(pk=article.department_id).first()
        )
    breadcrumbs = list(article.get_ancestors().filter(depth__gte=2))
    body = body_with_anchors(article)
    found_counterparts = counterpart_ids(article, request)
    # The counterpart already has its own section; do not list it twice.
    found_related = related_ids(article, request, exclude=found_counterparts)
    by_id = cards(request, [*found_counterparts, *found_related])
    counterparts = [by_id[pk] for pk in found_counterparts if pk in by_id]
    return {
        "breadcrumbs": breadcrumbs,
        "body_blocks": body,
        "toc": table_of_contents(body),
        "counterparts": counterparts,
        "counterpart_groups": group_by_cities(counterparts),
        "related": [by_id[pk] for pk in found_related if pk in by_id],
        **last_publication(article),
        "edit_url": edit_url(article, request),
    }


def group_by_cities(articles: list[ArticlePage]) -> list[dict[str, Any]]:
    """Articles grouped by their cities, for one "So macht es <Stadt>" heading per group
    (two counterparts from Arnsberg are one section, not two)."""
    groups: dict[tuple[int, ...], dict[str, Any]] = {}
    for article in articles:
        cities = by_name(article.cities.all())
        key = tuple(city.pk for city in cities)
        groups.setdefault(key, {"cities": cities, "articles": []})["articles"].append(article)
    return list(groups.values())


def last_publication(article: ArticlePage) -> dict[str, Any]:
    """Who last published the article and when ("Stand"), from Wagtail's audit log.

    Only a publication by a person counts: an import publishes too, but its date is that of the
    import, not of the content; then the article's own first publication date is its "Stand".
    """
    entry = (
        PageLogEntry.objects.filter(page_id=article.pk, action="wagtail.publish")
        .exclude(user__isnull=True)
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return {"last_publisher": None, "changed_at": article.first_published}
    changed = timezone.localdate(entry.timestamp)
    if article.first_published and article.first_published > changed:
        changed = article.first_published
    return {"last_publisher": entry.user, "changed_at": changed}


def edit_url(article: ArticlePage, request: HttpRequest) -> str:
    """The admin's edit view, for users who may edit this article; "" for everybody else."""
    user = request.user
    if not user.has_perm("wagtailadmin.access_admin"):
        return ""
    if not article.permissions_for_user(user).can_edit():
        return ""
    return reverse("wagtailadmin_pages:edit", args=[article.pk])
