"""Uploaded images and documents are only for logged-in users, in production settings too."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

DOCUMENT_TEXT = "Merkblatt Starkregen: Keller sichern, Abflüsse freihalten.\n".encode()


def png_bytes(size=(40, 30), colour=(200, 30, 30)) -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(title: str = "Pegel am Ruhrufer"):
    image_model = get_image_model()
    return image_model.objects.create(
        title=title, file=ImageFile(BytesIO(png_bytes()), name="pegel.png")
    )


def make_document(title: str = "Merkblatt Starkregen"):
    document_model = get_document_model()
    return document_model.objects.create(
        title=title, file=ContentFile(DOCUMENT_TEXT, name="merkblatt.txt")
    )


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def uploads(media_root):
    # Wagtail caches renditions by image id; ids repeat between tests, files do not.
    caches["default"].clear()
    image = make_image()
    rendition = image.get_rendition("fill-20x20")
    document = make_document()
    return {"image": image, "rendition": rendition, "document": document}


def media_url(file_field) -> str:
    return "/media/" + file_field.name


def test_anonymous_is_redirected_for_images_and_documents(client, uploads):
    urls = [
        media_url(uploads["image"].file),
        uploads["rendition"].url,
        uploads["document"].url,
        media_url(uploads["document"].file),
    ]
    assert uploads["rendition"].url.startswith("/media/images/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/anmelden/?next="), url


def test_logged_in_user_gets_the_bytes(staff_client, uploads):
    image = uploads["image"]
    response = staff_client.get(media_url(image.file))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    image.file.open("rb")
    assert body(response) == image.file.read()
    image.file.close()

    rendition = uploads["rendition"]
    response = staff_client.get(rendition.url)
    assert response.status_code == 200
    assert PILImage.open(BytesIO(body(response))).size == (20, 20)

    response = staff_client.get(uploads["document"].url)
    assert response.status_code == 200
    assert body(response) == DOCUMENT_TEXT


def test_documents_only_through_the_document_view(staff_client, uploads):
    """Raw /media/documents/… would bypass Wagtail's collection privacy."""
    response = staff_client.get(media_url(uploads["document"].file))
    assert response.status_code == 404


def test_media_is_served_without_debug(settings, staff_client, uploads):
    settings.DEBUG = False
    assert staff_client.get(uploads["rendition"].url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/images/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/images/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/media/..%2fmedia-neighbour/other.txt",
        "/media/%2Fetc%2Fpasswd",
        "/media//etc/passwd",
        "/media/images/..%5c..%5csecret.txt",
        "/media/link-outside/secret.txt",
        "/media/.hidden",
        "/media/images",
        "/media/nicht-da.png",
        "/media/images/pegel.png%00.txt",
    ],
)
def test_path_traversal_gives_404(staff_client, media_root, path):
    (media_root.parent / "secret.txt").write_text("geheim")
    neighbour = media_root.parent / "media-neighbour"
    neighbour.mkdir()
    (neighbour / "other.txt").write_text("geheim")
    (media_root / "link-outside").symlink_to(media_root.parent, target_is_directory=True)
    (media_root / ".hidden").write_text("geheim")
    (media_root / "images").mkdir()
    response = staff_client.get(path)
    assert response.status_code == 404, path
    assert b"geheim" not in body(response)


def test_x_accel_redirect_lets_nginx_send_the_file(settings, staff_client, uploads):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    rendition = uploads["rendition"]
    response = staff_client.get(rendition.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + rendition.file.name
    assert response["Content-Type"] == "image/png"
    assert body(response) == b""
    # Anonymous visitors still never reach nginx's internal location.
    staff_client.logout()
    response = staff_client.get(rendition.url)
    assert response.status_code == 302
    assert "X-Accel-Redirect" not in response


def test_post_is_not_allowed(staff_client, uploads):
    assert staff_client.post(uploads["rendition"].url).status_code == 405
