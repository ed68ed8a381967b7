"""Side by side: two articles on the same problem, "So machen es <Stadt A> und <Stadt B>".

The comparison shows what a reader needs to decide what to take over: both summaries, the key
facts (topic area, department, contact persons, dates, tags), the lessons learned and practical
tips, then both bodies in two columns. The pick page offers the second article: the counterpart
first, then articles of other cities sharing the topic area or tags, most shared tags first.

Only articles the reader may read ever appear (kb.listings' visibility filter); a hidden one is
a 404, as if it did not exist. Every page runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest
from django.utils.text import slugify

from kb.collation import by_name
from kb.listings import (
    attach_topics,
    cards,
    children_of,
    counterpart_ids,
    last_publication,
    visible_article_pages,
)
from kb.models import ArticlePage, ArticlePageTag, City, ContactPerson

# Page ids are 32-bit in the database; a larger number in the URL is simply not an article
# (and must not reach the database, where it would overflow).
MAX_PAGE_ID = 2**31 - 1
# How many articles the pick page offers, and how many sharing tags it scores for that.
PICK_LIMIT = 20
PICK_POOL = 200
# Section headings whose section is a lesson or tip (compared casefolded, by their start):
# the body template's "Lessons learned" and the "Praxistipp" sections of imported articles.
LESSON_HEADINGS = ("lessons learned", "praxistipp", "tipps aus der praxis", "erfahrungen")
# The article title is the column's heading (h2), "Der Beitrag" below it h3: the body's
# sections become h4, its subsections h5.
DEMOTED = {"h2": "h4", "h3": "h5"}

CITIES_THROUGH = ArticlePage.cities.through


def names_phrase(names: list[str]) -> str:
    """ "Arnsberg", "Arnsberg und Sundern", "Arnsberg, Meschede und Sundern"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} und {names[-1]}"


def comparison_cities(*articles: ArticlePage) -> list[City]:
    """The cities of the articles, each once: the first article's, then the others' new ones
    (each article's in German alphabetical order). Reads prefetched cities."""
    seen: set[int] = set()
    cities: list[City] = []
    for article in articles:
        for city in by_name(article.cities.all()):
            if city.pk not in seen:
                seen.add(city.pk)
                cities.append(city)
    return cities


def comparison_heading(*articles: ArticlePage) -> str:
    """ "So machen es Arnsberg und Sundern", from the articles' cities (never a fixed pair)."""
    names = [city.name for city in comparison_cities(*articles)]
    if len(names) > 1:
        return f"So machen es {names_phrase(names)}"
    if names:
        return f"So macht es {names[0]}"
    return "Zwei Beiträge im Vergleich"


def page_id(value: int) -> int:
    """A page id from the URL, or 404 for one no page can have."""
    if not 0 < value <= MAX_PAGE_ID:
        raise Http404("Unbekannter Beitrag")
    return value


def is_lesson_heading(text: str) -> bool:
    key = " ".join(slugify(text).split("-"))
    return any(key.startswith(heading) for heading in LESSON_HEADINGS)


@dataclass
class Lesson:
    """One lessons-learned callout: a callout block, or a section under a lessons heading."""

    kind: str  # "lessons" or "praxistipp"
    title: str
    blocks: list = field(default_factory=list)
    callout: Any = None  # the callout block itself (rendered with its own template)


@dataclass
class BodyItem:
    block: Any
    level: str = ""  # demoted heading level ("h4"/"h5"), for heading blocks
    anchor: str = ""


def split_body(article: ArticlePage, prefix: str) -> tuple[list[Lesson], list[BodyItem]]:
    """The lessons (callouts and sections under a lessons heading, moved up, not repeated) and
    the rest of the body, its headings one level down with anchors unique on the page."""
    lessons: list[Lesson] = []
    body: list[BodyItem] = []
    current: Lesson | None = None
    current_level = ""
    for position, block in enumerate(article.body):
        kind = block.block_type
        if kind == "heading":
            level = block.value["level"]
            if current is not None and (level == "h2" or current_level == "h3"):
                current = None
            if current is None and is_lesson_heading(block.value["text"]):
                text = block.value["text"]
                lesson_kind = "lessons" if text.casefold().startswith("lessons") else "praxistipp"
                current, current_level = Lesson(kind=lesson_kind, title=text), level
                lessons.append(current)
                continue
            if current is None:
                anchor = f"{prefix}-{slugify(block.value['text']) or 'abschnitt'}-{position}"
                body.append(BodyItem(block=block, level=DEMOTED.get(level, "h5"), anchor=anchor))
                continue
        if kind == "callout":
            lessons.append(
                Lesson(
                    kind=block.value["kind"],
                    title="Lessons learned" if block.value["kind"] == "lessons" else "Praxistipp",
                    callout=block,
                )
            )
            continue
        if current is not None:
            current.blocks.append(block)
        else:
            body.append(BodyItem(block=block))
    # A lessons heading with nothing under it (the body template's empty section) says nothing.
    return [lesson for lesson in lessons if lesson.callout or lesson.blocks], body


def visible_pair(request: HttpRequest, a: int, b: int) -> tuple[ArticlePage, ArticlePage]:
    """Both articles, ready for the comparison, or 404 if the reader may not read either."""
    ids = [page_id(a), page_id(b)]
    found = {
        article.pk: article
        for article in visible_article_pages(request)
        .filter(pk__in=ids)
        .select_related("department__city")
        .prefetch_related(
            "cities",
            "tags",
            Prefetch(
                "contacts", queryset=ContactPerson.objects.select_related("department", "city")
            ),
        )
    }
    if a not in found or b not in found:
        raise Http404("Unbekannter Beitrag")
    articles = [found[a], found[b]]
    attach_topics(articles)
    return articles[0], articles[1]


def side(article: ArticlePage, prefix: str, shared_tag_ids: set[int]) -> dict[str, Any]:
    lessons, body = split_body(article, prefix)
    tags = by_name(article.tags.all())
    return {
        "article": article,
        "prefix": prefix,
        "cities": by_name(article.cities.all()),
        "contacts": by_name(article.contacts.all()),
        "tags": tags,
        "shared_tags": [tag for tag in tags if tag.pk in shared_tag_ids],
        "lessons": lessons,
        "body": body,
        **last_publication(article),
    }


def comparison_context(request: HttpRequest, a: int, b: int) -> dict[str, Any]:
    first, second = visible_pair(request, a, b)
    shared = {t.pk for t in first.tags.all()} & {t.pk for t in second.tags.all()}
    return {
        "heading": comparison_heading(first, second),
        "cities": comparison_cities(first, second),
        "sides": [side(first, "a", shared), side(second, "b", shared)],
        "shared_tags": [tag for tag in by_name(first.tags.all()) if tag.pk in shared],
        "same_topic": first.topic_page is not None
        and second.topic_page is not None
        and first.topic_page.pk == second.topic_page.pk,
        "is_counterpart": first.counterpart_id == second.pk or second.counterpart_id == first.pk,
    }


# --- the pick page: which article to compare with -----------------------------------------------


def _other_city(article: ArticlePage) -> Exists:
    """An article with a city this article is not from (a city of its own to learn from)."""
    own = [city.pk for city in article.cities.all()]
    return Exists(
        CITIES_THROUGH.objects.filter(articlepage_id=OuterRef("pk")).exclude(city_id__in=own)
    )


def _parent_path(article: ArticlePage) -> str:
    return article.path[: -article.steplen]


def candidate_ids(
    request: HttpRequest, article: ArticlePage, exclude: Iterable[int] = (), limit: int = PICK_LIMIT
) -> list[tuple[int, int, bool]]:
    """(id, shared tags, same topic area) of articles of other cities on the same problem: those
    sharing tags (most shared first) or the topic area, newest first among equals. Bounded: the
    PICK_POOL articles sharing the most tags (counted in the tag table alone) and the newest
    `limit` of the topic area."""
    excluded = {article.pk, *exclude}
    visible = visible_article_pages(request).exclude(pk__in=excluded).filter(_other_city(article))
    tag_ids = [tag.pk for tag in article.tags.all()]
    parent = _parent_path(article)
    shared: dict[int, int] = {}
    if tag_ids:
        shared = dict(
            ArticlePageTag.objects.filter(tag_id__in=tag_ids)
            .exclude(content_object_id__in=excluded)
            .values("content_object_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "-content_object_id")
            .values_list("content_object_id", "n")[:PICK_POOL]
        )
    rows: dict[int, tuple[str, Any]] = {}
    if shared:
        for pk, path, published in visible.filter(pk__in=list(shared)).values_list(
            "pk", "path", "first_published"
        ):
            rows[pk] = (path, published)
    for pk, path, published in (
        children_of(visible, parent, article.depth)
        .order_by("-first_published", "-pk")
        .values_list("pk", "path", "first_published")[:limit]
    ):
        rows[pk] = (path, published)
    scored = sorted(
        (
            (shared.get(pk, 0), path.startswith(parent), published, pk)
            for pk, (path, published) in rows.items()
        ),
        reverse=True,
    )
    return [(pk, n, same) for n, same, _, pk in scored[:limit]]


def pick_context(request: HttpRequest, a: int) -> dict[str, Any]:
    """The article and the articles to compare it with: counterparts, then candidates."""
    found = (
        visible_article_pages(request)
        .filter(pk=page_id(a))
        .defer_streamfields()
        .prefetch_related("cities", "tags")
        .first()
    )
    if found is None:
        raise Http404("Unbekannter Beitrag")
    attach_topics([found])
    counterparts = counterpart_ids(found, request)
    ranked = candidate_ids(request, found, exclude=counterparts)
    by_id = cards(request, [*counterparts, *(pk for pk, _, _ in ranked)])
    own_tags = {tag.pk for tag in found.tags.all()}
    options = []
    for pk, counterpart in [
        *((pk, True) for pk in counterparts),
        *((pk, False) for pk, _, _ in ranked),
    ]:
        other = by_id.get(pk)
        if other is None:
            continue
        options.append(
            {
                "article": other,
                "counterpart": counterpart,
                "shared_tags": [tag for tag in by_name(other.tags.all()) if tag.pk in own_tags],
                "same_topic": other.topic_page is not None
                and found.topic_page is not None
                and other.topic_page.pk == found.topic_page.pk,
                "heading": comparison_heading(found, other),
            }
        )
    return {"article": found, "options": options}


def has_candidates(
    request: HttpRequest, article: ArticlePage, known: Iterable[ArticlePage]
) -> bool:
    """Whether the pick page would offer anything, for the article page's link: from the
    articles the page shows already (`known`, cities prefetched) if one is from another city,
    else with one EXISTS query."""
    own = {city.pk for city in article.cities.all()}
    if any({city.pk for city in other.cities.all()} - own for other in known):
        return True
    tag_ids = [tag.pk for tag in article.tags.all()]
    visible = visible_article_pages(request).exclude(pk=article.pk).filter(_other_city(article))
    same_topic = children_of(visible, _parent_path(article), article.depth)
    if not tag_ids:
        return same_topic.exists()
    sharing = Exists(
        ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
    )
    return (same_topic | visible.filter(sharing)).exists()
