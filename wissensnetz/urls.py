from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.urls import password_reset as wagtailadmin_password_reset_urls
from wagtail.admin.views.home import sprite
from wagtail.admin.views.i18n import localized_js_catalog
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from kb.media import protected_media
from kb.security import throttled_page_password
from ops.health import healthz
from search import api as search_api
from search import radar as search_radar
from search import views as search_views
from wissensnetz import accounts

urlpatterns = [
    path("anmelden/", accounts.LoginView.as_view(), name="login"),
    path("abmelden/", accounts.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail (Django's views and URL names, German addresses), public.
    path(
        "passwort-vergessen/",
        login_not_required(accounts.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        login_not_required(accounts.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/gespeichert/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("healthz", healthz, name="healthz"),
    # What the admin's login page needs (scripts' translations, icons, the password reset) is
    # public in Wagtail, but LoginRequiredMiddleware does not know that: the same routes,
    # marked, before the admin's own.
    path("admin/jsi18n/", login_not_required(localized_js_catalog)),
    path("admin/sprite/", login_not_required(sprite)),
    path(
        "admin/password_reset/",
        include(
            decorate_urlpatterns(wagtailadmin_password_reset_urls.urlpatterns, login_not_required)
        ),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("suche/", search_views.search_page, name="search"),
    path("transfer-radar/", search_radar.transfer_radar, name="transfer_radar"),
    path("api/v1/search/", search_api.search_api, name="api_search"),
    path("api/v1/autocomplete/", search_api.autocomplete_api, name="api_autocomplete"),
    path("tags/", include("kb.urls")),
    path("pruefung/", include("kb.review_urls")),
    path("rueckmeldung/", include("feedback.urls")),
    path("abos/", include("subscriptions.urls")),
    path("", include("cooperation.urls")),
    path("notfallhandbuch/", include("handbook.urls")),
]

urlpatterns += [
    # Uploaded images in every environment, only for logged-in users (kb/media.py).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", protected_media, name="media"),
    # Wagtail's own route, throttled (kb.security): must come before wagtail_urls.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttled_page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
]

handler500 = "wissensnetz.errors.server_error"
