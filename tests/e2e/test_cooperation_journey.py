"""The cooperation area in the browser: a working group's lead records a result and agrees an
action at the Städtetag, another member marks it "erledigt" with a note, the tracker shows it.

Screenshots of the group page, the action page and the tracker at 1280 and 375 px go to
tests/artifacts/.
"""

from __future__ import annotations

import datetime
import re

import pytest

from cooperation.models import (
    Action,
    ActionStatus,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from cooperation.seed import seed_cooperation
from kb.models import City, ContactPerson
from tests.conftest import make_user
from tests.e2e.conftest import BROWSER_TEST, artifact_path

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

RESULT = "Notfallpläne für einen Stromausfall gegenseitig prüfen"
ACTION = "Checkliste Notfalltreffpunkte abgleichen"
NOTE = "Beide Checklisten liegen abgestimmt vor."


def screenshots(page, name: str) -> None:
    for width, height, suffix in ((1280, 900, ""), (375, 740, "-375")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifact_path(f"cooperation-{name}{suffix}.png"), full_page=True)
        # Nothing may stick out sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow}px wide at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def group(db) -> WorkingGroupPage:
    seed_cooperation()
    group = WorkingGroupPage.objects.get(title="Krisenmanagement")
    arnsberg, sundern = City.objects.get(name="Arnsberg"), City.objects.get(name="Sundern")
    for username, first, city, role in (
        ("lena", "Lena", arnsberg, MemberRole.LEAD),
        ("sven", "Sven", sundern, MemberRole.MEMBER),
    ):
        user = make_user(username, "Mitarbeitende", email=f"{username}@{city.slug}.example")
        person = ContactPerson.objects.create(
            name=f"{first} Muster", city=city, email=user.email, user=user
        )
        WorkingGroupMember.objects.create(page=group, person=person, role=role, city=city)
    make_user("mia", "Mitarbeitende", email="mia@arnsberg.example")
    return group


def test_lead_records_member_completes_tracker_shows(new_page, group):
    due = datetime.date.today() + datetime.timedelta(days=60)

    # --- The lead records a result of the 2023 Städtetag on the group page. ---
    lead = new_page("lena")
    lead.goto(group.url)
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Krisenmanagement")
    lead.get_by_text("Ergebnis festhalten", exact=True).click()
    lead.get_by_label(re.compile(r"^Ergebnis\b")).fill(RESULT)
    lead.get_by_label("Beschreibung").first.fill("Vereinbart in der Arbeitsgruppe.")
    lead.get_by_label("Städtetag").select_option(label="Städtetag 2023 in Sundern")
    lead.get_by_role("button", name="Ergebnis speichern").click()
    expect(lead.locator(".messages")).to_be_visible()
    expect(lead.get_by_text(RESULT).first).to_be_visible()
    result = Result.objects.get(title=RESULT)
    assert result.group_id == group.pk and result.meeting.year == 2023

    # --- ... and agrees an action, with the other member responsible. ---
    lead.get_by_role("link", name="Maßnahme vereinbaren").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Neue Maßnahme vereinbaren")
    lead.get_by_label(re.compile(r"^Maßnahme\b")).fill(ACTION)
    lead.get_by_label("Vereinbart beim Städtetag").select_option(label="Städtetag 2023 in Sundern")
    lead.get_by_label("Verantwortlich").select_option(label="sven")
    lead.get_by_label("Fällig am").fill(due.isoformat())
    lead.get_by_role("button", name="Maßnahme speichern").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(ACTION)
    action = Action.objects.get(title=ACTION)
    assert action.status == ActionStatus.OPEN and action.responsible.username == "sven"

    # --- Another member marks it "erledigt" with a note. ---
    member = new_page("sven")
    member.goto("/massnahmen/")
    member.get_by_role("link", name=ACTION).click()
    member.get_by_label("Status").select_option(label="erledigt")
    member.get_by_label("Notiz zum Stand").fill(NOTE)
    member.get_by_role("button", name="Speichern").click()
    history = member.locator("#history-heading").locator("xpath=..")
    expect(history).to_contain_text(NOTE)
    expect(history).to_contain_text("erledigt")
    screenshots(member, "action")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.updates.filter(author__username="sven", status_to=ActionStatus.DONE).exists()

    # --- The tracker shows it as done, to any staff member; they cannot change it. ---
    staff = new_page("mia")
    staff.goto("/massnahmen/?status=erledigt")
    row = staff.get_by_role("row").filter(has_text=ACTION)
    expect(row).to_contain_text("erledigt")
    expect(row).to_contain_text("Krisenmanagement")
    screenshots(staff, "tracker")
    staff.get_by_role("link", name=ACTION).click()
    expect(staff.get_by_role("heading", name="Stand aktualisieren")).to_have_count(0)

    lead.goto(group.url)
    expect(lead.get_by_text(RESULT).first).to_be_visible()
    screenshots(lead, "group")
