"""Shared fixtures: users of each editorial group and a small published article set."""

from __future__ import annotations

import json
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
