"""The private Wagtail, treebeard and Django APIs that the bulk import (kb.bulk) relies on.

Writing thousands of new articles one by one through Wagtail's public API (add_child,
save_revision, publish, the reference index's per-object update) costs about 30 queries per
article; kb.bulk writes them in batches instead, which needs these internals. They are wrapped
here, in one place, and tests/test_wagtail_internals.py fails loudly if an upgrade changes
them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import connection, models
from wagtail.models import Page, ReferenceIndex


def path_step(path: str) -> int:
    """The position of a page among its siblings, read from its tree path (treebeard)."""
    return Page._str2int(path[-Page.steplen :])


def child_path(parent_path: str, depth: int, step: int) -> str:
    """The tree path of the `step`-th child (1-based) of the page at `parent_path`."""
    return Page._get_path(parent_path, depth, step)


def insert_rows(model: type[models.Model], objs: Sequence[models.Model], fields: list) -> None:
    """INSERT the given fields of `objs` into the model's own table, with no parent rows and
    no signals: bulk_create() cannot write multi-table-inherited models such as pages."""
    model._base_manager._insert(list(objs), fields=fields, using=connection.alias)


def references_of(obj: models.Model) -> set[tuple]:
    """(to_content_type_id, to_object_id, model_path, content_path) of every reference the
    reference index would record for `obj`."""
    return set(ReferenceIndex._extract_references_from_object(obj))


def content_path_hash(content_path: str) -> uuid.UUID:
    """The hash the reference index stores beside a content path."""
    return ReferenceIndex._get_content_path_hash(content_path)
