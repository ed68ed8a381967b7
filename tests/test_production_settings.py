"""What the production settings take from the environment: media storage (shared path or
S3-compatible bucket), task backend, cache, sessions, gunicorn workers. Each case loads the
real settings module in a separate process, as an app server would.

No S3 server runs here: the S3 case proves that the settings select django-storages' S3 backend
with the given bucket and endpoint and that it signs URLs for that endpoint (done locally by
boto3); uploading to a live bucket is untested (docs/PRODUCTION.md says so)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.test_production import production_env
from wissensnetz.gunicorn_conf import default_workers, workers_from_env

PROJECT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django_tasks import task_backends
default_storage = storages["default"]
print(json.dumps({
    "storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "location": getattr(default_storage, "location", None),
    "url": default_storage.url("images/rathaus.jpg"),
    "cache": type(caches["default"]).__name__,
    "sessions": settings.SESSION_ENGINE,
    "tasks": type(task_backends["default"]).__name__,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "media_root": str(settings.MEDIA_ROOT),
}))
"""


def probe(tmp_path, **env) -> dict:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PROBE],
        cwd=PROJECT,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def fails(tmp_path, **env) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    return result.stderr


def test_defaults_keep_state_out_of_the_app_server_except_the_local_cache(tmp_path):
    settings = probe(tmp_path, MEDIA_ROOT="/srv/wissensnetz-shared/media")
    assert settings["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert settings["media_root"] == "/srv/wissensnetz-shared/media"
    assert settings["url"] == "/media/images/rathaus.jpg"  # served by kb.media after a login
    assert settings["sessions"] == "django.contrib.sessions.backends.db"
    assert settings["cache"] == "LocMemCache"
    assert settings["tasks"] == "ImmediateBackend"
    assert settings["img_src"] == ["'self'", "data:", "blob:"]


def test_redis_url_selects_the_shared_redis_cache(tmp_path):
    settings = probe(tmp_path, REDIS_URL="redis://cache.intern:6379/1")
    assert settings["cache"] == "RedisCache"


def test_task_backend_database_selects_the_persistent_queue(tmp_path):
    assert probe(tmp_path, TASK_BACKEND="database")["tasks"] == "DatabaseBackend"
    refused = fails(tmp_path, TASK_BACKEND="celery")
    assert "TASK_BACKEND must be one of immediate, database" in refused


def test_s3_media_storage_signs_urls_for_the_configured_endpoint(tmp_path):
    settings = probe(
        tmp_path,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="wissensnetz-medien",
        AWS_S3_ENDPOINT_URL="https://s3.rechenzentrum.example:9000",
        AWS_S3_REGION_NAME="de-nrw-1",
        AWS_ACCESS_KEY_ID="wissensnetz",
        AWS_SECRET_ACCESS_KEY="nur-fuer-den-test",
    )
    assert settings["storage"] == "storages.backends.s3.S3Storage"
    assert settings["bucket"] == "wissensnetz-medien"
    url = urlsplit(settings["url"])
    assert f"{url.scheme}://{url.netloc}" == "https://s3.rechenzentrum.example:9000"
    assert url.path == "/wissensnetz-medien/media/images/rathaus.jpg"  # path-style, media/ prefix
    query = parse_qs(url.query)
    assert "X-Amz-Signature" in query and query["X-Amz-Expires"] == ["3600"]
    # The pages may show images from the bucket, and only from there.
    assert settings["img_src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://s3.rechenzentrum.example:9000",
    ]


def test_s3_media_storage_needs_a_bucket_and_unknown_storages_are_refused(tmp_path):
    assert "needs AWS_STORAGE_BUCKET_NAME" in fails(tmp_path, MEDIA_STORAGE="s3")
    assert "MEDIA_STORAGE must be 'filesystem' or 's3'" in fails(tmp_path, MEDIA_STORAGE="ftp")


@pytest.mark.parametrize(
    ("cores", "workers"), [(1, 3), (2, 5), (4, 9), (16, 9)], ids=lambda v: str(v)
)
def test_default_gunicorn_workers_follow_the_cores_with_a_cap(cores, workers):
    assert default_workers(cores) == workers


def test_web_concurrency_overrides_the_worker_count():
    assert workers_from_env({"WEB_CONCURRENCY": "3"}) == 3
    assert workers_from_env({}) == default_workers()
    with pytest.raises(ValueError):
        workers_from_env({"WEB_CONCURRENCY": "0"})
