"""Demo expertise entries for "Wer weiß was?" (demo content only, never in production).

Some contact persons of the demo articles and the persons linked to the demo logins (if the
cooperation demo linked them) get expertise entries. One article contact was last confirmed
14 months ago, so "veraltet" shows; the staff login's person too, unless the cooperation demo
gave it a date of its own (its entry then has that date). Running the demo again creates
nothing twice and keeps what someone confirmed or changed in the demo.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from kb.models import ContactPerson, Expertise
from kb.reviews import add_months
from kb.topics import find_topic

# (e-mail of a demo article's contact person, topic area, note, confirmed months ago)
DEMO_ARTICLE_EXPERTISE = [
    (
        "jonas.brenner@arnsberg.example",
        "Klimafolgenanpassung & Resilienz",
        "Hitzeaktionsplan, kühle Orte",
        2,
    ),
    (
        "maria.hoffmeister@sundern.example",
        "Klimafolgenanpassung & Resilienz",
        "Hitzeschutz in Kitas und Schulen",
        5,
    ),
    (
        "thomas.kleinschmidt@arnsberg.example",
        "Krisenmanagement",
        "Notstromversorgung, Leuchttürme bei Stromausfall",
        14,
    ),
    ("ayse.demir@sundern.example", "Krisenmanagement", "Katastrophenschutz-Übungen", 3),
    (
        "katrin.vogelsang@sundern.example",
        "Kommunalverwaltung & Daseinsvorsorge",
        "Interkommunale Zusammenarbeit, Städtetag",
        1,
    ),
]
# (demo login, topic area, note, confirmed months ago)
DEMO_LOGIN_EXPERTISE = [
    ("mitarbeitende", "Smart City", "Sensorik im Smart-City-Pilot", 14),
    ("mitarbeitende.sundern", "Klimaneutralität & Energieversorgung", "Förderanträge", 4),
]


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    return add_months(today, -months)


def _add(person: ContactPerson, topic_name: str, note: str, confirmed: datetime.date) -> bool:
    topic = find_topic(topic_name)
    if topic is None:
        return False
    _entry, created = Expertise.objects.get_or_create(
        person=person,
        topic=topic,
        city=None,
        defaults={"note": note, "confirmed_on": confirmed},
    )
    # The person's "Stand" follows their entries, unless they confirmed it themselves.
    if person.confirmed_on is None:
        ContactPerson.objects.filter(pk=person.pk).update(confirmed_on=confirmed)
        person.confirmed_on = confirmed
    return created


def on_demo_loaded(sender, with_users: bool = False, stdout=None, **kwargs) -> None:
    if not with_users:
        return
    today = timezone.localdate()
    created = 0
    for email, topic_name, note, months in DEMO_ARTICLE_EXPERTISE:
        person = ContactPerson.objects.filter(email__iexact=email).order_by("pk").first()
        if person is not None:
            created += _add(person, topic_name, note, _months_ago(today, months))
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[row[0] for row in DEMO_LOGIN_EXPERTISE]
        )
    }
    for username, topic_name, note, months in DEMO_LOGIN_EXPERTISE:
        user = users.get(username)
        person = ContactPerson.objects.filter(user=user).first() if user else None
        if person is not None:
            # A login's person confirmed by the cooperation demo: their entry with it.
            confirmed = person.confirmed_on or _months_ago(today, months)
            created += _add(person, topic_name, note, confirmed)
    if stdout is not None:
        stdout.write(f"Wer weiß was?: {created} Demo-Einträge zum Fachwissen neu angelegt.")
