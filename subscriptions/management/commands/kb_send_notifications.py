"""Periodic notifications: review reminders, then subscription mails (immediate and digests).

Safe to run every few minutes (systemd timer, cron): reminders are recorded per article and
digests per subscriber, so a second run sends nothing that was sent already.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cooperation.reminders import send_action_reminders
from kb.reviews import send_review_reminders
from subscriptions.delivery import deliver


class Command(BaseCommand):
    help = (
        "Sendet fällige Prüf-Erinnerungen und Abo-Benachrichtigungen "
        "(sofort, täglich, wöchentlich)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Zeitpunkt des Laufs (ISO 8601, z. B. 2026-12-07T08:00), für Tests.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur zählen, was an Abo-Benachrichtigungen fällig wäre; nichts senden.",
        )
        parser.add_argument(
            "--skip-reviews", action="store_true", help="Keine Prüf-Erinnerungen senden."
        )

    def handle(self, *args, **options):
        now = self._now(options["now"])
        reminders, reminders_failed = "übersprungen", False
        if not options["skip_reviews"] and not options["dry_run"]:
            try:
                reminders = str(send_review_reminders(timezone.localtime(now).date()))
            except OSError as error:  # SMTP down or refusing: the claim was given back
                reminders, reminders_failed = f"fehlgeschlagen ({error})", True
        actions, actions_failed = "übersprungen", False
        if not options["dry_run"]:
            try:
                actions = str(send_action_reminders(timezone.localtime(now).date()))
            except OSError as error:
                actions, actions_failed = f"fehlgeschlagen ({error})", True
        result = deliver(now, dry_run=options["dry_run"])
        prefix = "Probelauf: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}Prüf-Erinnerungen: {reminders}; Maßnahmen-Erinnerungen: {actions}; "
            "Abo-Benachrichtigungen: "
            f"{result.sent} gesendet, {result.failed} fehlgeschlagen, "
            f"{result.skipped} ohne Neues ({result.events} neue Veröffentlichungen)."
        )
        problems = ["Prüf-Erinnerungen nicht gesendet"] if reminders_failed else []
        if actions_failed:
            problems.append("Maßnahmen-Erinnerungen nicht gesendet")
        if result.failed:
            problems.append(f"{result.failed} Benachrichtigung(en) nicht gesendet")
        if problems:
            # A non-zero exit makes the timer's failure visible (the claims were released).
            raise CommandError("; ".join(problems) + ".")

    def _now(self, value: str | None) -> datetime.datetime:
        if not value:
            return timezone.now()
        parsed = parse_datetime(value)
        if parsed is None:
            raise CommandError(f"--now: kein Zeitpunkt: {value!r}")
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed
