from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung von kb_backup wieder her: ersetzt alle Datenbankinhalte und "
        "Mediendateien (alles oder nichts) und baut danach die Suchindizes neu auf."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archiv von kb_backup (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="auch dann wiederherstellen, wenn die Datenbank schon Beiträge enthält "
            "(sie werden ersetzt)",
        )

    def handle(self, *args, **options):
        try:
            restore_backup(Path(options["file"]), force=options["force"], log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Wiederherstellung abgeschlossen."))
