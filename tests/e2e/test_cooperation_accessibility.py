"""Accessibility of the cooperation area: axe-core (WCAG 2.1 A/AA) on every new page, on the
desktop and 375 px wide, with the demo content (`load_demo --users`); none may overflow
sideways on a phone.

Writes tests/artifacts/axe-cooperation.json and a screenshot of every page,
tests/artifacts/coop-<page>[-375].png.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cooperation.models import Action, MeetingPage, MemberRole, WorkingGroupMember
from kb.management.commands.load_demo import DEMO_PASSWORD
from kb.models import ArticlePage
from tests.e2e.conftest import BROWSER_TEST, artifact_path
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, rule_counts, run_axe

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect


def demo_login(page, username: str) -> None:
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_cooperation_pages_have_no_serious_wcag_violations(new_page):
    call_command("load_demo", users=True, stdout=StringIO())
    lead = WorkingGroupMember.objects.filter(
        role=MemberRole.LEAD, person__user__username="mitarbeitende"
    ).select_related("page", "person")[0]
    group = lead.page
    action = Action.objects.filter(group=group).order_by("pk")[0]
    article = ArticlePage.objects.live().filter(counterpart__isnull=False).order_by("pk")[0]

    member = new_page()
    demo_login(member, "mitarbeitende")
    editor = new_page()
    demo_login(editor, "redaktion.arnsberg")
    # (name, browser page, URL, what must be on it before axe looks)
    checks = [
        ("area", member, "/zusammenarbeit/", "h1"),
        ("meeting", member, MeetingPage.objects.get(year=2024).url, "h1"),
        ("group", member, group.url, "text=Ergebnis festhalten"),
        ("tracker", member, "/massnahmen/", "table"),
        ("action", member, f"/massnahmen/{action.pk}/", "text=Stand aktualisieren"),
        ("action-new", member, f"/massnahmen/neu/?group={group.pk}", "form"),
        ("expert-finder", member, "/wer-weiss-was/", "h1"),
        ("person", member, f"/personen/{lead.person_id}/", "h1"),
        ("my-profile", member, "/meine-angaben/", "h1"),
        ("compare", member, f"/vergleich/{article.pk}/{article.counterpart_id}/", "h1"),
        ("compare-pick", member, f"/vergleich/{article.pk}/", "h1"),
        ("search-people", member, "/suche/?q=Blackout", "h1"),
        ("radar", editor, "/transfer-radar/", "table"),
    ]
    summary: dict[str, dict] = {}
    for width, height, suffix in ((1280, 900, ""), (375, 740, "-375")):
        for name, browser_page, url, ready in checks:
            browser_page.set_viewport_size({"width": width, "height": height})
            response = browser_page.goto(url)
            assert response is not None and response.status == 200, (name, url)
            expect(browser_page.locator(ready).first).to_be_visible()
            browser_page.screenshot(path=artifact_path(f"coop-{name}{suffix}.png"), full_page=True)
            scroll_width = browser_page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name}{suffix} is {scroll_width}px wide"
            results = run_axe(browser_page)
            assert results["passes"], f"axe checked nothing on {name}"
            summary[name + suffix] = {
                "url": url,
                "violations": rule_counts(results["violations"], details=True),
            }
    artifact_path("axe-cooperation.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    blocking = {
        name: [v for v in entry["violations"] if v["impact"] in BLOCKING_IMPACTS]
        for name, entry in summary.items()
    }
    blocking = {name: found for name, found in blocking.items() if found}
    assert not blocking, json.dumps(blocking, indent=2, ensure_ascii=False)
