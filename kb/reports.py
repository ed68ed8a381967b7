"""Admin report "Lange nicht geprüft": published articles by their last review, oldest first.

Replaces Wagtail's "Alternde Seiten" in the reports menu (see `kb.wagtail_hooks`). That report
sorts by the page's last publication — for imported articles the date of the import — and names
the publisher of that publication, "None" for an import. This one reads the article's own
fields: its date (`first_published`) and its last subject review (`last_reviewed`, "noch nicht
geprüft" when empty), and names the last person who published it (Wagtail's audit log, action
"wagtail.publish" with a user) or "Import" when no person ever did. Built on Wagtail's
`ReportView`, so it has Wagtail's filters and CSV/XLSX export.
"""

from __future__ import annotations

import django_filters
from django.db.models import F, OuterRef, Subquery
from django.urls import include, path, reverse
from django.utils.formats import date_format
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, PageLogEntry
from wagtail.permission_policies.pages import PagePermissionPolicy

from .collation import by_name
from .models import ArticlePage, City, TopicPage

NOT_REVIEWED = "noch nicht geprüft"
IMPORT_PUBLISHER = "Import"
INDEX_URL_NAME = "lange_nicht_geprueft:index"
RESULTS_URL_NAME = "lange_nicht_geprueft:results"
#: Name of Wagtail's "Alternde Seiten" menu item, removed from the reports menu.
AGING_PAGES_MENU_ITEM = "aging-pages"


def can_view_review_report(user) -> bool:
    """Everybody who writes or approves articles: admin users with a page permission (the
    Redaktion groups and the Chefredaktion), as for Wagtail's own page reports."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


class ReviewReportFilterSet(WagtailFilterSet):
    city = django_filters.ModelChoiceFilter(
        label="Stadt",
        field_name="cities",
        queryset=City.objects.order_by("name"),
        empty_label="Alle Städte",
    )
    topic = django_filters.ModelChoiceFilter(
        label="Themenfeld",
        queryset=TopicPage.objects.order_by("title"),
        method="filter_topic",
        empty_label="Alle Themenfelder",
    )

    class Meta:
        model = ArticlePage
        fields: list[str] = []

    def filter_topic(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset


class DayColumn(Column):
    """A date as "05.03.2025", or a fixed text when there is none."""

    def __init__(self, name, *, empty_text: str = "", **kwargs):
        super().__init__(name, **kwargs)
        self.empty_text = empty_text

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else self.empty_text


def _last_reviewed_text(article: ArticlePage):
    return article.last_reviewed or NOT_REVIEWED


class ReviewReportView(ReportView):
    page_title = "Lange nicht geprüft"
    header_icon = "time"
    index_url_name = INDEX_URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = ReviewReportFilterSet
    export_filename = "lange-nicht-geprueft"
    columns = [
        TitleColumn("title", label="Titel", url_name="wagtailadmin_pages:edit"),
        Column("cities_text", label="Städte"),
        Column("topic_title", label="Themenfeld"),
        DayColumn("first_published", label="Datum des Beitrags"),
        DayColumn("last_reviewed", label="Zuletzt geprüft", empty_text=NOT_REVIEWED),
        Column("last_publisher", label="Zuletzt veröffentlicht von"),
    ]
    list_export = [
        "title",
        "cities_text",
        "topic_title",
        "first_published",
        "last_reviewed_text",
        "last_publisher",
        "admin_url",
    ]
    export_headings = {
        "title": "Titel",
        "cities_text": "Städte",
        "topic_title": "Themenfeld",
        "first_published": "Datum des Beitrags",
        "last_reviewed_text": "Zuletzt geprüft",
        "last_publisher": "Zuletzt veröffentlicht von",
        "admin_url": "Bearbeiten",
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_review_report(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}

    def get_base_queryset(self):
        publications = PageLogEntry.objects.filter(
            page=OuterRef("pk"), action="wagtail.publish", user__isnull=False
        ).order_by("-timestamp", "-pk")
        return (
            ArticlePage.objects.live()
            .annotate(last_publisher_id=Subquery(publications.values("user")[:1]))
            .prefetch_related("cities")
            # Never reviewed counts as the oldest review; then the oldest article first.
            .order_by(F("last_reviewed").asc(nulls_first=True), "first_published", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        # Fills the rows the table shows (the same objects), and the export's rows.
        articles = list(object_list)
        user_ids = {a.last_publisher_id for a in articles if a.last_publisher_id}
        users = {}
        if user_ids:
            from django.contrib.auth import get_user_model

            users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
        parent_paths = {a.path[: -Page.steplen] for a in articles}
        topics = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        for article in articles:
            user = users.get(article.last_publisher_id)
            article.last_publisher = get_user_display_name(user) if user else IMPORT_PUBLISHER
            article.cities_text = ", ".join(city.name for city in by_name(article.cities.all()))
            article.topic_title = topics.get(article.path[: -Page.steplen], "")
            article.last_reviewed_text = _last_reviewed_text(article)
            article.admin_url = self.request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[article.pk])
            )
        return articles


def urlpatterns() -> list:
    urls = [
        path("", ReviewReportView.as_view(), name="index"),
        path("ergebnisse/", ReviewReportView.as_view(results_only=True), name="results"),
    ]
    return [path("berichte/lange-nicht-geprueft/", include((urls, "lange_nicht_geprueft")))]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_review_report(request.user)


def review_report_menu_item() -> MenuItem:
    return ReviewReportMenuItem(
        "Lange nicht geprüft",
        reverse(INDEX_URL_NAME),
        name="lange-nicht-geprueft",
        icon_name="time",
        order=1100,  # where "Alternde Seiten" was
    )


def without_aging_pages(menu_items: list) -> None:
    """construct_reports_menu: drop Wagtail's "Alternde Seiten" (replaced by this report)."""
    menu_items[:] = [item for item in menu_items if item.name != AGING_PAGES_MENU_ITEM]
