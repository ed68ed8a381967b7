"""Keeps the search index in step with published content.

Index terms come from search.analysis; each term's weight is a BM25F-style field-weighted,
length-normalised frequency, so query time only sums weights. Only live pages are indexed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

from django.db import transaction
from taggit.models import Tag

from cooperation.models import MemberRole, WorkingGroupMember, WorkingGroupPage
from kb.models import ArticlePage, ArticlePageTag, ContactPerson, Expertise, TopicPage
from kb.scoped import ThreadScoped
from kb.text import body_text, ended
from kb.topics import german_slug

from .analysis import analyse, analyse_field, stems
from .backends import get_backend
from .backends.base import FIELD_WEIGHTS
from .models import IndexState, SearchDocument, TermPostings
from .postings import PostingBuffer, lock_for_writing

# Expected length in terms and length-normalisation strength per field (BM25F's avgdl and b);
# the field weights themselves are the backends' FIELD_WEIGHTS.
LENGTH_NORMS = {
    "title": (8, 0.5),
    "tags": (4, 0.3),
    "summary": (30, 0.5),
    "body": (250, 0.75),
    "meta": (6, 0.0),
    "people": (2, 0.0),
}


def weigh(fields: dict[str, str]) -> tuple[dict[str, float], set[str]]:
    """Term -> BM25F pseudo-frequency over all fields, and the terms found in the title."""
    weights: dict[str, float] = {}
    for name, text in fields.items():
        field_weight = FIELD_WEIGHTS[name]
        expected_length, b = LENGTH_NORMS[name]
        terms = analyse_field(name, text)
        if not terms:
            continue
        norm = 1 - b + b * len(terms) / expected_length
        for term, count in Counter(terms).items():
            weights[term] = weights.get(term, 0.0) + field_weight * count / norm
    title_terms = set(analyse(fields.get("title", "")))
    return weights, title_terms


def _bars(values: Iterable[str]) -> str:
    values = [value for value in values if value]
    return "|" + "|".join(values) + "|" if values else ""


def _push(kind: str, object_id: int, fields: dict[str, str] | None, attributes: dict) -> None:
    """Mirror a change to the search server (if one is configured) once the database change is
    committed."""
    backend = get_backend()
    if not backend.mirrors:
        return
    if fields is None:
        transaction.on_commit(lambda: backend.delete(kind, object_id), robust=True)
    else:
        transaction.on_commit(
            lambda: backend.index(kind, object_id, fields, attributes), robust=True
        )


def _save(documents: list[dict], *, push: bool = True) -> None:
    """Write documents of one kind (rows and posting lists) in the caller's transaction.

    Inside deferred() the postings go to the session's buffer and are merged at its end."""
    if not documents:
        return
    kind = documents[0]["kind"]
    buffer = _buffer(kind)
    own_buffer = buffer is None
    if own_buffer:
        lock_for_writing()
        buffer = PostingBuffer(kind)
    object_ids = [document["object_id"] for document in documents]
    existing = {
        object_id: (pk, terms)
        for object_id, pk, terms in SearchDocument.objects.filter(
            kind=kind, object_id__in=object_ids
        ).values_list("object_id", "pk", "terms")
    }
    weighed = []
    to_create, to_update = [], []
    for document in documents:
        if push:
            _push(kind, document["object_id"], document["fields"], document["attributes"])
        weights, title_terms = weigh(document["fields"])
        weights = {term[:64]: weight for term, weight in weights.items()}
        title_terms = {term[:64] for term in title_terms}
        row = SearchDocument(
            kind=kind,
            object_id=document["object_id"],
            terms=" ".join(weights),
            **document["attributes"],
        )
        found = existing.get(document["object_id"])
        if found is not None:
            row.pk = found[0]
            buffer.replace(found[0], found[1].split())
            to_update.append(row)
        else:
            to_create.append(row)
        weighed.append((row, weights, title_terms))
    if to_update:
        fields = ["terms", *documents[0]["attributes"]]
        SearchDocument.objects.bulk_update(to_update, fields, batch_size=500)
    if to_create:
        SearchDocument.objects.bulk_create(to_create, batch_size=500)
    for row, weights, title_terms in weighed:
        buffer.add(row.pk, weights, title_terms)
    if own_buffer:
        buffer.flush()


def _store(document: dict, *, push: bool) -> None:
    with transaction.atomic():
        _save([document], push=push)


def _delete(kind: str, object_ids: list[int]) -> None:
    rows = list(
        SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list(
            "pk", "terms"
        )
    )
    if not rows:
        return
    buffer = _buffer(kind)
    own_buffer = buffer is None
    if own_buffer:
        lock_for_writing()
        buffer = PostingBuffer(kind)
    for pk, terms in rows:
        buffer.replace(pk, terms.split())
    if own_buffer:
        buffer.flush()
    else:
        # The buffered merge must not add postings for a document that is gone.
        buffer.forget({pk for pk, _ in rows})
    SearchDocument.objects.filter(pk__in=[pk for pk, _ in rows]).delete()


def bump_version() -> None:
    token = uuid.uuid4().hex
    updated = IndexState.objects.filter(pk=1).update(version=token)
    if not updated:
        IndexState.objects.update_or_create(pk=1, defaults={"version": token})


def article_document(
    page: ArticlePage, topic: TopicPage | None = None, tags: list[Tag] | None = None
) -> dict:
    """What the index holds of an article: weighted text fields and filter attributes.
    (`topic` and `tags` may be passed in by a caller that loaded them for many pages.)"""
    topic = topic or page.get_parent()
    cities = list(page.cities.all())
    tags = list(page.tags.all()) if tags is None else tags
    department = page.department
    fields = {
        "title": page.title,
        "tags": " ".join(tag.name for tag in tags),
        "summary": page.summary,
        "body": body_text(page),
        "meta": " ".join(
            [*(city.name for city in cities), topic.title, department.name if department else ""]
        ),
        "people": " ".join(contact.name for contact in page.contacts.all()),
    }
    return {
        "kind": SearchDocument.ARTICLE,
        "object_id": page.pk,
        "fields": fields,
        "attributes": dict(
            path=page.path,
            date=page.first_published,
            review_due=page.review_due,
            cities=_bars(city.slug for city in cities),
            topic=topic.slug,
            tags=_bars(tag.slug for tag in tags),
            department=german_slug(department.name) if department else "",
            stems=" ".join(stems(f"{page.title}\n{page.summary}\n{fields['body']}")),
            # Snippets are cut from it: the summary ends like every line of the body.
            text=f"{ended(page.summary)}\n{fields['body']}",
        ),
    }


def index_article(page: ArticlePage, *, bump: bool = True, push: bool = True) -> None:
    """(Re)index one article; an article that is not live is removed from the index."""
    session = _session()
    if session is not None:
        session.articles.add(page.pk)
        return
    if not page.live:
        with transaction.atomic():
            remove("article", page.pk, bump=False, push=push)
            # Its contact persons must no longer be found by what this article is about.
            for contact in page.contacts.all():
                index_contact(contact, bump=False, push=push)
            if bump:
                bump_version()
        return
    with transaction.atomic():
        _store(article_document(page), push=push)
        for contact in page.contacts.all():
            index_contact(contact, bump=False, push=push)
        if bump:
            bump_version()


def contact_document(contact: ContactPerson) -> dict:
    """A contact person is found by name, role, department, what their articles are about,
    what they know (expertise entries) and the working groups they belong to."""
    return contact_documents([contact])[0]


def _expertise_of(contact_ids: list[int]) -> dict[int, list[Expertise]]:
    """Expertise entries in live topic areas without a view restriction (the index describes
    people by what every reader may see, as by public articles only)."""
    topics = TopicPage.objects.live().public().order_by().values("pk")
    found: dict[int, list[Expertise]] = {}
    for entry in (
        Expertise.objects.filter(person_id__in=contact_ids, topic__in=topics)
        .select_related("topic", "city")
        .order_by("topic__path", "pk")
    ):
        found.setdefault(entry.person_id, []).append(entry)
    return found


def _groups_of(contact_ids: list[int]) -> dict[int, list[tuple[str, str | None, bool]]]:
    """Per person: (text, city slug, lead) of each live, public working group they belong to
    (its title and topic areas, see search.groups.group_text; the city they stand for)."""
    pages = WorkingGroupPage.objects.live().public().order_by()
    rows = list(
        WorkingGroupMember.objects.filter(person_id__in=contact_ids, page__in=pages.values("pk"))
        .order_by("page__path", "pk")
        .values_list("person_id", "page_id", "city__slug", "role")
    )
    if not rows:
        return {}
    page_ids = {row[1] for row in rows}
    titles = dict(WorkingGroupPage.objects.filter(pk__in=page_ids).values_list("pk", "title"))
    topics: dict[int, list[str]] = {}
    for page_id, title in (
        WorkingGroupPage.topics.through.objects.filter(
            workinggrouppage_id__in=page_ids,
            topicpage_id__in=TopicPage.objects.live().public().order_by().values("pk"),
        )
        .order_by("topicpage__path")
        .values_list("workinggrouppage_id", "topicpage__title")
    ):
        topics.setdefault(page_id, []).append(title)
    found: dict[int, list[tuple[str, str | None, bool]]] = {}
    for person_id, page_id, city_slug, role in rows:
        text = " ".join([titles[page_id], *topics.get(page_id, ())])
        found.setdefault(person_id, []).append((text, city_slug, role == MemberRole.LEAD))
    return found


def contact_documents(contacts: list[ContactPerson]) -> list[dict]:
    """The index documents of many contact persons, with a fixed number of queries."""
    contact_ids = [contact.pk for contact in contacts]
    links = list(
        ArticlePage.contacts.through.objects.filter(
            contactperson_id__in=contact_ids,
            articlepage_id__in=ArticlePage.objects.live().public().values("pk"),
        ).values_list("contactperson_id", "articlepage_id", "articlepage__path")
    )
    topic_titles = dict(TopicPage.objects.values_list("path", "title"))
    tags_of: dict[int, set[str]] = {}
    article_ids = sorted({article_id for _, article_id, _ in links})
    for start in range(0, len(article_ids), 5000):
        for article_id, name in ArticlePageTag.objects.filter(
            content_object_id__in=article_ids[start : start + 5000]
        ).values_list("content_object_id", "tag__name"):
            tags_of.setdefault(article_id, set()).add(name)
    topics: dict[int, set[str]] = {}
    tag_names: dict[int, set[str]] = {}
    for contact_id, article_id, path in links:
        title = topic_titles.get(path[: -ArticlePage.steplen])
        if title:
            topics.setdefault(contact_id, set()).add(title)
        tag_names.setdefault(contact_id, set()).update(tags_of.get(article_id, ()))
    expertise = _expertise_of(contact_ids)
    groups = _groups_of(contact_ids)
    documents = []
    for contact in contacts:
        known = expertise.get(contact.pk, [])
        memberships = groups.get(contact.pk, [])
        cities = [contact.city.slug] if contact.city else []
        cities += [entry.city.slug for entry in known if entry.city_id]
        cities += [city for _, city, _ in memberships if city]
        fields = {
            "title": contact.name,
            # What the person says they know weighs like the tags of their articles (an
            # expertise entry is as explicit as a tag), and so does a group they lead: the
            # lead is the one to ask.
            "tags": " ".join(
                [
                    *sorted(tag_names.get(contact.pk, ())),
                    *(f"{entry.topic.title} {entry.note}".strip() for entry in known),
                    *(text for text, _, lead in memberships if lead),
                ]
            ),
            "summary": " ".join(
                filter(
                    None,
                    [
                        contact.role,
                        getattr(contact.department, "name", ""),
                        *(text for text, _, lead in memberships if not lead),
                    ],
                )
            ),
            "meta": " ".join(
                sorted(topics.get(contact.pk, ())) + [contact.city.name if contact.city else ""]
            ),
        }
        documents.append(
            {
                "kind": SearchDocument.CONTACT,
                "object_id": contact.pk,
                "fields": fields,
                "attributes": dict(
                    cities=_bars(sorted(set(cities))),
                    stems=" ".join(stems(fields["title"])),
                ),
            }
        )
    return documents


# --- deferred (bulk) indexing ------------------------------------------------------------------


@dataclass
class _Session:
    articles: set[int] = field(default_factory=set)
    contacts: set[int] = field(default_factory=set)
    buffers: dict[str, PostingBuffer] = field(default_factory=dict)


_deferred: ThreadScoped[_Session] = ThreadScoped(_Session)
_session = _deferred.current


def _buffer(kind: str) -> PostingBuffer | None:
    session = _session()
    if session is None:
        return None
    if kind not in session.buffers:
        session.buffers[kind] = PostingBuffer(kind)
    return session.buffers[kind]


def is_deferred() -> bool:
    return _session() is not None


@contextmanager
def deferred() -> Iterator[None]:
    """Within this block articles and contact persons are indexed once, at the end, in bulk
    (a bulk import would otherwise rewrite the posting lists once per article, and re-index a
    busy contact once per article). Use inside the transaction that changes the content;
    kb's bulk sessions open it (registered in SearchConfig.ready())."""
    with _deferred.open() as (session, outermost):
        if not outermost:
            yield
            return
        with transaction.atomic():
            yield
            lock_for_writing()
            while session.articles or session.contacts:
                articles, session.articles = session.articles, set()
                index_articles(articles)
                contacts, session.contacts = session.contacts, set()
                _index_contacts(contacts)
            for buffer in session.buffers.values():
                buffer.flush()
            bump_version()


def index_articles(page_ids: set[int], *, push: bool = True, chunk: int = 500) -> int:
    """Index many articles at once (inside deferred(): buffered); returns how many are live."""
    ids = sorted(page_ids)
    topics = {topic.path: topic for topic in TopicPage.objects.all()}
    live = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        pages = list(
            ArticlePage.objects.filter(pk__in=part, live=True)
            .select_related("department")
            .prefetch_related("cities", "contacts")
        )
        tags: dict[int, list[Tag]] = {page.pk: [] for page in pages}
        for item in (
            ArticlePageTag.objects.filter(content_object_id__in=part)
            .select_related("tag")
            .order_by("pk")
        ):
            tags.setdefault(item.content_object_id, []).append(item.tag)
        documents = [
            article_document(page, topics.get(page.path[: -ArticlePage.steplen]), tags[page.pk])
            for page in pages
        ]
        _save(documents, push=push)
        gone = set(part) - {page.pk for page in pages}
        contacts = {contact.pk for page in pages for contact in page.contacts.all()}
        if gone:
            if push:
                for page_id in gone:
                    _push("article", page_id, None, {})
            _delete("article", sorted(gone))
            # Unpublished articles no longer describe their contact persons.
            contacts |= set(
                ArticlePage.contacts.through.objects.filter(articlepage_id__in=gone).values_list(
                    "contactperson_id", flat=True
                )
            )
        session = _session()
        if session is not None:
            session.contacts |= contacts
        else:
            _index_contacts(contacts, push=push)
        live += len(pages)
    return live


def _index_contacts(contact_ids: set[int], *, push: bool = True) -> int:
    contacts = list(
        ContactPerson.objects.filter(pk__in=contact_ids).select_related("city", "department")
    )
    for start in range(0, len(contacts), 1000):
        _save(contact_documents(contacts[start : start + 1000]), push=push)
    return len(contacts)


def index_contact(contact: ContactPerson, *, bump: bool = True, push: bool = True) -> None:
    session = _session()
    if session is not None:
        session.contacts.add(contact.pk)
        return
    with transaction.atomic():
        _store(contact_document(contact), push=push)
        if bump:
            bump_version()


def remove(kind: str, object_id: int, *, bump: bool = True, push: bool = True) -> None:
    session = _session()
    if session is not None and kind == SearchDocument.ARTICLE:
        session.articles.add(object_id)  # indexed at the end: removed if it is gone or not live
        return
    if push:
        _push(kind, object_id, None, {})
    with transaction.atomic():
        _delete(kind, [object_id])
        if bump:
            bump_version()


def rebuild() -> tuple[int, int]:
    """Rebuild the whole index in one transaction: searches see the old or the new index."""
    with transaction.atomic():
        lock_for_writing()
        TermPostings.objects.all().delete()
        SearchDocument.objects.all().delete()
        with deferred():
            count = index_articles(
                set(ArticlePage.objects.live().values_list("pk", flat=True)), push=False
            )
            _session().contacts.clear()  # all of them follow
            contacts = _index_contacts(
                set(ContactPerson.objects.values_list("pk", flat=True)), push=False
            )
    if get_backend().mirrors:
        rebuild_server()
    return count, contacts


def rebuild_server() -> int:
    """Rebuild the Elasticsearch/OpenSearch index into a new index and swap the alias."""
    pages = ArticlePage.objects.live().select_related("department")
    documents = chain(
        (article_document(page) for page in pages.iterator(chunk_size=500)),
        _all_contact_documents(),
    )
    return get_backend().rebuild(documents)


def _all_contact_documents(chunk: int = 1000) -> Iterator[dict]:
    # In chunks: a fixed number of queries per chunk, not per person.
    contacts = list(ContactPerson.objects.select_related("city", "department").order_by("pk"))
    for start in range(0, len(contacts), chunk):
        yield from contact_documents(contacts[start : start + chunk])
