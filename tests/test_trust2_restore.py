"""kb_restore refuses archives that would lose media or fill the disk, and a restore that dies
after its commit is reported by /healthz until the index is rebuilt (issue 10, #11)."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import make_user
from tests.test_trust_backup import content, export, media_files  # noqa: F401
from tests.test_trust_media import media_root  # noqa: F401

pytestmark = pytest.mark.django_db


def _repack(good, target, replace: dict[str, bytes | None]) -> None:
    """Copy an archive, leaving out the media folder's entries and adding `replace`'s files."""
    with tarfile.open(good) as source, tarfile.open(target, "w:gz") as tar:
        for member in source.getmembers():
            if member.name == "media" or member.name.startswith("media/"):
                continue
            tar.addfile(member, source.extractfile(member) if member.isfile() else None)
        for name, data in replace.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_media_entry_that_is_a_file_is_refused(content, media_root, tmp_path):  # noqa: F811
    good = tmp_path / "gut.tar.gz"
    call_command("kb_backup", str(good), stdout=io.StringIO())
    bad = tmp_path / "media-datei.tar.gz"
    _repack(good, bad, {"media": b"keine Ordner"})
    exported, files = export(), media_files(media_root)
    with pytest.raises(CommandError, match="muss ein Ordner sein"):
        call_command("kb_restore", str(bad), "--force", stdout=io.StringIO())
    assert export() == exported
    assert media_files(media_root) == files


def test_archive_larger_than_the_limit_is_refused(content, media_root, tmp_path, settings):  # noqa: F811
    settings.BACKUP_MAX_MB = 1
    good = tmp_path / "gut.tar.gz"
    call_command("kb_backup", str(good), stdout=io.StringIO())
    bomb = tmp_path / "bombe.tar.gz"
    _repack(good, bomb, {"media/nullen.bin": bytes(2 * 1024 * 1024)})  # 2 MB of zeros, tiny gzip
    assert bomb.stat().st_size < 200_000
    exported, files = export(), media_files(media_root)
    with pytest.raises(CommandError, match="BACKUP_MAX_MB"):
        call_command("kb_restore", str(bomb), "--force", stdout=io.StringIO())
    assert export() == exported
    assert media_files(media_root) == files


def test_restore_killed_after_its_commit_is_reported_until_rebuilt(
    client,
    content,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    archive = tmp_path / "gut.tar.gz"
    call_command("kb_backup", str(archive), stdout=io.StringIO())

    def killed():
        raise SystemExit("killed")  # the process dies between the commit and the rebuild

    monkeypatch.setattr("search.indexing.rebuild", killed)
    with pytest.raises(SystemExit):
        call_command("kb_restore", str(archive), "--force", stdout=io.StringIO())
    monkeypatch.undo()

    admin = make_user("it-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["search"] == "fail"

    call_command("rebuild_search_index", stdout=io.StringIO())
    response = client.get("/healthz")
    assert response.status_code == 200
