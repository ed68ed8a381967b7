"""The cooperation area's pages run a fixed number of SQL queries, however much they show.

Each page is rendered with the demo content (`load_demo --users`: Städtetage, working groups
with members, results, actions with history, expertise) and again after the area has grown
(more members, results, actions with notes, expertise entries, articles); both renders stay
under the same bound — the count measured when it was set plus a small margin — so an N+1
(a query per member, action, note or person) fails the suite.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cooperation.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    MeetingPage,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from kb.models import ArticlePage, City, ContactPerson, Expertise, TopicPage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

GROUP = "Krisenmanagement"
MORE = 12


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", users=True, stdout=StringIO())
    assert Action.objects.exists() and Expertise.objects.exists()


def grow() -> None:
    """More of everything the pages list: members, results, actions with notes, expertise."""
    group = WorkingGroupPage.objects.get(title=GROUP)
    meeting = MeetingPage.objects.get(year=2023)
    cities = list(City.objects.all())
    topic = TopicPage.objects.get(title=GROUP)
    articles = list(ArticlePage.objects.live()[:3])
    User = get_user_model()
    for n in range(MORE):
        city = cities[n % len(cities)]
        user = User.objects.create_user(f"mehr{n}", email=f"mehr{n}@{city.slug}.example")
        person = ContactPerson.objects.create(
            name=f"Mehr Person {n}", city=city, email=user.email, user=user
        )
        WorkingGroupMember.objects.create(
            page=group, person=person, role=MemberRole.MEMBER, city=city
        )
        Expertise.objects.create(person=person, topic=topic, note=f"Thema {n}")
        result = Result.objects.create(group=group, meeting=meeting, title=f"Ergebnis {n}")
        result.articles.set(articles)
        action = Action.objects.create(
            title=f"Maßnahme {n}",
            group=group,
            meeting=meeting,
            responsible=user,
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n * 20),
            status=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS][n % 2],
        )
        action.cities.set(cities)
        ActionUpdate.objects.create(action=action, author=user, text=f"Notiz {n}")
        ActionUpdate.objects.create(
            action=action,
            author=user,
            status_from=ActionStatus.OPEN,
            status_to=ActionStatus.IN_PROGRESS,
        )


def render_twice(client, url, bound: int, django_assert_max_num_queries) -> list:
    responses = []
    for step in ("demo", "grown"):
        if step == "grown":
            grow()
        resolved = url() if callable(url) else url
        with django_assert_max_num_queries(bound):
            response = client.get(resolved)
        assert response.status_code == 200, resolved
        responses.append(response)
    return responses


@pytest.fixture
def member_client(client, demo):
    """Mia (demo login), lead of the Krisenmanagement group: sees the members' forms too."""
    client.force_login(get_user_model().objects.get(username="mitarbeitende"))
    return client


@pytest.fixture
def editor_client(client, demo):
    client.force_login(get_user_model().objects.get(username="redaktion.arnsberg"))
    return client


@pytest.fixture
def reader_client(client, demo):
    client.force_login(make_user("leser", "Mitarbeitende", email="leser@sundern.example"))
    return client


def _group() -> WorkingGroupPage:
    return WorkingGroupPage.objects.get(title=GROUP)


def _pair() -> tuple[int, int]:
    article = ArticlePage.objects.live().filter(counterpart__isnull=False).order_by("pk").first()
    return article.pk, article.counterpart_id


def _person() -> int:
    return WorkingGroupMember.objects.filter(page=_group(), role=MemberRole.LEAD)[0].person_id


# (reader, address)
CASES = {
    "area": ("reader", lambda: "/zusammenarbeit/"),
    "meeting": ("reader", lambda: MeetingPage.objects.get(year=2024).url),
    "group-reader": ("reader", lambda: _group().url),
    "group-member": ("member", lambda: _group().url),
    "tracker": ("reader", lambda: "/massnahmen/"),
    "tracker-filtered": ("reader", lambda: f"/massnahmen/?group={_group().pk}&status=offen"),
    "tracker-csv": ("reader", lambda: "/massnahmen/export.csv"),
    "action-member": (
        "member",
        lambda: f"/massnahmen/{Action.objects.filter(group=_group()).first().pk}/",
    ),
    "expert-finder": ("reader", lambda: "/wer-weiss-was/"),
    "person": ("reader", lambda: f"/personen/{_person()}/"),
    "my-profile": ("member", lambda: "/meine-angaben/"),
    "compare": ("reader", lambda: "/vergleich/{}/{}/".format(*_pair())),
    "compare-pick": ("reader", lambda: f"/vergleich/{_pair()[0]}/"),
    "radar": ("editor", lambda: "/transfer-radar/"),
}


# The bounds: measured (demo / grown) when set, plus 2. Each request of a logged-in reader
# costs about 9 queries before the page's own (session, user, site, navigation, permissions).
BOUNDS = {
    "area": 22,  # 20 / 20
    "meeting": 50,  # 47 / 28: the first render creates the photo's rendition
    "group-reader": 37,  # 35 / 35
    "group-member": 43,  # 41 / 41: with the forms "Ergebnis festhalten" and its choices
    "tracker": 20,  # 18 / 18
    "tracker-filtered": 20,  # 18 / 18
    "tracker-csv": 10,  # 8 / 8
    "action-member": 17,  # 15 / 13
    "expert-finder": 17,  # 15 / 15
    "person": 19,  # 17 / 17
    "my-profile": 21,  # 19 / 19
    "compare": 17,  # 15 / 15
    "compare-pick": 22,  # 20 / 20
    "radar": 19,  # 17 / 17
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bounded(name, request, django_assert_max_num_queries):
    reader, url = CASES[name]
    client = request.getfixturevalue(f"{reader}_client")
    render_twice(client, url, BOUNDS[name], django_assert_max_num_queries)
