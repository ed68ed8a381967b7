"""One vocabulary for the review process in the admin and in the mails: "Fachliche Freigabe",
"zur Freigabe eingereicht", "freigegeben", "Änderungen erbeten" — never Wagtail's German
"Moderation", "Überprüfung" or "genehmigen" (locale/de/LC_MESSAGES/django.po overrides them).

Pages are read as a person sees them: text, button labels, tooltips and the admin menu, not
the markup; mails as they arrive at the SMTP server (subject and text).
"""

from __future__ import annotations

import ast
import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from kb.models import ArticlePage, TopicPage
from tests.test_workflow import admin_post, article_form

pytestmark = pytest.mark.django_db

BANNED = re.compile(r"moderation|überprüfung|genehmig", re.IGNORECASE)
LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PO_FILE, MO_FILE = LOCALE_DIR / "django.po", LOCALE_DIR / "django.mo"
TITLE = "Sirenenprobe"


class _VisibleText(HTMLParser):
    """Text nodes outside scripts and templates, labels of buttons, tooltips and ARIA labels,
    and the admin menu's labels (which Wagtail renders from JSON)."""

    HIDDEN = {"script", "style", "template"}
    LABELS = ("aria-label", "title", "data-w-tooltip-content-value", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []
        self.sidebar = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
            self.sidebar = attrs.get("id") == "wagtail-sidebar-props"
        self.parts += [attrs[name] for name in self.LABELS if attrs.get(name)]
        is_button = tag == "button" or attrs.get("type") in ("submit", "button")
        if is_button and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1
            self.sidebar = False

    def handle_data(self, data):
        if self.sidebar:
            labels = re.findall(r'"label": ("(?:[^"\\]|\\.)*")', data)
            self.parts += [json.loads(label) for label in labels]
        elif not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


def assert_one_vocabulary(text: str) -> None:
    found = sorted({line for line in text.splitlines() if BANNED.search(line)})
    assert not found, found


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title="Krisenmanagement")


@pytest.fixture
def submitted(client, editor, chief, topic, smtp_server):
    """The editor writes an article and submits it in the admin; the response after it."""
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/add/kb/articlepage/{topic.pk}/",
        article_form(TITLE, "sirenenprobe", **{"action-submit": "1"}),
        follow=True,
    )
    page = ArticlePage.objects.get(slug="sirenenprobe")
    assert page.current_workflow_state.status == "in_progress"
    return {"page": page, "response": response}


def test_editor_sees_the_review_in_its_own_words(client, editor, topic, submitted):
    page = submitted["page"]
    seen = {
        "after submitting": visible_text(submitted["response"]),
        "page listing": visible_text(client.get(f"/admin/pages/{topic.pk}/")),
        "editor": visible_text(client.get(f"/admin/pages/{page.pk}/edit/")),
        "dashboard": visible_text(client.get("/admin/")),
        "history": visible_text(client.get(f"/admin/pages/{page.pk}/history/")),
        "review history": visible_text(client.get(f"/admin/pages/{page.pk}/workflow_history/")),
        "review progress": visible_text(
            client.get(
                f"/admin/pages/{page.pk}/workflow_history/detail/{page.current_workflow_state.pk}/"
            )
        ),
    }
    assert f"Seite „{TITLE}“ angelegt und zur Freigabe eingereicht." in seen["after submitting"]
    assert "zur Freigabe eingereicht" in seen["page listing"].splitlines()  # the page's status
    assert "Dieses Objekt (Seite) ist zur Freigabe eingereicht." in seen["editor"]
    assert "Gesperrt während der Freigabe" in seen["editor"]
    assert "Freigabe abbrechen" in seen["editor"]
    submitted_entry = "Zur Freigabe eingereicht (Fachliche Freigabe). Nächster Schritt: „Freigabe"
    assert submitted_entry in seen["history"]
    assert "Verlauf der Freigabe" in seen["review history"]
    assert "Fachliche Freigabe" in seen["review history"]
    assert "Stand der Freigabe" in seen["review progress"]
    for name, text in seen.items():
        assert "Freigabe" in text, name
        assert_one_vocabulary(text)


def test_chief_approves_and_asks_for_changes_in_the_same_words(
    client, chief, editor, topic, submitted
):
    page = submitted["page"]
    client.force_login(chief)
    dashboard = visible_text(client.get("/admin/"))
    assert "Wartet auf Ihre Freigabe" in dashboard
    for action in ("Freigeben", "Mit Kommentar freigeben", "Änderungen erbitten"):
        assert action in dashboard.splitlines()
    editor_view = visible_text(client.get(f"/admin/pages/{page.pk}/edit/"))
    for action in (
        "Freigeben und veröffentlichen",
        "Mit Kommentar freigeben und veröffentlichen",
        "Änderungen erbitten",
    ):
        assert action in editor_view.splitlines()
    assert_one_vocabulary(dashboard)
    assert_one_vocabulary(editor_view)

    task_state = page.current_workflow_task_state
    after_request = client.post(
        f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/",
        {"comment": "Bitte die Uhrzeit ergänzen."},
        follow=True,
    )
    client.force_login(editor)
    needs_changes = visible_text(client.get(f"/admin/pages/{page.pk}/edit/"))
    assert "Erneut zur Freigabe durch die Chefredaktion einreichen" in needs_changes
    assert "Änderungen erbeten" in needs_changes
    history = visible_text(client.get(f"/admin/pages/{page.pk}/history/"))
    assert "Änderungen erbeten im Schritt „Freigabe durch die Chefredaktion“" in history
    admin_post(
        client,
        f"/admin/pages/{page.pk}/edit/",
        article_form(TITLE, "sirenenprobe", **{"action-submit": "1"}),
    )

    client.force_login(chief)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    after_approval = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        {"comment": "passt"},
        follow=True,
    )
    page.refresh_from_db()
    assert page.live
    client.force_login(editor)
    history = visible_text(client.get(f"/admin/pages/{page.pk}/history/"))
    assert "Freigegeben im Schritt „Freigabe durch die Chefredaktion“." in history
    for text in (after_request, after_approval):
        assert_one_vocabulary(visible_text(text))
    assert_one_vocabulary(needs_changes)
    assert_one_vocabulary(history)


def test_review_mails_use_the_same_words(client, chief, editor, submitted, smtp_server):
    page = submitted["page"]
    [submission] = smtp_server.mails
    assert submission.envelope_to == [chief.email]
    assert submission.subject.strip() == (
        f"Die Seite „{TITLE}“ wurde zur Freigabe eingereicht "
        "(Schritt „Freigabe durch die Chefredaktion“)"
    )
    assert f"Die Seite „{TITLE}“ wurde zur Freigabe eingereicht" in submission.text

    smtp_server.clear()
    client.force_login(chief)
    task_state = page.current_workflow_task_state
    admin_post(
        client,
        f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/",
        {"comment": "Bitte die Uhrzeit ergänzen."},
    )
    [changes] = smtp_server.mails
    assert changes.envelope_to == [editor.email]
    assert changes.subject.strip() == (
        f"Für die Seite „{TITLE}“ wurden Änderungen erbeten (Fachliche Freigabe)."
    )
    assert (
        f"Für die Seite „{TITLE}“ hat charlotte im Schritt „Freigabe durch die Chefredaktion“ "
        "Änderungen erbeten (Fachliche Freigabe)."
    ) in changes.text

    client.force_login(editor)
    admin_post(
        client,
        f"/admin/pages/{page.pk}/edit/",
        article_form(TITLE, "sirenenprobe", **{"action-submit": "1"}),
    )
    smtp_server.clear()
    client.force_login(chief)
    page.refresh_from_db()
    admin_post(
        client,
        f"/admin/pages/workflow/action/{page.pk}/approve/{page.current_workflow_task_state.pk}/",
        {"comment": "passt"},
    )
    [approval] = smtp_server.mails
    assert approval.envelope_to == [editor.email]
    assert (
        approval.subject.strip() == f"Die Seite „{TITLE}“ wurde freigegeben (Fachliche Freigabe)."
    )
    for mail in (submission, changes, approval):
        assert_one_vocabulary(mail.subject)
        assert_one_vocabulary(mail.text)


def test_account_notification_settings_use_the_same_words(client, editor):
    client.force_login(editor)
    text = visible_text(client.get("/admin/account/"))
    assert "Benachrichtigung erhalten, wenn Ihre Änderungen freigegeben wurden" in text
    assert_one_vocabulary(text)


# --------------------------------------------------------------------------- the catalogue


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) -> msgstr forms of a .po file (what our catalogue needs of the format).
    A plural entry's msgid is the singular and the plural joined by NUL, as in a .mo file."""
    entries: dict[tuple[str | None, str], tuple[str, ...]] = {}
    current: dict[str, str] = {}
    key = None

    def flush():
        if "msgid" in current:
            msgid = current["msgid"]
            if "msgid_plural" in current:
                msgid += "\x00" + current["msgid_plural"]
            forms = [current[k] for k in sorted(current) if k.startswith("msgstr")]
            entries[(current.get("msgctxt"), msgid)] = tuple(forms)
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            current[key] = _unquote(match.group(2))
        else:
            current[key] += _unquote(line)
    flush()
    return entries


def read_mo(path: Path) -> dict[tuple[str | None, str], tuple[str, ...]]:
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    entries: dict[tuple[str | None, str], list[str]] = {}
    for raw_key, value in catalog.items():
        msgid, index = raw_key if isinstance(raw_key, tuple) else (raw_key, 0)
        context, _, msgid = msgid.rpartition("\x04")
        entries.setdefault((context or None, msgid), []).append((index, value))
    plurals = {
        (ctx, msgid.split("\x00")[0]): msgid for ctx, msgid in read_po(PO_FILE) if "\x00" in msgid
    }
    return {
        (ctx, plurals.get((ctx, msgid), msgid)): tuple(v for _, v in sorted(forms))
        for (ctx, msgid), forms in entries.items()
    }


def test_compiled_catalogue_is_up_to_date():
    """The .mo is committed (no gettext needed to install); it must say what the .po says.
    After changing the .po: `manage.py compilemessages --ignore=.venv`."""
    po, mo = read_po(PO_FILE), read_mo(MO_FILE)
    po.pop((None, ""))
    mo.pop((None, ""), None)
    assert mo == po


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def test_translations_keep_every_placeholder_and_avoid_the_old_words():
    for (_, msgid), forms in read_po(PO_FILE).items():
        if not msgid:
            continue
        sources = msgid.split("\x00")
        for index, form in enumerate(forms):
            source = sources[min(index, len(sources) - 1)]
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), form
            assert not BANNED.search(form), form


def test_every_entry_still_overrides_a_string_of_wagtail_or_django():
    """After an upgrade a changed English text would silently bring the old German back."""
    import django
    import wagtail

    catalogues = [
        *Path(wagtail.__file__).parent.glob("**/locale/de/LC_MESSAGES/django.po"),
        Path(django.__file__).parent / "contrib/humanize/locale/de/LC_MESSAGES/django.po",
    ]
    known = set()
    for catalogue in catalogues:
        known |= set(read_po(catalogue))
    ours = set(read_po(PO_FILE)) - {(None, "")}
    assert ours - known == set()
