"""Departments (Fachbereiche): one per article, never a pair of them; merging duplicates.

An article has exactly one responsible department (`ArticlePage.department`, a foreign key), so
an import value naming two departments ("Fachdienst Integration (Arnsberg) und Fachbereich
Soziales (Sundern)", "Fachbereich A / Fachbereich B") cannot be split into two: it would become
one pseudo-department that neither city has. `combined_department_parts` recognises such values;
the import refuses them (`kb.importer`), naming the line and the departments it found.

Departments that already exist twice (a pseudo-department from an earlier import, two spellings)
are merged in the admin (Wissensnetz → Fachbereiche → "Zusammenführen …", `kb.department_admin`):
articles, their revisions and contact persons move to the department that is kept, the others are
deleted, and Wagtail's audit log records it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal
from wagtail.log_actions import LogFormatter, log

from .collation import by_name
from .models import ArticlePage, ContactPerson, Department

#: Sent after departments were merged, with `article_ids` and `contact_ids`: the articles and
#: contact persons whose department changed without being saved (the search index listens).
departments_merged = Signal()

MERGE_ACTION = "wissensnetz.department.merge"

# Words that begin the name of an organisational unit. Another unit named after a joining word
# ("… mit Fachbereich …", "… und dem Fachdienst …", "… / Fachbereich …") makes a value two
# departments; a unit inside one ("Fachbereich Ordnung und Soziales, Sachgebiet Integration",
# "Fachbereich Finanzen – Steueramt") is one department, and "und" inside a name ("Bauen, Planen
# und Umwelt") joins words, not departments.
UNIT_WORDS = (
    "Fachbereich",
    "Fachdienst",
    "Stabsstelle",
    "Abteilung",
    "Amt",
    "Dezernat",
    "Referat",
    "Sachgebiet",
    "Fachstelle",
    "Geschäftsbereich",
)
_JOINER = (
    r"(?:\s*[/;|+&]\s*|\s+(?:und|sowie|mit|bzw\.|oder)\s+|,?\s+(?:gemeinsam|zusammen)\s+mit\s+)"
)
_ARTICLE = r"(?:(?:der|dem|den|die|des)\s+)?"
_UNIT = r"(?:" + "|".join(UNIT_WORDS) + r")(?:e|en|n|s|es)?\b"
# A joining word before another unit, or "gemeinsam mit"/"zusammen mit" before anything.
_SECOND_UNIT_RE = re.compile(
    rf"{_JOINER}(?={_ARTICLE}{_UNIT})|,?\s+(?:gemeinsam|zusammen)\s+mit\s+", re.IGNORECASE
)
_ANY_JOINER_RE = re.compile(_JOINER, re.IGNORECASE)
_LEADING_ARTICLE_RE = re.compile(rf"^{_ARTICLE}", re.IGNORECASE)


def _clean_part(part: str) -> str:
    return _LEADING_ARTICLE_RE.sub("", part.strip(" ,;")).strip()


def combined_department_parts(value: str, known: Iterable[str] = ()) -> list[str]:
    """The departments a value names when it names more than one, else [].

    More than one: another unit word follows a joining word, or the value says "gemeinsam mit"
    / "zusammen mit", or it is two or more `known` department names joined by "und", "/", …
    (case-insensitive), e.g. "Standesamt und Wahlbüro" when both exist.
    """
    value = value.strip()
    parts = [_clean_part(p) for p in _SECOND_UNIT_RE.split(value)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        return parts
    known_names = {name.strip().casefold() for name in known}
    parts = [_clean_part(p) for p in _ANY_JOINER_RE.split(value)]
    parts = [p for p in parts if p]
    if len(parts) > 1 and sum(p.casefold() in known_names for p in parts) > 1:
        return parts
    return []


def combined_department_message(parts: list[str]) -> str:
    named = ", ".join(f"„{part}“" for part in parts)
    return (
        f"nennt mehrere Fachbereiche ({named}); ein Beitrag hat genau einen zuständigen "
        "Fachbereich – bitte nur einen angeben (die übrigen Beteiligten im Text nennen)"
    )


# --------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    target: Department
    merged: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)


def _rewrite_revisions(source_ids: list[int], target_id: int) -> None:
    """Revisions name the department by id: without this, publishing or reverting to a
    revision saved before the merge would point to a deleted department (and drop it)."""
    from wagtail.models import Revision

    for revision in Revision.page_revisions.filter(content__department__in=source_ids):
        revision.content = {**revision.content, "department": target_id}
        revision.save(update_fields=["content"])


def merge_departments(
    target: Department, sources: Iterable[Department], *, user=None
) -> MergeResult:
    """Moves the articles and contact persons of `sources` to `target` and deletes `sources`,
    in one transaction, logged in Wagtail's audit log (on the kept department; a deletion entry
    for each merged one)."""
    sources = by_name(source for source in sources if source.pk != target.pk)
    result = MergeResult(target=target, merged=[source.name for source in sources])
    if not sources:
        return result
    source_ids = [source.pk for source in sources]
    with transaction.atomic():
        articles = ArticlePage.objects.filter(department_id__in=source_ids)
        contacts = ContactPerson.objects.filter(department_id__in=source_ids)
        result.article_ids = list(articles.values_list("pk", flat=True))
        result.contact_ids = list(contacts.values_list("pk", flat=True))
        articles.update(department=target)
        contacts.update(department=target)
        _rewrite_revisions(source_ids, target.pk)
        log(
            target,
            MERGE_ACTION,
            user=user,
            data={
                "merged": result.merged,
                "articles": len(result.article_ids),
                "contacts": len(result.contact_ids),
            },
        )
        for source in sources:
            log(source, "wagtail.delete", user=user, deleted=True)
            source.delete()
        article_ids, contact_ids = result.article_ids, result.contact_ids
        transaction.on_commit(
            lambda: departments_merged.send(
                sender=Department, article_ids=article_ids, contact_ids=contact_ids
            )
        )
    return result


class DepartmentMergeFormatter(LogFormatter):
    label = "Fachbereiche zusammenführen"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        merged = ", ".join(f"„{name}“" for name in data.get("merged", []))
        return (
            f"Zusammengeführt: {merged} ({data.get('articles', 0)} Beiträge, "
            f"{data.get('contacts', 0)} Ansprechpersonen)"
        )


def register_log_actions(actions) -> None:
    actions.register_action(MERGE_ACTION)(DepartmentMergeFormatter)
