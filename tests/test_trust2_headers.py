"""Finding 9: caching headers of logged-in responses, and validators of media and documents.

Pages and API answers for a logged-in user must not be stored by any cache (shared or the
browser's); documents never carry an empty ETag, so `If-None-Match: ""` cannot turn into a 304
for a document the client never saw; protected media have real validators.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db

DOCUMENT_TEXT = "Dienstanweisung Winterdienst: Räumpläne, Bereitschaft, Streugut.\n".encode()


def directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",") if part}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def make_document(title: str = "Dienstanweisung Winterdienst"):
    # Created in code (as a script or a fixture would): Wagtail leaves file_hash empty.
    return get_document_model().objects.create(
        title=title, file=ContentFile(DOCUMENT_TEXT, name="winterdienst.txt")
    )


def test_logged_in_html_pages_are_private_and_not_stored(staff_client, demo_articles):
    article = ArticlePage.objects.live().first()
    for url in ["/", article.url, "/suche/?q=Hitze"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
        assert {"private", "no-store"} <= directives(response), (url, response.get("Cache-Control"))


def test_logged_in_api_json_is_private_and_not_stored(staff_client, demo_articles):
    for url in ["/api/v1/search/?q=Hitze", "/api/v1/autocomplete/?q=Hit"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert {"private", "no-store"} <= directives(response), (url, response.get("Cache-Control"))


def test_document_never_sends_an_empty_etag(staff_client, media_root):
    document = make_document()
    assert document.file_hash == ""
    response = staff_client.get(document.url)
    assert response.status_code == 200
    assert body(response) == DOCUMENT_TEXT
    assert response.get("ETag") not in ('""', 'W/""')
    cache_control = directives(response)
    assert "private" in cache_control and "public" not in cache_control


@pytest.mark.parametrize("if_none_match", ['""', 'W/""', '"", "anders"'])
def test_empty_if_none_match_does_not_give_304_for_a_document(
    staff_client, media_root, if_none_match
):
    document = make_document()
    response = staff_client.get(document.url, HTTP_IF_NONE_MATCH=if_none_match)
    assert response.status_code == 200
    assert body(response) == DOCUMENT_TEXT


def test_document_with_a_hash_keeps_its_real_etag(staff_client, media_root):
    document = make_document()
    document._set_file_hash()
    document.save(update_fields=["file_hash"])
    response = staff_client.get(document.url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{document.file_hash}"'
    assert "private" in directives(response)
    # A revalidation with the real tag may answer 304 – still private, never with an empty tag.
    again = staff_client.get(document.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "private" in directives(again)
    # …but an empty tag never matches.
    assert staff_client.get(document.url, HTTP_IF_NONE_MATCH='""').status_code == 200


def test_protected_media_have_real_validators(staff_client, media_root):
    buffer = BytesIO()
    PILImage.new("RGB", (12, 8), (20, 120, 200)).save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Räumfahrzeug", file=ImageFile(BytesIO(buffer.getvalue()), name="raeum.png")
    )
    url = "/media/" + image.file.name
    response = staff_client.get(url)
    assert response.status_code == 200
    etag = response.get("ETag", "")
    assert etag.strip('W/"'), "media need a non-empty ETag"
    assert response.get("Last-Modified")
    assert "private" in directives(response)

    cached = staff_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304
    assert cached["ETag"] == etag
    assert "private" in directives(cached)
    assert staff_client.get(url, HTTP_IF_NONE_MATCH='""').status_code == 200
    assert staff_client.get(url, HTTP_IF_NONE_MATCH='"anders"').status_code == 200
