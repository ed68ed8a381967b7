from django.core.management.base import BaseCommand, CommandError

from kb.importer import ImportFailed, import_file


class Command(BaseCommand):
    help = (
        "Importiert Wissensbeiträge aus einer JSONL-Datei (Format: docs/FORMAT.md). "
        "Alles oder nichts: eine fehlerhafte Zeile verhindert den ganzen Import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur JSONL-Datei ('-' liest von der Standardeingabe)")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
        parser.add_argument(
            "--move-topics",
            action="store_true",
            help="ein Beitrag, dessen Kurzname unter einem anderen Thema steht, wird dorthin "
            "verschoben, wo die Datei ihn einordnet (sonst ein Konflikt)",
        )
        parser.add_argument(
            "--create-cities",
            action="store_true",
            help="unbekannte Städte anlegen statt die Datei abzulehnen",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                import sys

                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
        except OSError as error:
            raise CommandError(f"Datei kann nicht gelesen werden: {error}") from None
        try:
            result = import_file(
                data,
                create_cities=options["create_cities"],
                dry_run=options["dry_run"],
                move_topics=options["move_topics"],
            )
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Import abgebrochen: {len(failure.problems)} Problem(e); es wurde nichts geändert."
            ) from None
        if options["dry_run"]:
            self.stdout.write(
                f"Prüfung erfolgreich: {len(result.unchanged)} Beiträge, nichts geschrieben."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Import erfolgreich: {len(result.created)} neu, "
                f"{len(result.updated)} aktualisiert, {len(result.unchanged)} unverändert."
            )
        )
