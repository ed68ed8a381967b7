"""The readers' forms: a vote (Ja/Nein with an optional comment) and a report."""

from __future__ import annotations

from django import forms

from .models import REPLY_MAX, REPORT_COMMENT_MAX, VOTE_COMMENT_MAX

HELPFUL_CHOICES = [("ja", "Ja"), ("nein", "Nein")]


class TextField(forms.CharField):
    """A text area's value with its line breaks as one character each, as the browser counts
    them for `maxlength` (it sends them as CR LF)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def _too_long(limit: int) -> str:
    return f"Bitte fassen Sie sich kürzer: höchstens {limit} Zeichen."


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(
        choices=HELPFUL_CHOICES,
        error_messages={
            "required": "Bitte wählen Sie „Ja“ oder „Nein“.",
            "invalid_choice": "Bitte wählen Sie „Ja“ oder „Nein“.",
        },
    )
    comment = TextField(
        label="Kommentar",
        required=False,
        max_length=VOTE_COMMENT_MAX,
        error_messages={"max_length": _too_long(VOTE_COMMENT_MAX)},
    )

    @property
    def is_helpful(self) -> bool:
        return self.cleaned_data["helpful"] == "ja"


class ReportForm(forms.Form):
    comment = TextField(
        label="Was ist veraltet oder fehlerhaft?",
        max_length=REPORT_COMMENT_MAX,
        error_messages={
            "required": "Bitte beschreiben Sie kurz, was veraltet oder fehlerhaft ist.",
            "max_length": _too_long(REPORT_COMMENT_MAX),
        },
    )


class CloseReportForm(forms.Form):
    reply = TextField(
        label="Antwort an die meldende Person",
        help_text="Wird per E-Mail an die Person geschickt, die die Meldung abgegeben hat.",
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Bitte schreiben Sie eine Antwort; sie geht an die meldende Person.",
            "max_length": _too_long(REPLY_MAX),
        },
    )


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return "Bitte prüfen Sie Ihre Eingabe."
