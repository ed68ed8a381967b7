"""Settings shared by every environment; deployment specifics comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from wissensnetz.json_logs import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "kb",
    "search",
    "feedback",
    "subscriptions",
    "cooperation",
    "documents",
    "handbook",
    "ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Brute-force protection of every login form (ours and the Wagtail admin's).
    "axes",
    # Content-Security-Policy header (wissensnetz/csp.py).
    "csp",
    # Background tasks (search index upkeep); django_tasks_db holds the persistent queue.
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wissensnetz.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wissensnetz.middleware.NulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logged-in users: Cache-Control private, no-store; never an empty ETag (see the class).
    "wissensnetz.middleware.PrivateCacheMiddleware",
    # Everything is internal: reading requires an account (views opt out with @login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login blocked by django-axes into the lockout page (HTTP 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wissensnetz.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kb.context_processors.navigation",
                "cooperation.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "wissensnetz.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and NORMAL sync: readers never wait for a writer, and a commit costs no fsync of the
    # whole database; IMMEDIATE transactions avoid "database is locked" on concurrent writes.
    # A writer waits up to SQLITE_BUSY_TIMEOUT seconds for another one's commit (an import of a
    # few thousand articles; below gunicorn's WEB_TIMEOUT); after that the request gets the
    # "please retry" page (wissensnetz/errors.py), never a 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# AxesBackend first: it refuses locked-out username/IP pairs before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one IP address that pair is locked for AXES_COOLOFF_MINUTES; other accounts
# and other addresses can still log in. A successful login resets the counter.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_COOLOFF_MESSAGE = (
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut "
    "oder wenden Sie sich an die IT."
)
AXES_PERMALOCK_MESSAGE = (
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte wenden Sie sich an die IT."
)
# Client address for the lockout: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT > 0 the address
# that many proxies from the right in X-Forwarded-For (the proxies' own entries are skipped).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "kb.security.client_ip_address"

# Outgoing mail (password reset, review notifications) through an SMTP server. Development
# prints mails to the console unless EMAIL_HOST is set; the tests keep them in memory.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Wissensnetz <wissensnetz@localhost>"
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
# Who answers feedback on the accessibility statement (BITV NRW), comma-separated; empty: the
# page's own "Empfänger", else the Chefredaktion's addresses (home.models.AccessibilityPage).
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL", "")
# Days before an agreed action's due date its responsible person is reminded (cooperation).
COOPERATION_ACTION_REMINDER_DAYS = int(os.environ.get("COOPERATION_ACTION_REMINDER_DAYS") or "7")
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before an unreachable mail server gives up (Django's default waits forever).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or "10")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
# The project's own catalogue comes before every app's: locale/de/LC_MESSAGES/django.po gives
# Wagtail's review texts one vocabulary ("Fachliche Freigabe", "zur Freigabe eingereicht",
# "freigegeben", "Änderungen erbeten"). The compiled .mo is committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded files are served by kb.media.protected_media (login required, also in production).
# Set to an internal nginx location (e.g. "/protected-media/") to let nginx send the bytes via
# X-Accel-Redirect after Django has checked the login; empty: Django streams the file itself.
MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", "")


def media_storage() -> dict:
    """Where uploaded files live: MEDIA_ROOT (a local or shared path, default) or, with
    MEDIA_STORAGE=s3, an S3-compatible bucket through django-storages."""
    kind = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
    if kind in {"", "filesystem", "file"}:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    options = {
        "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("AWS_LOCATION", "media"),
        # Private bucket: every URL is signed and expires; nothing is public-read.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
        "file_overwrite": False,
    }
    if options["endpoint_url"]:
        # S3-compatible servers (MinIO, Ceph, NetApp …) mostly expect path-style addressing.
        options["addressing_style"] = os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")
    if not options["bucket_name"]:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def media_origins(storage: dict) -> list[str]:
    """Origins the browser loads uploaded images from (for the Content-Security-Policy)."""
    if storage["BACKEND"] != "storages.backends.s3.S3Storage":
        return []
    from urllib.parse import urlsplit

    options = storage["OPTIONS"]
    if options["endpoint_url"]:
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket, region = options["bucket_name"], options["region_name"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


# Sessions live in the database, so every app server behind a load balancer sees them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# One cache for all app servers with REDIS_URL (e.g. redis://cache.internal:6379/0); without
# it each process has its own memory cache (fine for a single server).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "wissensnetz"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (search index updates on publish/unpublish/move/delete, Wagtail's reference
# index and file clean-up). TASK_BACKEND=immediate runs them inside the request;
# TASK_BACKEND=database queues them in the database for `manage.py db_worker` (`make worker`).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def task_settings(default: str = "immediate") -> dict:
    kind = os.environ.get("TASK_BACKEND", default).strip().lower() or default
    if kind not in TASK_BACKENDS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TASK_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {kind!r}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[kind]}}


TASKS = task_settings()

# Content-Security-Policy (django-csp) in every environment, so the test suite and the browser
# tests run under it. Everything from our own origin, nothing inline, nothing from a CDN;
# wissensnetz/csp.py relaxes it for /admin/ only (Wagtail's inline widget scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# With MEDIA_STORAGE=s3 the browser loads images and media from the bucket's (signed) URLs.
for _directive in ("img-src", "media-src"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += media_origins(STORAGES["default"])

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Backups (kb_backup/kb_restore): JSON fixtures with natural keys only for content types and
# permissions, so they load into SQLite and PostgreSQL alike (see kb/serialization.py).
SERIALIZATION_MODULES = {"wissensnetz-json": "kb.serialization"}

# Wagtail
WAGTAIL_SITE_NAME = "Wissensnetz Arnsberg · Sundern"
# The one address of the site in every mail: admin links directly, page links through the
# default Site, which follows it after every migrate (home/sites.py), password reset links too.
WAGTAILADMIN_BASE_URL = (os.environ.get("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000").rstrip(
    "/"
)
# Review requests go to the groups of the review task (Chefredaktion) only; with Wagtail's
# default a superuser got two mails per submission (the workflow's and the task's).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_FINDERS: list[dict] = []  # no requests to external oEmbed providers
# No Gravatar: the admin would send every user's e-mail hash to gravatar.com (and the CSP
# blocks it anyway); Wagtail shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Documents are served through Django so the login requirement applies to them too.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "md",
    "odt",
    "ods",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = os.environ.get(
    "SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "database"
)


# Wagtail's own search (admin page search) always uses the database backend; the staff search
# uses the engine in search/ (database index, or Elasticsearch/OpenSearch when configured).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # PostgreSQL: stem German, not English.
        "SEARCH_CONFIG": "german",
    }
}
ELASTICSEARCH_USER = os.environ.get("ELASTICSEARCH_USER", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "wissensnetz_")

# A German thesaurus in MyThes format (OpenThesaurus from Debian's mythes-de) as a weak source of
# query words (search.thesaurus). Empty: no thesaurus expansion; a missing file: the same, logged.
WISSENSNETZ_THESAURUS = os.environ.get(
    "WISSENSNETZ_THESAURUS", "/usr/share/mythes/th_de_DE_v2.dat"
).strip()


# Logs go to stdout: plain text by default, one JSON object per line with LOG_FORMAT=json
# (the default in production; python-json-logger).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": JSON_FORMATTER,
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # One line per background task or page action drowns real messages in bulk imports.
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING").upper()},
    },
}

# Tags match case-insensitively: "kita" and "Kita" are one tag.
TAGGIT_CASE_INSENSITIVE = True

# Largest archive kb_restore unpacks (MB, all files together); bigger ones are refused.
BACKUP_MAX_MB = int(os.environ.get("BACKUP_MAX_MB", "20480"))

# Text of uploaded documents for the search (documents/extraction.py), read in a child process.
# Bigger files are not read, only the first MAX_PAGES pages and MAX_CHARS characters are kept
# (like Elasticsearch's indexed_chars); a child that takes longer than TIMEOUT seconds or more
# than MAX_MEMORY_MB of address space is stopped. Editors see every limit hit in the admin.
DOCUMENT_TEXT_MAX_BYTES = int(os.environ.get("DOCUMENT_TEXT_MAX_BYTES") or str(50 * 1024 * 1024))
DOCUMENT_TEXT_MAX_PAGES = int(os.environ.get("DOCUMENT_TEXT_MAX_PAGES") or "500")
DOCUMENT_TEXT_MAX_CHARS = int(os.environ.get("DOCUMENT_TEXT_MAX_CHARS") or "100000")
DOCUMENT_TEXT_TIMEOUT = float(os.environ.get("DOCUMENT_TEXT_TIMEOUT") or "30")
DOCUMENT_TEXT_MAX_MEMORY_MB = int(os.environ.get("DOCUMENT_TEXT_MAX_MEMORY_MB") or "512")

# The offline crisis handbook's bundles (handbook/): where they are kept and how many.
HANDBOOK_ROOT = os.environ.get("HANDBOOK_ROOT", "")
HANDBOOK_KEEP_VERSIONS = int(os.environ.get("HANDBOOK_KEEP_VERSIONS") or "5")
