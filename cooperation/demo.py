"""Demo content of the cooperation area (only with demo logins; never in production).

`load_demo` always seeds the facts (cooperation/seed.py). With demo logins it adds what makes
the area look used: the logins as contact persons, members and leads in the working groups
(demo logins and the demo articles' contact persons), a demo Städtetag 2024 in Arnsberg with a
picture and a document, results linked to demo articles, and actions agreed in 2023 (and 2024)
with statuses, due dates relative to today, responsible people and a progress history.

Everything is looked up before it is created, so running `load_demo` again creates nothing.
Page relations (members, documents) are added to the latest revision and published, as the
editor would, so the admin shows them.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from kb.listings import city_of_user
from kb.models import ArticlePage, City, ContactPerson

from .models import (
    Action,
    ActionStatus,
    ActionUpdate,
    MeetingDocument,
    MeetingPage,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from .seed import FOUNDING_YEAR, find_group, meeting_of_year, seed_cooperation

DAS = "Daseinsvorsorge durch Stärkung der Kommunalverwaltung"
KLIMA = "Klimaneutralität & Energieversorgung"
RESILIENZ = "Resilienz gegen Folgen des Klimawandels"
MIGRATION = "Migration & Integration"
KRISE = "Krisenmanagement"
SCHULE = "Schule & Kita"

# Demo logins as contact persons: username -> role.
DEMO_PEOPLE = {
    "mitarbeitende": "Sachgebiet Bevölkerungsschutz",
    "mitarbeitende.sundern": "Koordination Bevölkerungsschutz",
    "redaktion.arnsberg": "Redaktion Wissensnetz",
    "redaktion.sundern": "Redaktion Wissensnetz",
}

# Group -> [(login username or contact e-mail, role)]; a lead leads for the person's city.
DEMO_MEMBERS = {
    KRISE: [
        ("mitarbeitende", MemberRole.LEAD),
        ("mitarbeitende.sundern", MemberRole.LEAD),
        ("thomas.kleinschmidt@arnsberg.example", MemberRole.MEMBER),
        ("ayse.demir@sundern.example", MemberRole.MEMBER),
    ],
    DAS: [
        ("redaktion.arnsberg", MemberRole.LEAD),
        ("katrin.vogelsang@sundern.example", MemberRole.LEAD),
        ("stefanie.rinsche@arnsberg.example", MemberRole.MEMBER),
        ("daniel.kovacevic@arnsberg.example", MemberRole.MEMBER),
        ("mitarbeitende", MemberRole.MEMBER),
    ],
    KLIMA: [
        ("miriam.stratmann@arnsberg.example", MemberRole.LEAD),
        ("henrik.wiese@sundern.example", MemberRole.LEAD),
        ("redaktion.sundern", MemberRole.MEMBER),
    ],
    RESILIENZ: [
        ("christina.beckmann@arnsberg.example", MemberRole.LEAD),
        ("frank.tillmann@sundern.example", MemberRole.LEAD),
        ("jonas.brenner@arnsberg.example", MemberRole.MEMBER),
        ("maria.hoffmeister@sundern.example", MemberRole.MEMBER),
        ("mitarbeitende.sundern", MemberRole.MEMBER),
    ],
    MIGRATION: [
        ("petra.hengstebeck@arnsberg.example", MemberRole.LEAD),
        ("yusuf.karaca@sundern.example", MemberRole.LEAD),
    ],
    SCHULE: [
        ("sabine.lohmann@arnsberg.example", MemberRole.LEAD),
        ("lena.schroeer@sundern.example", MemberRole.LEAD),
        ("redaktion.sundern", MemberRole.MEMBER),
    ],
}

DEMO_MEETING = {
    "year": 2024,
    "title": "Städtetag 2024 in Arnsberg",
    "slug": "staedtetag-2024",
    "host": "Arnsberg",
    "month_day": (9, 19),
    "place": "Rathaus Arnsberg",
    "motto": "Voneinander lernen – gemeinsam umsetzen",
    "participants": 55,
    "agenda": (
        "<ol><li>Begrüßung durch beide Verwaltungsspitzen</li>"
        "<li>Stand der Vereinbarungen aus 2023</li>"
        "<li>Arbeit in den Arbeitsgruppen</li>"
        "<li>Ergebnisse im Plenum und Verabredungen für 2025</li></ol>"
    ),
    "summary": (
        "<p>Demo-Inhalt: Der dritte gemeinsame Städtetag, diesmal in Arnsberg. Die "
        "Arbeitsgruppen zogen Bilanz der Vereinbarungen aus 2023; das Arnsberger Bürgerbüro "
        "stellte seine Online-Terminvergabe vor.</p>"
    ),
}
DEMO_IMAGE_TITLE = "Städtetag 2024 (Demo-Grafik)"
DEMO_DOCUMENT_TITLE = "Tagesordnung Städtetag 2024 (Demo)"

# (group, meeting year, title, text, article slugs)
DEMO_RESULTS = [
    (
        KRISE,
        2023,
        "Blackout-Vorsorge beider Städte verglichen",
        "Beide Städte richten Notfalltreffpunkte ein; Sundern bindet das Ehrenamt stärker ein. "
        "Die Konzepte sollen gemeinsam ausgewertet werden.",
        ["demo-blackout-vorsorge-arnsberg", "demo-blackout-vorsorge-sundern"],
    ),
    (
        MIGRATION,
        2023,
        "Integrationslotsen-Modell aus Sundern vorgestellt",
        "Das Sunderner Modell ehrenamtlicher Integrationslotsen stieß auch in Arnsberg auf "
        "Interesse.",
        ["demo-integrationslotsen-sundern", "demo-ankommensbuero-ukraine-arnsberg"],
    ),
    (
        RESILIENZ,
        2023,
        "Starkregenvorsorge: Ansätze gemeinsam auswerten",
        "Sensorik in Arnsberg, Ortsbegehungen in Sundern – beide Ansätze werden gemeinsam "
        "ausgewertet.",
        ["demo-starkregenvorsorge-arnsberg", "demo-starkregenvorsorge-sundern"],
    ),
    (
        DAS,
        2024,
        "Online-Terminvergabe des Bürgerbüros vorgestellt",
        "Arnsberg stellt Unterlagen für einen Wissenstransfer zur Verfügung.",
        ["demo-buergerbuero-terminvergabe-arnsberg"],
    ),
    (
        KLIMA,
        2024,
        "Gemeinsame Solaroffensive vorbereitet",
        "Ein gemeinsames Solarpotenzialkataster und abgestimmte Förderberatung.",
        ["demo-solaroffensive-arnsberg-sundern", "demo-photovoltaik-kommunale-daecher-sundern"],
    ),
    (
        SCHULE,
        2024,
        "Sprachförderung in Kitas verglichen",
        "Beide Städte setzen auf Elternarbeit; Materialien in mehreren Sprachen werden geteilt.",
        ["demo-sprachfoerderung-kita-arnsberg", "demo-sprachfoerderung-kita-sundern"],
    ),
]
SMART_CITY_ARTICLES = [
    "demo-smart-city-pilot-arnsberg",
    "demo-smart-city-wissenstransfer-arnsberg-sundern",
]

# Actions: (group, year, title, description, responsible username, due in days from today,
# status history [(days ago, from, to, note, author username)], final status).
OPEN, WORK, DONE, DROP = (
    ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.DROPPED,
)
DEMO_ACTIONS = [
    (
        KRISE,
        2023,
        "Notfalltreffpunkte beider Städte einheitlich beschildern",
        "Gemeinsames Schild und gleiche Bezeichnungen, damit Pendelnde sich zurechtfinden.",
        "mitarbeitende",
        -20,
        [
            (200, OPEN, WORK, "Entwurf des Schilds mit Sundern abgestimmt.", "mitarbeitende"),
            (40, "", "", "Angebote für die Herstellung liegen vor.", "mitarbeitende.sundern"),
        ],
        WORK,
    ),
    (
        KRISE,
        2023,
        "Gemeinsame Blackout-Übung planen",
        "Eine Übung mit den Notfalltreffpunkten beider Städte.",
        "mitarbeitende.sundern",
        45,
        [],
        OPEN,
    ),
    (
        DAS,
        2023,
        "Sensorik-Workshop zum Smart-City-Pilot für Sundern",
        "Arnsberg zeigt Sundern Aufbau und Betrieb der Sensorik des Pilotprojekts.",
        "redaktion.arnsberg",
        -250,
        [
            (320, OPEN, WORK, "Termin mit dem Smart-City-Team vereinbart.", "redaktion.arnsberg"),
            (
                260,
                WORK,
                DONE,
                "Workshop durchgeführt; Unterlagen im Wissensnetz.",
                "redaktion.arnsberg",
            ),
        ],
        DONE,
    ),
    (
        RESILIENZ,
        2023,
        "Starkregen-Gefahrenkarten austauschen",
        "Beide Städte stellen sich ihre Gefahrenkarten gegenseitig zur Verfügung.",
        "mitarbeitende.sundern",
        -150,
        [(170, OPEN, DONE, "Karten ausgetauscht.", "mitarbeitende.sundern")],
        DONE,
    ),
    (
        MIGRATION,
        2023,
        "Integrationslotsen-Modell für Arnsberg prüfen",
        "Prüfen, ob Arnsberg das Sunderner Modell übernimmt.",
        "mitarbeitende",
        -120,
        [
            (
                130,
                OPEN,
                DROP,
                "In Arnsberg übernimmt das Ankommensbüro diese Aufgabe; nicht weiter verfolgt.",
                "mitarbeitende",
            )
        ],
        DROP,
    ),
    (
        SCHULE,
        2023,
        "Regelmäßige Treffen Schule & Kita einrichten",
        "Ein fester Termin im Halbjahr, abwechselnd in beiden Städten.",
        "redaktion.sundern",
        -60,
        [],
        OPEN,
    ),
    (
        KLIMA,
        2023,
        "Solarpotenzialkataster gemeinsam ausschreiben",
        "Eine gemeinsame Ausschreibung für beide Städte.",
        "redaktion.sundern",
        10,
        [(90, OPEN, WORK, "Leistungsbeschreibung im Entwurf.", "redaktion.sundern")],
        WORK,
    ),
    (
        DAS,
        2024,
        "Unterlagen zur Online-Terminvergabe an Sundern geben",
        "Konzept, Erfahrungen und Kennzahlen des Arnsberger Bürgerbüros.",
        "redaktion.arnsberg",
        30,
        [],
        OPEN,
    ),
]


def on_demo_loaded(sender, with_users: bool = False, stdout=None, **kwargs) -> None:
    summary = seed_cooperation()
    if stdout is not None and summary:
        stdout.write(str(summary))
    if not with_users:
        return
    created = load_demo_content()
    if stdout is not None:
        stdout.write(
            f"Zusammenarbeit (Demo): {created} neue Einträge."
            if created
            else "Zusammenarbeit (Demo): schon vorhanden."
        )


@transaction.atomic
def load_demo_content() -> int:
    """Adds the demo content; returns how many things it created (0 on a second run)."""
    from .models import CooperationIndexPage

    area = CooperationIndexPage.objects.order_by("path").first()
    if area is None:
        return 0
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[*DEMO_PEOPLE, "chefredaktion"])
    }
    count = 0
    people: dict[str, ContactPerson] = {}
    for username, role in DEMO_PEOPLE.items():
        if username in users:
            people[username], new = _person_for_login(users[username], role)
            count += new
    groups = {title: find_group(area, title) for title in DEMO_MEMBERS}
    for title, entries in DEMO_MEMBERS.items():
        if groups[title] is not None:
            count += _add_members(groups[title], entries, people)
    meeting_2024, new = _demo_meeting(area)
    count += new
    meetings = {
        year: meeting_of_year(area, year) for year in (2022, FOUNDING_YEAR, DEMO_MEETING["year"])
    }
    count += _demo_results(groups, meetings)
    count += _demo_actions(groups, meetings, users)
    return count


STALE_DEMO_LOGIN = "mitarbeitende.sundern"


def _person_for_login(user, role: str) -> tuple[ContactPerson, int]:
    person = ContactPerson.objects.filter(user=user).first()
    if person:
        return person, 0
    person = ContactPerson.objects.filter(email__iexact=user.email, user__isnull=True).first()
    if person:
        person.user = user
        person.save(update_fields=["user"])
        return person, 0
    person = ContactPerson.objects.create(
        name=user.get_full_name() or user.username,
        role=role,
        email=user.email,
        city=city_of_user(user),
        user=user,
        # One demo login confirmed its data 14 months ago: the home page's yearly "Stimmen
        # Ihre Angaben noch?" shows for it.
        confirmed_on=timezone.localdate()
        - datetime.timedelta(days=425 if user.username == STALE_DEMO_LOGIN else 30),
    )
    return person, 1


def _add_members(group: WorkingGroupPage, entries, people: dict[str, ContactPerson]) -> int:
    emails = [key for key, _ in entries if "@" in key]
    contacts = {
        person.email.lower(): person
        for person in ContactPerson.objects.filter(email__in=emails).order_by("pk")
    }
    page = group.get_latest_revision_as_object()
    present = {member.person_id for member in page.members.all()}
    lead_cities = {
        member.effective_city.pk
        for member in page.members.all()
        if member.role == MemberRole.LEAD and member.effective_city
    }
    added = 0
    for key, role in entries:
        person = people.get(key) if "@" not in key else contacts.get(key)
        if person is None or person.pk in present:
            continue
        # One lead per city: an existing lead (an editor's choice) stays.
        if role == MemberRole.LEAD and (person.city_id is None or person.city_id in lead_cities):
            role = MemberRole.MEMBER
        if role == MemberRole.LEAD:
            lead_cities.add(person.city_id)
        page.members.add(WorkingGroupMember(person=person, role=role))
        present.add(person.pk)
        added += 1
    if added:
        page.save_revision().publish()
    return added


def _demo_image():
    from wagtail.images import get_image_model

    Image = get_image_model()
    image = Image.objects.filter(title=DEMO_IMAGE_TITLE).first()
    if image:
        return image
    from PIL import Image as PILImage
    from PIL import ImageDraw

    # A plain generated picture (no external asset): two city colours side by side.
    colours = list(City.objects.order_by("name").values_list("color", flat=True)) or ["#1d4f91"]
    picture = PILImage.new("RGB", (1200, 600), "#ffffff")
    draw = ImageDraw.Draw(picture)
    width = 1200 // len(colours)
    for position, colour in enumerate(colours):
        draw.rectangle([position * width, 0, (position + 1) * width, 600], fill=colour)
    draw.rectangle([150, 220, 1050, 380], fill="#ffffff")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    # ImageFile lets the image field fill in width and height.
    image = Image(
        title=DEMO_IMAGE_TITLE,
        description="Demo-Grafik in den Farben der Städte",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="staedtetag-2024-demo.png"),
    )
    image.save()
    return image


def _demo_document():
    from wagtail.documents import get_document_model

    Document = get_document_model()
    document = Document.objects.filter(title=DEMO_DOCUMENT_TITLE).first()
    if document:
        return document
    text = "Tagesordnung Städtetag 2024 (Demo-Inhalt)\n\n" + "\n".join(
        f"{number}. {item}"
        for number, item in enumerate(
            [
                "Begrüßung",
                "Stand der Vereinbarungen aus 2023",
                "Arbeit in den Arbeitsgruppen",
                "Ergebnisse im Plenum",
            ],
            start=1,
        )
    )
    document = Document(title=DEMO_DOCUMENT_TITLE)
    document.file.save("tagesordnung-staedtetag-2024-demo.txt", ContentFile(text.encode()), False)
    document.save()
    return document


def _demo_meeting(area) -> tuple[MeetingPage, int]:
    data = DEMO_MEETING
    meeting = meeting_of_year(area, data["year"])
    if meeting:
        return meeting, 0
    month, day = data["month_day"]
    meeting = MeetingPage(
        title=data["title"],
        slug=data["slug"],
        year=data["year"],
        date=datetime.date(data["year"], month, day),
        host_city=City.objects.filter(name=data["host"]).first(),
        place=data["place"],
        motto=data["motto"],
        participants=data["participants"],
        agenda=data["agenda"],
        summary=data["summary"],
        photo=_demo_image(),
        live=False,
    )
    area.add_child(instance=meeting)
    meeting.documents.add(MeetingDocument(document=_demo_document()))
    meeting.save_revision().publish()
    return MeetingPage.objects.get(pk=meeting.pk), 1


def _articles(slugs: list[str]) -> list[ArticlePage]:
    return list(ArticlePage.objects.filter(slug__in=slugs).order_by("pk"))


def _agreed_at(meeting: MeetingPage | None, year: int) -> datetime.datetime:
    """When a demo result or action was recorded: the afternoon of the Städtetag, or (the 2023
    one has no recorded date, and none is invented for it) the middle of its year."""
    day = meeting.date if meeting and meeting.date else datetime.date(year, 7, 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))


def _demo_results(groups: dict, meetings: dict) -> int:
    created = 0
    for title, year, name, text, slugs in DEMO_RESULTS:
        group = groups.get(title)
        if group is None or Result.objects.filter(group=group, title=name).exists():
            continue
        meeting = meetings.get(year)
        result = Result.objects.create(
            group=group,
            meeting=meeting,
            title=name,
            text=text,
            created=_agreed_at(meeting, year),
        )
        result.articles.set(_articles(slugs))
        created += 1
    # The seeded Smart City result gets the demo articles about the pilot (once).
    seeded = Result.objects.filter(group=groups.get(DAS), meeting__year=FOUNDING_YEAR).first()
    if seeded and not seeded.articles.exists():
        seeded.articles.set(_articles(SMART_CITY_ARTICLES))
    return created


def _demo_actions(groups: dict, meetings: dict, users: dict) -> int:
    today = timezone.localdate()
    now = timezone.now()
    cities = list(City.objects.all())
    created = 0
    for title, year, name, description, owner, due_in, history, status in DEMO_ACTIONS:
        group = groups.get(title)
        if group is None or Action.objects.filter(group=group, title=name).exists():
            continue
        meeting = meetings.get(year)
        agreed = _agreed_at(meeting, year)
        action = Action.objects.create(
            title=name,
            description=description,
            group=group,
            meeting=meeting,
            responsible=users.get(owner),
            due_date=today + datetime.timedelta(days=due_in),
            status=status,
            created_by=users.get(owner),
            created=agreed,
        )
        action.cities.set(cities)
        for days_ago, status_from, status_to, note, author in history:
            ActionUpdate.objects.create(
                action=action,
                author=users.get(author),
                created=now - datetime.timedelta(days=days_ago),
                text=note,
                status_from=status_from,
                status_to=status_to,
            )
        created += 1
    return created
