"""Sends the review reminders due today (kb.reviews.send_review_reminders); safe to repeat."""

import datetime

from django.core.management.base import BaseCommand

from kb.reviews import send_review_reminders


class Command(BaseCommand):
    help = (
        "Versendet fällige Prüf-Erinnerungen (idempotent: ein zweiter Lauf am selben Tag "
        "sendet nichts)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Stichtag JJJJ-MM-TT (Standard: heute)",
        )

    def handle(self, *args, **options):
        sent = send_review_reminders(options["date"])
        self.stdout.write(f"{sent} Prüf-Erinnerung(en) versendet.")
