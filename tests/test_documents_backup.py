"""kb_backup / kb_restore keep the text read from documents (no re-reading needed after a
restore), and the restore itself starts no extraction."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.documents import get_document_model

from documents.models import DocumentText
from documents.text import update_document_text
from tests.test_trust_backup import wipe
from tests.test_trust_media import make_document, media_root  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_content_types():
    yield
    # The restore renumbers content types inside the test transaction; its rollback brings the
    # old ids back, so the cached ones must go (as in tests/test_trust_backup.py).
    ContentType.objects.clear_cache()


def test_backup_and_restore_keep_the_document_text(
    media_root,  # noqa: F811
    tmp_path,
    fresh_content_types,
):
    document = make_document("Merkblatt Starkregen")
    record = update_document_text(document, force=True)
    assert record.status == DocumentText.Status.OK and "Abflüsse freihalten" in record.text
    archive = tmp_path / "sicherung.tar.gz"
    call_command("kb_backup", str(archive), stdout=io.StringIO())

    wipe(media_root)
    assert not DocumentText.objects.exists()
    call_command("kb_restore", str(archive), stdout=io.StringIO())

    restored = get_document_model().objects.get(title="Merkblatt Starkregen")
    text = DocumentText.objects.get(document=restored)
    assert text.status == DocumentText.Status.OK
    assert text.text == record.text and text.sha256 == record.sha256
    assert text.characters == record.characters
