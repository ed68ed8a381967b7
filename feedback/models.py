"""Readers' feedback on articles: "War dieser Beitrag hilfreich?" and "Veraltet oder fehlerhaft".

A vote is one row per (user, article): voting again changes it. A report stays open until the
owner or an editor closes it with a reply, which is mailed to the reporter. A partial unique
constraint keeps a user from holding two open reports on the same article, also under races.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kb.models import ArticlePage

VOTE_COMMENT_MAX = 1000
REPORT_COMMENT_MAX = 2000
REPLY_MAX = 4000


class Vote(models.Model):
    article = models.ForeignKey(
        ArticlePage,
        verbose_name="Beitrag",
        on_delete=models.CASCADE,
        related_name="feedback_votes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="feedback_votes",
    )
    helpful = models.BooleanField("Hilfreich")
    comment = models.TextField("Kommentar", max_length=VOTE_COMMENT_MAX, blank=True)
    created_at = models.DateTimeField("Abgegeben am", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert am", auto_now=True)

    class Meta:
        verbose_name = "Bewertung"
        verbose_name_plural = "Bewertungen"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="feedback_one_vote_per_user")
        ]
        indexes = [models.Index(fields=["article", "helpful"], name="feedback_vote_article_idx")]

    def __str__(self) -> str:
        return f"{'Ja' if self.helpful else 'Nein'}: {self.article_id}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "offen"
        CLOSED = "closed", "erledigt"

    article = models.ForeignKey(
        ArticlePage,
        verbose_name="Beitrag",
        on_delete=models.CASCADE,
        related_name="feedback_reports",
    )
    # Kept when the account is deleted: the report is about the article, not the person.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Gemeldet von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="feedback_reports",
    )
    comment = models.TextField("Was ist veraltet oder fehlerhaft?", max_length=REPORT_COMMENT_MAX)
    created_at = models.DateTimeField("Gemeldet am", auto_now_add=True, db_index=True)
    status = models.CharField(
        "Status", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reply = models.TextField("Antwort", max_length=REPLY_MAX, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Erledigt von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("Erledigt am", null=True, blank=True)

    class Meta:
        verbose_name = "Meldung „Veraltet oder fehlerhaft“"
        verbose_name_plural = "Meldungen „Veraltet oder fehlerhaft“"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "article"],
                condition=Q(status="open"),
                name="feedback_one_open_report_per_user",
            )
        ]
        indexes = [
            models.Index(fields=["article", "status"], name="feedback_report_article_idx"),
            models.Index(fields=["reporter", "created_at"], name="feedback_report_rate_idx"),
        ]

    def __str__(self) -> str:
        return f"Meldung zu {self.article_id} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
