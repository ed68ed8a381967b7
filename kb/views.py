"""Tag overview and tag pages: every published article with a tag, across all cities."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from taggit.models import Tag

from .collation import by_name
from .listings import (
    ORDER_NEWEST,
    city_filter,
    in_city,
    legacy_params_redirect,
    paginate,
    visible_article_pages,
    with_card_data,
    with_tag,
)
from .models import ArticlePageTag
from .tags import tag_url


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
    tags = by_name(Tag.objects.filter(pk__in=counts))
    for tag in tags:
        tag.article_count = counts[tag.pk]
    return TemplateResponse(request, "kb/tag_index.html", {"tags": tags})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Before the tag is looked up: the same answer for every slug, so nothing leaks.
    if redirect := legacy_params_redirect(request):
        return redirect
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("Schlagwort nicht gefunden")
    visible = visible_article_pages(request)
    # The page of articles walks the date index and checks the tag per article; the counts
    # start from the tag's entries instead.
    tagged = visible.filter(tagged_items__tag=tag)
    articles, filter_context = city_filter(
        request, with_tag(visible, tag.pk), tag_url(tag.slug), counted=tagged
    )
    if not filter_context["any_articles"]:
        # A tag used only on drafts or on pages behind a view restriction this reader does not
        # pass: answered like a tag that does not exist, so its name does not leak.
        raise Http404("Schlagwort nicht gefunden")
    city = filter_context["selected_city"]
    count = (in_city(tagged, city) if city else tagged).count()
    page = paginate(request, with_card_data(articles.order_by(*ORDER_NEWEST)), count=count)
    return TemplateResponse(
        request, "kb/tag_detail.html", {"tag": tag, "articles": page, **filter_context}
    )
