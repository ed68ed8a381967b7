"""Index updates as tasks (Wagtail's task mechanism): immediate in development, a worker in
production when a persistent task backend is configured."""

from __future__ import annotations

from django_tasks import task

from . import indexing


@task()
def index_article_task(page_id: int) -> None:
    from kb.models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is None:
        indexing.remove("article", page_id)
    else:
        indexing.index_article(page)


@task()
def index_contact_task(contact_id: int) -> None:
    from kb.models import ContactPerson

    contact = ContactPerson.objects.filter(pk=contact_id).first()
    if contact is None:
        indexing.remove("contact", contact_id)
    else:
        indexing.index_contact(contact)


@task()
def remove_task(kind: str, object_id: int) -> None:
    indexing.remove(kind, object_id)
