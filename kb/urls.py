from django.urls import path

from . import views

app_name = "kb"

urlpatterns = [
    path("", views.tag_index, name="tag_index"),
    path("<str:slug>/", views.tag_detail, name="tag_detail"),
]
