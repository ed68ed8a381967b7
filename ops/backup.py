"""Backup and restore of the whole knowledge base: database content plus uploaded files.

An archive (.tar.gz) holds

- ``manifest.json``: format version, creation time, versions, row counts, media file count and
  the SHA-256 of the database dump;
- ``database.json``: Django's ``dumpdata --natural-foreign`` of every app except what the
  target database creates itself (content types, permissions) and what is derived or
  transient (sessions, search indexes, login-attempt records). Content types and permissions
  are referenced by natural key, everything else keeps its primary key (kb/serialization.py
  explains why not ``--natural-primary``), so a backup from SQLite restores into PostgreSQL and
  vice versa;
- ``media/…``: every file under MEDIA_ROOT.

A restore is all or nothing: the archive is checked and unpacked into a staging folder first,
the database is flushed and loaded in one transaction, and the media files are swapped in
only after the load succeeded (and swapped back if the commit fails). The search indexes are
rebuilt afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from home.sites import sync_default_site

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA_DIR = "media"

# Recreated by `migrate`/`flush` in the target database, or derived/transient data.
EXCLUDED_APPS = ["contenttypes", "sessions", "wagtailsearch", "axes"]
EXCLUDED_MODELS = [
    "auth.permission",
    "search.termpostings",
    "search.searchdocument",
    "search.indexstate",
]
STAGING_PREFIX = ".kb_restore-"
# Marks the search index as "to be rebuilt" in the restore's own transaction; the rebuild after
# the commit replaces it. If a restore dies in between, /healthz reports the search as failed.
RESTORE_PENDING = "restore-pending"
# Free space the unpacked archive must leave on the staging file system.
FREE_SPACE_MARGIN = 100 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore could not be done; nothing was changed."""


Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under MEDIA_ROOT (no symbolic links, no restore leftovers)."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING_PREFIX))
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


@contextlib.contextmanager
def _snapshot(using: str = DEFAULT_DB_ALIAS):
    """Read every table from one consistent state of the database."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _content_counts() -> dict[str, int]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Revision

    from kb.models import ArticlePage

    return {
        "articles": ArticlePage.objects.count(),
        "articles_live": ArticlePage.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


def create_backup(target: Path, *, log: Log = _quiet) -> dict:
    """Write a backup archive to `target` (atomically: a failed backup leaves no file)."""
    target = Path(target)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="kb_backup-") as tmp:
        dump = Path(tmp) / DATABASE
        with _snapshot():
            call_command(
                "dumpdata",
                exclude=EXCLUDED_APPS + EXCLUDED_MODELS,
                # Natural keys for content types and permissions only (kb/serialization.py).
                use_natural_foreign_keys=True,
                use_base_manager=True,
                format="wissensnetz-json",
                output=str(dump),
                verbosity=0,
            )
            counts = _content_counts()
        with dump.open(encoding="utf-8") as handle:
            rows = Counter(obj["model"] for obj in json.load(handle))
        media = list(_media_files(media_root))
        manifest = {
            "format": ARCHIVE_FORMAT,
            "application": "wissensnetz",
            "created": timezone.now().isoformat(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
            "counts": counts,
            "rows": dict(sorted(rows.items())),
            "media_files": len(media),
            "media_bytes": sum(path.stat().st_size for path, _ in media),
            "database_sha256": _sha256(dump),
            "excluded": EXCLUDED_APPS + EXCLUDED_MODELS,
        }
        manifest_path = Path(tmp) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".kb_backup-", suffix=".part")
        os.close(fd)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(manifest_path, arcname=MANIFEST)
                archive.add(dump, arcname=DATABASE)
                for path, relative in media:
                    archive.add(path, arcname=f"{MEDIA_DIR}/{relative}", recursive=False)
            os.chmod(partial, 0o600)  # contains user accounts and password hashes
            os.replace(partial, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
    log(
        f"Sicherung {target}: {counts['articles']} Beiträge, {counts['revisions']} Revisionen, "
        f"{counts['images']} Bilder, {counts['documents']} Dokumente, {len(media)} Mediendateien."
    )
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or "\\" in member.name:
        raise BackupError(f"Unzulässiger Pfad im Archiv: {member.name}")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"Unzulässiger Eintrag im Archiv (kein Datei/Ordner): {member.name}")
    if str(name) not in (MANIFEST, DATABASE) and name.parts[0] != MEDIA_DIR:
        raise BackupError(f"Unbekannter Eintrag im Archiv: {member.name}")
    if str(name) == MEDIA_DIR and not member.isdir():
        raise BackupError("„media“ im Archiv muss ein Ordner sein, ist aber eine Datei.")


def _check_size(members: list[tarfile.TarInfo], staging: Path) -> None:
    """Refuse archives that would unpack to more than BACKUP_MAX_MB or than the free space (a
    small gzip file can declare gigabytes)."""
    total = sum(member.size for member in members if member.isfile())
    limit = settings.BACKUP_MAX_MB * 1024 * 1024
    if total > limit:
        raise BackupError(
            f"Das Archiv ist entpackt {total // (1024 * 1024)} MB groß; erlaubt sind "
            f"{settings.BACKUP_MAX_MB} MB (BACKUP_MAX_MB)."
        )
    free = shutil.disk_usage(staging).free - FREE_SPACE_MARGIN
    if total > free:
        raise BackupError(
            f"Zu wenig Speicherplatz: das Archiv braucht entpackt {total // (1024 * 1024)} MB, "
            f"frei sind {max(free, 0) // (1024 * 1024)} MB."
        )


def read_archive(source: Path, staging: Path) -> dict:
    """Check and unpack an archive into `staging`; returns the manifest."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                _check_member(member)
            names = {member.name for member in members}
            if MANIFEST not in names or DATABASE not in names:
                raise BackupError("Das Archiv enthält kein manifest.json oder database.json.")
            _check_size(members, staging)
            archive.extractall(staging, members=members, filter="data")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"Archiv kann nicht gelesen werden: {error}") from None
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"manifest.json ist ungültig: {error}") from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"Unbekanntes Archivformat {manifest.get('format')!r}.")
    if _sha256(staging / DATABASE) != manifest.get("database_sha256"):
        raise BackupError("database.json passt nicht zur Prüfsumme im Manifest.")
    return manifest


def _staging_parent(media_root: Path) -> Path:
    """Stage next to MEDIA_ROOT (same file system: moving into place is a rename)."""
    parent = media_root.parent
    return parent if os.access(parent, os.W_OK) else Path(tempfile.gettempdir())


class _MediaSwap:
    """Moves the restored files into MEDIA_ROOT, keeping the old ones until told to drop them."""

    def __init__(self, new_media: Path, media_root: Path, holding: Path):
        self.new_media = new_media
        self.media_root = media_root
        self.holding = holding
        self.old_names: list[str] = []
        self.new_names: list[str] = []

    def apply(self) -> None:
        self.media_root.mkdir(parents=True, exist_ok=True)
        for child in sorted(self.media_root.iterdir()):
            if child.name.startswith(STAGING_PREFIX):
                continue
            shutil.move(str(child), str(self.holding / child.name))
            self.old_names.append(child.name)
        if self.new_media.is_dir():
            for child in sorted(self.new_media.iterdir()):
                shutil.move(str(child), str(self.media_root / child.name))
                self.new_names.append(child.name)

    def undo(self) -> None:
        for name in self.new_names:
            path = self.media_root / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
        for name in self.old_names:
            shutil.move(str(self.holding / name), str(self.media_root / name))


def mark_restore_pending() -> None:
    from search.models import IndexState

    IndexState.objects.update_or_create(pk=1, defaults={"version": RESTORE_PENDING})


def restore_pending() -> bool:
    """True if a restore committed its content but did not finish rebuilding the indexes."""
    from search.models import IndexState

    return IndexState.objects.filter(pk=1, version=RESTORE_PENDING).exists()


def database_has_articles() -> bool:
    from kb.models import ArticlePage

    return ArticlePage.objects.exists()


def restore_backup(source: Path, *, force: bool = False, log: Log = _quiet) -> dict:
    """Replace database content and media files with the archive's. All or nothing."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Archiv {source} nicht gefunden.")
    if not force and database_has_articles():
        raise BackupError(
            "Die Datenbank enthält bereits Wissensbeiträge. Eine Wiederherstellung ersetzt "
            "alle Inhalte; mit --force ausführen, wenn das gewollt ist."
        )
    media_root = Path(settings.MEDIA_ROOT)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=_staging_parent(media_root)))
    keep_staging = False
    try:
        manifest = read_archive(source, staging)
        log(f"Archiv geprüft: Sicherung vom {manifest['created']}.")
        holding = staging / "previous-media"
        holding.mkdir()
        swap = _MediaSwap(staging / MEDIA_DIR, media_root, holding)
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            with transaction.atomic():
                # Fire pending deferred constraint checks first (PostgreSQL cannot TRUNCATE
                # tables with pending trigger events inside an enclosing transaction).
                connection.check_constraints()
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(staging / DATABASE), verbosity=0)
                # A backup of another installation must not make mails link to that one.
                sync_default_site()
                mark_restore_pending()
                # Only now, inside the transaction: if the commit fails, the files go back.
                swap.apply()
        except BaseException:
            try:
                swap.undo()
            except Exception as undo_error:
                keep_staging = True
                raise BackupError(
                    f"Wiederherstellung abgebrochen; die bisherigen Mediendateien konnten nicht "
                    f"zurückgelegt werden und liegen in {holding}: {undo_error}"
                ) from undo_error
            raise
    except BackupError:
        raise
    except Exception as error:
        raise BackupError(
            f"Wiederherstellung abgebrochen, nichts wurde geändert: {error}"
        ) from error
    finally:
        # Content types were recreated (new ids) or rolled back: drop the in-process cache.
        ContentType.objects.clear_cache()
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)

    for cache in caches.all():
        cache.clear()
    from search.indexing import rebuild

    articles, contacts = rebuild()
    call_command("wagtail_update_index", verbosity=0)
    log(f"Suchindex neu aufgebaut: {articles} Beiträge, {contacts} Personen.")
    return manifest
