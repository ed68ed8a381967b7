"""What a document looks like in the index: its fields, and the way back to a Doc.

search.indexing computes text fields and filter attributes (the SearchDocument values) for each
article and contact person; document_body() turns them into the server's JSON document, source_doc()
turns a hit's _source back into the Doc every backend returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ...analysis import analyse_field
from ..base import FIELD_WEIGHTS, Doc

# Document fields as search.indexing computes them (and base.FIELD_WEIGHTS weighs them) -> text
# field in the index. Only the tags are renamed: the keyword field "tags" holds their slugs.
_RENAMED = {"tags": "tags_text"}
TEXT_FIELDS: dict[str, str] = {name: _RENAMED.get(name, name) for name in FIELD_WEIGHTS}
# Facet name (as in base.FACETS and the filters) -> keyword field.
FACET_FIELDS = {"city": "cities", "topic": "topic", "tag": "tags", "department": "department"}
# What a hit needs to become a Doc (the texts stay on the server).
SOURCE_FIELDS = ["kind", "object_id", "path", "date", "cities", "topic", "tags", "department"]


def document_id(kind: str, object_id: int) -> str:
    return f"{kind}-{int(object_id)}"


def _values(value: str | Iterable[str] | None) -> list[str]:
    """'|a|b|' (as search.indexing stores lists) or a list -> sorted unique values."""
    if not value:
        return []
    parts = value.split("|") if isinstance(value, str) else list(value)
    return sorted({part for part in parts if part})


def _iso_date(value: date | str | None) -> str | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)[:10]).isoformat()


def document_body(kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> dict:
    """The index document for what search.indexing computes (fields and SearchDocument values)."""
    texts = {name: fields.get(name) or "" for name in TEXT_FIELDS}
    body: dict[str, Any] = {
        "kind": kind,
        "object_id": int(object_id),
        "path": attributes.get("path") or "",
        "date": _iso_date(attributes.get("date")),
        "review_due": _iso_date(attributes.get("review_due")),
        "cities": _values(attributes.get("cities")),
        "topic": attributes.get("topic") or None,
        "tags": _values(attributes.get("tags")),
        "department": attributes.get("department") or None,
    }
    for name, field_name in TEXT_FIELDS.items():
        body[field_name] = texts[name]
    body["terms"] = " ".join(
        term for name in TEXT_FIELDS for term in analyse_field(name, texts[name])
    )
    body["stems"] = attributes.get("stems") or ""
    return body


def source_doc(source: dict) -> Doc:
    """A hit's _source (SOURCE_FIELDS) as the Doc the backends return."""
    object_id = int(source["object_id"])
    date_value = source.get("date")
    topic = source.get("topic")
    department = source.get("department")
    return Doc(
        id=object_id,
        kind=source.get("kind", ""),
        object_id=object_id,
        path=source.get("path") or "",
        date=date.fromisoformat(date_value[:10]) if date_value else None,
        city=frozenset(_values(source.get("cities"))),
        topic=frozenset([topic]) if topic else frozenset(),
        tag=frozenset(_values(source.get("tags"))),
        department=frozenset([department]) if department else frozenset(),
    )
