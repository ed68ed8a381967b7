"""The offline crisis handbook (Notfallhandbuch): which pages, and the bundles built of them.

One setting per site (admin → Einstellungen → Notfallhandbuch), edited by the Chefredaktion: a
start page whose whole subtree goes into the handbook (default: the topic area
"Krisenmanagement") and further chosen pages. Pages with a view restriction never go in by way
of the subtree; only a chosen page with "include_private" ticked does, and the bundle's contents
mark it.
"""

from __future__ import annotations

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page


@register_setting(icon="help")
class HandbookSettings(ClusterableModel, BaseSiteSetting):
    root_page = models.ForeignKey(
        Page,
        verbose_name="Startseite des Handbuchs",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Diese Seite und alle veröffentlichten, öffentlichen Seiten darunter. "
        "Leer: das Themenfeld „Krisenmanagement“.",
    )
    include_subtree = models.BooleanField(
        "Alle Seiten darunter aufnehmen",
        default=True,
        help_text="Ohne Haken nur die Startseite selbst (und die weiteren Seiten unten).",
    )

    panels = [
        FieldPanel("root_page"),
        FieldPanel("include_subtree"),
        InlinePanel("extra_pages", label="Weitere Seite", heading="Weitere Seiten"),
    ]

    class Meta:
        verbose_name = "Notfallhandbuch"
        verbose_name_plural = "Notfallhandbuch"


class HandbookPage(Orderable):
    """A page chosen for the handbook besides the start page's subtree."""

    setting = ParentalKey(HandbookSettings, related_name="extra_pages", on_delete=models.CASCADE)
    page = models.ForeignKey(Page, verbose_name="Seite", on_delete=models.CASCADE, related_name="+")
    include_private = models.BooleanField(
        "Auch wenn nicht öffentlich",
        default=False,
        help_text="Nur für Seiten mit Zugriffsbeschränkung: ins Handbuch aufnehmen. Wer das "
        "Handbuch hat, kann sie dann lesen; das Inhaltsverzeichnis kennzeichnet sie.",
    )

    panels = [FieldPanel("page"), FieldPanel("include_private")]

    class Meta(Orderable.Meta):
        verbose_name = "Weitere Seite"
        verbose_name_plural = "Weitere Seiten"
