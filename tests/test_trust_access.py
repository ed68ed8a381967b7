"""Every URL pattern of the project, requested anonymously, asks for a login.

The walk covers every pattern of the root resolver including all includes (the Wagtail admin
alone has a few hundred): a concrete URL is generated per pattern and fetched without a login.
The answer must be a redirect to our login page (/anmelden/?next=…) or Wagtail's admin login,
or 401/403 – except for the login pages themselves on the explicit allow-list.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize
from taggit.models import Tag

from kb.models import ArticlePage, TopicPage
from tests.test_trust_media import make_document, make_image, media_root  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN_REDIRECTS = ("/anmelden/?next=", "/admin/login/?next=")
# Public on purpose: the login forms (all go through django-axes).
PUBLIC_LOGIN_PAGES = {"/anmelden/", "/admin/login/", "/_util/login/"}
# Public on purpose: what the admin's login page loads (translations, icons) and the password
# reset (issue 10, #14), the site's own password reset by e-mail (issue 12), the health
# check, static assets; a mail's signed unsubscribe link and the personal Atom feed behind its
# secret token (issue 13: they authorise by the token, a wrong one is a 400/404).
MAY_BE_PUBLIC_PREFIXES = (
    "/abos/abbestellen/",
    "/abos/feed/",
    # The iCal feed of agreed actions: its secret token is the access check (cooperation).
    "/massnahmen/kalender/",
    "/admin/password_reset/",
    "/passwort-vergessen/",
    "/passwort-neu/",
    "/admin/jsi18n/",
    "/admin/sprite/",
    "/healthz",
    "/static/",
)


@dataclass
class Walked:
    route: str
    url: str


def _pattern_candidates(pattern, some_id: int) -> list[str]:
    """Concrete strings for one level of a URL pattern, the most plausible first."""
    regex = pattern.regex
    converters = getattr(pattern, "converters", {}) if isinstance(pattern, RoutePattern) else {}
    generic = [str(some_id), "x", "1", "live", "latest", "x.txt", str(uuid.uuid4()), "x/"]
    found = []
    for fmt, params in normalize(regex.pattern):
        options = []
        for name in params:
            converter = converters.get(name)
            if isinstance(converter, IntConverter):
                options.append([str(some_id), "1"])
            elif isinstance(converter, UUIDConverter):
                options.append([str(uuid.uuid4())])
            elif isinstance(converter, (PathConverter, StringConverter)):
                options.append(["x"])
            else:
                options.append(generic)
        for values in itertools.product(*options):
            candidate = fmt % dict(zip(params, values, strict=True))
            match = regex.match(candidate)
            if match and match.end() == len(candidate):
                found.append(candidate)
                break
    return found


def walk_patterns(some_id: int) -> list[Walked]:
    """One concrete URL per URL pattern, recursing into every include."""
    walked: list[Walked] = []
    missing: list[str] = []

    def visit(resolver: URLResolver, prefix: str, route: str) -> None:
        for entry in resolver.url_patterns:
            candidates = _pattern_candidates(entry.pattern, some_id)
            description = route + str(entry.pattern)
            if not candidates:
                missing.append(description)
                continue
            if isinstance(entry, URLResolver):
                visit(entry, prefix + candidates[0], description)
            else:
                assert isinstance(entry, URLPattern)
                walked.append(Walked(description, "/" + prefix + candidates[0]))

    visit(get_resolver(), "", "")
    assert not missing, f"no concrete URL for: {missing}"
    return walked


def is_login_required(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code == 302:
        return response["Location"].startswith(LOGIN_REDIRECTS)
    return False


@pytest.fixture
def site_urls(demo_articles, media_root) -> list[str]:  # noqa: F811
    """The reader-facing pages with real objects, on top of the generated pattern URLs."""
    article = ArticlePage.objects.live().first()
    topic = TopicPage.objects.live().first()
    tag = Tag.objects.filter(kb_articlepagetag_items__isnull=False).first()
    image = make_image()
    rendition = image.get_rendition("fill-20x20")
    document = make_document()
    return [
        "/",
        topic.url,
        article.url,
        "/tags/",
        f"/tags/{tag.slug}/",
        "/suche/?q=Hitze",
        "/api/v1/search/?q=Hitze",
        "/api/v1/autocomplete/?q=Hit",
        document.url,
        f"/documents/{document.pk}/{document.filename}",
        "/media/" + image.file.name,
        rendition.url,
        "/media/" + document.file.name,
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/images/{image.pk}/",
        f"/admin/documents/edit/{document.pk}/",
        "/gibt-es-nicht/",
    ]


def test_every_url_pattern_requires_login(site_urls):
    article = ArticlePage.objects.live().first()
    walked = walk_patterns(article.pk)
    # The Wagtail admin alone has hundreds of patterns; a sudden drop means the walk broke.
    assert len(walked) >= 250, len(walked)

    client = Client()
    public: list[str] = []
    unprotected: list[str] = []
    urls = [(item.route, item.url) for item in walked] + [("site", url) for url in site_urls]
    for route, url in urls:
        resolve(url.split("?")[0])  # the generated URL really is one of ours
        response = client.get(url)
        path = url.split("?")[0]
        if path in PUBLIC_LOGIN_PAGES:
            public.append(path)
            assert response.status_code == 200, url
            assert 'type="password"' in response.content.decode(), url
        elif path.startswith(MAY_BE_PUBLIC_PREFIXES):
            continue
        elif not is_login_required(response):
            unprotected.append(f"{url} ({route}): {response.status_code}")
    assert not unprotected, "\n".join(unprotected)
    assert set(public) == PUBLIC_LOGIN_PAGES
    print(f"\n{len(walked)} URL patterns walked, {len(site_urls)} site URLs with real objects")


def test_static_files_are_public(client):
    response = client.get("/static/css/wissensnetz.css")
    assert response.status_code == 200


def test_anonymous_post_is_refused_too(client, demo_articles):
    article = ArticlePage.objects.live().first()
    for url in ["/suche/", "/tags/", f"/admin/pages/{article.pk}/edit/", "/media/x.png"]:
        response = Client(enforce_csrf_checks=False).post(url, {})
        assert is_login_required(response), url
