"""Login protection helpers for django-axes (see the AXES_* settings)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
