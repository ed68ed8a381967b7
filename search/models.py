"""Search index tables, synonym groups and query statistics.

The index is our own inverted index in the database (one posting list per term), so that
German analysis, field weights and ranking behave the same on SQLite and PostgreSQL. Only live
content is indexed; view restrictions are applied when searching.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel


class SearchDocument(models.Model):
    """One indexed object (an article or a contact person) with what filters and facets need."""

    ARTICLE = "article"
    CONTACT = "contact"
    KIND_CHOICES = [(ARTICLE, "Wissensbeitrag"), (CONTACT, "Ansprechperson")]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    object_id = models.PositiveBigIntegerField()
    path = models.CharField(max_length=255, blank=True)
    date = models.DateField(null=True, blank=True)
    # Articles: when the next subject review is due (overdue ones rank slightly lower, see
    # search.ranking); None for contact persons and articles without regular review.
    review_due = models.DateField(null=True, blank=True)
    # Facet values as "|slug|slug|" so one string per document holds a list.
    cities = models.CharField(max_length=500, blank=True)
    topic = models.CharField(max_length=255, blank=True)
    tags = models.TextField(blank=True)
    department = models.CharField(max_length=255, blank=True)
    # Stems in reading order (title, summary, body) for phrase and proximity checks.
    stems = models.TextField(blank=True)
    # Plain text (summary and body) for result snippets, so results need no StreamField parsing.
    text = models.TextField(blank=True)
    # The document's index terms, so an update knows which posting lists to remove it from.
    terms = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_document")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class TermPostings(models.Model):
    """One term's posting list for one kind of document, stored as a compact binary block.

    `data` holds the document ids (int32, ascending) followed by their weights (float32, the
    BM25F field-weighted, length-normalised frequency; negative when the term is in the title).
    A query reads one row per term instead of one row per term and document, and scores the
    lists with vectorised arithmetic (search.engine)."""

    kind = models.CharField(max_length=10)
    term = models.CharField(max_length=64)
    df = models.PositiveIntegerField(default=0)
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "term"], name="unique_term_postings")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.term} ({self.df})"


class IndexState(models.Model):
    """A token replaced on every index change, so each process knows when its caches are stale.

    A random token rather than a counter: a rolled-back change must never let a later change
    reuse a version number some process has already cached."""

    version = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"Suchindex Version {self.version}"


class SynonymGroup(models.Model):
    """Words that mean the same to staff (Kita, Kindertagesstätte, Kindertageseinrichtung)."""

    terms = models.TextField(
        "Begriffe",
        help_text="Ein Begriff pro Zeile oder durch Komma getrennt, z. B. "
        "„Kita, Kindertagesstätte, Kindertageseinrichtung“. Mehrwortbegriffe sind erlaubt.",
    )
    note = models.CharField("Notiz", max_length=255, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = "Synonymgruppe"
        verbose_name_plural = "Synonymgruppen"

    def __str__(self) -> str:
        return ", ".join(self.term_list()[:4])

    def term_list(self) -> list[str]:
        raw = self.terms.replace("\n", ",").split(",")
        return [term.strip() for term in raw if term.strip()]


class DailyQueryCount(models.Model):
    """Aggregated search log: how often a normalised query was searched on a day (no user IDs)."""

    day = models.DateField()
    query = models.CharField(max_length=255)
    count = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="unique_day_query")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day}: {self.query} ({self.count})"
