"""manage.py kb_build_handbook [--output PATH]: build the Notfallhandbuch as an offline ZIP."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from handbook.bundle import build_bundle


class Command(BaseCommand):
    help = "Baut das Notfallhandbuch als Offline-ZIP (HTML mit Suche, Bildern und Dokumenten)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Ziel-Datei (Standard: eine neue Datei in HANDBOOK_ROOT, ältere Versionen "
            "über HANDBOOK_KEEP_VERSIONS hinaus werden gelöscht).",
        )

    def handle(self, *args, **options):
        result = build_bundle(options.get("output"))
        private = f", davon {result.private_pages} nicht öffentlich" if result.private_pages else ""
        self.stdout.write(
            f"Notfallhandbuch: {result.path} – {result.pages} Seiten{private}, "
            f"{filesizeformat(result.size)} ({result.size} Bytes), "
            f"gebaut in {result.seconds:.2f} s"
        )
