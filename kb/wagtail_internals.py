"""The private Wagtail, treebeard and Django APIs that the bulk import (kb.bulk) relies on.

Writing thousands of new articles one by one through Wagtail's public API (add_child,
save_revision, publish, the reference index's per-object update) costs about 30 queries per
article; kb.bulk writes them in batches instead. Only the internals that measurably pay are
used (kb_import of 2 000 generated articles on SQLite, medians of interleaved runs, one core):

- tree paths instead of add_child per page: 16.5 s instead of 24.9 s (2 099 instead of 39 979
  queries);
- reference index rows for new objects in bulk instead of create_or_update_for_object per
  object: 16.5 s instead of 17.4 s (about 1 s of 3.1 s reference index upkeep).

(Django's manager._insert for the article table rows measured under 2 %: dropped.) They are
wrapped here, in one place, and tests/test_wagtail_internals.py fails loudly if an upgrade
changes them.
"""

from __future__ import annotations

import uuid

from django.db import models
from wagtail.models import Page, ReferenceIndex


def path_step(path: str) -> int:
    """The position of a page among its siblings, read from its tree path (treebeard)."""
    return Page._str2int(path[-Page.steplen :])


def child_path(parent_path: str, depth: int, step: int) -> str:
    """The tree path of the `step`-th child (1-based) of the page at `parent_path`."""
    return Page._get_path(parent_path, depth, step)


def references_of(obj: models.Model) -> set[tuple]:
    """(to_content_type_id, to_object_id, model_path, content_path) of every reference the
    reference index would record for `obj`."""
    return set(ReferenceIndex._extract_references_from_object(obj))


def content_path_hash(content_path: str) -> uuid.UUID:
    """The hash the reference index stores beside a content path."""
    return ReferenceIndex._get_content_path_hash(content_path)
