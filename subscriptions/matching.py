"""Which publication events reach whom, decided when they are delivered or shown.

Two paths, one rule (`Follows.matches`): the digest run loads the new events, their articles'
cities, tags and topics once and matches every subscriber in Python (thousands of users, a few
queries in all); "Neu für mich" and the feed ask the database for one user's events in a single
bounded query (`events_for_user`). Either way an event reaches a subscriber only if the article
is still live, the subscriber may read it now and did not cause the event themselves.

Following a working group counts as following each of its topic areas (the group's own news,
results and actions, is mailed at once by `delivery.send_group_news`, not matched here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.models import Site

from cooperation.models import WorkingGroupPage
from kb.models import ArticlePage, ArticlePageTag, City, TopicPage

from .models import Kind, PublicationEvent, Subscription

CITIES_THROUGH = ArticlePage.cities.through


@dataclass
class EventArticle:
    """What a notification shows of one article, and what matching needs to know of it."""

    pk: int
    path: str
    title: str
    summary: str
    url: str
    live: bool
    topic_id: int | None = None
    topic_title: str = ""
    city_ids: set[int] = field(default_factory=set)
    city_names: list[str] = field(default_factory=list)
    tag_ids: set[int] = field(default_factory=set)


@dataclass
class Event:
    pk: int
    reason: str
    created: object
    actor_ids: set[int]
    article: EventArticle


def site_base() -> tuple[str, str]:
    """(WAGTAILADMIN_BASE_URL, the default site's root url_path): absolute article links
    without a site lookup per article."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root_path = site.root_page.url_path if site else "/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/"), root_path


def absolute_url(url_path: str, base: tuple[str, str]) -> str:
    base_url, root_path = base
    relative = url_path[len(root_path) - 1 :] if url_path.startswith(root_path) else url_path
    return base_url + relative


def load_events(events: QuerySet[PublicationEvent]) -> list[Event]:
    """The events with their articles, cities, tags and topics: five queries however many."""
    rows = list(
        events.order_by("pk").values_list(
            "pk",
            "reason",
            "created",
            "author_id",
            "publisher_id",
            "page_id",
        )
    )
    page_ids = {row[5] for row in rows}
    if not page_ids:
        return []
    base = site_base()
    pages = {
        pk: (path, title, summary, url_path, live)
        for pk, path, title, summary, url_path, live in ArticlePage.objects.filter(
            pk__in=page_ids
        ).values_list("pk", "path", "title", "summary", "url_path", "live")
    }
    city_names = dict(City.objects.values_list("pk", "name"))
    cities: dict[int, set[int]] = defaultdict(set)
    for page_id, city_id in CITIES_THROUGH.objects.filter(articlepage_id__in=page_ids).values_list(
        "articlepage_id", "city_id"
    ):
        cities[page_id].add(city_id)
    tags: dict[int, set[int]] = defaultdict(set)
    for page_id, tag_id in ArticlePageTag.objects.filter(
        content_object_id__in=page_ids
    ).values_list("content_object_id", "tag_id"):
        tags[page_id].add(tag_id)
    parent_paths = {path[:-4] for path, *_ in pages.values()}
    topics = {
        path: (pk, title)
        for pk, path, title in TopicPage.objects.filter(path__in=parent_paths).values_list(
            "pk", "path", "title"
        )
    }
    articles: dict[int, EventArticle] = {}
    for pk, (path, title, summary, url_path, live) in pages.items():
        topic_id, topic_title = topics.get(path[:-4], (None, ""))
        articles[pk] = EventArticle(
            pk=pk,
            path=path,
            title=title,
            summary=summary,
            url=absolute_url(url_path, base),
            live=live,
            topic_id=topic_id,
            topic_title=topic_title,
            city_ids=cities[pk],
            city_names=sorted(city_names[c] for c in cities[pk]),
            tag_ids=tags[pk],
        )
    return [
        Event(
            pk=pk,
            reason=reason,
            created=created,
            actor_ids={a for a in (author_id, publisher_id) if a},
            article=articles[page_id],
        )
        for pk, reason, created, author_id, publisher_id, page_id in rows
        if page_id in articles
    ]


def attach_group_topics(subscriptions: Iterable[Subscription]) -> None:
    """Set `group_topic_ids` on every group subscription that lacks it: the topic areas of the
    followed working group (live groups only), in one query for all of them."""
    missing = [
        s for s in subscriptions if s.kind == Kind.GROUP and not hasattr(s, "group_topic_ids")
    ]
    if not missing:
        return
    topics: dict[int, set[int]] = defaultdict(set)
    for group_id, topic_id in WorkingGroupPage.topics.through.objects.filter(
        workinggrouppage_id__in={s.group_id for s in missing}, workinggrouppage__live=True
    ).values_list("workinggrouppage_id", "topicpage_id"):
        topics[group_id].add(topic_id)
    for subscription in missing:
        subscription.group_topic_ids = topics[subscription.group_id]


class Follows:
    """One user's subscriptions as sets, to match many events quickly."""

    def __init__(self, subscriptions: Iterable[Subscription], own_city_id: int | None):
        subscriptions = list(subscriptions)
        self.by_kind: dict[str, dict[int, Subscription]] = defaultdict(dict)
        # topic id -> the group subscriptions that bring that topic area's articles.
        self.via_groups: dict[int, list[Subscription]] = defaultdict(list)
        self.others: Subscription | None = None
        self.own_city_id = own_city_id
        attach_group_topics(subscriptions)
        for subscription in subscriptions:
            if subscription.kind == Kind.OTHER_CITIES:
                self.others = subscription
            elif subscription.kind == Kind.GROUP:
                for topic_id in subscription.group_topic_ids:
                    self.via_groups[topic_id].append(subscription)
            else:
                self.by_kind[subscription.kind][subscription.target_id] = subscription

    def __bool__(self) -> bool:
        return bool(self.by_kind) or bool(self.via_groups) or self.others is not None

    def matches(self, article: EventArticle) -> list[Subscription]:
        """The subscriptions that bring this article to the user (empty: none)."""
        found = []
        if article.pk in self.by_kind[Kind.ARTICLE]:
            found.append(self.by_kind[Kind.ARTICLE][article.pk])
        if article.topic_id in self.by_kind[Kind.TOPIC]:
            found.append(self.by_kind[Kind.TOPIC][article.topic_id])
        found += self.via_groups.get(article.topic_id, [])
        found += [
            self.by_kind[Kind.CITY][c] for c in article.city_ids & self.by_kind[Kind.CITY].keys()
        ]
        found += [
            self.by_kind[Kind.TAG][t] for t in article.tag_ids & self.by_kind[Kind.TAG].keys()
        ]
        if self.others is not None and article.city_ids - {self.own_city_id}:
            found.append(self.others)
        return found


def readable(article: EventArticle, closed_paths: list[str]) -> bool:
    return article.live and not any(article.path.startswith(path) for path in closed_paths)


def select_for_user(
    events: list[Event], follows: Follows, user_id: int, closed_paths: list[str]
) -> list[tuple[Event, list[Subscription]]]:
    """The events that reach the user, one per article (its latest), oldest first."""
    latest: dict[int, tuple[Event, list[Subscription]]] = {}
    for event in events:
        if user_id in event.actor_ids or not readable(event.article, closed_paths):
            continue
        found = follows.matches(event.article)
        if found:
            latest[event.article.pk] = (event, found)
    return sorted(latest.values(), key=lambda item: item[0].pk)


# --- one user, in the database (Neu für mich, feed) ---------------------------------------------


def subscription_condition(subscriptions: list[Subscription], own_city: City | None) -> Q | None:
    """A condition on PublicationEvent for "the article is in one of these subscriptions"."""
    condition = Q()
    ids: dict[str, list[int]] = defaultdict(list)
    topic_paths = []
    group_ids = []
    others = False
    for subscription in subscriptions:
        if subscription.kind == Kind.TOPIC:
            topic_paths.append(subscription.topic.path)
        elif subscription.kind == Kind.GROUP:
            group_ids.append(subscription.group_id)
        elif subscription.kind == Kind.OTHER_CITIES:
            others = True
        else:
            ids[subscription.kind].append(subscription.target_id)
    if group_ids:
        # A followed working group brings the articles of its topic areas (one query, only
        # for users who follow a group).
        topic_paths += TopicPage.objects.filter(
            working_groups__in=group_ids, working_groups__live=True
        ).values_list("path", flat=True)
        topic_paths = list(dict.fromkeys(topic_paths))
    if not (ids or topic_paths or others):
        return None
    if ids[Kind.ARTICLE]:
        condition |= Q(page_id__in=ids[Kind.ARTICLE])
    for path in topic_paths:
        condition |= Q(page__path__startswith=path, page__depth=len(path) // 4 + 1)
    if ids[Kind.CITY]:
        condition |= Q(
            Exists(
                CITIES_THROUGH.objects.filter(
                    articlepage_id=OuterRef("page_id"), city_id__in=ids[Kind.CITY]
                )
            )
        )
    if ids[Kind.TAG]:
        condition |= Q(
            Exists(
                ArticlePageTag.objects.filter(
                    content_object_id=OuterRef("page_id"), tag_id__in=ids[Kind.TAG]
                )
            )
        )
    if others:
        elsewhere = CITIES_THROUGH.objects.filter(articlepage_id=OuterRef("page_id"))
        if own_city is not None:
            elsewhere = elsewhere.exclude(city_id=own_city.pk)
        condition |= Q(Exists(elsewhere))
    return condition


def events_for_user(
    user,
    subscriptions: list[Subscription],
    own_city: City | None,
    closed_paths: list[str],
    *,
    since=None,
    limit: int = 20,
) -> list[tuple[int, str, object]]:
    """(page id, reason, created) of the newest events reaching `user`, one per article, newest
    first, at most `limit`: one query."""
    condition = subscription_condition(subscriptions, own_city)
    if condition is None or not user.is_active:
        return []
    events = (
        PublicationEvent.objects.filter(condition, page__live=True)
        .exclude(author_id=user.pk)
        .exclude(publisher_id=user.pk)
    )
    for path in closed_paths:
        events = events.exclude(page__path__startswith=path)
    if since is not None:
        events = events.filter(created__gt=since)
    found: dict[int, tuple[int, str, object]] = {}
    # A few events per article at most (new, then "wesentlich geändert"): a bounded overfetch.
    for page_id, reason, created in events.order_by("-pk").values_list(
        "page_id", "reason", "created"
    )[: limit * 4]:
        found.setdefault(page_id, (page_id, reason, created))
        if len(found) >= limit:
            break
    return list(found.values())
