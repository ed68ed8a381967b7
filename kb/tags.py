"""Tag slugs and links that always work, and merging one tag into another.

taggit derives a tag's slug from its name; a name without letters or digits ("!!!", "§", "🔥")
gives an empty slug, and no tag page address can be built for it. `ensure_slug` (a `pre_save`
receiver on taggit's `Tag`, connected in `KbConfig.ready()`) gives every tag a non-empty,
unique slug whatever creates it (editor, import, shell); `tag_url` is the one place templates
and the search build a tag page address and never raises.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal
from django.urls import NoReverseMatch, reverse
from taggit.models import ItemBase, Tag

FALLBACK_SLUG = "schlagwort"

#: Sent after tags were merged, with `article_ids`: the articles whose tags changed without
#: being saved (the search index listens, see `search.signal_handlers`).
tag_articles_changed = Signal()


def unique_slug(tag: Tag) -> str:
    """taggit's slug of the tag's name, or FALLBACK_SLUG when that is empty; "-2", "-3", …
    appended until no other tag has it."""
    base = (tag.slugify(tag.name or "") or FALLBACK_SLUG)[:90]
    taken = set(
        Tag.objects.filter(slug__startswith=base).exclude(pk=tag.pk).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def ensure_slug(sender, instance: Tag, **kwargs) -> None:
    if not (instance.slug or "").strip():
        instance.slug = unique_slug(instance)


def tag_url(slug: str | None) -> str:
    """Address of a tag page, or "" when none can be built for this slug."""
    if not slug:
        return ""
    try:
        return reverse("kb:tag_detail", args=[slug])
    except NoReverseMatch:
        return ""


def _item_models() -> list[tuple[type[ItemBase], str]]:
    """Every "tagged item" table that points at taggit's Tag (articles, images, documents)."""
    return [
        (rel.related_model, rel.field.name)
        for rel in Tag._meta.related_objects
        if isinstance(rel.related_model, type) and issubclass(rel.related_model, ItemBase)
    ]


def _rewrite_revisions(article_ids: list[int], source_id: int, target_id: int) -> None:
    """The articles' revisions name their tags by id: without this, publishing or reverting
    to a revision saved before the merge would drop the merged tag."""
    from wagtail.models import Revision

    for revision in Revision.page_revisions.filter(object_id__in=[str(i) for i in article_ids]):
        items = revision.content.get("tagged_items") or []
        if not any(item.get("tag") == source_id for item in items):
            continue
        has_target = any(item.get("tag") == target_id for item in items)
        kept = []
        for item in items:
            if item.get("tag") == source_id:
                if has_target:
                    continue
                item = {**item, "tag": target_id}
                has_target = True
            kept.append(item)
        revision.content = {**revision.content, "tagged_items": kept}
        revision.save(update_fields=["content"])


def merge_tags(source: Tag, target: Tag) -> list[int]:
    """Moves everything tagged `source` to `target` and deletes `source`. Returns the ids of the
    articles whose tags changed."""
    from .models import ArticlePageTag

    if source.pk == target.pk:
        return []
    with transaction.atomic():
        article_ids = list(
            ArticlePageTag.objects.filter(tag=source).values_list("content_object_id", flat=True)
        )
        for model, field in _item_models():
            fk = model._meta.get_field(field)
            keys = [
                f.attname
                for f in model._meta.concrete_fields
                if f.attname not in (model._meta.pk.attname, fk.attname)
            ]
            existing = set(model.objects.filter(**{field: target}).values_list(*keys))
            duplicates = [
                row[0]
                for row in model.objects.filter(**{field: source}).values_list("pk", *keys)
                if tuple(row[1:]) in existing
            ]
            model.objects.filter(pk__in=duplicates).delete()
            model.objects.filter(**{field: source}).update(**{field: target})
        _rewrite_revisions(article_ids, source.pk, target.pk)
        source.delete()
        transaction.on_commit(
            lambda: tag_articles_changed.send(sender=Tag, article_ids=article_ids)
        )
    return article_ids
