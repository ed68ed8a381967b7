"""Loads the demo content and (in development) demo logins. Safe to run again."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kb.importer import ImportFailed, import_file
from kb.models import ArticlePage
from kb.reviews import add_months, due_date
from kb.signals import demo_loaded, review_state_changed
from kb.topics import ensure_default_topics

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "wissen-teilen-2026"  # noqa: S105 - printed on purpose, dev only
DEMO_USERS = [
    # username, first, last, email, group, superuser
    ("mitarbeitende", "Mia", "Mitarbeitende", "mia@arnsberg.example", "Mitarbeitende", False),
    ("mitarbeitende.sundern", "Sam", "Sunderland", "sam@sundern.example", "Mitarbeitende", False),
    (
        "redaktion.arnsberg",
        "Ronja",
        "Redaktion",
        "ronja@arnsberg.example",
        "Redaktion Arnsberg",
        False,
    ),
    (
        "redaktion.sundern",
        "Rafael",
        "Redaktion",
        "rafael@sundern.example",
        "Redaktion Sundern",
        False,
    ),
    ("chefredaktion", "Charlotte", "Chef", "charlotte@arnsberg.example", "Chefredaktion", False),
    ("admin", "Ada", "Admin", "admin@arnsberg.example", None, True),
]


# Owners of the demo articles: the editors of the article's (first) city, the other city's as
# deputy. These stay never reviewed, so the overdue notice, the dashboard panel "Meine fälligen
# Prüfungen" and the report "Prüfstand" have something to show; one more falls due soon.
DEMO_OWNERS = {"Arnsberg": "redaktion.arnsberg", "Sundern": "redaktion.sundern"}
DEMO_OVERDUE = {
    "demo-smart-city-pilot-arnsberg",
    "demo-leerstand-innenstadt-sundern",
    "demo-blackout-vorsorge-arnsberg",
}
DEMO_DUE_SOON = "demo-hitzeschutz-sundern"


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (idempotent) und legt in der Entwicklung Demo-Zugänge an."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action="store_true",
            help="Demo-Zugänge auch ohne DEBUG anlegen (nie in Produktion verwenden)",
        )
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Adresse, unter der der Server gleich läuft (für den Hinweis zum Anmelden)",
        )

    def handle(self, *args, **options):
        ensure_default_topics()
        for path in sorted(DEMO_DIR.glob("*.jsonl")):
            try:
                result = import_file(path.read_bytes())
            except ImportFailed as failure:
                raise CommandError(f"{path.name}: {failure}") from None
            self.stdout.write(
                f"{path.name}: {len(result.created)} neu, {len(result.updated)} aktualisiert, "
                f"{len(result.unchanged)} unverändert"
            )
        with_users = settings.DEBUG or options["users"]
        logins = []
        if with_users:
            logins = self._demo_users(options["site_url"].rstrip("/"))
            self._demo_reviews()
        # Apps above kb add their demo content (the cooperation area, ...) now that articles
        # and demo logins exist.
        demo_loaded.send(sender=self.__class__, with_users=with_users, stdout=self.stdout)
        for line in logins:
            self.stdout.write(line)

    def _demo_users(self, site_url: str) -> list[str]:
        """Creates the demo logins; returns the lines that tell how to log in (printed last)."""
        User = get_user_model()
        lines = ["\nDemo-Zugänge (nur Entwicklung), Passwort für alle: " + DEMO_PASSWORD]
        for username, first, last, email, group, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": email},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = user.is_staff = superuser
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            lines.append(f"  {username:<24} {group or 'Administration (Superuser)'}")
        lines.append(f"Anmelden: {site_url}/anmelden/  ·  Redaktion: {site_url}/admin/")
        return lines

    def _demo_reviews(self) -> None:
        """Owners for the demo articles without one, and review dates (only where none is set,
        so what someone confirmed in the demo stays)."""
        users = {
            user.username: user
            for user in get_user_model().objects.filter(username__in=DEMO_OWNERS.values())
        }
        slugs = [
            json.loads(line)["slug"]
            for path in sorted(DEMO_DIR.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        pages = ArticlePage.objects.live().filter(slug__in=slugs).order_by("pk")
        for page in pages.filter(responsible__isnull=True).prefetch_related("cities"):
            cities = sorted(city.name for city in page.cities.all())
            owner = users.get(DEMO_OWNERS.get(cities[0], "")) if cities else None
            if owner is None:
                continue
            others = [
                u for name, u in sorted(DEMO_OWNERS.items()) if u in users and name != cities[0]
            ]
            page.responsible = owner
            page.deputy = users.get(others[0]) if others else None
            page.save_revision(log_action=True).publish()
        today = timezone.localdate()
        changed = []
        for number, page in enumerate(pages.filter(last_reviewed__isnull=True)):
            if page.slug in DEMO_OVERDUE:
                continue
            if page.slug == DEMO_DUE_SOON:
                reviewed = add_months(today, -12) + datetime.timedelta(days=12)
            else:
                reviewed = today - datetime.timedelta(days=20 + (number * 37) % 300)
            interval = page.effective_review_interval()
            ArticlePage.objects.filter(pk=page.pk).update(
                last_reviewed=reviewed, review_due=due_date(reviewed, interval)
            )
            changed.append(page.pk)
        if changed:
            review_state_changed.send(sender=ArticlePage, page_ids=changed)
        overdue = pages.filter(review_due__lt=today).count()
        self.stdout.write(
            f"Verantwortliche gesetzt; {overdue} Demo-Beiträge sind zur Prüfung überfällig."
        )
