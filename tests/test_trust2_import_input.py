"""Finding 10: malformed import lines are reported as „Zeile N: …“, never as a traceback."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage

from .conftest import DATA_DIR

pytestmark = pytest.mark.django_db
SAMPLE = DATA_DIR / "search-eval" / "articles.jsonl"


def good_lines(count: int = 2) -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()[:count]


def run_import(tmp_path, lines: list[str]) -> str:
    path = tmp_path / "kaputt.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nichts geändert"):
        call_command("kb_import", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_json_is_a_problem_of_its_line(tmp_path, depth):
    lines = good_lines()
    lines.insert(1, "[" * depth + "]" * depth)
    err = run_import(tmp_path, lines)
    assert "Zeile 2: kein gültiges JSON (zu tief verschachtelt)" in err
    assert ArticlePage.objects.count() == 0


def test_deeply_nested_value_inside_a_field(tmp_path):
    record = json.loads(good_lines(1)[0])
    line = json.dumps(record, ensure_ascii=False)
    nested = line.replace('"tags": [', '"tags": ' + "[" * 50_000 + "]" * 50_000 + ', "x": [', 1)
    err = run_import(tmp_path, [good_lines(2)[1], nested])
    assert "Zeile 2: kein gültiges JSON (zu tief verschachtelt)" in err
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize("field", ["date", "slug"])
def test_number_with_5000_digits_is_a_problem_of_its_line(tmp_path, field):
    record = json.loads(good_lines(1)[0])
    record[field] = "PLATZHALTER"
    line = json.dumps(record, ensure_ascii=False).replace('"PLATZHALTER"', "9" * 5_000)
    lines = good_lines(3)
    lines[2] = line
    err = run_import(tmp_path, lines)
    assert "Zeile 3: kein gültiges JSON (Zahl mit zu vielen Ziffern)" in err
    assert "Traceback" not in err
    assert ArticlePage.objects.count() == 0


def test_every_bad_line_is_listed_through_the_api(tmp_path):
    lines = good_lines(2)
    data = "\n".join(
        [lines[0], "[" * 5_000 + "]" * 5_000, '{"slug": ' + "1" * 5_000 + "}", lines[1]]
    ).encode()
    with pytest.raises(ImportFailed) as failure:
        import_file(data)
    messages = [str(problem) for problem in failure.value.problems]
    assert messages == [
        "Zeile 2: kein gültiges JSON (zu tief verschachtelt)",
        "Zeile 3: kein gültiges JSON (Zahl mit zu vielen Ziffern)",
    ]
    assert ArticlePage.objects.count() == 0


@pytest.mark.parametrize(
    ("escape", "field"),
    [("\\ud800", "title"), ("\\udfff", "summary")],
)
def test_lone_surrogate_escape_is_a_problem_of_its_line_and_field(tmp_path, escape, field):
    """`"\\ud800"` is valid JSON but no character: the database would refuse it mid-import."""
    record = json.loads(good_lines(1)[0])
    record[field] = "PLATZHALTER"
    line = json.dumps(record, ensure_ascii=False).replace("PLATZHALTER", "Pegel " + escape)
    err = run_import(tmp_path, [good_lines(2)[1], line])
    assert f"Zeile 2, Feld „{field}“: enthält ein ungültiges Zeichen" in err
    assert ArticlePage.objects.count() == 0

    # A surrogate *pair* is an ordinary character (here U+1F30D) and is imported.
    record[field] = "PLATZHALTER"
    line = json.dumps(record).replace("PLATZHALTER", "Klima \\ud83c\\udf0d")
    path = tmp_path / "emoji.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    call_command("kb_import", str(path), stdout=StringIO())
    assert getattr(ArticlePage.objects.get(slug=record["slug"]), field) == "Klima \U0001f30d"


def test_control_characters_are_removed_from_every_text(db):
    from kb.topics import ensure_default_topics

    ensure_default_topics()
    record = {
        "slug": "steuerzeichen",
        "title": "Titel\x03 eins",
        "cities": ["Arnsberg"],
        "topic": "Smart City",
        "department": "IT\x1b-Service",
        "tags": ["Tag\x03"],
        "summary": "Kurz\x07 gesagt",
        "body": "Absatz\x03 hier",
        "contact": {"name": "Ana\x03 Berg", "email": "ana@arnsberg.example", "phone": "1"},
        "date": "2024-01-01",
    }
    import_file((json.dumps(record) + "\n").encode())
    page = ArticlePage.objects.get(slug="steuerzeichen")
    assert page.title == "Titel eins"
    assert page.summary == "Kurz gesagt"
    assert page.department.name == "IT-Service"
    assert [tag.name for tag in page.tags.all()] == ["Tag"]
    assert [contact.name for contact in page.contacts.all()] == ["Ana Berg"]


@pytest.mark.parametrize("dry_run", [False, True])
def test_body_that_markdown_would_convert_for_half_an_hour_is_refused(db, dry_run):
    record = {
        "slug": "klammern",
        "title": "Klammern",
        "cities": ["Arnsberg"],
        "topic": "Smart City",
        "department": "IT",
        "tags": ["Test"],
        "summary": "Kurz",
        "body": "[" * 99_000,
        "contact": None,
        "date": "2024-01-01",
    }
    with pytest.raises(ImportFailed) as failure:
        import_file((json.dumps(record) + "\n").encode(), dry_run=dry_run)
    (problem,) = failure.value.problems
    assert str(problem).startswith("Zeile 1, Feld „body“: ein Absatz enthält mehr als")
    assert not ArticlePage.objects.filter(slug="klammern").exists()
