"""Subscriptions: what a staff member follows, how often they hear of it, and what happened.

A `Subscription` follows one target (a topic area, a city, a tag, an article, a working group)
or "everything new from the other cities". Following a working group brings the articles of its
topic areas (as a topic follow does) and the group's news: results recorded and actions agreed
or changed, mailed at once (`subscriptions.delivery.send_group_news`).

A `PublicationEvent` is written when an article is published for the first time or republished
with "Wesentliche Änderung" ticked; notifications, the digest, "Neu für mich" and the Atom feed
are all read from those events. `SubscriberSettings` holds a user's delivery choice and the
cursor (the id of the last event delivered), so a digest run claims its events by moving the
cursor before it sends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from taggit.models import Tag

from cooperation.models import WorkingGroupPage
from kb.models import ArticlePage, City, TopicPage


class Kind(models.TextChoices):
    TOPIC = "topic", "Themenfeld"
    CITY = "city", "Stadt"
    TAG = "tag", "Schlagwort"
    ARTICLE = "article", "Beitrag"
    OTHER_CITIES = "other_cities", "Alles Neue aus den anderen Städten"
    GROUP = "group", "Arbeitsgruppe"


# The foreign key that names the target of each kind (other_cities has none).
TARGET_FIELDS = {
    Kind.TOPIC: "topic",
    Kind.CITY: "city",
    Kind.TAG: "tag",
    Kind.ARTICLE: "article",
    Kind.GROUP: "group",
}


def _target_matches_kind() -> Q:
    """Exactly the target field of its kind is set, every other one empty."""
    fields = list(TARGET_FIELDS.values())
    condition = Q(kind=Kind.OTHER_CITIES, **{name: None for name in fields})
    for kind, field in TARGET_FIELDS.items():
        others = {name: None for name in fields if name != field}
        condition |= Q(kind=kind, **{f"{field}__isnull": False}, **others)
    return condition


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    topic = models.ForeignKey(
        TopicPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        WorkingGroupPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField("Angelegt", auto_now_add=True)

    class Meta:
        verbose_name = "Abonnement"
        verbose_name_plural = "Abonnements"
        ordering = ["kind", "pk"]
        constraints = [
            # Exactly the target field of its kind is set (NULLs are distinct in unique
            # constraints, so uniqueness is one partial constraint per kind).
            models.CheckConstraint(
                name="subscription_target_matches_kind",
                condition=_target_matches_kind(),
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(kind="topic"), name="subscription_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "city"], condition=Q(kind="city"), name="subscription_city_once"
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=Q(kind="tag"), name="subscription_tag_once"
            ),
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(kind="article"),
                name="subscription_article_once",
            ),
            models.UniqueConstraint(
                fields=["user", "group"], condition=Q(kind="group"), name="subscription_group_once"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="other_cities"), name="subscription_others_once"
            ),
        ]

    def __str__(self) -> str:
        target = self.target
        return f"{self.get_kind_display()}: {target}" if target else self.get_kind_display()

    @property
    def target_id(self) -> int | None:
        field = TARGET_FIELDS.get(self.kind)
        return getattr(self, f"{field}_id") if field else None

    @property
    def target(self):
        field = TARGET_FIELDS.get(self.kind)
        return getattr(self, field) if field else None


class Delivery(models.TextChoices):
    IMMEDIATE = "sofort", "Sofort"
    DAILY = "taeglich", "Täglich (Zusammenfassung am Morgen)"
    WEEKLY = "woechentlich", "Wöchentlich (Zusammenfassung am Montag)"


class SubscriberSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="subscriber_settings",
    )
    delivery = models.CharField(
        "Benachrichtigung", max_length=20, choices=Delivery.choices, default=Delivery.WEEKLY
    )
    # The id of the newest PublicationEvent already delivered (or skipped) for this user: a run
    # looks only at later events and claims them by moving this forward before sending.
    last_event_id = models.BigIntegerField("Zuletzt zugestellte Meldung", default=0)
    last_sent = models.DateTimeField("Zuletzt benachrichtigt", null=True, blank=True)
    # "Neu für mich": the start of the previous visit of the home page.
    last_home_visit = models.DateTimeField("Letzter Besuch der Startseite", null=True, blank=True)
    # The personal feed's token, sha256 of the secret part only; never stored in clear.
    feed_token_hash = models.CharField(max_length=64, blank=True)
    feed_token_created = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Abo-Einstellung"
        verbose_name_plural = "Abo-Einstellungen"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class Reason(models.TextChoices):
    NEW = "new", "Neu veröffentlicht"
    CHANGED = "changed", "Wesentlich geändert"


class PublicationEvent(models.Model):
    """One publication subscribers hear of; who caused it never hears of it."""

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # The revision's author and the publishing user (they differ after a moderated review).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Veröffentlichungsmeldung"
        verbose_name_plural = "Veröffentlichungsmeldungen"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.page_id}"

    def actor_ids(self) -> set[int]:
        return {pk for pk in (self.author_id, self.publisher_id) if pk}
