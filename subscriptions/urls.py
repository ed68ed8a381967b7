from django.urls import path

from . import feeds, views

app_name = "subscriptions"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("abonnieren/", views.subscribe, name="subscribe"),
    path("beenden/", views.unsubscribe, name="unsubscribe"),
    path("zustellung/", views.set_delivery, name="delivery"),
    path("feed-adresse/", views.feed_token, name="feed_token"),
    path("abbestellen/<str:token>/", views.unsubscribe_link, name="unsubscribe_link"),
    path("feed/<str:token>/", feeds.feed_view, name="feed"),
]
