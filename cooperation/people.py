"""Wer weiß was? The topic × city matrix of people to ask, person data, the yearly confirmation.

The matrix is filled from three sources: the contact persons of the articles the reader may
see (counted per topic and city of the article), the members and leads of live working groups
with the topic (for the member's city), and the expertise entries people keep themselves. It
is built with a fixed number of queries however many people, articles and groups there are:
each source is one query of id tuples, the persons are loaded once at the end.

A person's data count as stale 12 months after their last confirmation ("veraltet"); the home
page and "Meine Angaben" then ask them to look it over (`confirm_prompt`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kb.collation import by_name, german_sort_key
from kb.listings import (
    attach_topics,
    exclude_restricted,
    selected_city,
    visible_article_pages,
    visible_articles,
    visible_topics,
)
from kb.models import ArticlePage, City, ContactPerson, Expertise, TopicPage
from kb.reviews import add_months

from .models import (
    OPEN_STATUSES,
    Action,
    GroupStatus,
    MemberRole,
    WorkingGroupMember,
    WorkingGroupPage,
)

STALE_AFTER_MONTHS = 12
TOPIC_PARAM = "topic"  # named as on the search page
# Articles listed on a person page (newest first); the count says how many there are in all.
PERSON_ARTICLES = 20

# How much each kind of reason weighs when ordering the people of a cell: who leads the topic
# or says they know it comes before a single article.
WEIGHT_LEAD = 3
WEIGHT_EXPERTISE = 3
WEIGHT_STALE_EXPERTISE = 1
WEIGHT_MEMBER = 1
WEIGHT_ARTICLE = 1


def today() -> datetime.date:
    return timezone.localdate()


def stale_since(day: datetime.date | None = None) -> datetime.date:
    """Confirmations before this day are stale."""
    return add_months(day or today(), -STALE_AFTER_MONTHS)


def is_stale(confirmed_on: datetime.date | None, day: datetime.date | None = None) -> bool:
    """Never confirmed, or confirmed more than 12 months ago."""
    return confirmed_on is None or confirmed_on < stale_since(day)


def group_label(title: str) -> str:
    """ "AG Krisenmanagement" (a title that already says "AG …"/"Arbeitsgruppe …" is kept)."""
    if title.startswith(("AG ", "Arbeitsgruppe")):
        return title
    return f"AG {title}"


def expertise_reason(note: str, confirmed_on: datetime.date | None, stale: bool) -> str:
    text = f"Fachwissen: {note}" if note else "Fachwissen"
    if confirmed_on is None:
        return f"{text} (unbestätigt)"
    if stale:
        return f"{text} (nicht bestätigt seit {confirmed_on:%d.%m.%Y})"
    return text


def articles_reason(count: int) -> str:
    return "1 Beitrag" if count == 1 else f"{count} Beiträge"


@dataclass
class CellPerson:
    """One person in one cell of the matrix, with why they are there."""

    person: ContactPerson | None = None
    articles: int = 0
    groups: list[tuple[str, str]] = field(default_factory=list)  # (role, group title)
    expertise: list[tuple[str, datetime.date | None, bool]] = field(default_factory=list)

    @property
    def score(self) -> int:
        score = self.articles * WEIGHT_ARTICLE
        for role, _title in self.groups:
            score += WEIGHT_LEAD if role == MemberRole.LEAD else WEIGHT_MEMBER
        for _note, _confirmed, stale in self.expertise:
            score += WEIGHT_STALE_EXPERTISE if stale else WEIGHT_EXPERTISE
        return score

    @property
    def stale(self) -> bool:
        """Known here only from expertise entries nobody has confirmed for a year."""
        return bool(self.expertise) and all(stale for *_rest, stale in self.expertise)

    @property
    def reasons(self) -> list[str]:
        reasons = [expertise_reason(*entry) for entry in self.expertise]
        if self.articles:
            reasons.append(articles_reason(self.articles))
        for role, title in sorted(self.groups, key=lambda g: (g[0] != MemberRole.LEAD, g[1])):
            prefix = "Leitung" if role == MemberRole.LEAD else "Mitglied"
            reasons.append(f"{prefix} {group_label(title)}")
        return reasons


def visible_groups(request: HttpRequest) -> QuerySet[WorkingGroupPage]:
    """Live working groups this request may read."""
    return exclude_restricted(WorkingGroupPage.objects.live(), request)


@dataclass
class MatrixFilter:
    topics: list[TopicPage]
    cities: list[City]
    topic: TopicPage | None = None
    city: City | None = None
    errors: list[str] = field(default_factory=list)


def read_filter(request: HttpRequest) -> MatrixFilter:
    """The topics and cities to show: every live topic and every city, or the one chosen with
    ?topic=<slug> / ?city=<slug>. An unknown value shows everything and says so."""
    topics = list(visible_topics(request))
    cities = by_name(City.objects.all())
    result = MatrixFilter(topics=topics, cities=cities)
    raw_topic = (request.GET.get(TOPIC_PARAM) or "").strip()[:255]
    if raw_topic:
        key = raw_topic.casefold()
        result.topic = next(
            (t for t in topics if key in (t.slug.casefold(), t.title.casefold())), None
        )
        if result.topic is None:
            result.errors.append("Dieses Themenfeld gibt es nicht – es werden alle angezeigt.")
    if any(value.strip() for value in request.GET.getlist("city")):
        result.city = selected_city(request, cities)
        if result.city is None:
            result.errors.append("Diese Stadt gibt es nicht – es werden alle angezeigt.")
    return result


def _parent_path(path: str, steplen: int) -> str:
    return path[:-steplen]


def build_matrix(request: HttpRequest, topics: list[TopicPage], cities: list[City]):
    """{(topic pk, city pk): [CellPerson, …]} for the given topics and cities, best first."""
    topic_by_path = {topic.path: topic for topic in topics}
    topic_ids = {topic.pk for topic in topics}
    city_ids = {city.pk for city in cities}
    cells: dict[tuple[int, int], dict[int, CellPerson]] = defaultdict(dict)
    # Which person has which city (for members and entries without a city of their own);
    # filled from the queries below, so no extra query is needed.
    person_city: dict[int, int | None] = {}

    def entry(topic_id: int, city_id: int | None, person_id: int) -> CellPerson | None:
        if topic_id not in topic_ids or city_id not in city_ids:
            return None
        return cells[(topic_id, city_id)].setdefault(person_id, CellPerson())

    # (a) Contact persons of the articles the reader may see, once per article and city.
    article_rows = (
        ArticlePage.contacts.through.objects.filter(
            articlepage_id__in=visible_article_pages(request).order_by().values("pk")
        )
        .order_by()
        .values_list(
            "contactperson_id",
            "contactperson__city_id",
            "articlepage_id",
            "articlepage__path",
            "articlepage__cities",
        )
        .distinct()
    )
    steplen = ArticlePage.steplen
    article_cities: dict[tuple[int, int], tuple[int | None, str, set]] = {}
    for person_id, own_city, article_id, path, city_id in article_rows:
        person_city[person_id] = own_city
        _, _, cities_of_article = article_cities.setdefault(
            (person_id, article_id), (own_city, path, set())
        )
        if city_id is not None:
            cities_of_article.add(city_id)
    for (person_id, _article_id), (own_city, path, article_city_ids) in article_cities.items():
        topic = topic_by_path.get(_parent_path(path, steplen))
        if topic is None:
            continue
        # A contact counts in their own city's column: a joint article of several cities puts
        # its Arnsberg contact under Arnsberg, not under every city. An article without a city,
        # or a contact from none of its cities, counts for the article's cities (or the own).
        if own_city is not None and (own_city in article_city_ids or not article_city_ids):
            targets = {own_city}
        else:
            targets = article_city_ids or {own_city}
        for city_id in targets:
            target = entry(topic.pk, city_id, person_id)
            if target is not None:
                target.articles += 1

    # (b) Members and leads of live working groups, for each topic of the group.
    member_rows = (
        WorkingGroupMember.objects.filter(page__in=visible_groups(request).order_by().values("pk"))
        .order_by()
        .values_list(
            "person_id", "person__city_id", "city_id", "role", "page__title", "page__topics"
        )
    )
    for person_id, own_city, city_id, role, title, topic_id in member_rows:
        person_city[person_id] = own_city
        target = entry(topic_id, city_id if city_id is not None else own_city, person_id)
        if target is not None and (role, title) not in target.groups:
            target.groups.append((role, title))

    # (c) Expertise entries (for the person's city when the entry names none).
    stale_before = stale_since()
    expertise_rows = (
        Expertise.objects.filter(topic_id__in=topic_ids)
        .order_by("pk")
        .values_list("person_id", "person__city_id", "city_id", "topic_id", "note", "confirmed_on")
    )
    for person_id, own_city, city_id, topic_id, note, confirmed in expertise_rows:
        person_city[person_id] = own_city
        target = entry(topic_id, city_id if city_id is not None else own_city, person_id)
        if target is not None:
            stale = confirmed is None or confirmed < stale_before
            target.expertise.append((note, confirmed, stale))

    person_ids = {pk for people in cells.values() for pk in people}
    persons = ContactPerson.objects.filter(pk__in=person_ids).select_related("city", "department")
    by_id = {person.pk: person for person in persons} if person_ids else {}
    matrix: dict[tuple[int, int], list[CellPerson]] = {}
    for key, people in cells.items():
        listed = []
        for person_id, item in people.items():
            item.person = by_id.get(person_id)
            if item.person is not None:
                listed.append(item)
        listed.sort(key=lambda item: (-item.score, german_sort_key(item.person.name)))
        matrix[key] = listed
    return matrix


def expert_finder_context(request: HttpRequest) -> dict[str, Any]:
    chosen = read_filter(request)
    topics = [chosen.topic] if chosen.topic else chosen.topics
    cities = [chosen.city] if chosen.city else chosen.cities
    matrix = build_matrix(request, topics, cities)
    rows = [
        {
            "topic": topic,
            "cells": [
                {"city": city, "people": matrix.get((topic.pk, city.pk), [])} for city in cities
            ],
        }
        for topic in topics
    ]
    for row in rows:
        row["count"] = len({item.person.pk for cell in row["cells"] for item in cell["people"]})
    return {
        "rows": rows,
        "columns": cities,
        "all_topics": chosen.topics,
        "all_cities": chosen.cities,
        "selected_topic": chosen.topic,
        "selected_city": chosen.city,
        "filter_errors": chosen.errors,
        "people_count": len({item.person.pk for people in matrix.values() for item in people}),
    }


# ---------------------------------------------------------------------------- person data


def is_listed(person: ContactPerson, request: HttpRequest) -> bool:
    """Whether the site shows this person at all: as contact of an article the reader may see,
    as member of a live working group, with expertise, or as the reader themselves. A contact
    known only from drafts or private articles stays unknown (it would reveal what those are
    about)."""
    if person.user_id and person.user_id == request.user.pk:
        return True
    if person.expertise.exists():
        return True
    if WorkingGroupMember.objects.filter(
        person=person, page__in=visible_groups(request).order_by().values("pk")
    ).exists():
        return True
    return visible_article_pages(request).filter(contacts=person).order_by().values("pk").exists()


def person_context(person: ContactPerson, request: HttpRequest) -> dict[str, Any]:
    """What the person page shows (and "Meine Angaben" shows the person as others see it)."""
    day = today()
    expertise = list(
        person.expertise.select_related("topic", "city").order_by("topic__path", "city__name")
    )
    live_topic_ids = (
        set(
            TopicPage.objects.live()
            .filter(pk__in=[e.topic_id for e in expertise])
            .values_list("pk", flat=True)
        )
        if expertise
        else set()
    )
    for item in expertise:
        item.is_stale = is_stale(item.confirmed_on, day)
        item.topic_live = item.topic_id in live_topic_ids
        item.shown_city = item.city if item.city_id else person.city
    articles_qs = visible_article_pages(request).filter(contacts=person)
    article_count = articles_qs.count()
    articles = []
    if article_count:
        articles = list(
            visible_articles(request)
            .filter(contacts=person)
            .order_by("-first_published", "-pk")[:PERSON_ARTICLES]
        )
        attach_topics(articles)
    memberships = list(
        WorkingGroupMember.objects.filter(
            person=person, page__in=visible_groups(request).order_by().values("pk")
        )
        .select_related("page", "city")
        .order_by("page__title", "pk")
    )
    for membership in memberships:
        membership.shown_city = membership.city if membership.city_id else person.city
    actions: list[Action] = []
    if person.user_id:
        actions = list(
            Action.objects.filter(
                responsible_id=person.user_id,
                group__in=visible_groups(request).order_by().values("pk"),
            )
            .select_related("group", "meeting", "responsible")
            .prefetch_related("cities")
            .order_by("due_date", "pk")
        )
        # Open actions first, then what is done or dropped (each by due date).
        actions.sort(key=lambda action: action.status not in OPEN_STATUSES)
    return {
        "person": person,
        "person_stale": is_stale(person.confirmed_on, day),
        "expertise": expertise,
        "articles": articles,
        "article_count": article_count,
        "more_articles": max(0, article_count - len(articles)),
        "memberships": memberships,
        "actions": actions,
        "closed_status": GroupStatus.CLOSED,
    }


def confirm_prompt(user) -> dict[str, Any] | None:
    """The yearly prompt "Stimmen Ihre Angaben noch?": for a user whose linked contact person
    has expertise entries or working-group memberships and whose data were never confirmed or
    last confirmed more than 12 months ago; None otherwise (also for anonymous users)."""
    if user is None or not user.is_authenticated:
        return None
    person = (
        ContactPerson.objects.filter(user=user)
        .filter(Q(expertise__isnull=False) | Q(memberships__isnull=False))
        .distinct()
        .first()
    )
    if person is None or not is_stale(person.confirmed_on):
        return None
    return {
        "person": person,
        "confirmed_on": person.confirmed_on,
        "profile_url": reverse("cooperation:my_profile"),
        "confirm_url": reverse("cooperation:my_profile_confirm"),
    }
