from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sichert Datenbankinhalte (SQLite und PostgreSQL gleichermaßen) und alle Mediendateien "
        "in ein .tar.gz-Archiv mit Manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Zielarchiv, z. B. sicherung-2026-01-31.tar.gz")

    def handle(self, *args, **options):
        try:
            create_backup(Path(options["file"]), log=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(f"Sicherung fehlgeschlagen: {error}") from None
