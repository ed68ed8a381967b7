"""Wires content events to index updates."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from kb.departments import departments_merged
from kb.models import ArticlePage, ArticlePageTag, ContactPerson, TopicPage
from kb.signals import review_state_changed
from kb.tags import tag_articles_changed

from . import indexing
from .models import SynonymGroup
from .tasks import index_article_task, index_contact_task, remove_task


def _article_changed(sender, instance, **kwargs):
    if indexing.is_deferred():  # a bulk change indexes everything at its end, in one pass
        indexing.index_article(instance)
    else:
        index_article_task.enqueue(instance.pk)


def _article_deleting(sender, instance, **kwargs):
    # Once the article is gone, its contact persons must no longer be found by its topic and
    # tags; the article's links to them are deleted with it, so they are read now.
    contact_ids = list(instance.contacts.values_list("pk", flat=True))
    if contact_ids:
        transaction.on_commit(
            lambda: [index_contact_task.enqueue(contact_id) for contact_id in contact_ids]
        )


def _article_deleted(sender, instance, **kwargs):
    if indexing.is_deferred():
        indexing.remove("article", instance.pk)
    else:
        remove_task.enqueue("article", instance.pk)


def _page_moved(sender, instance, **kwargs):
    specific = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    if isinstance(specific, ArticlePage):
        index_article_task.enqueue(specific.pk)
    elif isinstance(specific, TopicPage):
        for page_id in ArticlePage.objects.child_of(specific).values_list("pk", flat=True):
            index_article_task.enqueue(page_id)


def _contact_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if indexing.is_deferred():
        indexing.index_contact(instance)
    else:
        index_contact_task.enqueue(instance.pk)
    # Articles are found by their contact persons' names: a renamed person's articles follow.
    _reindex_articles_later(instance.articles.values_list("pk", flat=True))


def _contact_deleted(sender, instance, **kwargs):
    remove_task.enqueue("contact", instance.pk)


def _reindex_articles_later(article_ids) -> None:
    article_ids = list(article_ids)
    if article_ids:
        transaction.on_commit(
            lambda: [index_article_task.enqueue(article_id) for article_id in article_ids]
        )


def _tagged_article_ids(tag) -> list[int]:
    return list(ArticlePageTag.objects.filter(tag=tag).values_list("content_object_id", flat=True))


def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    # A renamed tag (or a new slug) changes the documents of its articles; a new one has none.
    if not (created or raw):
        _reindex_articles_later(_tagged_article_ids(instance))


def _tag_deleting(sender, instance, **kwargs):
    _reindex_articles_later(_tagged_article_ids(instance))


def _tags_merged(sender, article_ids, **kwargs):
    _reindex_articles_later(article_ids)


def _departments_merged(sender, article_ids, contact_ids, **kwargs):
    # Articles and contact persons are found by their department's name (and filtered by it).
    _reindex_articles_later(article_ids)
    contact_ids = list(contact_ids)
    if contact_ids:
        transaction.on_commit(
            lambda: [index_contact_task.enqueue(contact_id) for contact_id in contact_ids]
        )


def _review_state_changed(sender, page_ids, **kwargs):
    # "Inhalt ist aktuell", a topic area's new interval, an import: overdue articles rank lower.
    _reindex_articles_later(page_ids)


def _restriction_changed(sender, instance, raw=False, **kwargs):
    # A view restriction added, changed or removed changes what the index may say about the
    # articles below its page (contact persons are described by public articles only; see
    # indexing.contact_documents): re-index them, and with them their contact persons, as a
    # full rebuild would.
    if raw:
        return
    page_id = instance.page_id
    if page_id is None:
        return
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path is None:  # the page is being deleted; its articles are removed with it
        return
    _reindex_articles_later(
        ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
    )


def _synonyms_changed(sender, instance, **kwargs):
    from .indexing import bump_version

    bump_version()


def register() -> None:
    for model in (ArticlePage,):
        page_published.connect(_article_changed, sender=model)
        page_unpublished.connect(_article_changed, sender=model)
        pre_delete.connect(_article_deleting, sender=model)
        post_delete.connect(_article_deleted, sender=model)
    post_page_move.connect(_page_moved)
    post_save.connect(_contact_saved, sender=ContactPerson)
    post_delete.connect(_contact_deleted, sender=ContactPerson)
    post_save.connect(_tag_saved, sender=Tag)
    pre_delete.connect(_tag_deleting, sender=Tag)
    tag_articles_changed.connect(_tags_merged)
    departments_merged.connect(_departments_merged)
    review_state_changed.connect(_review_state_changed)
    post_save.connect(_restriction_changed, sender=PageViewRestriction)
    post_delete.connect(_restriction_changed, sender=PageViewRestriction)
    post_save.connect(_synonyms_changed, sender=SynonymGroup)
    post_delete.connect(_synonyms_changed, sender=SynonymGroup)
