"""kb_backup / kb_restore: everything comes back, and a failed restore changes nothing."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision

from kb.exporter import export_lines
from kb.models import ArticlePage
from ops.backup import DATABASE, MANIFEST, _sha256
from tests.test_trust_media import (  # noqa: F401
    DOCUMENT_TEXT,
    body,
    make_document,
    make_image,
    media_root,
)

# Runs inside the test transaction: the restore's flush/loaddata work in a savepoint on SQLite
# and PostgreSQL alike, and the migration-seeded data (groups, cities) survives for later tests.
pytestmark = pytest.mark.django_db


def export() -> list[str]:
    return list(export_lines())


def media_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def content(demo_articles, media_root, editor, staff):  # noqa: F811
    caches["default"].clear()  # Wagtail caches renditions by image id; ids repeat between tests
    image = make_image()
    rendition = image.get_rendition("fill-20x20")
    document = make_document()
    article = ArticlePage.objects.live().order_by("pk").first()
    draft = article.get_latest_revision_as_object()
    draft.title = "Entwurf: " + article.title
    draft.save_revision(user=editor)
    yield {"image": image, "rendition": rendition, "document": document, "article": article}
    # The test transaction's rollback brings back the content type ids from before the restore.
    ContentType.objects.clear_cache()


def wipe(media_root: Path) -> None:  # noqa: F811
    for page in ArticlePage.objects.all():
        page.refresh_from_db()
        page.delete()
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()
    shutil.rmtree(media_root)
    media_root.mkdir()


def test_backup_wipe_restore_gives_everything_back(client, content, media_root, tmp_path):  # noqa: F811
    exported = export()
    revisions = Revision.objects.count()
    files = media_files(media_root)
    assert any(name.startswith("original_images/") for name in files)
    assert any(name.startswith("images/") for name in files)
    assert any(name.startswith("documents/") for name in files)

    archive = tmp_path / "sicherung.tar.gz"
    call_command("kb_backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(MANIFEST))
        dump = json.load(tar.extractfile(DATABASE))
    assert names[:2] == [MANIFEST, DATABASE]
    assert manifest["counts"]["articles"] == ArticlePage.objects.count()
    assert manifest["counts"]["revisions"] == revisions
    assert manifest["media_files"] == len(files)
    assert manifest["created"]
    dumped_models = {row["model"] for row in dump}
    for excluded in (
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "search.termpostings",
        "search.searchdocument",
        "search.indexstate",
        "wagtailsearch.indexentry",
    ):
        assert excluded not in dumped_models
    assert {"kb.articlepage", "wagtailcore.revision", "wagtailimages.image"} <= dumped_models

    # A database with articles is not overwritten by accident.
    with pytest.raises(CommandError, match="--force"):
        call_command("kb_restore", str(archive), stdout=io.StringIO())

    wipe(media_root)
    assert export() == [] and media_files(media_root) == {}

    out = io.StringIO()
    call_command("kb_restore", str(archive), stdout=out)
    assert "Wiederherstellung abgeschlossen" in out.getvalue()

    assert export() == exported
    assert Revision.objects.count() == revisions
    assert Revision.objects.filter(user__username="ronja").exists()
    assert media_files(media_root) == files
    image = get_image_model().objects.get()
    assert Path(image.file.path).read_bytes() == files[image.file.name]

    # Readers can log in again (accounts were restored), find articles and see the files.
    client.force_login(User.objects.get(username="mia"))
    article = ArticlePage.objects.live().get(slug=content["article"].slug)
    response = client.get("/api/v1/search/", {"q": article.title})
    assert response.status_code == 200
    assert article.slug in [hit["slug"] for hit in response.json()["results"]]
    assert client.get(content["rendition"].url).status_code == 200
    document = get_document_model().objects.get()
    assert body(client.get(document.url)) == DOCUMENT_TEXT


def test_restore_with_force_replaces_existing_content(content, media_root, tmp_path):  # noqa: F811
    archive = tmp_path / "sicherung.tar.gz"
    call_command("kb_backup", str(archive), stdout=io.StringIO())
    exported = export()
    ArticlePage.objects.live().order_by("pk").last().unpublish()
    (media_root / "neu.txt").write_text("nach der Sicherung hochgeladen")
    call_command("kb_restore", str(archive), "--force", stdout=io.StringIO())
    assert export() == exported
    assert not (media_root / "neu.txt").exists()


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy an archive, letting `change` alter the dump (the manifest checksum is updated)."""
    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    members[DATABASE] = json.dumps(change(json.loads(members[DATABASE]))).encode()
    target_dump = target.with_suffix(".json")
    target_dump.write_bytes(members[DATABASE])
    manifest = json.loads(members[MANIFEST])
    manifest["database_sha256"] = _sha256(target_dump)
    members[MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_failed_restore_changes_nothing(content, media_root, tmp_path):  # noqa: F811
    good = tmp_path / "gut.tar.gz"
    call_command("kb_backup", str(good), stdout=io.StringIO())
    ArticlePage.objects.live().order_by("pk").last().unpublish()
    (media_root / "neu.txt").write_text("nach der Sicherung hochgeladen")
    exported = export()
    files = media_files(media_root)
    revisions = Revision.objects.count()

    def break_last_row(rows):
        # Fails in the middle of loaddata: after flush and most rows.
        rows[-1]["fields"]["nicht_vorhanden"] = 1
        return rows

    bad = tmp_path / "kaputt.tar.gz"
    rewrite_archive(good, bad, break_last_row)
    with pytest.raises(CommandError, match="nichts wurde geändert"):
        call_command("kb_restore", str(bad), "--force", stdout=io.StringIO())
    assert export() == exported
    assert Revision.objects.count() == revisions
    assert media_files(media_root) == files

    # A tampered dump is refused before anything happens.
    tampered = tmp_path / "manipuliert.tar.gz"
    rewrite_archive(good, tampered, lambda rows: rows)
    with tarfile.open(tampered) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members[DATABASE] += b" "
    with tarfile.open(tampered, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="Prüfsumme"):
        call_command("kb_restore", str(tampered), "--force", stdout=io.StringIO())
    assert export() == exported
    assert media_files(media_root) == files


@pytest.mark.parametrize("name", ["../ausserhalb.txt", "/etc/evil", "media/../../x", "fremd.txt"])
def test_archive_with_unsafe_paths_is_refused(content, media_root, tmp_path, name):  # noqa: F811
    good = tmp_path / "gut.tar.gz"
    call_command("kb_backup", str(good), stdout=io.StringIO())
    evil = tmp_path / "boese.tar.gz"
    with tarfile.open(good) as source, tarfile.open(evil, "w:gz") as tar:
        for member in source.getmembers():
            tar.addfile(member, source.extractfile(member) if member.isfile() else None)
        info = tarfile.TarInfo(name)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"boes"))
    exported = export()
    with pytest.raises(CommandError, match="Archiv"):
        call_command("kb_restore", str(evil), "--force", stdout=io.StringIO())
    assert export() == exported
    assert not (tmp_path / "ausserhalb.txt").exists()


def test_backup_command_reports_and_protects_the_file(content, tmp_path):
    archive = tmp_path / "sub" / "sicherung.tar.gz"
    out = io.StringIO()
    call_command("kb_backup", str(archive), stdout=out)
    assert "Beiträge" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    assert not list(archive.parent.glob(".kb_backup-*"))
