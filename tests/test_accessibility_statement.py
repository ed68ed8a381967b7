"""The accessibility statement (BITV NRW § 4): linked from every footer, its feedback form
reaches the people who answer it, by real SMTP (tests/mail_server.py)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from home.models import AccessibilityPage
from kb.models import ArticlePage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/barrierefreiheit/"


def footer_link(html: str) -> str | None:
    link = BeautifulSoup(html, "html.parser").select_one("footer a[href$='/barrierefreiheit/']")
    return link.get_text(strip=True) if link else None


def test_every_footer_links_the_statement(staff_client, demo_articles):
    article = ArticlePage.objects.live().first()
    for url in ("/", article.url, "/suche/?q=Hitze", "/schlagwoerter/"):
        response = staff_client.get(url, follow=True)
        assert footer_link(response.content.decode()) == "Erklärung zur Barrierefreiheit", url
    page = staff_client.get(URL).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text(strip=True) == "Erklärung zur Barrierefreiheit"
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    for required in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Feedback und Kontakt",
        "Durchsetzungsverfahren",
        "Barriere melden",
    ):
        assert required in headings


def test_feedback_reaches_the_chefredaktion(client, staff, smtp_server):
    chief = make_user("charlotte", group="Chefredaktion", email="charlotte@arnsberg.example")
    make_user("chris", group="Chefredaktion", email="")  # no address: nobody to write to
    client.force_login(staff)
    response = client.post(
        URL,
        {
            "was_ist_ihnen_aufgefallen": "Die Filter lassen sich mit der Tastatur nicht öffnen.",
            "auf_welcher_seite": "/suche/",
            "e_mail_adresse_fur_eine_antwort": "",
        },
    )
    assert response.status_code == 200
    assert "Danke für Ihre Rückmeldung" in response.content.decode()
    (mail,) = smtp_server.mails
    assert mail.to == [chief.email]
    assert mail.subject == "Rückmeldung zur Barrierefreiheit des Wissensnetzes"
    assert "Die Filter lassen sich mit der Tastatur nicht öffnen." in mail.text
    assert staff.email in mail.text  # who wrote, so the answer can reach them
    page = AccessibilityPage.objects.get()
    assert page.get_submission_class().objects.filter(page=page).count() == 1


def test_a_configured_address_gets_the_feedback(client, staff, smtp_server, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefrei@arnsberg.example"
    make_user("charlotte", group="Chefredaktion", email="charlotte@arnsberg.example")
    client.force_login(staff)
    client.post(URL, {"was_ist_ihnen_aufgefallen": "Kontrast der Schlagwörter zu schwach."})
    assert [mail.to for mail in smtp_server.mails] == [["barrierefrei@arnsberg.example"]]


def test_empty_feedback_is_refused_and_sends_nothing(client, staff, smtp_server):
    make_user("charlotte", group="Chefredaktion", email="charlotte@arnsberg.example")
    client.force_login(staff)
    response = client.post(URL, {"was_ist_ihnen_aufgefallen": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Barriere melden" in html and "field-errors" in html
    assert smtp_server.mails == []
    page = AccessibilityPage.objects.get()
    assert not page.get_submission_class().objects.filter(page=page).exists()


def test_the_chefredaktion_edits_the_statement(client):
    chief = make_user("charlotte", group="Chefredaktion")
    assert Group.objects.get(name="Chefredaktion") in chief.groups.all()
    client.force_login(chief)
    page = AccessibilityPage.objects.get()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
