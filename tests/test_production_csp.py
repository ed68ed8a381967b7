"""Content-Security-Policy: strict on the reading site, scoped relaxations for the Wagtail admin.

That the admin still works under it in a browser: tests/test_production_csp_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.models import ArticlePage

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OWN_SOURCES = {"'self'", "'none'", "data:", "blob:"}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_no_foreign_origin(directives: dict[str, list[str]]) -> None:
    for name, sources in directives.items():
        foreign = [s for s in sources if s not in OWN_SOURCES and not s.startswith("'unsafe-")]
        assert not foreign, f"{name} allows another origin: {foreign}"


@pytest.mark.django_db
def test_reading_site_forbids_inline_scripts_and_styles(staff_client, demo_articles):
    article = ArticlePage.objects.live().first()
    for url in ("/", article.url, "/suche/?q=Hitze", "/tags/"):
        directives = policy(staff_client.get(url))
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["default-src"] == ["'self'"]
        assert_no_foreign_origin(directives)


def test_login_page_and_health_check_are_covered_too(client, db):
    for url in ("/anmelden/", "/healthz"):
        directives = policy(client.get(url))
        assert "'unsafe-inline'" not in directives["script-src"], url


@pytest.mark.django_db
def test_admin_policy_relaxes_only_inline_code_never_eval_or_other_origins(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in " ".join(sum(directives.values(), []))
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]  # the editor's live preview frame
    assert directives["connect-src"] == ["'self'"]
    assert_no_foreign_origin(directives)
    # The relaxation is scoped to /admin/: a path that merely contains "admin" is strict.
    client.force_login(editor)
    assert policy(client.get("/tags/admin/"))["script-src"] == ["'self'"]


def test_site_templates_contain_no_inline_script_or_style():
    forbidden = [
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I),
        re.compile(r"\son[a-z]+\s*=", re.I),  # event handler attributes
        re.compile(r"<style|\sstyle\s*=", re.I),
        re.compile(r"javascript:", re.I),
    ]
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES)
        for pattern in forbidden:
            offenders += [f"{name}: {match.group(0)}" for match in pattern.finditer(text)]
    assert not offenders, offenders
