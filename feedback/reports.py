"""Admin report "Hilfreiche Beiträge": per article the "Ja"/"Nein" votes, the share of "Ja"
and the open "veraltet" reports; most or least helpful first, filterable by city and topic,
exportable as CSV/XLSX (Wagtail's ReportView). For the Redaktion and the Chefredaktion.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.functions import Cast, NullIf
from django.urls import include, path, reverse
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from kb.collation import by_name
from kb.models import ArticlePage, City, TopicPage

from .access import may_see_helpfulness_report
from .models import Report

INDEX_URL_NAME = "feedback_report:index"
RESULTS_URL_NAME = "feedback_report:results"

ORDERINGS = {
    "least": ("Am wenigsten hilfreich zuerst", [F("share").asc(nulls_last=True), "-no", "pk"]),
    "most": ("Am hilfreichsten zuerst", [F("share").desc(nulls_last=True), "-yes", "pk"]),
    "reports": ("Meiste offene Meldungen zuerst", ["-open_reports", "-no", "pk"]),
    "votes": ("Meiste Bewertungen zuerst", ["-votes", "pk"]),
}


class HelpfulnessFilterSet(WagtailFilterSet):
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
    order = django_filters.ChoiceFilter(
        label="Reihenfolge",
        choices=[(key, label) for key, (label, _) in ORDERINGS.items()],
        method="filter_order",
        empty_label="Am wenigsten hilfreich zuerst",
    )

    class Meta:
        model = ArticlePage
        fields: list[str] = []

    def filter_topic(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["least"])[1])


def share_text(article) -> str:
    if article.share is None:
        return "–"
    return f"{round(article.share * 100)} %"


class HelpfulnessReportView(ReportView):
    page_title = "Hilfreiche Beiträge"
    header_icon = "pick"
    index_url_name = INDEX_URL_NAME
    index_results_url_name = RESULTS_URL_NAME
    filterset_class = HelpfulnessFilterSet
    export_filename = "hilfreiche-beitraege"
    columns = [
        # Wide enough for long German words to stay whole.
        TitleColumn("title", label="Titel", url_name="wagtailadmin_pages:edit", width="30%"),
        Column("cities_text", label="Städte"),
        Column("topic_title", label="Themenfeld"),
        Column("yes", label="Ja"),
        Column("no", label="Nein"),
        Column("share_text", label="Anteil „Ja“"),
        Column("open_reports", label="Offene Meldungen"),
    ]
    list_export = [
        "title",
        "cities_text",
        "topic_title",
        "yes",
        "no",
        "share_text",
        "open_reports",
        "admin_url",
    ]
    export_headings = {
        "title": "Titel",
        "cities_text": "Städte",
        "topic_title": "Themenfeld",
        "yes": "Ja",
        "no": "Nein",
        "share_text": "Anteil Ja",
        "open_reports": "Offene Meldungen",
        "admin_url": "Bearbeiten",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_see_helpfulness_report(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}

    def get_base_queryset(self):
        # Counted in subqueries of their own: a join of votes and reports would multiply.
        yes = Count("feedback_votes", filter=Q(feedback_votes__helpful=True), distinct=True)
        no = Count("feedback_votes", filter=Q(feedback_votes__helpful=False), distinct=True)
        open_reports = Count(
            "feedback_reports",
            filter=Q(feedback_reports__status=Report.Status.OPEN),
            distinct=True,
        )
        return (
            ArticlePage.objects.live()
            .annotate(yes=yes, no=no, open_reports=open_reports)
            .annotate(votes=F("yes") + F("no"))
            .filter(Q(votes__gt=0) | Q(open_reports__gt=0))
            .annotate(
                share=Cast(F("yes"), FloatField())
                / NullIf(Cast(F("votes"), FloatField()), Value(0.0))
            )
            .prefetch_related("cities")
            .order_by(*ORDERINGS["least"][1])
        )

    def decorate_paginated_queryset(self, object_list):
        articles = list(object_list)
        parent_paths = {a.path[: -Page.steplen] for a in articles}
        topics = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        for article in articles:
            article.cities_text = ", ".join(city.name for city in by_name(article.cities.all()))
            article.topic_title = topics.get(article.path[: -Page.steplen], "")
            article.share_text = share_text(article)
            article.admin_url = self.request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[article.pk])
            )
        return articles


def urlpatterns() -> list:
    urls = [
        path("", HelpfulnessReportView.as_view(), name="index"),
        path("ergebnisse/", HelpfulnessReportView.as_view(results_only=True), name="results"),
    ]
    return [path("berichte/hilfreiche-beitraege/", include((urls, "feedback_report")))]


class HelpfulnessMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_helpfulness_report(request.user)


def helpfulness_menu_item() -> MenuItem:
    return HelpfulnessMenuItem(
        "Hilfreiche Beiträge",
        reverse(INDEX_URL_NAME),
        name="hilfreiche-beitraege",
        icon_name="pick",
        order=1150,
    )
