"""Admin report "Prüfstand" for the Chefredaktion: the articles whose review is overdue or due
within 30 days, soonest first, with owner, last review and status; filters by city, topic area,
owner and status; CSV/XLSX export (Wagtail's `ReportView`).

It supersedes the earlier report "Lange nicht geprüft" (its address redirects here) and
replaces Wagtail's "Alternde Seiten" in the reports menu (see `kb.wagtail_hooks`), which sorted
by the last publication — for imported articles the date of the import.
"""

from __future__ import annotations

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import RedirectView
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .collation import by_name
from .models import ArticlePage, City, TopicPage
from .reviews import DUE_SOON_DAYS, is_chief_editor, user_name

NOT_REVIEWED = "noch nicht geprüft"
NO_OWNER = "niemand"
INDEX_URL_NAME = "pruefstand:index"
RESULTS_URL_NAME = "pruefstand:results"
URL_PATH = "berichte/pruefstand/"
OLD_URL_PATH = "berichte/lange-nicht-geprueft/"
#: Name of Wagtail's "Alternde Seiten" menu item, removed from the reports menu.
AGING_PAGES_MENU_ITEM = "aging-pages"
OVERDUE, DUE_SOON = "ueberfaellig", "bald-faellig"


def can_view_review_report(user) -> bool:
    """Everybody who writes or approves articles: admin users with a page permission (the
    Redaktion groups and the Chefredaktion), as for Wagtail's own page reports. (The editors'
    reports use it, e.g. feedback.reports.)"""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


def can_view_pruefstand(user) -> bool:
    """The Chefredaktion (and administrators): they see to it that reviews happen."""
    return (
        user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and is_chief_editor(user)
    )


def _owners(request=None):
    return (
        get_user_model()
        .objects.filter(responsible_articles__live=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


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
    owner = django_filters.ModelChoiceFilter(
        label="Verantwortlich",
        field_name="responsible",
        queryset=_owners,
        empty_label="Alle Verantwortlichen",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(OVERDUE, "überfällig"), (DUE_SOON, f"fällig in {DUE_SOON_DAYS} Tagen")],
        method="filter_status",
        empty_label="Überfällig und bald fällig",
    )

    class Meta:
        model = ArticlePage
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].field.label_from_instance = user_name

    def filter_topic(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(review_due__lt=today)
        if value == DUE_SOON:
            return queryset.filter(review_due__gte=today)
        return queryset


class DayColumn(Column):
    """A date as "05.03.2025", or a fixed text when there is none."""

    def __init__(self, name, *, empty_text: str = "", **kwargs):
        super().__init__(name, **kwargs)
        self.empty_text = empty_text

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else self.empty_text


def status_text(due: datetime.date, today: datetime.date) -> str:
    day = due.strftime("%d.%m.%Y")
    return f"überfällig seit {day}" if due < today else f"fällig am {day}"


class ReviewReportView(ReportView):
    page_title = "Prüfstand"
    header_icon = "time"
    index_url_name = INDEX_URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = ReviewReportFilterSet
    export_filename = "pruefstand"
    columns = [
        # Wide enough for long German words ("Leerstandsmanagement") to stay whole.
        TitleColumn("title", label="Titel", url_name="wagtailadmin_pages:edit", width="30%"),
        Column("cities_text", label="Städte"),
        Column("topic_title", label="Themenfeld"),
        Column("owner_name", label="Verantwortlich"),
        DayColumn("last_reviewed", label="Zuletzt geprüft", empty_text=NOT_REVIEWED),
        DayColumn("review_due", label="Nächste Prüfung"),
        Column("status", label="Status"),
    ]
    list_export = [
        "title",
        "cities_text",
        "topic_title",
        "owner_name",
        "owner_email",
        "last_reviewed_text",
        "review_due",
        "status",
        "admin_url",
    ]
    export_headings = {
        "title": "Titel",
        "cities_text": "Städte",
        "topic_title": "Themenfeld",
        "owner_name": "Verantwortlich",
        "owner_email": "E-Mail",
        "last_reviewed_text": "Zuletzt geprüft",
        "review_due": "Nächste Prüfung",
        "status": "Status",
        "admin_url": "Bearbeiten",
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_pruefstand(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}

    def get_base_queryset(self):
        horizon = timezone.localdate() + datetime.timedelta(days=DUE_SOON_DAYS)
        return (
            ArticlePage.objects.live()
            .filter(Q(review_due__lte=horizon))
            .select_related("responsible")
            .prefetch_related("cities")
            .order_by("review_due", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        # Fills the rows the table shows (the same objects), and the export's rows.
        articles = list(object_list)
        today = timezone.localdate()
        parent_paths = {a.path[: -Page.steplen] for a in articles}
        topics = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        for article in articles:
            owner = article.responsible
            article.owner_name = user_name(owner) if owner else NO_OWNER
            article.owner_email = owner.email if owner else ""
            article.cities_text = ", ".join(city.name for city in by_name(article.cities.all()))
            article.topic_title = topics.get(article.path[: -Page.steplen], "")
            article.last_reviewed_text = article.last_reviewed or NOT_REVIEWED
            article.status = status_text(article.review_due, today)
            article.admin_url = self.request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[article.pk])
            )
        return articles


class OldReportRedirect(RedirectView):
    """Bookmarks of "Lange nicht geprüft" lead to the report that supersedes it."""

    permanent = True
    query_string = True
    pattern_name = INDEX_URL_NAME


def urlpatterns() -> list:
    urls = [
        path("", ReviewReportView.as_view(), name="index"),
        path("ergebnisse/", ReviewReportView.as_view(results_only=True), name="results"),
    ]
    return [
        path(URL_PATH, include((urls, "pruefstand"))),
        path(OLD_URL_PATH, OldReportRedirect.as_view(), name="lange_nicht_geprueft"),
    ]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_pruefstand(request.user)


def review_report_menu_item() -> MenuItem:
    return ReviewReportMenuItem(
        "Prüfstand",
        reverse(INDEX_URL_NAME),
        name="pruefstand",
        icon_name="time",
        order=1100,  # where "Alternde Seiten" was
    )


def without_aging_pages(menu_items: list) -> None:
    """construct_reports_menu: drop Wagtail's "Alternde Seiten" (replaced by this report)."""
    menu_items[:] = [item for item in menu_items if item.name != AGING_PAGES_MENU_ITEM]
