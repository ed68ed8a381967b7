"""Form data as the Wagtail page editor posts it, shared by the admin tests."""

from __future__ import annotations

import json

from kb.models import City

# A rich text paragraph as the Draftail editor posts it.
DRAFTAIL_PARAGRAPH = {
    "blocks": [
        {
            "key": "a",
            "text": "Sirenentest im Stadtgebiet.",
            "type": "unstyled",
            "depth": 0,
            "inlineStyleRanges": [],
            "entityRanges": [],
        }
    ],
    "entityMap": {},
}


def article_form(title: str, slug: str, **extra) -> dict:
    """The page editor's form data for a new article (as the admin submits it)."""
    data = {
        "title": title,
        "slug": slug,
        "summary": "Was beim Probealarm zu beachten ist.",
        "cities": [str(City.objects.get(name="Arnsberg").pk)],
        "tags": "Warnung, Sirenen",
        "contacts": [],
        "first_published": "2026-11-01",
        "last_reviewed": "",
        "department": "",
        "counterpart": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": json.dumps(DRAFTAIL_PARAGRAPH),
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
    }
    data.update(extra)
    return data
