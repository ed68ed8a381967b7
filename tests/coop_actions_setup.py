"""Shared set-up of the agreed-actions tests: a Zusammenarbeit area with a Städtetag, two working
groups, a member (account linked to a contact person) and actions in every status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cooperation.actions import create_action
from cooperation.models import (
    Action,
    ActionStatus,
    CooperationIndexPage,
    MeetingPage,
    MemberRole,
    WorkingGroupMember,
    WorkingGroupPage,
)
from kb.models import City, ContactPerson
from kb.topics import home_page
from tests.conftest import make_user


@dataclass
class Coop:
    area: CooperationIndexPage
    meeting: MeetingPage
    climate: WorkingGroupPage
    migration: WorkingGroupPage
    arnsberg: City
    sundern: City
    member: User
    lead: User
    today: datetime.date

    def action(self, title: str, group=None, *, due_in: int | None = 10, status=None, **extra):
        action = create_action(
            group=group or self.climate,
            title=title,
            user=self.lead,
            meeting=extra.pop("meeting", self.meeting),
            responsible=extra.pop("responsible", self.member),
            cities=extra.pop("cities", [self.arnsberg]),
            due_date=None if due_in is None else self.today + datetime.timedelta(days=due_in),
            **extra,
        )
        if status:
            Action.objects.filter(pk=action.pk).update(status=status)
            action.status = status
        return action


def city(name: str) -> City:
    found, _ = City.objects.get_or_create(name=name, defaults={"slug": name.lower()})
    return found


def person(user: User, name: str, town: City) -> ContactPerson:
    return ContactPerson.objects.create(name=name, city=town, user=user, email=user.email)


@pytest.fixture(name="coop")
def coop_fixture(db) -> Coop:
    arnsberg, sundern = city("Arnsberg"), city("Sundern")
    area = home_page().add_child(instance=CooperationIndexPage(title="Zusammenarbeit"))
    meeting = area.add_child(instance=MeetingPage(title="Städtetag 2023", year=2023))
    climate = area.add_child(instance=WorkingGroupPage(title="Klimaneutralität & Energie"))
    migration = area.add_child(instance=WorkingGroupPage(title="Migration & Integration"))
    member = make_user(
        "mona", "Mitarbeitende", email="mona@sundern.example", first_name="Mona", last_name="Meier"
    )
    lead = make_user(
        "leo", "Mitarbeitende", email="leo@arnsberg.example", first_name="Leo", last_name="Lang"
    )
    WorkingGroupMember.objects.create(
        page=climate, person=person(member, "Mona Meier", sundern), role=MemberRole.MEMBER
    )
    WorkingGroupMember.objects.create(
        page=climate, person=person(lead, "Leo Lang", arnsberg), role=MemberRole.LEAD
    )
    return Coop(
        area, meeting, climate, migration, arnsberg, sundern, member, lead, timezone.localdate()
    )


__all__ = ["Coop", "coop_fixture", "ActionStatus"]
