"""Side by side (in the "cooperation" namespace, under /vergleich/)."""

from django.urls import path

from . import comparison_views

urlpatterns = [
    path("<int:a>/", comparison_views.compare_pick, name="compare_pick"),
    path("<int:a>/<int:b>/", comparison_views.compare, name="compare"),
]
