"""Images in a private collection are served only to those the collection admits, as documents
are (issue 10, #14 part 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from wagtail.models import Collection, CollectionViewRestriction

from tests.test_trust_media import make_image, media_root  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_image(media_root):  # noqa: F811
    caches["default"].clear()
    collection = Collection.get_first_root_node().add_child(name="Krisenstab intern")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    image = make_image("Lageplan intern")
    image.collection = collection
    image.save()
    rendition = image.get_rendition("fill-20x20")
    return image, rendition


def test_private_images_are_hidden_from_other_staff(client, staff, chief, private_image):
    image, rendition = private_image
    urls = [f"/media/{image.file.name}", rendition.url]
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(chief)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_images_outside_private_collections_stay_visible(client, staff, media_root):  # noqa: F811
    caches["default"].clear()
    image = make_image()
    client.force_login(staff)
    assert client.get(f"/media/{image.file.name}").status_code == 200
