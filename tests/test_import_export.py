"""kb_import / kb_export: the exchange-format contract (docs/FORMAT.md)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from kb.models import ArticlePage, ContactPerson, Department, TopicPage

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
SAMPLE = DATA_DIR / "search-eval" / "articles.jsonl"


def export(tmp_path: Path, name: str) -> str:
    target = tmp_path / name
    call_command("kb_export", str(target), stdout=StringIO())
    return target.read_text(encoding="utf-8")


def wipe_articles():
    for page in ArticlePage.objects.all():
        page.delete()
    TopicPage.objects.all().delete()
    ContactPerson.objects.all().delete()
    Department.objects.all().delete()


def test_import_creates_published_articles_with_everything(tmp_path):
    call_command("kb_import", str(SAMPLE), stdout=StringIO())
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert ArticlePage.objects.live().count() == len(records)
    first = records[0]
    page = ArticlePage.objects.get(slug=first["slug"])
    assert page.title == first["title"]
    assert page.get_parent().title == first["topic"]
    assert sorted(c.name for c in page.cities.all()) == sorted(first["cities"])
    assert {t.name for t in page.tags.all()} == set(first["tags"])
    assert page.department.name == first["department"]
    assert page.contacts.get().email == first["contact"]["email"]
    assert page.first_published.isoformat() == first["date"]
    assert any(block.block_type == "heading" for block in page.body)
    assert any(block.block_type == "list" for block in page.body)


def test_imported_articles_are_searchable_when_the_command_returns():
    call_command("kb_import", str(SAMPLE), stdout=StringIO())
    results = ArticlePage.objects.live().search("Laufbus")
    assert "sundern-laufbus-grundschulen" in {page.slug for page in results}


def test_round_trip_is_identical(tmp_path):
    call_command("kb_import", str(SAMPLE), stdout=StringIO())
    first = export(tmp_path, "first.jsonl")
    wipe_articles()
    assert ArticlePage.objects.count() == 0
    call_command("kb_import", str(tmp_path / "first.jsonl"), stdout=StringIO())
    second = export(tmp_path, "second.jsonl")
    assert first == second
    assert len(first.splitlines()) == 32


def test_reimport_is_idempotent_and_updates_as_new_revision(tmp_path):
    call_command("kb_import", str(SAMPLE), stdout=StringIO())
    revisions = Revision.objects.count()
    out = StringIO()
    call_command("kb_import", str(SAMPLE), stdout=out)
    assert "0 neu" in out.getvalue() and "32 unverändert" in out.getvalue()
    assert Revision.objects.count() == revisions
    assert ArticlePage.objects.count() == 32

    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["title"] = "Neuer Titel für die Terminbuchung"
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("kb_import", str(changed), stdout=StringIO())
    page = ArticlePage.objects.get(slug=record["slug"])
    assert page.title == "Neuer Titel für die Terminbuchung"
    assert page.revisions.count() == 2
    assert ArticlePage.objects.count() == 32


def test_one_bad_line_imports_nothing_and_names_line_and_field(tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:5]
    bad = json.loads(lines[2])
    bad["date"] = "31.12.2024"
    lines[2] = json.dumps(bad, ensure_ascii=False)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nichts geändert"):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=err)
    assert "Zeile 3" in err.getvalue() and "date" in err.getvalue()
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda r: r.pop("title"), "Feld „title“: fehlt"),
        (lambda r: r.update(extra="x"), "Feld „extra“: ist kein bekanntes Feld"),
        (lambda r: r.update(cities=["Atlantis"]), "unbekannte Stadt „Atlantis“"),
        (lambda r: r.update(slug="Groß Buchstaben"), "Feld „slug“"),
        (lambda r: r.update(tags="Kita"), "Feld „tags“"),
        (lambda r: r.update(contact={"name": "X", "email": "kein-mail"}), "contact.email"),
        (lambda r: r.update(body="x" * 100_001), "Feld „body“: ist zu lang"),
    ],
)
def test_each_invalid_field_is_reported(tmp_path, mutation, expected):
    record = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    mutation(record)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=err)
    assert "Zeile 1" in err.getvalue()
    assert expected in err.getvalue()
    assert ArticlePage.objects.count() == 0


def test_invalid_json_duplicates_and_non_utf8_are_rejected(tmp_path):
    line = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "dup.jsonl"
    path.write_text(line + "\n{kaputt\n" + line + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=err)
    assert "Zeile 2: kein gültiges JSON" in err.getvalue()
    assert "Zeile 3, Feld „slug“" in err.getvalue() and "Zeile 1" in err.getvalue()

    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(line.encode("utf-8") + b"\n" + "Straße".encode("latin-1") + b"\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("kb_import", str(latin1), stdout=StringIO(), stderr=err)
    assert "Zeile 2: ist kein gültiges UTF-8" in err.getvalue()
    assert ArticlePage.objects.count() == 0


def test_dry_run_writes_nothing():
    out = StringIO()
    call_command("kb_import", str(SAMPLE), "--dry-run", stdout=out)
    assert "32 Beiträge" in out.getvalue()
    assert ArticlePage.objects.count() == 0


def test_new_city_only_with_explicit_option(tmp_path):
    record = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    record["cities"] = ["Meschede"]
    path = tmp_path / "city.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=StringIO())
    call_command("kb_import", str(path), "--create-cities", stdout=StringIO())
    assert ArticlePage.objects.get().cities.get().name == "Meschede"


def test_markdown_html_is_never_passed_through(tmp_path):
    record = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    record["body"] = (
        "## Test\nText <script>alert(1)</script> und <img src=x onerror=alert(1)>\n\n"
        "[Link](javascript:alert(1))"
    )
    path = tmp_path / "xss.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("kb_import", str(path), stdout=StringIO())
    stored = json.dumps(ArticlePage.objects.get().body.get_prep_value())
    assert "<script" not in stored and "<img" not in stored and "javascript:" not in stored


def test_demo_loader_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    counts = (ArticlePage.objects.count(), TopicPage.objects.count(), Revision.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        ArticlePage.objects.count(),
        TopicPage.objects.count(),
        Revision.objects.count(),
    ) == counts
    assert TopicPage.objects.count() == 9
    first = ArticlePage.objects.get(slug="demo-staedtetag-2023-sundern")
    assert "Städtetag" in first.title
    assert {c.name for c in first.cities.all()} == {"Arnsberg", "Sundern"}
