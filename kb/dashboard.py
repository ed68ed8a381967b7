"""The editors' dashboard in the Wagtail admin (hook `construct_homepage_panels`).

For everyone who may write articles (the Redaktion groups, the Chefredaktion, administrators):

- "Neuen Beitrag schreiben": the topic areas, each a link to the new-article form under it.
- "Meine Entwürfe": articles whose latest revision is the user's and that are not published
  as they stand (a draft, or a live article with unpublished changes), not in a review.
- "In Freigabe": the articles the user submitted that are in a running review ("Fachliche
  Freigabe"), waiting or with changes requested. What the user may review themselves is left
  to Wagtail's own panel "Wartet auf Ihre Freigabe" (with its approve/request-changes
  actions), so nothing is listed twice: for the Chefredaktion, whose approval every review
  awaits, "In Freigabe" appears only for a submission that someone else reviews.
- "Zuletzt veröffentlicht": the articles most recently published, with their cities.
- "Meine fälligen Prüfungen": live articles the user answers for (as owner, or as deputy of an
  owner who cannot be reached) whose review is overdue or due within 30 days, soonest first,
  each with "Inhalt ist aktuell". Shown to every owner, also one who writes no articles.

Wagtail's panels "Ihre Seiten und Snippets in einem Workflow" and "Ihre zuletzt bearbeiteten
Seiten" are left out for these users: they repeat what "In Freigabe" and "Meine Entwürfe" show.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from .collation import german_sort_key
from .models import ArticlePage, TopicPage
from .reviews import DUE_SOON_DAYS

DRAFTS_SHOWN = 10
IN_REVIEW_SHOWN = 20
PUBLISHED_SHOWN = 8
# Wagtail's panels of the user's own pages in a workflow ("In Freigabe" instead) and of their
# latest edits (drafts and submissions again, under "Meine Entwürfe" and "In Freigabe").
REPLACED_PANELS = {"user_objects_in_workflow_moderation", "recent_edits"}


def writable_topics(user) -> list[TopicPage]:
    """The topic areas under which the user may add an article, in German order."""
    topics = [
        topic
        for topic in TopicPage.objects.order_by("path")
        if topic.permissions_for_user(user).can_add_subpage()
    ]
    return sorted(topics, key=lambda topic: german_sort_key(topic.title))


def active_workflow_page_ids():
    """Subquery: the ids of the pages in a running workflow (in review or changes requested)."""
    return (
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )


def is_reviewer(user) -> bool:
    """Whether the user approves reviews (Wagtail shows them "Wartet auf Ihre Freigabe")."""
    if user.is_superuser:
        return True
    return GroupApprovalTask.objects.filter(active=True, groups__in=user.groups.all()).exists()


class DashboardPanel(Component):
    def __init__(self, topics: list[TopicPage]):
        self.topics = topics

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["request"] = parent_context["request"]
        return context


class NewArticlePanel(DashboardPanel):
    name = "kb_new_article"
    order = 100
    template_name = "kb/admin/dashboard/new_article.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["topics"] = [
            (topic, reverse("wagtailadmin_pages:add", args=["kb", "articlepage", topic.pk]))
            for topic in self.topics
        ]
        return context


class MyDraftsPanel(DashboardPanel):
    name = "kb_my_drafts"
    order = 150
    template_name = "kb/admin/dashboard/my_drafts.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = context["request"].user
        context["drafts"] = list(
            ArticlePage.objects.filter(latest_revision__user=user)
            .filter(Q(live=False) | Q(has_unpublished_changes=True))
            .exclude(pk__in=active_workflow_page_ids())
            .select_related("latest_revision")
            .prefetch_related("cities")
            # What Wagtail's status tag reads, as in its own dashboard panels.
            .prefetch_workflow_states()
            .annotate_approved_schedule()
            .order_by("-latest_revision_created_at", "-pk")[:DRAFTS_SHOWN]
        )
        return context


class InReviewPanel(DashboardPanel):
    name = "kb_in_review"
    order = 200
    template_name = "kb/admin/dashboard/in_review.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = context["request"].user
        reviewable = TaskState.objects.reviewable_by(user).values("workflow_state_id")
        states = list(
            WorkflowState.objects.active()
            .filter(
                requested_by=user,
                base_content_type=ContentType.objects.get_for_model(Page),
            )
            .exclude(pk__in=reviewable)
            .select_related("current_task_state__task", "workflow")
            .order_by("-current_task_state__started_at", "-pk")[:IN_REVIEW_SHOWN]
        )
        ids = [int(state.object_id) for state in states]
        articles = (
            ArticlePage.objects.filter(pk__in=ids)
            .select_related("latest_revision")
            .prefetch_related("cities")
            .in_bulk()
        )
        context["entries"] = [
            (articles[int(state.object_id)], state)
            for state in states
            if int(state.object_id) in articles
        ]
        # Reviewers see the reviews they take part in in Wagtail's panel; this one only when
        # someone else reviews one of their submissions.
        context["shown"] = bool(context["entries"]) or not is_reviewer(user)
        return context


class RecentlyPublishedPanel(DashboardPanel):
    name = "kb_recently_published"
    order = 260
    template_name = "kb/admin/dashboard/recently_published.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["articles"] = list(
            ArticlePage.objects.live()
            .select_related("latest_revision")
            .prefetch_related("cities")
            .order_by("-last_published_at", "-pk")[:PUBLISHED_SHOWN]
        )
        return context


REVIEWS_SHOWN = 20


def due_reviews_for(user, today: datetime.date | None = None) -> list[ArticlePage]:
    """Live articles the user answers for whose review is overdue or due within 30 days:
    their own, and those they stand in for because the owner cannot be reached (inactive,
    deleted, no e-mail address)."""
    today = today or timezone.localdate()
    owner_unreachable = (
        Q(responsible__isnull=True) | Q(responsible__is_active=False) | Q(responsible__email="")
    )
    return list(
        ArticlePage.objects.live()
        .filter(Q(responsible=user) | (Q(deputy=user) & owner_unreachable))
        .filter(review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .prefetch_related("cities")
        .order_by("review_due", "pk")[:REVIEWS_SHOWN]
    )


class MyDueReviewsPanel(Component):
    name = "kb_my_due_reviews"
    order = 120
    template_name = "kb/admin/dashboard/my_due_reviews.html"

    def __init__(self, articles: list[ArticlePage]):
        self.articles = articles

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        today = timezone.localdate()
        context["request"] = request
        context["next_url"] = request.get_full_path()
        context["entries"] = [
            (article, article.review_due < today, (article.review_due - today).days)
            for article in self.articles
        ]
        return context


def construct_homepage_panels(request, panels: list) -> None:
    due = due_reviews_for(request.user)
    if due:
        panels.append(MyDueReviewsPanel(due))
    topics = writable_topics(request.user)
    if not topics:  # not an editor
        return
    panels[:] = [panel for panel in panels if getattr(panel, "name", None) not in REPLACED_PANELS]
    panels.extend(
        panel(topics)
        for panel in (NewArticlePanel, MyDraftsPanel, InReviewPanel, RecentlyPublishedPanel)
    )
