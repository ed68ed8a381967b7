from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Baut den Suchindex der Wissensbeiträge und Ansprechpersonen neu auf (atomar)."

    def handle(self, *args, **options):
        articles, contacts = rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Suchindex neu aufgebaut: {articles} Beiträge, {contacts} Personen."
            )
        )
