"""Agreed actions under /massnahmen/ (names in the "cooperation" namespace)."""

from django.urls import path

from . import action_views

urlpatterns = [
    path("", action_views.tracker, name="tracker"),
    path("export.csv", action_views.tracker_csv, name="tracker_csv"),
    path("neu/", action_views.action_create, name="action_create"),
    path("<int:pk>/", action_views.action_detail, name="action_detail"),
    # The calendar feed works without a session (the token authorises); see tests/test_trust_access.
    path("kalender/<str:token>.ics", action_views.calendar_feed, name="calendar"),
    path("kalender-adresse/", action_views.calendar_token, name="calendar_token"),
]
