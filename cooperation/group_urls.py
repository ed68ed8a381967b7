from django.urls import path

from . import group_views

urlpatterns = [
    path("<int:group_id>/ergebnis/", group_views.result_create, name="result_create"),
]
