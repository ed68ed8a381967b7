"""Departments: an import value naming two departments is refused (an article has one), and the
Chefredaktion merges duplicate departments in the admin (Wissensnetz → Fachbereiche)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage, ContactPerson, Department
from kb.topics import ensure_default_topics

from .conftest import make_user

pytestmark = pytest.mark.django_db

TWO_DEPARTMENTS = "Fachdienst Integration (Arnsberg) und Fachbereich Soziales (Sundern)"


def record(slug: str, department: str, contact: str = "frieda") -> dict:
    return {
        "slug": slug,
        "title": f"Beitrag {slug}",
        "cities": ["Arnsberg", "Sundern"],
        "topic": "Migration & Integration",
        "department": department,
        "tags": ["Integration"],
        "summary": "Kurz zusammengefasst.",
        "body": "Ein Absatz über Integrationslotsen in beiden Städten.",
        "contact": {"name": contact.title(), "email": f"{contact}@arnsberg.example", "phone": ""},
        "date": "2024-05-01",
    }


def jsonl(*records: dict) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


def import_records(*records: dict) -> None:
    ensure_default_topics()
    import_file(jsonl(*records))


# --------------------------------------------------------------------------- import


def test_import_refuses_a_value_naming_two_departments_and_imports_nothing():
    ensure_default_topics()
    departments_before = set(Department.objects.values_list("name", flat=True))
    data = jsonl(
        record("lotsen-arnsberg", "Fachdienst Integration"),
        record("lotsen-gemeinsam", TWO_DEPARTMENTS),
        record("lotsen-sundern", "Fachbereich Soziales / Fachdienst Integration"),
    )
    with pytest.raises(ImportFailed) as failure:
        import_file(data)

    assert [str(problem) for problem in failure.value.problems] == [
        "Zeile 2, Feld „department“: nennt mehrere Fachbereiche („Fachdienst Integration "
        "(Arnsberg)“, „Fachbereich Soziales (Sundern)“); ein Beitrag hat genau einen zuständigen "
        "Fachbereich – bitte nur einen angeben (die übrigen Beteiligten im Text nennen)",
        "Zeile 3, Feld „department“: nennt mehrere Fachbereiche („Fachbereich Soziales“, "
        "„Fachdienst Integration“); ein Beitrag hat genau einen zuständigen Fachbereich – "
        "bitte nur einen angeben (die übrigen Beteiligten im Text nennen)",
    ]
    # All or nothing: not even the good first line, and no pseudo-department.
    assert not ArticlePage.objects.filter(slug__startswith="lotsen-").exists()
    assert set(Department.objects.values_list("name", flat=True)) == departments_before


def test_kb_import_prints_the_line_and_changes_nothing(tmp_path):
    ensure_default_topics()
    path = tmp_path / "import.jsonl"
    path.write_bytes(jsonl(record("lotsen", "Fachdienst Jugendförderung, gemeinsam mit Stadtgrün")))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="es wurde nichts geändert"):
        call_command("kb_import", str(path), stderr=errors)
    assert errors.getvalue().startswith(
        "Zeile 1, Feld „department“: nennt mehrere Fachbereiche („Fachdienst Jugendförderung“, "
        "„Stadtgrün“)"
    )
    assert not ArticlePage.objects.filter(slug="lotsen").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Fachbereich Bauen, Planen und Umwelt",
        "Fachbereich Ordnung und Soziales, Sachgebiet Integration",
        "Fachbereich Finanzen – Steueramt",
        "Klimaschutzmanagement der Städte Arnsberg und Sundern",
        "Personal und Organisation (gemeinsame Projektgruppe beider Städte)",
    ],
)
def test_one_department_with_und_in_its_name_is_imported(name):
    import_records(record("ein-fachbereich", name))
    assert ArticlePage.objects.get(slug="ein-fachbereich").department.name == name


def test_two_known_departments_joined_by_und_are_refused():
    import_records(record("standesamt", "Standesamt"), record("wahlen", "Wahlbüro"))
    with pytest.raises(ImportFailed) as failure:
        import_file(jsonl(record("trauung-im-wahllokal", "Standesamt und Wahlbüro")))
    (problem,) = failure.value.problems
    assert "(„Standesamt“, „Wahlbüro“)" in str(problem)


# --------------------------------------------------------------------------- merging


def department_url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_kb_department:{name}", args=args)


@pytest.fixture
def duplicates(db):
    """Three departments for one: the right one, a spelling variant and a pseudo-department an
    earlier import created from a line naming two (the import refuses such lines today)."""
    import_records(
        record("lotsen-arnsberg", "Fachdienst Integration", contact="frieda"),
        record("lotsen-sundern", "FD Integration", contact="jonas"),
        record("lotsen-gemeinsam", "Integrationslotsen gemeinsam", contact="lea"),
    )
    pseudo = Department.objects.get(name="Integrationslotsen gemeinsam")
    pseudo.name = TWO_DEPARTMENTS
    pseudo.save()
    return {
        "kept": Department.objects.get(name="Fachdienst Integration"),
        "variant": Department.objects.get(name="FD Integration"),
        "pseudo": pseudo,
    }


def test_chief_merges_departments_and_articles_and_contacts_follow(
    client, chief, duplicates, django_capture_on_commit_callbacks
):
    kept, variant, pseudo = duplicates["kept"], duplicates["variant"], duplicates["pseudo"]
    client.force_login(chief)
    listing = client.get(department_url("list")).content.decode()
    merge_url = department_url("merge")
    assert f"{merge_url}?source={pseudo.pk}" in listing.replace("&amp;", "&")

    form = client.get(merge_url, {"source": pseudo.pk})
    assert form.status_code == 200
    html = form.content.decode()
    assert "Fachbereiche zusammenführen" in html
    assert f"{TWO_DEPARTMENTS} (Arnsberg) – 1 Beitrag, 1 Ansprechperson" in html
    assert form.context["form"]["sources"].value() == [str(pseudo.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            merge_url, {"sources": [pseudo.pk, variant.pk], "target": kept.pk}, follow=True
        )
    assert response.redirect_chain[-1][0] == department_url("list")
    assert (
        f"„{TWO_DEPARTMENTS}“, „FD Integration“ wurden in „Fachdienst Integration“ "
        "zusammengeführt (2 Beiträge, 2 Ansprechpersonen)."
    ) in response.content.decode()

    assert list(Department.objects.filter(name__contains="Integration")) == [kept]
    for slug in ("lotsen-arnsberg", "lotsen-sundern", "lotsen-gemeinsam"):
        assert ArticlePage.objects.get(slug=slug).department == kept
    assert set(ContactPerson.objects.filter(department=kept).values_list("name", flat=True)) == {
        "Frieda",
        "Jonas",
        "Lea",
    }
    # Publishing a revision saved before the merge keeps the article's department.
    page = ArticlePage.objects.get(slug="lotsen-sundern")
    page.get_latest_revision().publish()
    assert ArticlePage.objects.get(slug="lotsen-sundern").department == kept

    # Wagtail's audit log: who merged what, in the kept department's history.
    entry = ModelLogEntry.objects.get(action="wissensnetz.department.merge")
    assert entry.user == chief and entry.object_id == str(kept.pk)
    history = client.get(department_url("history", kept.pk)).content.decode()
    assert f"Zusammengeführt: „{TWO_DEPARTMENTS}“, „FD Integration“" in history

    # Staff find all three articles under the kept department, and no other department.
    client.force_login(make_user("mila", "Mitarbeitende", email="mila@arnsberg.example"))
    payload = client.get("/api/v1/search/", {"department": "Fachdienst Integration"}).json()
    assert sorted(r["slug"] for r in payload["results"]) == [
        "lotsen-arnsberg",
        "lotsen-gemeinsam",
        "lotsen-sundern",
    ]
    assert [f["label"] for f in payload["facets"]["department"]] == ["Fachdienst Integration"]


def test_the_kept_department_cannot_be_merged_away(client, chief, duplicates):
    kept = duplicates["kept"]
    client.force_login(chief)
    response = client.post(department_url("merge"), {"sources": [kept.pk], "target": kept.pk})
    assert response.status_code == 200
    assert "kann nicht zugleich" in response.content.decode()
    assert Department.objects.filter(pk=kept.pk).exists()


def test_redaktion_may_not_merge_departments(client, editor, duplicates):
    kept, pseudo = duplicates["kept"], duplicates["pseudo"]
    client.force_login(editor)
    listing = client.get(department_url("list"))
    assert listing.status_code == 200  # editors do manage departments …
    assert department_url("merge") not in listing.content.decode()  # … but do not merge them
    refused = client.get(department_url("merge"), follow=True)
    assert "Sie haben leider keinen Zugang zu diesem Bereich." in refused.content.decode()
    response = client.post(department_url("merge"), {"sources": [pseudo.pk], "target": kept.pk})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Department.objects.filter(pk=pseudo.pk).exists()
    assert ArticlePage.objects.get(slug="lotsen-gemeinsam").department == pseudo
