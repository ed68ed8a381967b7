"""Zusammenarbeit: the joint Städtetage, the working groups, what they found and what they agreed.

Pages (the area, a Städtetag, a working group) are edited in the page editor; results and
agreed actions are plain models, recorded by group members on the site (and by editors in the
admin), so that a member does not need page-editing rights to write down what was decided.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kb.models import ArticlePage, City, ContactPerson, TopicPage

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class CooperationIndexPage(Page):
    """Der Bereich „Zusammenarbeit“: Städtetage and working groups live under it."""

    intro = RichTextField("Einleitung", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["cooperation.MeetingPage", "cooperation.WorkingGroupPage"]
    max_count = 1

    class Meta:
        verbose_name = "Bereich Zusammenarbeit"
        verbose_name_plural = "Bereiche Zusammenarbeit"

    def get_context(self, request, *args, **kwargs):
        from .pages import cooperation_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(cooperation_index_context(self, request))
        return context


class MeetingPage(Page):
    """Ein Städtetag: the yearly meeting of the cities' staff."""

    year = models.PositiveSmallIntegerField(
        "Jahr", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    date = models.DateField("Datum", null=True, blank=True)
    host_city = models.ForeignKey(
        City,
        verbose_name="Gastgeberstadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField("Ort", max_length=255, blank=True)
    motto = models.CharField("Motto", max_length=255, blank=True)
    participants = models.PositiveIntegerField("Teilnehmende (ungefähr)", null=True, blank=True)
    agenda = RichTextField("Tagesordnung", blank=True, features=TEXT_FEATURES)
    summary = RichTextField("Zusammenfassung", blank=True, features=TEXT_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Foto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("year"),
                FieldPanel("date"),
                FieldPanel("host_city"),
                FieldPanel("place"),
                FieldPanel("motto"),
                FieldPanel("participants"),
            ],
            heading="Eckdaten",
        ),
        FieldPanel("agenda"),
        FieldPanel("summary"),
        FieldPanel("photo"),
        InlinePanel("documents", heading="Unterlagen", label="Dokument"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("motto"),
        index.SearchField("summary"),
    ]

    parent_page_types = ["cooperation.CooperationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Städtetag"
        verbose_name_plural = "Städtetage"
        ordering = ["-year"]

    def previous_meeting(self) -> MeetingPage | None:
        """The Städtetag of an earlier year nearest to this one (live pages only)."""
        return (
            MeetingPage.objects.live().filter(year__lt=self.year).order_by("-year", "-date").first()
        )

    def get_context(self, request, *args, **kwargs):
        from .pages import meeting_context

        context = super().get_context(request, *args, **kwargs)
        context.update(meeting_context(self, request))
        return context


class MeetingDocument(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="Dokument", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]


class GroupStatus(models.TextChoices):
    ACTIVE = "active", "aktiv"
    CLOSED = "closed", "abgeschlossen"


class WorkingGroupPage(Page):
    """Eine Arbeitsgruppe des Städtetags, besetzt aus mehreren Städten."""

    topics = ParentalManyToManyField(
        TopicPage, verbose_name="Themenfelder", blank=True, related_name="working_groups"
    )
    cities = ParentalManyToManyField(
        City, verbose_name="Beteiligte Städte", blank=True, related_name="working_groups"
    )
    description = RichTextField("Beschreibung", blank=True, features=TEXT_FEATURES)
    status = models.CharField(
        "Status", max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    founded_at = models.ForeignKey(
        MeetingPage,
        verbose_name="Eingerichtet beim Städtetag",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="founded_groups",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("status"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("founded_at"),
        FieldPanel("description"),
        InlinePanel("members", heading="Mitglieder", label="Mitglied"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    parent_page_types = ["cooperation.CooperationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Arbeitsgruppe"
        verbose_name_plural = "Arbeitsgruppen"

    def get_context(self, request, *args, **kwargs):
        from .pages import working_group_context

        context = super().get_context(request, *args, **kwargs)
        context.update(working_group_context(self, request))
        return context


class MemberRole(models.TextChoices):
    LEAD = "lead", "Leitung"
    MEMBER = "member", "Mitglied"


class WorkingGroupMember(Orderable):
    """A person in a working group; a lead leads for the city given (one lead per city)."""

    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        ContactPerson,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="Ansprechpersonen mit Benutzerkonto können auf der Seite Ergebnisse und "
        "Maßnahmen festhalten.",
    )
    role = models.CharField(
        "Rolle", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    city = models.ForeignKey(
        City,
        verbose_name="Für die Stadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leer: die Stadt der Person.",
    )

    panels = [FieldPanel("person"), FieldPanel("role"), FieldPanel("city")]

    class Meta(Orderable.Meta):
        verbose_name = "Mitglied"
        verbose_name_plural = "Mitglieder"

    def __str__(self) -> str:
        return f"{self.person.name} ({self.get_role_display()})"

    @property
    def effective_city(self) -> City | None:
        return self.city if self.city_id else self.person.city


class Result(models.Model):
    """Ein Ergebnis: what a working group found or decided, at a Städtetag or in between."""

    group = models.ForeignKey(
        WorkingGroupPage,
        verbose_name="Arbeitsgruppe",
        on_delete=models.CASCADE,
        related_name="results",
    )
    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name="Städtetag",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
        help_text="Leer: zwischen den Städtetagen festgehalten.",
    )
    title = models.CharField("Ergebnis", max_length=255)
    text = models.TextField("Beschreibung", blank=True)
    articles = models.ManyToManyField(
        ArticlePage, verbose_name="Verknüpfte Beiträge", blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Festgehalten von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("Festgehalten am", default=timezone.now)

    panels = [
        FieldPanel("group"),
        FieldPanel("meeting"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("articles"),
    ]

    class Meta:
        verbose_name = "Ergebnis"
        verbose_name_plural = "Ergebnisse"
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "offen", "offen"
    IN_PROGRESS = "in_arbeit", "in Arbeit"
    DONE = "erledigt", "erledigt"
    DROPPED = "verworfen", "verworfen"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """Eine Vereinbarung / Maßnahme: agreed in a working group, owned by one person."""

    title = models.CharField("Maßnahme", max_length=255)
    description = models.TextField("Beschreibung", blank=True)
    group = models.ForeignKey(
        WorkingGroupPage,
        verbose_name="Arbeitsgruppe",
        on_delete=models.CASCADE,
        related_name="actions",
    )
    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name="Vereinbart beim Städtetag",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Verantwortlich",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperation_actions",
    )
    cities = models.ManyToManyField(
        City, verbose_name="Beteiligte Städte", blank=True, related_name="+"
    )
    due_date = models.DateField("Fällig am", null=True, blank=True)
    status = models.CharField(
        "Status", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Angelegt von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("Angelegt am", default=timezone.now)
    updated = models.DateTimeField("Zuletzt geändert", auto_now=True)
    # Reminder state, as for article reviews: which reminder went out ("" none yet, "before"
    # the due date, "after" it) and on which day, so a repeated run sends nothing twice.
    reminder_stage = models.CharField(max_length=10, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("group"),
        FieldPanel("meeting"),
        FieldPanel("responsible"),
        FieldPanel("cities"),
        FieldPanel("due_date"),
        FieldPanel("status"),
    ]

    class Meta:
        verbose_name = "Maßnahme"
        verbose_name_plural = "Maßnahmen"
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="coop_action_status_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class ActionUpdate(models.Model):
    """A progress note and/or status change of an action: its history."""

    action = models.ForeignKey(
        Action, verbose_name="Maßnahme", on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("Am", default=timezone.now)
    text = models.TextField("Notiz", blank=True)
    status_from = models.CharField(max_length=10, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=10, choices=ActionStatus.choices, blank=True)

    class Meta:
        verbose_name = "Fortschrittsnotiz"
        verbose_name_plural = "Fortschrittsnotizen"
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.created:%d.%m.%Y}"


class CalendarToken(models.Model):
    """The secret of a user's iCal address of due dates ("<user id>.<secret>"): only its
    sha256 is stored, as for the personal Atom feed of subscriptions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Benutzer",
        on_delete=models.CASCADE,
        related_name="cooperation_calendar_token",
    )
    token_hash = models.CharField(max_length=64)
    created = models.DateTimeField("Erstellt am", default=timezone.now)

    class Meta:
        verbose_name = "Kalender-Adresse"
        verbose_name_plural = "Kalender-Adressen"

    def __str__(self) -> str:
        return f"Kalender-Adresse von {self.user}"
