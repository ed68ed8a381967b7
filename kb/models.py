"""Knowledge content: cities, departments, contact persons, topic areas and articles."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .admin_forms import (
    BODY_HELP_TEXT,
    CITIES_HELP_TEXT,
    ArticlePageForm,
    ContactPersonForm,
)
from .admin_widgets import MultipleSnippetChooser
from .blocks import ArticleBodyBlock
from .reviews import INTERVAL_CHOICES, TOPIC_INTERVAL_CHOICES, due_date
from .text import body_text as plain_body_text


class City(models.Model):
    """A participating city administration. New cities are added in the admin, not in code."""

    name = models.CharField("Name", max_length=100, unique=True)
    slug = models.SlugField("Kurzname (URL)", max_length=100, unique=True, allow_unicode=False)
    email_domain = models.CharField(
        "E-Mail-Domain",
        max_length=100,
        blank=True,
        help_text="Z. B. arnsberg.de – ordnet importierte Ansprechpersonen dieser Stadt zu.",
    )
    color = models.CharField(
        "Farbe des Stadt-Abzeichens",
        max_length=7,
        default="#1d4f91",
        help_text="Hex-Farbwert, z. B. #1d4f91. Muss auf Weiß gut lesbar sein.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("email_domain"),
        FieldPanel("color"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "Stadt"
        verbose_name_plural = "Städte"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Department(models.Model):
    """A Fachbereich or Fachdienst that owns articles."""

    name = models.CharField("Name", max_length=255, unique=True)
    city = models.ForeignKey(
        City,
        verbose_name="Stadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments",
    )

    panels = [FieldPanel("name"), FieldPanel("city")]

    class Meta:
        ordering = ["name"]
        verbose_name = "Fachbereich"
        verbose_name_plural = "Fachbereiche"

    def __str__(self) -> str:
        # As the admin offers it (choosers, selects): two cities may have a department of the
        # same name. The site names departments by `name`.
        return f"{self.name} ({self.city.name})" if self.city_id else self.name


class ContactPerson(index.Indexed, models.Model):
    """Ansprechperson: the colleague who knows more about an article's subject."""

    name = models.CharField("Name", max_length=200)
    role = models.CharField("Funktion", max_length=200, blank=True)
    city = models.ForeignKey(
        City,
        verbose_name="Stadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="Fachbereich",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    email = models.EmailField("Dienstliche E-Mail", blank=True, db_index=True)
    phone = models.CharField("Telefon", max_length=50, blank=True)
    # The colleague's own login, if they have one: they may then see and correct what the
    # site shows about them ("Meine Angaben") and keep their expertise entries up to date.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Benutzerkonto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_person",
        help_text="Verknüpft die Ansprechperson mit ihrem Zugang zum Wissensnetz.",
    )
    # "Stand: bestätigt am …": the person confirmed their data (yearly prompt, stale after 12
    # months).
    confirmed_on = models.DateField("Angaben bestätigt am", null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("city"),
        FieldPanel("department"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("user"),
        FieldPanel("confirmed_on", read_only=True),
    ]
    base_form_class = ContactPersonForm

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.RelatedFields("department", [index.SearchField("name")]),
        index.FilterField("city"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "Ansprechperson"
        verbose_name_plural = "Ansprechpersonen"

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city_id else self.name


class Expertise(models.Model):
    """Wer weiß was: a person's knowledge of a topic area (for a city), kept up to date by the
    person themselves (or the Redaktion) and confirmed yearly."""

    person = models.ForeignKey(
        ContactPerson,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="expertise",
    )
    topic = models.ForeignKey(
        "kb.TopicPage",
        verbose_name="Themenfeld",
        on_delete=models.CASCADE,
        related_name="expertise",
    )
    city = models.ForeignKey(
        City,
        verbose_name="Stadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expertise",
        help_text="Leer: die Stadt der Person.",
    )
    note = models.CharField(
        "Worin genau", max_length=300, blank=True, help_text="Z. B. „Förderanträge Photovoltaik“."
    )
    confirmed_on = models.DateField("Bestätigt am", null=True, blank=True)

    panels = [
        FieldPanel("person"),
        FieldPanel("topic"),
        FieldPanel("city"),
        FieldPanel("note"),
        FieldPanel("confirmed_on"),
    ]

    class Meta:
        verbose_name = "Fachwissen"
        verbose_name_plural = "Fachwissen"
        ordering = ["person__name", "topic__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic", "city"], name="expertise_once_per_topic_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.topic.title}"

    @property
    def effective_city(self) -> City | None:
        return self.city if self.city_id else self.person.city


class TopicPage(Page):
    """Themenfeld: lists its articles, newest first, filterable by city."""

    intro = RichTextField("Einleitung", blank=True, features=["bold", "italic", "link"])
    default_review_interval = models.PositiveSmallIntegerField(
        "Prüfintervall der Beiträge",
        choices=TOPIC_INTERVAL_CHOICES,
        default=12,
        help_text="Gilt für jeden Beitrag dieses Themenfelds, der kein eigenes Intervall hat.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("default_review_interval"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["kb.ArticlePage"]

    class Meta:
        verbose_name = "Themenfeld"
        verbose_name_plural = "Themenfelder"

    def save(self, *args, **kwargs):
        # A published new interval moves the due dates of the articles that follow it (saves of
        # a draft revision pass update_fields and leave the live interval alone).
        update_fields = kwargs.get("update_fields")
        before = None
        if self.pk and (update_fields is None or "default_review_interval" in update_fields):
            before = (
                TopicPage.objects.filter(pk=self.pk)
                .values_list("default_review_interval", flat=True)
                .first()
            )
        result = super().save(*args, **kwargs)
        if before is not None and before != self.default_review_interval:
            from .reviews import recompute_topic_due_dates

            recompute_topic_due_dates(self)
        return result

    def serve(self, request, *args, **kwargs):
        from .listings import legacy_params_redirect

        # Links from before the filters were named as on the search page (?stadt= -> ?city=).
        return legacy_params_redirect(request) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .listings import topic_context

        context = super().get_context(request, *args, **kwargs)
        context.update(topic_context(self, request))
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )

    class Meta:
        # Tag pages, tag counts and related articles read (tag, article) pairs from the index
        # alone; "has this tag" checks per article are one index lookup.
        indexes = [models.Index(fields=["tag", "content_object"], name="kb_tag_article_idx")]


def _today() -> datetime.date:
    return timezone.localdate()


class ArticlePage(Page):
    """Wissensbeitrag: what one city learned, written so the other can reuse it."""

    summary = models.TextField("Kurzfassung", max_length=1000)
    body = StreamField(ArticleBodyBlock(), verbose_name="Inhalt", blank=True)
    cities = ParentalManyToManyField(City, verbose_name="Städte", related_name="articles")
    department = models.ForeignKey(
        Department,
        verbose_name="Zuständiger Fachbereich",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager("Schlagwörter", through=ArticlePageTag, blank=True)
    contacts = ParentalManyToManyField(
        ContactPerson, verbose_name="Ansprechpersonen", blank=True, related_name="articles"
    )
    counterpart = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Gegenstück in einer anderen Stadt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Der Beitrag, der beschreibt, wie eine andere Stadt dasselbe Problem löst.",
    )
    first_published = models.DateField("Erstveröffentlichung", default=_today)
    # Who answers for the article being correct, and who stands in (review reminders, reports).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Verantwortlich",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_articles",
        help_text="Prüft regelmäßig, ob der Beitrag noch stimmt, und erhält Rückmeldungen.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Vertretung",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_articles",
    )
    review_interval = models.PositiveSmallIntegerField(
        "Prüfintervall",
        choices=INTERVAL_CHOICES,
        null=True,
        blank=True,
        help_text="Leer: wie im Themenfeld festgelegt.",
    )
    # Ticked per publication by the editor; read once when the revision is published and never
    # carried into the next edit (ArticlePageForm starts it unticked).
    notify_subscribers = models.BooleanField(
        "Wesentliche Änderung – Abonnierende benachrichtigen",
        default=False,
        help_text="Nur bei inhaltlichen Änderungen; Tippfehler-Korrekturen melden niemandem etwas.",
    )
    # Review state: written by "Inhalt ist aktuell" and the reminder run, without a revision
    # (kept when a revision is published, see with_content_json).
    last_reviewed = models.DateField("Zuletzt fachlich geprüft", null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Geprüft von",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_due = models.DateField("Nächste Prüfung", null=True, blank=True, db_index=True)
    reminder_stage = models.PositiveSmallIntegerField("Erinnerungsstufe", default=0)
    reminded_on = models.DateField("Zuletzt erinnert", null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "cities", widget=forms.CheckboxSelectMultiple, help_text=CITIES_HELP_TEXT
                ),
                FieldPanel("department"),
                FieldPanel("tags"),
                FieldPanel(
                    "contacts",
                    widget=MultipleSnippetChooser(
                        ContactPerson,
                        choose_label="Ansprechperson auswählen oder neu anlegen",
                        empty_label="Noch keine Ansprechperson ausgewählt.",
                    ),
                ),
            ],
            heading="Herkunft und Einordnung",
        ),
        FieldPanel("body", help_text=BODY_HELP_TEXT),
        MultiFieldPanel(
            [
                PageChooserPanel("counterpart", "kb.ArticlePage"),
                FieldPanel("first_published"),
                FieldPanel("responsible"),
                FieldPanel("deputy"),
                FieldPanel("review_interval"),
            ],
            heading="Wissenstransfer und Pflege",
        ),
        # Its own icon: Wagtail's default for a section looks like a ticked box.
        FieldPanel("notify_subscribers", icon="mail"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        # The body's plain text, computed once per object: Wagtail's database backend asks for
        # each search field several times (title, body and autocomplete columns).
        index.SearchField("body_text"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("cities", [index.SearchField("name")]),
        index.RelatedFields("department", [index.SearchField("name")]),
        index.FilterField("first_published"),
    ]

    # A new article: the city preselected from the editor's group, the body template.
    base_form_class = ArticlePageForm

    parent_page_types = ["kb.TopicPage"]
    subpage_types: list[str] = []

    @classmethod
    def get_indexed_objects(cls):
        # Wagtail's search backends read the cities several times per article (once per index
        # column); without the prefetch that is three queries per article in bulk indexing.
        return super().get_indexed_objects().prefetch_related("cities")

    # Fields a published revision must not overwrite: the review state moves without revisions.
    REVIEW_STATE_FIELDS = (
        "last_reviewed",
        "last_reviewed_by",
        "review_due",
        "reminder_stage",
        "reminded_on",
    )

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.REVIEW_STATE_FIELDS:
            field = self._meta.get_field(name)
            setattr(page, field.attname, getattr(self, field.attname))
        return page

    def effective_review_interval(self, topic: TopicPage | None = None) -> int:
        """Months between reviews (0: no regular review), the topic area's when unset."""
        if self.review_interval is not None:
            return self.review_interval
        topic = topic or (self.get_parent().specific if self.pk or self.path else None)
        return getattr(topic, "default_review_interval", 12)

    def compute_review_due(self, topic: TopicPage | None = None) -> datetime.date | None:
        return due_date(
            self.last_reviewed or self.first_published, self.effective_review_interval(topic)
        )

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None and self.path:
            self.review_due = self.compute_review_due()
        return super().save(*args, **kwargs)

    def body_text(self) -> str:
        """The readable text of the body (for Wagtail's admin search)."""
        key = (id(self.body), len(self.body.raw_data))
        cached = getattr(self, "_body_text", None)
        if cached is None or cached[0] != key:
            cached = self._body_text = (key, plain_body_text(self))
        return cached[1]

    class Meta:
        verbose_name = "Wissensbeitrag"
        verbose_name_plural = "Wissensbeiträge"
        # "Newest first" lists (home, topic, tag pages) walk this index backwards and stop
        # after a page of articles instead of sorting all of them.
        indexes = [
            models.Index(fields=["first_published", "page_ptr"], name="kb_article_newest_idx")
        ]

    @property
    def topic(self) -> Page | None:
        return self.get_parent()

    def get_context(self, request, *args, **kwargs):
        from .listings import article_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_context(self, request))
        return context
