"""Site URLs of the handbook, mounted at /notfallhandbuch/ (wissensnetz/urls.py)."""

from django.urls import path

from . import views

app_name = "handbook"

urlpatterns = [
    path("", views.download_page, name="download_page"),
    path("<str:name>", views.download, name="download"),
]
