"""Browser tests: Debian's chromium driven by Playwright against Django's live server.

Every browser test is transactional (the live server thread only sees committed data) and
restores the migration data (groups, cities, workflow, home page) before it runs, because the
flush after a transactional test would otherwise remove them for the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kb.models import City, ContactPerson
from tests.conftest import make_user

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = "chromium not installed: apt-get install chromium (browser tests skipped)"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

# Generous: the Wagtail admin loads a lot of JavaScript, and CI machines are slow.
TIMEOUT_MS = 20_000

# Marks for every browser test module: `pytestmark = BROWSER_TEST`.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_call_failed = report.failed
    return report


@pytest.fixture(scope="module")
def browser(django_db_setup) -> Iterator:
    """One chromium per test module (started only when a browser test runs).

    Playwright's sync API keeps an asyncio event loop registered as running on the main thread
    for as long as it is started. Two Django consequences are dealt with here:

    - Django refuses ORM calls from a thread with a running loop ("SynchronousOnlyOperation"):
      DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser runs (and restored afterwards).
    - Django's connection handler keeps separate connections per async context, so test code
      would get fresh connections that lack the test database's serialized contents (needed by
      serialized_rollback) and are never closed. The connections of the plain thread are
      registered for the loop's context too, so the test code keeps using the same ones.
    """
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    originals = {alias: connections[alias] for alias in connections}
    previous_flag = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            for alias, connection in originals.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous_flag is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous_flag


@pytest.fixture
def new_page(request, browser, live_server) -> Iterator[Callable]:
    """Factory: a page in a fresh browser context (own cookies), optionally logged in.

    On a failing test every page opened through it is saved as a screenshot in tests/artifacts/.
    """
    contexts = []

    def factory(username: str | None = None):
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS * 2)
        contexts.append(context)
        page = context.new_page()
        if username:
            login(page, username)
        return page

    yield factory

    failed = getattr(request.node, "e2e_call_failed", False)
    for number, context in enumerate(contexts, start=1):
        if failed:
            for index, page in enumerate(context.pages, start=1):
                name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
                # A page that cannot be captured must not hide the test's own error.
                with contextlib.suppress(Exception):
                    page.screenshot(
                        path=artifact_path(f"failure-{name}-{number}-{index}.png"), full_page=True
                    )
        context.close()


def login(page, username: str, password: str | None = None) -> None:
    """Log in through the site's login form (the password make_user gives)."""
    from playwright.sync_api import expect

    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password or "pw-" + username)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(".site-user__name")).to_contain_text(username)


@pytest.fixture
def contact_person(db) -> ContactPerson:
    return ContactPerson.objects.create(
        name="Erika Warnecke",
        role="Koordinatorin Bevölkerungsschutz",
        city=City.objects.get(name="Arnsberg"),
        email="e.warnecke@arnsberg.example",
        phone="02931 123-456",
    )


@pytest.fixture
def e2e_users(db) -> dict:
    """One user per role; the password of each is "pw-<username>"."""
    return {
        "staff": make_user("mia", "Mitarbeitende", email="mia@arnsberg.example"),
        "editor": make_user("ronja", "Redaktion Arnsberg", email="ronja@arnsberg.example"),
        "chief": make_user("charlotte", "Chefredaktion", email="charlotte@sundern.example"),
    }


def choose_in_chooser(page, button_name: str, search: str, labels: list[str]) -> None:
    """A multiple snippet chooser of the page editor (kb.admin_widgets: "Ansprechpersonen"):
    open Wagtail's chooser modal, search, tick the results named `labels`, confirm."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=button_name).click()
    modal = page.get_by_role("dialog")
    # Tick only once the search's results have arrived: a result list replaced after the
    # tick would leave nothing chosen (and "Auswahl bestätigen" disabled).
    with page.expect_response(lambda response: "q=" in response.url):
        modal.locator("#id_q").fill(search)
    for label in labels:
        box = modal.get_by_label(label, exact=True)
        box.check()
        expect(box).to_be_checked()
    modal.get_by_role("button", name="Auswahl bestätigen").click()
    expect(modal).to_have_count(0)
