from django.urls import path

from . import owner_views, views

app_name = "feedback"

urlpatterns = [
    path("<int:article_id>/bewertung/", views.vote, name="vote"),
    path("<int:article_id>/meldung/", views.report, name="report"),
    path("meldungen/", owner_views.report_list, name="reports"),
    path("meldungen/<int:pk>/", owner_views.report_detail, name="report_detail"),
]
