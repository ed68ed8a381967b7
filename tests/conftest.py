"""Shared fixtures: users of each editorial group and a small published article set."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from kb.importer import import_file
from kb.topics import ensure_default_topics

DATA_DIR = Path(__file__).parent / "data"
DEMO_FILE = Path(__file__).resolve().parent.parent / "kb" / "demo" / "demo_articles.jsonl"


def make_user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password="pw-" + username, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff(db) -> User:
    return make_user("mia", "Mitarbeitende", email="mia@arnsberg.example")


@pytest.fixture
def editor(db) -> User:
    return make_user("ronja", "Redaktion Arnsberg", email="ronja@arnsberg.example")


@pytest.fixture
def chief(db) -> User:
    return make_user("charlotte", "Chefredaktion", email="charlotte@sundern.example")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def demo_articles(db) -> list[dict]:
    """The project's demo articles, imported and published."""
    ensure_default_topics()
    import_file(DEMO_FILE.read_bytes())
    return [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def redis_url():
    """URL of a throw-away redis-server (scripts/with_redis.py), started once per test run.

    REDIS_TEST_URL names an existing server instead. Without redis-server the tests that need
    it are skipped with the reason in pytest's summary."""
    import importlib.util

    if os.environ.get("REDIS_TEST_URL"):
        yield os.environ["REDIS_TEST_URL"]
        return
    script = Path(__file__).resolve().parent.parent / "scripts" / "with_redis.py"
    spec = importlib.util.spec_from_file_location("with_redis", script)
    with_redis = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(with_redis)
    server = with_redis.find_server()
    if server is None:
        pytest.skip(with_redis.SKIP_MESSAGE)
    with with_redis.running_redis(server) as url:
        yield url


@pytest.fixture(scope="session")
def _smtp_server_process():
    from tests.mail_server import running_smtp_server

    with running_smtp_server() as server:
        yield server


@pytest.fixture
def smtp_server(_smtp_server_process, settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, tests/mail_server.py) that Django's SMTP
    backend sends to during the test; ``smtp_server.mails`` is what arrived, in order."""
    server = _smtp_server_process
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    server.clear()
    yield server
    server.clear()
