"""Wer weiß was?, person pages and "Meine Angaben" (names in the "cooperation" namespace)."""

from django.urls import path

from . import people_views

urlpatterns = [
    path("wer-weiss-was/", people_views.expert_finder, name="expert_finder"),
    path("personen/<int:pk>/", people_views.person_page, name="person"),
    path("meine-angaben/", people_views.my_profile, name="my_profile"),
    path("meine-angaben/anlegen/", people_views.my_profile_create, name="my_profile_create"),
    path("meine-angaben/bestaetigen/", people_views.my_profile_confirm, name="my_profile_confirm"),
    path("meine-angaben/fachwissen/neu/", people_views.my_expertise_add, name="my_expertise_add"),
    path(
        "meine-angaben/fachwissen/<int:pk>/",
        people_views.my_expertise_edit,
        name="my_expertise_edit",
    ),
    path(
        "meine-angaben/fachwissen/<int:pk>/entfernen/",
        people_views.my_expertise_delete,
        name="my_expertise_delete",
    ),
]
