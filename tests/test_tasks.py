"""Index updates run through Wagtail's task mechanism. With TASK_BACKEND=database a publish only
queues the update; the worker (`make worker`, i.e. `manage.py db_worker`) carries it out, and
then staff find the article."""

from __future__ import annotations

import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kb.models import ArticlePage, TopicPage

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"
WORD = "Xylophonwerkstatt"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> str:
    """The worker as `make worker` runs it, processing the queue once and then exiting."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-startup-delay",
            "--no-reload",
            stdout=out,
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return out.getvalue()


def found(client, word: str) -> list[str]:
    response = client.get(API, {"q": word})
    assert response.status_code == 200
    return [result["slug"] for result in response.json()["results"]]


def index_tasks(status: str | None = None):
    tasks = DBTaskResult.objects.filter(task_path__startswith="search.tasks.")
    return tasks.filter(status=status) if status else tasks


def new_article() -> ArticlePage:
    topic = TopicPage.objects.get(title="Krisenmanagement")
    page = ArticlePage(title="Musikprojekt im Jugendzentrum", slug="musikprojekt", summary=WORD)
    topic.add_child(instance=page)
    return page


# The worker commits and reconnects like the real process (close_old_connections), so this test
# runs outside a test transaction; serialized_rollback restores the migration data afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_queues_the_index_update_and_the_worker_applies_it(
    staff_client, demo_articles, database_tasks
):
    page = new_article()
    page.save_revision().publish()

    # Published, but the index update waits in the queue: not found yet.
    queued = index_tasks(TaskResultStatus.READY)
    assert [(t.task_path, t.args_kwargs["args"]) for t in queued] == [
        ("search.tasks.index_article_task", [page.pk])
    ]
    assert found(staff_client, WORD) == []

    run_worker()

    assert index_tasks(TaskResultStatus.READY).count() == 0
    assert index_tasks(TaskResultStatus.SUCCESSFUL).count() == 1
    assert found(staff_client, WORD) == ["musikprojekt"]

    # Unpublishing hides the article at once (the search only shows live pages), and the
    # index clean-up goes through the queue as well.
    page.unpublish()
    assert found(staff_client, WORD) == []
    assert index_tasks(TaskResultStatus.READY).count() == 1
    run_worker()
    assert index_tasks(TaskResultStatus.READY).count() == 0
    assert index_tasks(TaskResultStatus.FAILED).count() == 0


def test_without_a_persistent_backend_publishing_indexes_at_once(staff_client, demo_articles):
    page = new_article()
    page.save_revision().publish()
    assert found(staff_client, WORD) == ["musikprojekt"]
    assert not index_tasks().exists()


def test_an_import_is_searchable_when_it_returns_even_with_the_worker_backend(
    staff_client, database_tasks
):
    import json

    from kb.importer import import_file
    from kb.topics import ensure_default_topics

    ensure_default_topics()
    article = {
        "slug": "zisternen-foerderung",
        "title": "Förderung von Regenwasserzisternen",
        "cities": ["Arnsberg"],
        "topic": "Klimaneutralität & Energieversorgung",
        "department": "Umweltamt",
        "tags": ["Starkregen"],
        "contact": None,
        "summary": "Zuschuss für " + WORD,
        "body": "Die Stadt fördert Zisternen.",
        "date": "2026-03-01",
    }
    import_file(json.dumps(article).encode() + b"\n")
    assert found(staff_client, WORD) == ["zisternen-foerderung"]
