"""The known facts of the cooperation, seeded into the Zusammenarbeit area (idempotent).

Only what is known goes in: the first joint Städtetag was 2022 (host, date and place not
recorded), the second 2023 in Sundern with about 50 staff in five working groups; regular
meetings on Schule und Kita were agreed there, and a knowledge transfer on Arnsberg's Smart City
pilot is wanted. No members, people, dates or places are invented (demo content adds those, see
cooperation/demo.py).

Everything is found before it is created (the area as the one CooperationIndexPage, a Städtetag
by its year, a working group by slug or title) and nothing that exists is changed, so running
the seed again changes nothing and never undoes what editors changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from wagtail.models import Page

from kb.models import City, TopicPage
from kb.topics import ensure_default_topics, find_topic, german_slug

from .models import CooperationIndexPage, MeetingPage, Result, WorkingGroupPage

AREA_TITLE = "Zusammenarbeit"
AREA_SLUG = "zusammenarbeit"
AREA_INTRO = (
    "<p>Mitarbeitende der Städte treffen sich einmal im Jahr zum gemeinsamen Städtetag und "
    "arbeiten in Arbeitsgruppen an gemeinsamen Themen weiter. Hier stehen die Städtetage, die "
    "Arbeitsgruppen, ihre Ergebnisse und die vereinbarten Maßnahmen.</p>"
)

SEED_MEETINGS = [
    {
        "year": 2022,
        "title": "Städtetag 2022",
        "host": None,
        "participants": None,
        "summary": "<p>Der erste gemeinsame Städtetag von Arnsberg und Sundern.</p>",
    },
    {
        "year": 2023,
        "title": "Städtetag 2023 in Sundern",
        "host": "Sundern",
        "participants": 50,
        "summary": (
            "<p>Der zweite gemeinsame Städtetag, in Sundern: rund 50 Mitarbeitende aus Arnsberg "
            "und Sundern arbeiteten in fünf Arbeitsgruppen.</p>"
            "<ul><li>Regelmäßige Treffen zu Schule und Kita wurden vereinbart.</li>"
            "<li>Ein Wissenstransfer zum Smart-City-Pilotprojekt Arnsbergs ist gewünscht.</li>"
            "</ul>"
        ),
    },
]
FOUNDING_YEAR = 2023

FIVE_GROUPS_TEXT = "<p>Eine der fünf Arbeitsgruppen des Städtetags 2023 in Sundern.</p>"
SEED_GROUPS = [
    {
        "title": "Daseinsvorsorge durch Stärkung der Kommunalverwaltung",
        "topics": ["Kommunalverwaltung & Daseinsvorsorge", "Smart City"],
        "description": FIVE_GROUPS_TEXT,
    },
    {
        "title": "Klimaneutralität & Energieversorgung",
        "topics": ["Klimaneutralität & Energieversorgung"],
        "description": FIVE_GROUPS_TEXT,
    },
    {
        "title": "Resilienz gegen Folgen des Klimawandels",
        "topics": ["Klimafolgenanpassung & Resilienz"],
        "description": FIVE_GROUPS_TEXT,
    },
    {
        "title": "Migration & Integration",
        "topics": ["Migration & Integration"],
        "description": FIVE_GROUPS_TEXT,
    },
    {
        "title": "Krisenmanagement",
        "topics": ["Krisenmanagement"],
        "description": FIVE_GROUPS_TEXT,
    },
    {
        "title": "Schule & Kita",
        "topics": ["Schule & Kita"],
        "description": (
            "<p>Beim Städtetag 2023 in Sundern wurden regelmäßige Treffen zu Schule und Kita "
            "vereinbart.</p>"
        ),
    },
]

# The wish for a knowledge transfer, recorded as a result of the 2023 Städtetag in the group
# whose topic areas include Smart City.
SMART_CITY_RESULT = {
    "group": "Daseinsvorsorge durch Stärkung der Kommunalverwaltung",
    "year": 2023,
    "title": "Wissenstransfer zum Smart-City-Pilotprojekt Arnsbergs gewünscht",
    "text": "Beim Städtetag 2023 wurde der Wunsch nach einem Wissenstransfer zum "
    "Smart-City-Pilotprojekt Arnsbergs festgehalten.",
}


@dataclass
class SeedSummary:
    """What a run created (names), for the command's output and the tests."""

    created: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created)

    def __str__(self) -> str:
        if not self.created:
            return "Zusammenarbeit: alles schon vorhanden, nichts geändert."
        return "Zusammenarbeit: angelegt – " + "; ".join(self.created)


def home_page() -> Page:
    """The page the area lives under, found through its allowed parent type (as
    kb.topics.home_page does) so that cooperation does not import the home app."""
    (parent_model,) = CooperationIndexPage.allowed_parent_page_models()
    return parent_model.objects.get()


def _publish(page: Page) -> None:
    # An import-like first publication: the seed writes facts, no review is needed.
    page.save_revision().publish()


def _free_slug(parent: Page, slug: str) -> str:
    existing = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in existing:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def ensure_area(summary: SeedSummary) -> CooperationIndexPage:
    # There is at most one area (max_count = 1); an editor may have renamed it.
    area = CooperationIndexPage.objects.order_by("path").first()
    if area:
        return area
    home = home_page()
    area = CooperationIndexPage(
        title=AREA_TITLE, slug=_free_slug(home, AREA_SLUG), intro=AREA_INTRO, live=False
    )
    home.add_child(instance=area)
    _publish(area)
    summary.created.append(f"Bereich „{AREA_TITLE}“")
    return CooperationIndexPage.objects.get(pk=area.pk)


def meeting_of_year(area: CooperationIndexPage, year: int) -> MeetingPage | None:
    return MeetingPage.objects.child_of(area).filter(year=year).order_by("path").first()


def ensure_meeting(area: CooperationIndexPage, data: dict, summary: SeedSummary) -> MeetingPage:
    meeting = meeting_of_year(area, data["year"])
    if meeting:
        return meeting
    host = City.objects.filter(name=data["host"]).first() if data["host"] else None
    meeting = MeetingPage(
        title=data["title"],
        slug=_free_slug(area, german_slug(f"staedtetag-{data['year']}")),
        year=data["year"],
        host_city=host,
        participants=data["participants"],
        summary=data["summary"],
        live=False,
    )
    area.add_child(instance=meeting)
    _publish(meeting)
    summary.created.append(data["title"])
    return MeetingPage.objects.get(pk=meeting.pk)


def find_group(area: CooperationIndexPage, title: str) -> WorkingGroupPage | None:
    groups = WorkingGroupPage.objects.child_of(area).order_by("path")
    return (
        groups.filter(slug=german_slug(title)).first() or groups.filter(title__iexact=title).first()
    )


def ensure_group(
    area: CooperationIndexPage,
    data: dict,
    founded_at: MeetingPage,
    topics: dict[str, TopicPage],
    summary: SeedSummary,
) -> WorkingGroupPage:
    group = find_group(area, data["title"])
    if group:
        return group
    group = WorkingGroupPage(
        title=data["title"],
        slug=_free_slug(area, german_slug(data["title"])),
        description=data["description"],
        founded_at=founded_at,
        live=False,
    )
    area.add_child(instance=group)
    # Parental many-to-many relations are kept in memory until the publication saves them
    # (and are part of the revision, so the editor shows them).
    group.topics.set([topics[name] for name in data["topics"] if topics.get(name)])
    group.cities.set(City.objects.all())
    _publish(group)
    summary.created.append(f"Arbeitsgruppe „{data['title']}“")
    return WorkingGroupPage.objects.get(pk=group.pk)


def ensure_smart_city_result(
    groups: dict[str, WorkingGroupPage], meetings: dict[int, MeetingPage], summary: SeedSummary
) -> Result:
    group = groups[SMART_CITY_RESULT["group"]]
    # Recorded once: any result of the group about the Smart City pilot counts (an editor may
    # have reworded the title).
    result = (
        Result.objects.filter(group=group)
        .filter(Q(title__icontains="Smart") | Q(text__icontains="Smart"))
        .order_by("pk")
        .first()
    )
    if result:
        return result
    result = Result.objects.create(
        group=group,
        meeting=meetings[SMART_CITY_RESULT["year"]],
        title=SMART_CITY_RESULT["title"],
        text=SMART_CITY_RESULT["text"],
    )
    summary.created.append(f"Ergebnis „{result.title}“")
    return result


@transaction.atomic
def seed_cooperation() -> SeedSummary:
    """Creates what is missing of the seed facts; returns what it created."""
    summary = SeedSummary()
    ensure_default_topics()
    topic_names = {name for data in SEED_GROUPS for name in data["topics"]}
    topics = {name: find_topic(name) for name in sorted(topic_names)}
    area = ensure_area(summary)
    meetings = {data["year"]: ensure_meeting(area, data, summary) for data in SEED_MEETINGS}
    groups = {
        data["title"]: ensure_group(area, data, meetings[FOUNDING_YEAR], topics, summary)
        for data in SEED_GROUPS
    }
    ensure_smart_city_result(groups, meetings, summary)
    return summary
