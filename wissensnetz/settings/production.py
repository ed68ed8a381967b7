"""Production: every secret and host from the environment, hardened cookies and transport.

The documented environment (docs/PRODUCTION.md) passes `manage.py check --deploy` without a
warning; tests/test_production.py runs it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (e.g. wissen.example).")

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and overwrite any value a
# client sent); Django then treats such requests as secure and redirects plain HTTP to HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The health check is called by load balancers over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload flag alone changes nothing; it only allows submitting the domain to the browsers'
# preload list (a decision for the whole registrable domain, see docs/PRODUCTION.md).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No framing; Wagtail's preview views allow their own origin themselves.
X_FRAME_OPTIONS = "DENY"

# Static files: collectstatic writes compressed (gzip, brotli if installed) copies with content
# hashes in their names; WhiteNoise serves them with far-future cache headers.
STORAGES = {
    **STORAGES,  # noqa: F405 - media storage as chosen in base (MEDIA_STORAGE)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per log line on stdout (journald, Docker, Loki …) unless LOG_FORMAT=text.
if os.environ.get("LOG_FORMAT", "json").strip().lower() == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
