"""Login messages, logout confirmation, password reset by mail and the review mails.

Mails go over TCP to a real SMTP server on loopback (aiosmtpd, the ``smtp_server`` fixture),
through Django's SMTP backend as in production. The site's address is a base URL no default
uses, so a link built from anything else (the Wagtail Site's "localhost", the request's host)
shows up.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from home.sites import site_address
from kb.models import ArticlePage, TopicPage
from ops.backup import create_backup, restore_backup
from tests.conftest import make_user
from tests.test_production import production_env
from tests.test_trust_media import media_root  # noqa: F401
from tests.test_workflow import admin_post, article_form

pytestmark = pytest.mark.django_db

BASE_URL = "http://wissen.test:8123"
SENDER = "Wissensnetz Arnsberg <wissensnetz@arnsberg.example>"
WRONG_LOGIN = (
    "Benutzername oder Passwort ist falsch. Bitte prüfen Sie beides – "
    "Groß- und Kleinschreibung zählt."
)
LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture
def site_address_configured(settings, db):
    """WAGTAILADMIN_BASE_URL and DEFAULT_FROM_EMAIL as an installation sets them, then
    `migrate` as after every deployment (the default Site follows the base URL)."""
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = SENDER
    call_command("migrate", verbosity=0)


def links(text: str) -> list[str]:
    return LINK.findall(text)


def path_of(link: str) -> str:
    assert link.startswith(BASE_URL + "/"), link
    return link.removeprefix(BASE_URL)


def login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# --------------------------------------------------------------------------- login and logout


def test_wrong_password_says_name_or_password_is_wrong(client, staff):
    response = login(client, "mia", "falsch")
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_LOGIN in html
    assert "Bitte Benutzername und Passwort" not in html
    assert 'value="mia"' in html  # the user name stays, only the password is typed again

    # An unknown user name gets the very same words: the page does not tell which was wrong.
    assert WRONG_LOGIN in login(client, "unbekannt", "falsch").content.decode()


def test_empty_password_is_reported_at_the_field(client, staff):
    html = login(client, "mia", "").content.decode()
    assert WRONG_LOGIN not in html
    assert "Dieses Feld muss ausgefüllt werden." in html


def test_login_page_offers_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Passwort vergessen?</a>' in html
    assert reverse("password_reset") == "/passwort-vergessen/"


def test_logout_is_confirmed_on_the_login_page(staff_client):
    response = staff_client.post(reverse("logout"), follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    html = response.content.decode()
    assert "Sie wurden abgemeldet." in html
    assert "Anmelden im Wissensnetz" in html
    # Said once, not on every later visit of the login page.
    assert "Sie wurden abgemeldet." not in staff_client.get(reverse("login")).content.decode()


# ------------------------------------------------------------------------------ password reset


def request_reset(client, address: str):
    response = client.post(reverse("password_reset"), {"email": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    return client.get(response["Location"])


def test_password_reset_by_mail(client, staff, smtp_server, site_address_configured):
    # Reachable without a login, in German.
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert "Dienstliche E-Mail-Adresse" in page.content.decode()

    done = request_reset(client, "Mia@Arnsberg.example")  # as typed, any case
    assert "Bitte sehen Sie in Ihr Postfach" in done.content.decode()

    [mail] = smtp_server.mails
    assert mail.to == ["mia@arnsberg.example"]
    assert mail.sender == SENDER
    assert mail.subject == "Wissensnetz: neues Passwort festlegen"
    assert "Guten Tag mia," in mail.text
    assert "Ihr Benutzername: mia" in mail.text
    assert "Der Link gilt 72 Stunden und nur einmal." in mail.text
    assert all(link.startswith(BASE_URL + "/") for link in links(mail.text))
    [reset_link] = [link for link in links(mail.text) if "/passwort-neu/" in link]

    # The link works: it leads to the form (the token leaves the address bar) ...
    response = client.get(path_of(reset_link), follow=True)
    assert response.redirect_chain[-1][0].endswith("/festlegen/")
    assert "Neues Passwort festlegen" in response.content.decode()
    form_url = response.redirect_chain[-1][0]

    # ... which checks the password rules in German ...
    weak = client.post(form_url, {"new_password1": "passwort", "new_password2": "passwort"})
    assert "Dieses Passwort ist zu üblich." in weak.content.decode()

    # ... and saves a good one.
    new = "Regenrückhaltebecken-Sundern-42"
    saved = client.post(form_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert saved.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert "Ihr neues Passwort ist gespeichert" in saved.content.decode()

    assert login(client, "mia", "pw-mia").status_code == 200  # the old one is gone
    assert login(client, "mia", new).status_code == 302
    client.post(reverse("logout"))

    # Used once, the link is spent.
    spent = client.get(path_of(reset_link), follow=True).content.decode()
    assert "Dieser Link gilt nicht mehr" in spent


def test_reset_does_not_reveal_whether_an_address_exists(client, staff, smtp_server):
    known = request_reset(client, "mia@arnsberg.example")
    assert len(smtp_server.mails) == 1
    smtp_server.clear()

    unknown = request_reset(client, "niemand@arnsberg.example")
    assert smtp_server.mails == []
    assert unknown.content == known.content


def test_reset_ends_a_lockout(client, staff, smtp_server, site_address_configured):
    for _ in range(5):
        login(client, "mia", "falsch")
    locked = login(client, "mia", "pw-mia")
    assert locked.status_code in (403, 429)
    assert f'href="{reverse("password_reset")}"' in locked.content.decode()  # the way out

    request_reset(client, "mia@arnsberg.example")
    [mail] = smtp_server.mails
    [reset_link] = [link for link in links(mail.text) if "/passwort-neu/" in link]
    form_url = client.get(path_of(reset_link))["Location"]
    new = "Regenrückhaltebecken-Sundern-42"
    client.post(form_url, {"new_password1": new, "new_password2": new})

    assert login(client, "mia", new).status_code == 302


def test_admin_password_reset_mail_links_to_the_base_url(
    client, editor, smtp_server, site_address_configured
):
    response = client.post("/admin/password_reset/", {"email": "ronja@arnsberg.example"})
    assert response.status_code == 302
    [mail] = smtp_server.mails
    assert mail.sender == SENDER
    reset_links = links(mail.text)
    assert reset_links and all(link.startswith(BASE_URL + "/admin/") for link in reset_links)


# --------------------------------------------------------------------------------- review mails


@pytest.fixture
def reviewers(chief) -> dict[str, str]:
    """Who may approve: two members of the Chefredaktion, one of them also a superuser; and an
    IT superuser outside the group."""
    make_user("chris", "Chefredaktion", email="chris@arnsberg.example")
    make_user(
        "ada", "Chefredaktion", email="ada@arnsberg.example", is_superuser=True, is_staff=True
    )
    make_user("it", email="it@sundern.example", is_superuser=True, is_staff=True)
    return {"chief": chief.email, "chris": "chris@arnsberg.example", "ada": "ada@arnsberg.example"}


def submit_for_review(client, editor) -> ArticlePage:
    topic = TopicPage.objects.get(title="Krisenmanagement")
    client.force_login(editor)
    admin_post(
        client,
        f"/admin/pages/add/kb/articlepage/{topic.pk}/",
        article_form("Sirenenprobe", "sirenenprobe", **{"action-submit": "1"}),
    )
    return ArticlePage.objects.get(slug="sirenenprobe")


def test_submission_mails_each_reviewer_once_with_working_links(
    client, editor, chief, reviewers, demo_articles, smtp_server, site_address_configured
):
    page = submit_for_review(client, editor)

    mails = smtp_server.mails
    per_address = Counter(address for mail in mails for address in mail.envelope_to)
    # Every member of the Chefredaktion exactly once (the superuser among them too), nobody
    # else: not the editor who submitted, not the IT superuser outside the review group.
    assert per_address == Counter(reviewers.values())

    client.force_login(chief)
    for mail in mails:
        assert mail.sender == SENDER
        assert "Sirenenprobe" in mail.subject and "eingereicht" in mail.subject
        mail_links = links(mail.text)
        assert mail_links
        assert all(link.startswith(BASE_URL + "/") for link in mail_links), mail_links
        edit_link = f"{BASE_URL}/admin/pages/{page.pk}/edit/"
        assert edit_link in mail_links
    assert client.get(path_of(edit_link)).status_code == 200


def test_approval_mail_links_the_page_at_the_base_url(
    client, editor, chief, staff, reviewers, demo_articles, smtp_server, site_address_configured
):
    page = submit_for_review(client, editor)
    smtp_server.clear()

    client.force_login(chief)
    task_state = page.current_workflow_task_state
    admin_post(
        client,
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        {"comment": "passt"},
    )

    [mail] = smtp_server.mails
    assert mail.envelope_to == [editor.email]
    assert mail.sender == SENDER
    mail_links = links(mail.text)
    assert all(link.startswith(BASE_URL + "/") for link in mail_links), mail_links
    page_link = f"{BASE_URL}/krisenmanagement/sirenenprobe/"
    assert page_link in mail_links
    client.force_login(staff)
    assert client.get(path_of(page_link)).status_code == 200


# --------------------------------------------------------------------------- configuration


def test_mail_server_and_sender_come_from_the_environment(tmp_path, smtp_server):
    """A production process configured only by environment variables sends through the
    configured server with the configured sender (Django's sendtestemail)."""
    env = production_env(
        tmp_path,
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
        DEFAULT_FROM_EMAIL=SENDER,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "it@arnsberg.example"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [mail] = smtp_server.mails
    assert mail.envelope_to == ["it@arnsberg.example"]
    assert mail.sender == SENDER
    assert mail.envelope_from == "wissensnetz@arnsberg.example"


# ------------------------------------------------------------------- the site's one address


@pytest.mark.parametrize(
    ("base_url", "root_url"),
    [
        ("https://wissen.arnsberg.de", "https://wissen.arnsberg.de"),
        ("https://wissen.arnsberg.de/", "https://wissen.arnsberg.de"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_default_site_follows_the_base_url_after_migrate(settings, base_url, root_url):
    settings.WAGTAILADMIN_BASE_URL = base_url
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == root_url
    assert Site.objects.count() == 1


def test_a_restored_backup_keeps_this_installations_address(settings, tmp_path, media_root):  # noqa: F811
    settings.WAGTAILADMIN_BASE_URL = "https://wissen.sundern.de"  # the installation backed up
    call_command("migrate", verbosity=0)
    archive = tmp_path / "sicherung.tar.gz"
    create_backup(archive)

    settings.WAGTAILADMIN_BASE_URL = BASE_URL  # e.g. a test installation restoring it
    try:
        restore_backup(archive, force=True)
        assert Site.objects.get(is_default_site=True).root_url == BASE_URL
    finally:
        ContentType.objects.clear_cache()  # the test transaction's rollback brings back the ids


def test_site_address_of_unusable_base_urls():
    assert site_address("") is None
    assert site_address("wissen.arnsberg.de") is None
    assert site_address("ftp://wissen.arnsberg.de") is None
    assert site_address("http://WISSEN.arnsberg.de:8080/") == ("wissen.arnsberg.de", 8080)
