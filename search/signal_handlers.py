"""Wires content events to index updates."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cooperation.models import WorkingGroupMember, WorkingGroupPage
from kb.departments import departments_merged
from kb.models import ArticlePage, ArticlePageTag, ContactPerson, Expertise, TopicPage
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
    elif isinstance(specific, WorkingGroupPage):
        # Below a restricted page now (or no longer): the group lookup and its members follow.
        _group_changed(WorkingGroupPage, specific)


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


def _reindex_contacts_later(contact_ids) -> None:
    contact_ids = sorted({contact_id for contact_id in contact_ids if contact_id})
    if contact_ids:
        transaction.on_commit(
            lambda: [index_contact_task.enqueue(contact_id) for contact_id in contact_ids]
        )


def _person_row_saving(sender, instance, raw=False, **kwargs):
    # An expertise entry or membership moved to another person: the previous one follows too.
    if raw or instance.pk is None:
        return
    instance._search_previous_person_id = (
        sender.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()
    )


def _person_row_changed(sender, instance, raw=False, **kwargs):
    # People are found by their expertise entries and working groups (indexing.contact_documents).
    if raw:
        return
    _reindex_contacts_later(
        [instance.person_id, getattr(instance, "_search_previous_person_id", None)]
    )


def _group_member_ids(group_ids) -> list[int]:
    return list(
        WorkingGroupMember.objects.filter(page_id__in=group_ids).values_list("person_id", flat=True)
    )


def _group_changed(sender, instance, **kwargs):
    # Published, unpublished or moved: the search's group lookup (search.groups, cached per
    # index version) and the documents of the group's members change.
    indexing.bump_version()
    _reindex_contacts_later(_group_member_ids([instance.pk]))


def _group_deleting(sender, instance, **kwargs):
    # Its member rows are deleted with it: the people are read now, re-indexed after commit.
    _reindex_contacts_later(_group_member_ids([instance.pk]))


def _group_deleted(sender, instance, **kwargs):
    indexing.bump_version()


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
    # Working groups below it: the lookup is filtered per reader by path, but their members'
    # documents hold public groups only.
    group_ids = list(
        WorkingGroupPage.objects.filter(path__startswith=path).values_list("pk", flat=True)
    )
    if group_ids:
        indexing.bump_version()
        _reindex_contacts_later(_group_member_ids(group_ids))


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
    page_published.connect(_group_changed, sender=WorkingGroupPage)
    page_unpublished.connect(_group_changed, sender=WorkingGroupPage)
    pre_delete.connect(_group_deleting, sender=WorkingGroupPage)
    post_delete.connect(_group_deleted, sender=WorkingGroupPage)
    for model in (Expertise, WorkingGroupMember):
        pre_save.connect(_person_row_saving, sender=model)
        post_save.connect(_person_row_changed, sender=model)
        post_delete.connect(_person_row_changed, sender=model)
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
