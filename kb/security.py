"""Login protection helpers for django-axes (see the AXES_* settings)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.views import authenticate_with_password


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a login attempt comes from.

    Without a proxy (TRUSTED_PROXY_COUNT = 0) that is REMOTE_ADDR. Behind N trusted reverse
    proxies that each append the address they saw to X-Forwarded-For, the client is the N-th
    entry from the right; entries further left can be forged by the client and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def _password_guess_key(request: HttpRequest, restriction_id: int) -> str:
    return f"page-password-guesses:{restriction_id}:{client_ip_address(request) or '-'}"


def throttled_page_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    """Wagtail's form for password-protected pages, throttled like the login forms: after
    AXES_FAILURE_LIMIT wrong passwords for one protected section from one address, further
    tries are refused for AXES_COOLOFF_TIME (the count lives in the cache: per process without
    REDIS_URL, shared with it)."""
    key = _password_guess_key(request, page_view_restriction_id)
    limit = settings.AXES_FAILURE_LIMIT
    if request.method == "POST" and cache.get(key, 0) >= limit:
        return TemplateResponse(
            request,
            "registration/page_password_lockout.html",
            {"cooloff_timedelta": settings.AXES_COOLOFF_TIME},
            status=429,
        )
    response = authenticate_with_password(request, page_view_restriction_id, page_id)
    if request.method == "POST":
        if response.status_code in (301, 302):
            cache.delete(key)
        else:
            timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
            cache.add(key, 0, timeout)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout)
    return response
