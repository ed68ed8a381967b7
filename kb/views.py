"""Tag overview and tag pages: every published article with a tag, across all cities."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from taggit.models import Tag

from .listings import ORDER_NEWEST, paginate, visible_article_pages, with_card_data, with_tag
from .models import ArticlePageTag


def tag_index(request: HttpRequest) -> HttpResponse:
    # One grouped count over the (tag, article) pairs of the articles this reader may see,
    # then the names of the tags that have any.
    counts = dict(
        ArticlePageTag.objects.filter(
            content_object__in=visible_article_pages(request).values("pk")
        )
        .values("tag_id")
        .annotate(n=Count("content_object_id", distinct=True))
        .values_list("tag_id", "n")
    )
    tags = list(Tag.objects.filter(pk__in=counts).order_by("name"))
    for tag in tags:
        tag.article_count = counts[tag.pk]
    return TemplateResponse(request, "kb/tag_index.html", {"tags": tags})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("Schlagwort nicht gefunden")
    visible = visible_article_pages(request)
    # The page of articles walks the date index and checks the tag per article; the count
    # starts from the tag's entries instead.
    count = visible.filter(tagged_items__tag=tag).count()
    if not count:
        # A tag used only on drafts or on pages behind a view restriction this reader does not
        # pass: answered like a tag that does not exist, so its name does not leak.
        raise Http404("Schlagwort nicht gefunden")
    articles = with_card_data(with_tag(visible, tag.pk).order_by(*ORDER_NEWEST))
    page = paginate(request, articles, count=count)
    return TemplateResponse(request, "kb/tag_detail.html", {"tag": tag, "articles": page})
