"""Search analytics: queries counted per day (for the Suchanalyse report); no user is stored."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .analysis import normalise
from .models import DailyQueryCount


def log_query(text: str, result_count: int) -> None:
    """Aggregated per day and query; no user is recorded."""
    query = normalise(" ".join(text.split()))[:255]
    if not query:
        return
    today = timezone.localdate()
    zero = 1 if result_count == 0 else 0
    with transaction.atomic():
        updated = DailyQueryCount.objects.filter(day=today, query=query).update(
            count=F("count") + 1, zero_results=F("zero_results") + zero
        )
        if not updated:
            DailyQueryCount.objects.get_or_create(
                day=today, query=query, defaults={"count": 1, "zero_results": zero}
            )
