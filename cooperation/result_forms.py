"""The site's form "Ergebnis festhalten" of a working group."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import HttpRequest

from kb.listings import visible_article_pages
from kb.models import ArticlePage

from .models import MeetingPage, Result, WorkingGroupPage

# Articles offered for linking: the newest of the group's topic areas (a site with thousands
# of articles must not render them all into a form).
ARTICLE_CHOICES_LIMIT = 100


class ArticleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        cities = ", ".join(city.name for city in obj.cities.all())
        return f"{obj.title} ({cities})" if cities else obj.title


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class ResultForm(forms.ModelForm):
    meeting = MeetingChoiceField(
        label="Städtetag",
        queryset=MeetingPage.objects.none(),
        required=False,
        empty_label="Zwischen den Städtetagen",
        help_text="Bei welchem Städtetag wurde es festgehalten?",
    )
    articles = ArticleChoiceField(
        label="Verknüpfte Beiträge",
        queryset=ArticlePage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: Beiträge aus den Themenfeldern der Arbeitsgruppe.",
    )

    class Meta:
        model = Result
        fields = ["title", "text", "meeting", "articles"]
        labels = {"title": "Ergebnis", "text": "Beschreibung"}
        help_texts = {
            "title": "In einem Satz: was wurde herausgefunden oder entschieden?",
            "text": "Optional: Hintergrund, Begründung, nächste Schritte.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, group: WorkingGroupPage, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["title"].widget.attrs["maxlength"] = 255
        self.fields["meeting"].queryset = (
            MeetingPage.objects.live().order_by("-year", "-date").only("pk", "title", "year")
        )
        visible = visible_article_pages(request)
        topics = list(group.topics.all())
        in_topics = Q(pk__in=[])
        for topic in topics:
            in_topics |= Q(path__startswith=topic.path, depth=topic.depth + 1)
        offered = visible.filter(in_topics) if topics else visible
        offered_ids = list(
            offered.order_by("-first_published", "-pk").values_list("pk", flat=True)[
                :ARTICLE_CHOICES_LIMIT
            ]
        )
        # Only what is offered is accepted: an id of a draft or of a page behind a view
        # restriction is refused like any unknown choice.
        self.fields["articles"].queryset = (
            visible.filter(pk__in=offered_ids)
            .defer_streamfields()
            .prefetch_related("cities")
            .order_by("title")
        )

    def save(self, commit: bool = True) -> Result:
        self.instance.group = self.group
        return super().save(commit=commit)
