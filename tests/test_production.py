"""Production settings as an operator runs them: `check --deploy`, collectstatic, gunicorn behind
a TLS-terminating proxy, JSON logs on stdout, and what the settings pick from the environment.

The subprocesses run with wissensnetz.settings.production and the environment documented in
docs/PRODUCTION.md, on their own SQLite file and directories (never the test database).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(PYTHON).with_name("gunicorn")
HOST = "wissen.example"


def production_env(workdir: Path, **extra: str) -> dict[str, str]:
    """The documented production environment (docs/PRODUCTION.md), pointed at workdir."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "TASK_", "LOG_", "MEDIA_", "AWS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "wissensnetz.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "TRUSTED_PROXY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """A migrated production instance with collected static files."""
    workdir = tmp_path_factory.mktemp("production")
    env = production_env(workdir)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    return {"workdir": workdir, "env": env}


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in output, output


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secrets_and_hosts(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check", check=False)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_collectstatic_writes_compressed_files_with_hashed_names(site):
    static = site["workdir"] / "static"
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/wissensnetz.css"]
    assert re.fullmatch(r"css/wissensnetz\.[0-9a-f]{12}\.css", hashed)
    assert (static / hashed).exists()
    assert (static / (hashed + ".gz")).exists()
    # The Wagtail admin's own assets are collected too (no CDN anywhere).
    assert any(name.startswith("wagtailadmin/js/") for name in manifest)


def test_logs_are_json_lines_on_stdout_at_log_level(tmp_path):
    code = (
        "import logging; log = logging.getLogger('wissensnetz.probe'); "
        "log.info('Suche neu aufgebaut: %s Beiträge', 12); log.debug('not shown')"
    )
    result = manage(production_env(tmp_path), "shell", "-v", "0", "-c", code)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    record = json.loads(lines[0])
    assert record["message"] == "Suche neu aufgebaut: 12 Beiträge"
    assert record["level"] == "INFO"
    assert record["logger"] == "wissensnetz.probe"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", record["time"])

    quiet = manage(production_env(tmp_path, LOG_LEVEL="WARNING"), "shell", "-v", "0", "-c", code)
    assert quiet.stdout.strip() == ""


def test_exceptions_are_logged_as_one_json_line_with_the_traceback(tmp_path):
    code = (
        "import logging\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n    logging.getLogger('kb').exception('Import fehlgeschlagen')"
    )
    result = manage(production_env(tmp_path), "shell", "-v", "0", "-c", code)
    (line,) = [line for line in result.stdout.splitlines() if line.strip()]
    record = json.loads(line)
    assert record["level"] == "ERROR"
    assert "ZeroDivisionError" in record["exc_info"]


# --- served by gunicorn ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_gunicorn(env: dict[str, str], log: Path) -> Iterator[int]:
    """gunicorn with the project's config and `env` on a free port; yields the port."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", "wissensnetz/gunicorn_conf.py"],
            cwd=PROJECT,
            env={**env, "BIND": f"127.0.0.1:{port}"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log.read_text())
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def gunicorn(site):
    log = site["workdir"] / "gunicorn.log"
    with running_gunicorn({**site["env"], "WEB_CONCURRENCY": "2"}, log) as port:
        yield {"port": port, "log": log}


def request(port: int, path: str, https: bool = True, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Host": HOST, **(headers or {})}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    connection.request("GET", path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_gunicorn_starts_the_configured_number_of_workers(gunicorn):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        booted = re.findall(r"Booting worker with pid", gunicorn["log"].read_text())
        if len(booted) >= 2:
            break
        time.sleep(0.2)
    assert len(booted) == 2, gunicorn["log"].read_text()


def test_plain_http_is_redirected_to_https(gunicorn):
    response, _ = request(gunicorn["port"], "/suche/?q=Hitze", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/suche/?q=Hitze"


def test_health_check_answers_load_balancers_over_plain_http(gunicorn):
    response, body = request(gunicorn["port"], "/healthz", https=False)
    assert response.status == 200
    assert json.loads(body) == {"status": "ok"}


def test_https_responses_carry_hsts_csp_and_secure_httponly_cookies(gunicorn):
    response, body = request(gunicorn["port"], "/anmelden/")
    assert response.status == 200
    assert "Anmelden" in body.decode()
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "script-src 'self';" in response.getheader("Content-Security-Policy") + ";"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("csrftoken=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_anonymous_readers_are_sent_to_the_login(gunicorn):
    response, _ = request(gunicorn["port"], "/")
    assert response.status == 302
    assert response.getheader("Location").startswith("/anmelden/")


def test_static_files_are_served_compressed_with_far_future_caching(site, gunicorn):
    manifest = json.loads((site["workdir"] / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/wissensnetz.css"]
    response, body = request(
        gunicorn["port"], f"/static/{hashed}", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert body[:2] == b"\x1f\x8b"


def test_every_line_the_service_writes_is_json(gunicorn):
    # A request for a foreign host name: Django refuses it and logs it (django.security).
    response, _ = request(gunicorn["port"], "/", headers={"Host": "angreifer.example"})
    assert response.status == 400
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in gunicorn["log"].read_text().splitlines() if line.strip()]
        records = [json.loads(line) for line in lines]  # fails on any line that is not JSON
        if any(r["logger"] == "django.security.DisallowedHost" for r in records):
            break
        time.sleep(0.2)
    loggers = {record["logger"] for record in records}
    assert {"gunicorn.error", "gunicorn.access", "django.security.DisallowedHost"} <= loggers
    assert all({"time", "level", "logger", "message"} <= set(record) for record in records)
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert any('"GET /healthz HTTP/1.1" 200' in r["message"] for r in access)
