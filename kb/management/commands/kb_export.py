import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.exporter import export_lines, private_count


class Command(BaseCommand):
    help = "Exportiert alle veröffentlichten Wissensbeiträge als JSONL (Format: docs/FORMAT.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Zieldatei ('-' schreibt auf die Standardausgabe)")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Auch Beiträge mit Zugriffsbeschränkung exportieren (das Format kennt keine "
            "Beschränkung: wieder importiert sind sie öffentlich).",
        )

    def handle(self, *args, **options):
        path = options["file"]
        include_private = options["include_private"]
        if path == "-":
            for line in export_lines(include_private=include_private):
                self.stdout.write(line, ending="")
            return
        target = Path(path)
        count = 0
        try:
            # Write next to the target and rename: a failed export never leaves half a file.
            fd, tmp_name = tempfile.mkstemp(dir=target.parent or ".", prefix=".kb_export-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                for line in export_lines(include_private=include_private):
                    handle.write(line)
                    count += 1
            os.replace(tmp_name, target)
        except OSError as error:
            raise CommandError(f"Export fehlgeschlagen: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"{count} Beiträge nach {target} exportiert."))
        left_out = 0 if include_private else private_count()
        if left_out:
            self.stdout.write(
                f"{left_out} Beiträge mit Zugriffsbeschränkung nicht exportiert "
                "(--include-private exportiert sie; wieder importiert sind sie öffentlich)."
            )
