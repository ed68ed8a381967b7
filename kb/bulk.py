"""Bulk writing for kb_import.

Two things make a large import slow when every article goes through Wagtail one by one:
per-save index upkeep (Wagtail's admin search index and reference index are rewritten on every
save) and the per-page cost of add_child → save_revision → publish (about 30 queries each).

- ``index_upkeep_deferred()`` collects what is saved in this thread and updates the admin search
  index (modelsearch) and the reference index once, in bulk, at the end of the block.
- ``create_articles()`` writes many NEW articles at once with the same result as the normal path
  (add_child, save_revision(log_action=True), publish): tree paths, url_path, one revision with
  the page's serialised content, live/live_revision/latest_revision/first and last published
  timestamps, log entries 'wagtail.create', 'wagtail.edit' and 'wagtail.publish', and the
  page_published/published signals per page (which our search index collects).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from modelsearch import signal_handlers as modelsearch_handlers
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import class_is_indexed
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from .models import ArticlePage, ArticlePageTag, ContactPerson, TopicPage
from .scoped import ThreadScoped
from .wagtail_internals import child_path, content_path_hash, path_step, references_of

CHUNK = 500

# --- index upkeep, deferred ----------------------------------------------------------------------

_swap_lock = threading.Lock()
_swap_count = 0
# Models whose per-save admin search indexing is collected instead (the ones an import saves).
DEFERRED_SEARCH_MODELS = (ArticlePage, ContactPerson)


@dataclass
class _Collected:
    saved: dict[type, set] = field(default_factory=lambda: defaultdict(set))
    new: dict[type, set] = field(default_factory=lambda: defaultdict(set))


_collected: ThreadScoped[_Collected] = ThreadScoped(_Collected)
_collecting = _collected.current


def _modelsearch_on_save(sender, instance, **kwargs):
    """Stands in for modelsearch's post_save handler while an import runs in any thread: the
    importing thread collects, every other thread indexes as usual."""
    collected = _collecting()
    if collected is None:
        modelsearch_handlers.post_save_signal_handler(instance, **kwargs)
    elif not kwargs.get("raw", False):
        collected.saved[type(instance)].add(instance.pk)


def _record_save(sender, instance, raw=False, created=False, **kwargs):
    collected = _collecting()
    if collected is not None and not raw and sender in ReferenceIndex.tracked_models:
        # Objects created in this block have no reference index rows yet.
        new = created and ReferenceIndex.is_indexed(sender)
        (collected.new if new else collected.saved)[sender].add(instance.pk)


@contextmanager
def _modelsearch_handler_swapped() -> Iterator[None]:
    global _swap_count
    with _swap_lock:
        if _swap_count == 0:
            for model in DEFERRED_SEARCH_MODELS:
                post_save.disconnect(modelsearch_handlers.post_save_signal_handler, sender=model)
                post_save.connect(_modelsearch_on_save, sender=model)
            post_save.connect(_record_save, dispatch_uid="kb.bulk.record_save")
        _swap_count += 1
    try:
        yield
    finally:
        with _swap_lock:
            _swap_count -= 1
            if _swap_count == 0:
                post_save.disconnect(dispatch_uid="kb.bulk.record_save")
                for model in DEFERRED_SEARCH_MODELS:
                    post_save.disconnect(_modelsearch_on_save, sender=model)
                    post_save.connect(modelsearch_handlers.post_save_signal_handler, sender=model)


@contextmanager
def index_upkeep_deferred() -> Iterator[_Collected]:
    """Within this block (inside the import's transaction) saves of articles and contact persons
    do not update Wagtail's admin search index, and no save updates the reference index; both
    are brought up to date for everything saved or bulk-created here when the block ends."""
    with _collected.open() as (collected, outermost):
        if not outermost:
            yield collected
            return
        with _modelsearch_handler_swapped(), disable_reference_index_auto_update():
            yield collected
        _collected.close()  # the updates below save objects: those must not be collected
        _update_reference_index(collected)
        _update_admin_search_index(collected)


# Context managers other apps register (in their AppConfig.ready()) to take part in bulk
# sessions, e.g. search defers its index updates to the end of an import.
_bulk_hooks: list[Callable[[], AbstractContextManager]] = []


def register_bulk_hook(hook: Callable[[], AbstractContextManager]) -> None:
    """`hook()` is entered around every bulk session (outside kb's own index upkeep)."""
    if hook not in _bulk_hooks:
        _bulk_hooks.append(hook)


@contextmanager
def bulk_session() -> Iterator[None]:
    """A bulk change of content (an import): the registered hooks, then kb's own deferred
    index upkeep. Use inside the transaction that changes the content."""
    with ExitStack() as stack:
        for hook in _bulk_hooks:
            stack.enter_context(hook())
        stack.enter_context(index_upkeep_deferred())
        yield


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _parent_of_child_object(instance):
    """As wagtail.tasks.update_reference_index_task: a child object's references belong to its
    parent (the object that owns it through a ParentalKey)."""
    while True:
        keys = [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
        if instance is None:
            return None


def _new_reference_rows(obj) -> list[ReferenceIndex]:
    content_types = [
        ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
        for model_or_object in ([obj] + obj._meta.get_parent_list())
    ]
    return [
        ReferenceIndex(
            content_type=content_types[0],
            base_content_type=content_types[-1],
            object_id=obj.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=content_path_hash(content_path),
        )
        for to_content_type_id, to_object_id, model_path, content_path in references_of(obj)
    ]


def _update_reference_index(collected: _Collected) -> None:
    owners: dict[type, set] = defaultdict(set)
    for model, pks in collected.saved.items():
        if not ReferenceIndex.is_indexed(model) and not any(
            isinstance(f, ParentalKey) for f in model._meta.get_fields()
        ):
            continue
        for chunk in _chunks(pks):
            for instance in model._default_manager.filter(pk__in=chunk):
                owner = _parent_of_child_object(instance)
                if owner is not None and ReferenceIndex.is_indexed(owner._meta.model):
                    owners[owner._meta.model].add(owner.pk)
    for model, pks in collected.new.items():
        if ReferenceIndex.is_indexed(model):
            owners[model] |= pks
    kwargs = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    for model, pks in owners.items():
        new = collected.new.get(model, set())
        queryset = model._default_manager.all()
        if issubclass(model, ClusterableModel):
            queryset = queryset.prefetch_related(
                *(relation.get_accessor_name() for relation in get_all_child_relations(model))
            )
        for chunk in _chunks(pks):
            rows: list[ReferenceIndex] = []
            for obj in queryset.filter(pk__in=chunk):
                if obj.pk in new:
                    rows += _new_reference_rows(obj)  # nothing indexed for it yet
                else:
                    ReferenceIndex.create_or_update_for_object(obj)
            ReferenceIndex.objects.bulk_create(rows, batch_size=CHUNK, **kwargs)


def _update_admin_search_index(collected: _Collected) -> None:
    """What modelsearch's post_save handler would have done for every collected object, in bulk
    per model (objects are indexed under their most specific model)."""
    wanted: dict[type, set] = defaultdict(set)
    for source in (collected.saved, collected.new):
        for model, pks in source.items():
            if model in DEFERRED_SEARCH_MODELS:
                wanted[model] |= pks
    backends = [backend for _, backend in get_search_backends_with_name(with_auto_update=True)]
    for model, pks in wanted.items():
        if not class_is_indexed(model):
            continue
        for chunk in _chunks(pks):
            objects = list(model.get_indexed_objects().filter(pk__in=chunk))
            for backend in backends:
                try:
                    backend.add_bulk(model, objects)
                except Exception:
                    if not backend.catch_indexing_errors:
                        raise


# --- new articles in bulk -----------------------------------------------------------------------


@dataclass
class NewArticle:
    """One article to create: the unsaved page with its fields set, and its relations."""

    line: int
    topic: TopicPage
    page: ArticlePage
    cities: list
    contacts: list
    tags: list  # taggit Tag instances, de-duplicated, in the order taggit would add them
    counterpart_slug: str | None = None


class BulkValidationError(Exception):
    def __init__(self, line: int, error: ValidationError):
        self.line = line
        self.error = error
        super().__init__(str(error))


# Fields the bulk path sets itself; the rest is validated as Page.full_clean would (FK targets
# are resolved by the importer, so their existence is not queried page by page).
_UNCHECKED = {"path", "depth", "numchild", "url_path", "translation_key", "draft_title"}


def _validate(page: ArticlePage) -> None:
    exclude = [f.name for f in page._meta.concrete_fields if f.is_relation or f.name in _UNCHECKED]
    models.Model.clean_fields(page, exclude=exclude)


def allocate_pages(articles: list[NewArticle]) -> None:
    """Give the new pages their place in the tree and insert their wagtailcore_page rows
    (pks are known afterwards; revisions are attached by create_articles)."""
    by_topic: dict[int, list[NewArticle]] = defaultdict(list)
    for article in articles:
        by_topic[article.topic.pk].append(article)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    for topic_pk, group in by_topic.items():
        topic = TopicPage.objects.select_for_update().get(pk=topic_pk)
        last = (
            Page.objects.filter(path__startswith=topic.path, depth=topic.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = path_step(last) if last else 0
        taken = set(
            Page.objects.filter(
                path__startswith=topic.path,
                depth=topic.depth + 1,
                slug__in=[a.page.slug for a in group],
            ).values_list("slug", flat=True)
        )
        for article in group:
            page = article.page
            if page.slug in taken:
                raise BulkValidationError(
                    article.line,
                    ValidationError({"slug": f"„{page.slug}“ gibt es unter „{topic.title}“ schon"}),
                )
            step += 1
            page.depth = topic.depth + 1
            page.path = child_path(topic.path, page.depth, step)
            page.numchild = 0
            page.url_path = topic.url_path + page.slug + "/"
            page.locale_id = topic.locale_id
            page.content_type = content_type
            page.draft_title = page.title
            page._cached_parent_obj = topic
            # The raw insert below skips ArticlePage.save, which computes the due date.
            page.review_due = page.compute_review_due(topic)
            try:
                _validate(page)
            except ValidationError as error:
                raise BulkValidationError(article.line, error) from None
            # The state a page has after publish; revisions are attached below.
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = now
            page.latest_revision_created_at = now
        Page.objects.filter(pk=topic.pk).update(numchild=F("numchild") + len(group))
        Page.objects.bulk_create([a.page for a in group], batch_size=CHUNK)
        for article in group:
            article.page.page_ptr_id = article.page.id
            article.page._state.adding = False


def _insert_child_rows(pages: list[ArticlePage]) -> None:
    """The ArticlePage table rows, one raw save per page (only the model's own table; the page
    rows exist already). Batching them through Django's private _insert measured < 2 % of an
    import, not worth a private API."""
    for page in pages:
        page.save_base(raw=True, force_insert=True)


def _revision_content(article: NewArticle) -> dict:
    """page.serializable_data() as save_revision stores it for a page created with add_child
    (not yet live, no revision yet, relations not yet committed)."""
    page = article.page
    final = (
        page.live,
        page.has_unpublished_changes,
        page.first_published_at,
        page.last_published_at,
        page.latest_revision_created_at,
    )
    page.live, page.has_unpublished_changes = False, False
    page.first_published_at = page.last_published_at = page.latest_revision_created_at = None
    page.latest_revision = page.live_revision = None
    page.cities = article.cities
    page.contacts = article.contacts
    page.tagged_items = [ArticlePageTag(tag=tag) for tag in article.tags]
    page.wagtail_admin_comments = []
    try:
        return page.serializable_data()
    finally:
        (
            page.live,
            page.has_unpublished_changes,
            page.first_published_at,
            page.last_published_at,
            page.latest_revision_created_at,
        ) = final


def create_articles(articles: list[NewArticle], *, user=None) -> None:
    """Finish pages placed by allocate_pages(): article rows, relations, one revision each,
    published, logged; page_published is sent per page at the end."""
    if not articles:
        return
    pages = [article.page for article in articles]
    now = pages[0].last_published_at
    _insert_child_rows(pages)

    cities_through = ArticlePage.cities.through
    contacts_through = ArticlePage.contacts.through
    cities_through.objects.bulk_create(
        [
            cities_through(articlepage_id=a.page.pk, city_id=c.pk)
            for a in articles
            for c in a.cities
        ],
        batch_size=CHUNK,
    )
    contacts_through.objects.bulk_create(
        [
            contacts_through(articlepage_id=a.page.pk, contactperson_id=c.pk)
            for a in articles
            for c in a.contacts
        ],
        batch_size=CHUNK,
    )

    content_type = ContentType.objects.get_for_model(ArticlePage)
    base_content_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=str(article.page.pk),
            user=user,
            approved_go_live_at=None,
            content=_revision_content(article),
            object_str=str(article.page),
            created_at=now,
        )
        for article in articles
    ]
    Revision.objects.bulk_create(revisions, batch_size=CHUNK)
    ArticlePageTag.objects.bulk_create(
        [ArticlePageTag(content_object_id=a.page.pk, tag=t) for a in articles for t in a.tags],
        batch_size=CHUNK,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    for chunk in _chunks(range(len(pages)), 200):
        whens = [models.When(pk=pages[i].pk, then=revisions[i].pk) for i in chunk]
        revision_id = models.Case(*whens, output_field=models.BigIntegerField())
        Page.objects.filter(pk__in=[pages[i].pk for i in chunk]).update(
            latest_revision_id=revision_id, live_revision_id=revision_id
        )

    context = get_active_log_context()
    log_user = user or context.user
    entries = []
    for page, revision in zip(pages, revisions, strict=True):
        common = dict(
            content_type=content_type,
            label=page.get_admin_display_title(),
            timestamp=now,
            uuid=context.uuid,
            page_id=page.pk,
            data={},
            content_changed=True,
        )
        entries += [
            PageLogEntry(action="wagtail.create", user=log_user or page.owner, **common),
            PageLogEntry(action="wagtail.edit", user=log_user, revision=revision, **common),
            PageLogEntry(action="wagtail.publish", user=log_user, revision=revision, **common),
        ]
    PageLogEntry.objects.bulk_create(entries, batch_size=CHUNK)

    collected = _collecting()
    if collected is not None:
        collected.new[ArticlePage] |= {page.pk for page in pages}
    else:
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
            modelsearch_handlers.post_save_signal_handler(page)

    # As PublishPageRevisionAction._after_publish, once the page is complete.
    for page, revision in zip(pages, revisions, strict=True):
        page_published.send(sender=ArticlePage, instance=page, revision=revision)
        published.send(sender=ArticlePage, instance=page, revision=revision)
