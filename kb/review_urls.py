"""/pruefung/: "Inhalt ist aktuell" on the article page (kb.review_views)."""

from django.urls import path

from . import review_views

app_name = "kb_review"

urlpatterns: list = [
    path("<int:page_id>/bestaetigen/", review_views.confirm, name="confirm"),
]
