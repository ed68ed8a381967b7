"""Seeds the Zusammenarbeit area with the known facts (Städtetage, working groups). Safe to
run again: it only creates what is missing and never changes what editors changed."""

from django.core.management.base import BaseCommand

from cooperation.seed import seed_cooperation


class Command(BaseCommand):
    help = (
        "Legt den Bereich „Zusammenarbeit“ mit den Städtetagen 2022 und 2023 und den "
        "Arbeitsgruppen an (idempotent)."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(seed_cooperation()))
