"""A shared cache for several app servers: REDIS_URL, tested against a throw-away redis-server
(started by the `redis_url` fixture; skipped with a visible reason without redis-server)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from wagtail.models import Site

from tests.test_production import production_env

PROJECT = Path(__file__).resolve().parent.parent


def in_app_server(env: dict[str, str], code: str) -> str:
    """Run code in a separate process with the production settings, like a second app server."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


@pytest.fixture
def redis_cache(settings, redis_url):
    prefix = "test-" + secrets.token_hex(4)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    cache.clear()


def test_two_app_servers_share_the_cache(tmp_path, redis_url):
    env = production_env(tmp_path, REDIS_URL=redis_url, CACHE_KEY_PREFIX="wn-share-test")
    code_a = (
        "from django.core.cache import cache; "
        "cache.set('hinweis', 'von Server A', 60); "
        "cache.add('login-versuche:203.0.113.7', 0, 60); "
        "print(cache.incr('login-versuche:203.0.113.7'))"
    )
    code_b = (
        "from django.core.cache import cache; "
        "print(cache.get('hinweis')); "
        "print(cache.incr('login-versuche:203.0.113.7'))"
    )
    assert in_app_server(env, code_a) == "1"
    # A second process ("server B") sees what A stored and continues A's counter.
    assert in_app_server(env, code_b).splitlines() == ["von Server A", "2"]
    # Another installation on the same Redis (other prefix) sees nothing of it.
    other = production_env(tmp_path, REDIS_URL=redis_url, CACHE_KEY_PREFIX="andere-instanz")
    read = "from django.core.cache import cache; print(cache.get('hinweis'))"
    assert in_app_server(other, read) == "None"


@pytest.mark.django_db
def test_wagtail_keeps_its_site_lookup_in_redis(redis_cache, redis_url):
    import redis

    Site.get_site_root_paths()
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys(f"{redis_cache}:*")]
    assert any(key.endswith("wagtail_site_root_paths") for key in keys), keys
    # A change to the sites clears the shared entry, so no app server keeps a stale tree.
    site = Site.objects.get(is_default_site=True)
    site.save()
    assert cache.get("wagtail_site_root_paths") is None


@pytest.mark.django_db
def test_pages_render_with_the_redis_cache(redis_cache, staff_client, demo_articles):
    assert staff_client.get("/").status_code == 200
    assert staff_client.get("/suche/", {"q": "Hitze"}).status_code == 200
