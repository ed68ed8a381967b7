"""Issue 10, finding 6: search, login and /healthz while another writer holds the database.

On SQLite a long import holds the one write lock. Before the fix every search answered 500
("database is locked": its query log had to write), a login failed the same way after 5 s, and
/healthz said ok. The SQLite tests run gunicorn with the production settings on their own
database file and hold the write lock from a second connection, as an import does; the
PostgreSQL tests lock the tables a search's log and the health probe write to.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from search.models import DailyQueryCount
from tests.test_production import GUNICORN, HOST, PROJECT, manage, production_env
from tests.test_production import running_gunicorn as gunicorn

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
BUSY_TIMEOUT = 4  # seconds a writer waits on the test server (SQLITE_BUSY_TIMEOUT)
PASSWORD = "wissen-teilen-2026"  # load_demo --users


class Visitor:
    """One browser: keeps its cookies, speaks to gunicorn as the TLS proxy would."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}/anmelden/"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def login(self, username: str):
        _, _, page = self.request("GET", "/anmelden/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        return self.request("POST", "/anmelden/", form)


@contextmanager
def write_lock(database: Path, release_after: float | None = None):
    """Hold SQLite's write lock from another connection (what a long import does)."""
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE django_session SET expire_date = expire_date WHERE 1 = 0")
    timer = threading.Timer(release_after, holder.rollback) if release_after else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.join()
        holder.rollback()
        holder.close()


def query_count(database: Path, query: str) -> int:
    with sqlite3.connect(database) as reader:
        row = reader.execute(
            "SELECT SUM(count) FROM search_dailyquerycount WHERE query = ?", [query]
        ).fetchone()
    return row[0] or 0


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    if not ON_SQLITE:
        pytest.skip("SQLite's single write lock: the SQLite run covers it")
    workdir = tmp_path_factory.mktemp("locked")
    # One worker: the query counts it keeps while the database is busy are in one process.
    env = production_env(workdir, SQLITE_BUSY_TIMEOUT=str(BUSY_TIMEOUT), WEB_CONCURRENCY="1")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_demo", "--users")
    with gunicorn(env, workdir / "gunicorn.log") as port:
        yield {"port": port, "db": workdir / "db.sqlite3", "env": env, "workdir": workdir}


@pytest.fixture
def staff_visitor(instance) -> Visitor:
    visitor = Visitor(instance["port"])
    assert visitor.login("mitarbeitende")[0] == 302
    return visitor


def test_search_answers_while_another_writer_holds_the_database(instance, staff_visitor):
    with write_lock(instance["db"]):
        started = time.monotonic()
        status, _, page = staff_visitor.request("GET", "/suche/?q=Hitzeschutz")
        api_status, _, api = staff_visitor.request("GET", "/api/v1/search/?q=Starkregen")
        waited = time.monotonic() - started
    assert status == 200 and "Treffer" in page
    assert api_status == 200 and json.loads(api)["count"] > 0
    # The query log gave up at once instead of waiting for the writer.
    assert waited < BUSY_TIMEOUT
    # The searches made meanwhile are counted once the database is free again.
    assert query_count(instance["db"], "hitzeschutz") == 0
    staff_visitor.request("GET", "/suche/?q=Wasser")
    assert query_count(instance["db"], "hitzeschutz") == 1
    assert query_count(instance["db"], "starkregen") == 1


def test_health_check_reports_a_locked_database(instance):
    admin = Visitor(instance["port"])
    assert admin.login("admin")[0] == 302
    with write_lock(instance["db"]):
        status, _, body = admin.request("GET", "/healthz")
        anonymous_status, _, anonymous = Visitor(instance["port"]).request("GET", "/healthz")
    assert status == 503
    assert json.loads(body) == {"status": "fail", "checks": {"database": "locked", "search": "ok"}}
    assert anonymous_status == 503 and json.loads(anonymous) == {"status": "fail"}
    status, _, body = admin.request("GET", "/healthz")
    assert status == 200 and json.loads(body)["checks"]["database"] == "ok"


def test_login_waits_for_a_short_write_and_gets_in(instance):
    visitor = Visitor(instance["port"])
    with write_lock(instance["db"], release_after=1.5):
        status, headers, _ = visitor.login("redaktion.arnsberg")
    assert status == 302, headers
    status, _, page = visitor.request("GET", "/")
    assert status == 200 and "Abmelden" in page


def test_login_blocked_longer_than_the_busy_timeout_gets_a_retry_page_not_a_500(instance):
    visitor = Visitor(instance["port"])
    with write_lock(instance["db"], release_after=BUSY_TIMEOUT + 3):
        status, headers, page = visitor.login("chefredaktion")
    assert status == 503
    assert headers["retry-after"] == "30"
    assert "Bitte gleich noch einmal versuchen" in page
    assert "Technischer Fehler" not in page
    # Nothing was half done: the same login works once the writer is finished.
    assert visitor.login("chefredaktion")[0] == 302


def test_a_running_import_does_not_stop_search_or_login(instance, tmp_path):
    data = tmp_path / "articles.jsonl"
    subprocess.run(
        [str(Path(GUNICORN).with_name("python")), "benchmarks/generate_articles.py", "300", data],
        cwd=PROJECT,
        check=True,
    )
    # Slugs of their own: the demo content already holds some generated ones.
    data.write_text(re.sub(r'"(slug|counterpart)": "', r'"\1": "lock-', data.read_text()))
    # Patient writers, and workers enough for a health probe beside a waiting login.
    env = {**instance["env"], "SQLITE_BUSY_TIMEOUT": "60", "WEB_CONCURRENCY": "3"}
    statuses: list[int] = []
    health: list[str] = []
    with gunicorn(env, instance["workdir"] / "patient.log") as port:
        admin = Visitor(port)
        assert admin.login("admin")[0] == 302
        importer = subprocess.Popen(
            [str(Path(GUNICORN).with_name("python")), "manage.py", "kb_import", str(data)],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

        def probe() -> None:
            while importer.poll() is None:
                health.append(json.loads(admin.request("GET", "/healthz")[2])["status"])
                time.sleep(0.2)

        prober = threading.Thread(target=probe)
        prober.start()
        reader = Visitor(port)
        assert reader.login("redaktion.sundern")[0] == 302
        while importer.poll() is None:
            statuses.append(Visitor(port).login("mitarbeitende")[0])
            statuses.append(reader.request("GET", "/suche/?q=Wasser")[0])
        prober.join()
        output = importer.stdout.read()
    assert importer.returncode == 0, output
    assert "fail" in health, "the import never held the database while we asked"
    assert statuses and set(statuses) == {200, 302}, statuses


# --- PostgreSQL: writers wait only on the same rows; the side writes give up quickly ----------


@contextmanager
def table_locked(table: str):
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:
        other.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        yield
        other.rollback()


postgres_only = pytest.mark.skipif(ON_SQLITE, reason="PostgreSQL run only (table locks)")


@pytest.fixture
def bounded_statements(db):
    """Without the fix a write here waits for the lock forever: fail after 10 s instead."""
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '10s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


@postgres_only
@pytest.mark.django_db
def test_postgres_search_answers_while_its_query_log_is_locked(
    bounded_statements, staff_client, demo_articles
):
    with table_locked("search_dailyquerycount"):
        response = staff_client.get("/api/v1/search/", {"q": "Hitzeschutz"})
    assert response.status_code == 200 and response.json()["count"] > 0
    assert not DailyQueryCount.objects.filter(query="hitzeschutz").exists()
    staff_client.get("/api/v1/search/", {"q": "Wasser"})
    assert DailyQueryCount.objects.get(query="hitzeschutz").count == 1


@postgres_only
@pytest.mark.django_db
def test_postgres_health_check_reports_a_locked_database(bounded_statements, client):
    # Anonymous: a login would write a session row in this test's transaction, and the lock
    # below would then wait for the test itself.
    with table_locked("django_session"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}
    assert client.get("/healthz").status_code == 200
