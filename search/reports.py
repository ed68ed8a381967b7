"""Admin report "Suchanalyse": what staff search for and which searches find nothing.

Built on Wagtail's reports framework like the "Search terms" report of
wagtail.contrib.search_promotions. The data is ``DailyQueryCount``, an aggregated log per day and
query without any user reference.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, NumberColumn, Table, TitleColumn
from wagtail.admin.views.reports import ReportView

from .models import DailyQueryCount, SynonymGroup

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_ROWS = 50
PERIOD_PARAM = "tage"

CHIEF_GROUP = "Chefredaktion"
EDITOR_GROUP_PREFIX = "Redaktion "


def can_view_search_report(user) -> bool:
    """Superusers, and admin users of the Chefredaktion or a "Redaktion …" group."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    names = user.groups.values_list("name", flat=True)
    return any(name == CHIEF_GROUP or name.startswith(EDITOR_GROUP_PREFIX) for name in names)


def period_days(value: str | None) -> int:
    """?tage=7|30|90; anything else means the default of 30 days."""
    try:
        days = int(value or "")
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


def first_day(days: int, today: datetime.date | None = None) -> datetime.date:
    """The first day of a period of ``days`` days that ends today (today included)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=days - 1)


def _share(part: int, whole: int) -> str:
    if not whole or not part:
        return "0 %"
    percent = part * 100 / whole
    if percent < 1:
        return "< 1 %"
    return f"{round(percent)} %"


def top_queries(since: datetime.date, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Most frequent queries since ``since``, with the share of searches without results."""
    rows = (
        DailyQueryCount.objects.filter(day__gte=since)
        .values("query")
        .annotate(searches=Sum("count"), zero=Sum("zero_results"))
        .order_by("-searches", "query")[:limit]
    )
    return [{**row, "zero_share": _share(row["zero"], row["searches"])} for row in rows]


def zero_result_queries(since: datetime.date, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Queries that found nothing since ``since``: how often, and on which day last."""
    return list(
        DailyQueryCount.objects.filter(day__gte=since, zero_results__gt=0)
        .values("query")
        .annotate(zero=Sum("zero_results"), last_day=Max("day"))
        .order_by("-zero", "-last_day", "query")[:limit]
    )


def totals(since: datetime.date) -> dict[str, Any]:
    found = DailyQueryCount.objects.filter(day__gte=since).aggregate(
        searches=Sum("count"), zero=Sum("zero_results")
    )
    searches = found["searches"] or 0
    zero = found["zero"] or 0
    return {"searches": searches, "zero": zero, "zero_share": _share(zero, searches)}


def search_url(row: dict[str, Any]) -> str:
    """The staff search for this query, so editors can see what it finds today."""
    return f"{reverse('search')}?{urlencode({'q': row['query']})}"


class DayColumn(Column):
    """A date as "05.03.2025" (German short date), without time-since wording."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class QueryColumn(TitleColumn):
    def __init__(self, name, **kwargs):
        super().__init__(
            name,
            get_url=search_url,
            link_attrs={"target": "_blank", "rel": "noopener"},
            **kwargs,
        )


class SearchReportView(ReportView):
    """Two tables for one period: the most frequent queries and the queries without results."""

    page_title = "Suchanalyse"
    header_icon = "search"
    results_template_name = "search/reports/search_report_results.html"
    index_url_name = "suchanalyse:index"
    index_results_url_name = "suchanalyse:results"
    paginate_by = None  # both tables are capped at MAX_ROWS
    columns = [
        QueryColumn("query", label="Suchanfrage"),
        NumberColumn("searches", label="Anzahl Suchen"),
        Column("zero_share", label="Anteil ohne Treffer"),
    ]
    zero_result_columns = [
        QueryColumn("query", label="Suchanfrage"),
        NumberColumn("zero", label="Suchen ohne Treffer"),
        DayColumn("last_day", label="Zuletzt ohne Treffer gesucht"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_search_report(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.days = period_days(request.GET.get(PERIOD_PARAM))
        self.since = first_day(self.days)

    def get_queryset(self):
        return top_queries(self.since)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "caption": "Häufigste Suchanfragen"}

    def get_zero_result_table(self) -> Table:
        return Table(
            self.zero_result_columns,
            zero_result_queries(self.since),
            caption="Suchanfragen ohne Treffer",
            base_url=self.index_url,
        )

    def get_periods(self) -> list[dict[str, Any]]:
        return [
            {
                "days": days,
                "url": f"{self.index_url}?{urlencode({PERIOD_PARAM: days})}",
                "active": days == self.days,
            }
            for days in PERIODS
        ]

    def get_synonyms_url(self) -> str | None:
        """The synonym groups, for users who may see them (a missing word is often a synonym)."""
        viewset = getattr(SynonymGroup, "snippet_viewset", None)
        if viewset is None or not viewset.permission_policy.user_has_any_permission(
            self.request.user, ["add", "change", "delete", "view"]
        ):
            return None
        return reverse(viewset.get_url_name("list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            days=self.days,
            since=self.since,
            periods=self.get_periods(),
            totals=totals(self.since),
            zero_table=self.get_zero_result_table(),
            max_rows=MAX_ROWS,
            synonyms_url=self.get_synonyms_url(),
        )
        return context
