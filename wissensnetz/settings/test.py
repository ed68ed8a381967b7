"""Test settings: fast password hashing, in-memory media, no outgoing mail."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="wissensnetz-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders; no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# django-axes stays on (tests/test_trust_login.py proves the lockout). Only authenticate()
# calls without a request – Django's test client login() – skip the axes check.
AXES_ENABLED = True
AUTHENTICATION_BACKENDS = [
    "tests.axes_backend.TestClientAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
