from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.mail import send_mail
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, EmailFormMixin
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site root: search box, topic tiles and what is new in each city."""

    intro = RichTextField("Einleitung", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.TopicPage", "cooperation.CooperationIndexPage", "home.AccessibilityPage"]
    max_count = 1

    class Meta:
        verbose_name = "Startseite"

    def get_context(self, request, *args, **kwargs):
        from kb.listings import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


FOOTER_LINK_CACHE_KEY = "home:accessibility-url"


class AccessibilityFormField(AbstractFormField):
    page = ParentalKey("AccessibilityPage", on_delete=models.CASCADE, related_name="form_fields")


class AccessibilityPage(AbstractEmailForm):
    """Erklärung zur Barrierefreiheit (BITV NRW § 4, intranets included) with its feedback form.

    One per site, under the home page, linked from every footer. The Chefredaktion edits the
    statement in the admin; submissions are kept (admin → Formulare) and mailed to the page's
    "Empfänger" or, when that is empty, to ACCESSIBILITY_FEEDBACK_EMAIL, else to the
    Chefredaktion.
    """

    # Written in the admin's editor (these features only) or by this app's data migration.
    intro = RichTextField(
        "Erklärung", blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    thank_you_text = RichTextField(
        "Text nach dem Absenden", blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Felder des Rückmeldeformulars"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("to_address"), FieldPanel("subject")], heading="E-Mail an die Redaktion"
        ),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "home/accessibility_page.html"
    landing_page_template = "home/accessibility_page_landing.html"

    class Meta:
        verbose_name = "Erklärung zur Barrierefreiheit"

    def save(self, *args, **kwargs):
        # Publish, unpublish and move all save the page: the footer link follows at once.
        result = super().save(*args, **kwargs)
        cache.delete(FOOTER_LINK_CACHE_KEY)
        return result

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(FOOTER_LINK_CACHE_KEY)
        return result

    def feedback_recipients(self) -> list[str]:
        if self.to_address:
            return [address.strip() for address in self.to_address.split(",") if address.strip()]
        configured = getattr(settings, "ACCESSIBILITY_FEEDBACK_EMAIL", "")
        if configured:
            return [address.strip() for address in configured.split(",") if address.strip()]
        User = get_user_model()
        return sorted(
            User.objects.filter(groups__name="Chefredaktion", is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )

    def render_email(self, form) -> str:
        user = getattr(form, "user", None)
        sender = ""
        if user is not None and user.is_authenticated:
            sender = f"Von: {user.get_full_name() or user.get_username()}"
            if user.email:
                sender += f" <{user.email}>"
            sender += "\n\n"
        return sender + super().render_email(form)

    def process_form_submission(self, form):
        # FormMixin saves the submission; the mail goes to whoever answers feedback.
        submission = super(EmailFormMixin, self).process_form_submission(form)
        recipients = self.feedback_recipients()
        if recipients:
            send_mail(
                self.subject or "Rückmeldung zur Barrierefreiheit des Wissensnetzes",
                self.render_email(form),
                recipients,
                self.from_address or None,
            )
        return submission
