"""The review cycle in the JSONL format: optional keys owner, deputy (e-mail of a user account),
review_interval (months, 0 = none) and last_reviewed (ISO date); round trip identical."""

from __future__ import annotations

import datetime
import json

import pytest
from wagtail.models import Revision

from kb.exporter import export_lines
from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage
from kb.reviews import add_months
from kb.topics import ensure_default_topics
from tests.conftest import DEMO_FILE, make_user

pytestmark = pytest.mark.django_db


def demo_records() -> list[dict]:
    return [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines()]


def as_file(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@pytest.fixture
def people(db):
    ensure_default_topics()
    return (
        make_user("olaf", "Redaktion Arnsberg", email="olaf@arnsberg.example"),
        make_user("dana", "Redaktion Sundern", email="Dana@Sundern.example"),
    )


def test_keys_are_imported_and_set_the_due_date(people):
    owner, deputy = people
    records = demo_records()
    records[0].update(
        owner="olaf@arnsberg.example",
        deputy="dana@sundern.example",  # matched regardless of case
        review_interval=24,
        last_reviewed="2025-02-01",
    )
    records[1]["review_interval"] = 0
    import_file(as_file(records))
    first = ArticlePage.objects.get(slug=records[0]["slug"])
    assert (first.responsible, first.deputy) == (owner, deputy)
    assert first.review_interval == 24
    assert first.last_reviewed == datetime.date(2025, 2, 1)
    assert first.review_due == datetime.date(2027, 2, 1)
    second = ArticlePage.objects.get(slug=records[1]["slug"])
    assert second.review_interval == 0 and second.review_due is None
    third = ArticlePage.objects.get(slug=records[2]["slug"])
    assert third.responsible is None and third.review_interval is None
    assert third.review_due == add_months(third.first_published, 12)  # the topic's interval


def test_round_trip_is_identical(people):
    records = demo_records()
    records[0].update(owner="olaf@arnsberg.example", review_interval=6, last_reviewed="2026-01-15")
    records[3].update(owner="dana@sundern.example", deputy="olaf@arnsberg.example")
    import_file(as_file(records))
    first = "".join(export_lines()).encode()
    exported = {json.loads(line)["slug"]: json.loads(line) for line in first.splitlines()}
    assert exported[records[0]["slug"]]["owner"] == "olaf@arnsberg.example"
    assert exported[records[0]["slug"]]["review_interval"] == 6
    assert exported[records[0]["slug"]]["last_reviewed"] == "2026-01-15"
    assert exported[records[3]["slug"]]["deputy"] == "olaf@arnsberg.example"
    assert "owner" not in exported[records[1]["slug"]]

    result = import_file(first)
    assert result.created == [] and result.updated == []
    assert "".join(export_lines()).encode() == first


def test_unknown_owner_is_a_problem_of_that_line_and_nothing_is_imported(people):
    records = demo_records()
    records[4]["owner"] = "niemand@arnsberg.example"
    with pytest.raises(ImportFailed) as failure:
        import_file(as_file(records))
    problems = failure.value.problems
    assert [(p.line, p.field) for p in problems] == [(5, "owner")]
    assert "kein Benutzerkonto mit der E-Mail-Adresse „niemand@arnsberg.example“" in str(
        problems[0]
    )
    assert not ArticlePage.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("owner", "keine-adresse"),
        ("deputy", 42),
        ("review_interval", 7),
        ("review_interval", "12"),
        ("last_reviewed", "01.02.2025"),
        ("last_reviewed", "2999-01-01"),
    ],
)
def test_invalid_values_are_refused(people, key, value):
    records = demo_records()
    records[0][key] = value
    with pytest.raises(ImportFailed) as failure:
        import_file(as_file(records))
    assert [(p.line, p.field) for p in failure.value.problems] == [(1, key)]


def test_reimported_last_review_moves_the_due_date_without_a_revision(people):
    records = demo_records()
    import_file(as_file(records))
    page = ArticlePage.objects.get(slug=records[0]["slug"])
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    records[0]["last_reviewed"] = "2026-06-01"
    result = import_file(as_file(records))
    assert result.updated == [records[0]["slug"]]
    page.refresh_from_db()
    assert page.last_reviewed == datetime.date(2026, 6, 1)
    assert page.review_due == datetime.date(2027, 6, 1)
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions

    # A new owner is content: a new revision, as for any other change.
    records[0]["owner"] = "olaf@arnsberg.example"
    assert import_file(as_file(records)).updated == [records[0]["slug"]]
    page.refresh_from_db()
    assert page.responsible.username == "olaf"
    assert page.last_reviewed == datetime.date(2026, 6, 1)  # kept through the publication
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions + 1


def test_a_file_without_owner_keeps_the_owner(people):
    owner, _ = people
    records = demo_records()
    records[0]["owner"] = "olaf@arnsberg.example"
    import_file(as_file(records))
    del records[0]["owner"]
    assert import_file(as_file(records)).updated == []
    assert ArticlePage.objects.get(slug=records[0]["slug"]).responsible == owner


def test_demo_loader_gives_owners_and_a_few_overdue_articles(settings, people):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    revisions = Revision.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Revision.objects.count() == revisions  # idempotent
    pages = ArticlePage.objects.live()
    assert not pages.filter(responsible__isnull=True).exists()
    sundern = pages.get(slug="demo-hitzeschutz-sundern")
    assert sundern.responsible.username == "redaktion.sundern"
    assert sundern.deputy.username == "redaktion.arnsberg"
    overdue = pages.filter(review_due__lt=timezone.localdate()).count()
    assert 1 <= overdue <= 5
