"""Context of the cooperation area's pages (the page models stay small).

Each page runs a bounded number of queries: lists are loaded with their relations
(select_related / prefetch_related) and related articles with one LIMITed query per city.
Only live pages the reader may see are listed (kb.listings' restriction helpers).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kb.collation import german_sorted
from kb.listings import (
    cards,
    exclude_restricted,
    in_city,
    newest_ids,
    visible_article_pages,
)
from kb.models import ArticlePage, City

from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    GroupStatus,
    MeetingPage,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from .permissions import can_record, is_editor_or_lead

RELATED_PER_CITY = 4


def url_or_empty(name: str, *args: Any) -> str:
    """The URL of a route another part of the area provides; "" while it does not exist yet,
    so that a page never fails over a missing link."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


def visible_pages(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    return exclude_restricted(queryset.live(), request)


def _members_ordered(members: list[WorkingGroupMember]) -> list[WorkingGroupMember]:
    """Leads first (by the city they lead for), then the members by name."""
    leads = [member for member in members if member.role == MemberRole.LEAD]
    others = [member for member in members if member.role != MemberRole.LEAD]
    leads.sort(key=lambda member: member.effective_city.name if member.effective_city else "~")
    return [*leads, *german_sorted(others, key=lambda member: member.person.name)]


def _with_person_urls(members: list[WorkingGroupMember]) -> list[WorkingGroupMember]:
    for member in members:
        member.person_url = url_or_empty("cooperation:person", member.person_id)
    return members


def _member_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=WorkingGroupMember.objects.select_related("person", "person__city", "city"),
    )


def _group_cards(groups: list[WorkingGroupPage]) -> list[WorkingGroupPage]:
    """Each group with `leads` (one per city, ordered by city) for the overview."""
    for group in groups:
        members = list(group.members.all())
        group.leads = [m for m in _members_ordered(members) if m.role == MemberRole.LEAD]
        group.member_count = len(members)
    return groups


def cooperation_index_context(page, request: HttpRequest) -> dict:
    meetings = list(
        visible_pages(MeetingPage.objects.child_of(page), request)
        .select_related("host_city")
        .order_by("-year", "-date", "-pk")
    )
    groups = list(
        visible_pages(WorkingGroupPage.objects.child_of(page), request)
        .annotate(
            closed=Case(
                When(status=GroupStatus.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "title")
        .prefetch_related("topics", "cities", _member_prefetch())
    )
    return {
        "meetings": meetings,
        "groups": _group_cards(groups),
        "tracker_url": url_or_empty("cooperation:tracker"),
        "expert_finder_url": url_or_empty("cooperation:expert_finder"),
        "radar_url": url_or_empty("transfer_radar") if is_editor_or_lead(request.user) else "",
    }


def _visible_articles_prefetch(request: HttpRequest) -> Prefetch:
    return Prefetch(
        "articles",
        queryset=visible_article_pages(request).defer_streamfields().order_by("title"),
    )


def _latest_notes_prefetch() -> Prefetch:
    return Prefetch(
        "updates",
        queryset=ActionUpdate.objects.exclude(text="")
        .select_related("author")
        .order_by("-created", "-pk"),
        to_attr="notes_newest_first",
    )


def _actions(queryset: QuerySet[Action]) -> list[Action]:
    actions = list(
        queryset.select_related("group", "meeting", "responsible").prefetch_related(
            "cities", _latest_notes_prefetch()
        )
    )
    for action in actions:
        action.latest_note = action.notes_newest_first[0] if action.notes_newest_first else None
    return actions


def status_counts(actions: list[Action]) -> list[dict[str, Any]]:
    """Counts per status, every status listed (also with 0), in the order of the choices."""
    counted = Counter(action.status for action in actions)
    return [
        {"status": value, "label": label, "count": counted.get(value, 0)}
        for value, label in ActionStatus.choices
    ]


def _results_by_group(results: list[Result]) -> list[dict[str, Any]]:
    grouped: dict[int, dict[str, Any]] = {}
    for result in results:
        grouped.setdefault(result.group_id, {"group": result.group, "results": []})[
            "results"
        ].append(result)
    return sorted(grouped.values(), key=lambda item: item["group"].title)


def meeting_context(page, request: HttpRequest) -> dict:
    if page.pk is None:
        # The preview of a Städtetag not saved yet: nothing can refer to it.
        return {"documents": list(page.documents.all()), "results_by_group": [], "actions": []}
    group_ids = visible_pages(WorkingGroupPage.objects.all(), request).values("pk")
    results = list(
        Result.objects.filter(meeting=page, group_id__in=group_ids)
        .select_related("group", "created_by")
        .prefetch_related(_visible_articles_prefetch(request))
        .order_by("group__title", "created", "pk")
    )
    actions = _actions(
        Action.objects.filter(meeting=page, group_id__in=group_ids).order_by(
            "group__title", "due_date", "pk"
        )
    )
    previous = page.previous_meeting()
    if (
        previous is not None
        and not visible_pages(MeetingPage.objects.filter(pk=previous.pk), request).exists()
    ):
        previous = None
    previous_actions = (
        _actions(
            Action.objects.filter(meeting=previous, group_id__in=group_ids).order_by(
                "group__title", "due_date", "pk"
            )
        )
        if previous
        else []
    )
    return {
        "documents": list(page.documents.select_related("document")),
        "results_by_group": _results_by_group(results),
        "actions": actions,
        "previous_meeting": previous,
        "previous_actions": previous_actions,
        "previous_counts": status_counts(previous_actions),
        "tracker_url": url_or_empty("cooperation:tracker"),
    }


def related_articles(
    page: WorkingGroupPage, request: HttpRequest, linked_ids: set[int]
) -> list[dict[str, Any]]:
    """Articles from every city in the group's topic areas or linked from its results: the
    newest few per city (one query per city for the ids, one for the cards)."""
    topics = list(page.topics.all())
    condition = Q(pk__in=linked_ids)
    for topic in topics:
        condition |= Q(path__startswith=topic.path, depth=topic.depth + 1)
    if not topics and not linked_ids:
        return []
    articles = visible_article_pages(request).filter(condition)
    cities = list(City.objects.order_by("name"))
    per_city = {city.pk: newest_ids(in_city(articles, city), RELATED_PER_CITY) for city in cities}
    by_id = cards(request, {pk for ids in per_city.values() for pk in ids}, topics or None)
    return [
        {"city": city, "articles": [by_id[pk] for pk in per_city[city.pk] if pk in by_id]}
        for city in cities
        if per_city[city.pk]
    ]


def working_group_context(page, request: HttpRequest) -> dict:
    if page.pk is None:
        # The preview of a new working group: only what the editor's form holds.
        return {"members": _members_ordered(list(page.members.all())), "results": []}
    members = _with_person_urls(
        _members_ordered(list(page.members.select_related("person", "person__city", "city")))
    )
    results = list(
        page.results.select_related("meeting", "created_by")
        .prefetch_related(_visible_articles_prefetch(request))
        .order_by("-created", "-pk")
    )
    open_actions = _actions(page.actions.filter(status__in=OPEN_STATUSES).order_by("due_date"))
    linked_ids = set(
        ArticlePage.objects.filter(
            pk__in=Result.articles.through.objects.filter(result__group=page).values(
                "articlepage_id"
            )
        ).values_list("pk", flat=True)
    )
    context: dict[str, Any] = {
        "members": members,
        "leads": [member for member in members if member.role == MemberRole.LEAD],
        "results": results,
        "open_actions": open_actions,
        "related_by_city": related_articles(page, request, linked_ids),
        "can_record": can_record(request.user, page),
        "tracker_url": url_or_empty("cooperation:tracker"),
    }
    if context["can_record"]:
        from .result_forms import ResultForm

        context["result_form"] = ResultForm(group=page, request=request)
        context["result_create_url"] = url_or_empty("cooperation:result_create", page.pk)
        action_url = url_or_empty("cooperation:action_create")
        context["action_create_url"] = f"{action_url}?group={page.pk}" if action_url else ""
    return context
