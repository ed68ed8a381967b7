"""Loads the demo content and (in development) demo logins. Safe to run again."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from kb.importer import ImportFailed, import_file
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
        if settings.DEBUG or options["users"]:
            self._demo_users(options["site_url"].rstrip("/"))

    def _demo_users(self, site_url: str) -> None:
        User = get_user_model()
        self.stdout.write("\nDemo-Zugänge (nur Entwicklung), Passwort für alle: " + DEMO_PASSWORD)
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
            self.stdout.write(f"  {username:<24} {group or 'Administration (Superuser)'}")
        self.stdout.write(f"Anmelden: {site_url}/anmelden/  ·  Redaktion: {site_url}/admin/")
