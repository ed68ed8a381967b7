"""Tag overview and tag pages: every published article with a tag, across all cities."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from taggit.models import Tag

from .listings import paginate, visible_articles


def tag_index(request: HttpRequest) -> HttpResponse:
    article_ids = visible_articles(request).values("pk")
    tags = (
        Tag.objects.annotate(
            article_count=Count(
                "kb_articlepagetag_items",
                filter=Q(kb_articlepagetag_items__content_object__in=article_ids),
                distinct=True,
            )
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )
    return TemplateResponse(request, "kb/tag_index.html", {"tags": tags})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("Schlagwort nicht gefunden")
    articles = visible_articles(request).filter(tags=tag).order_by("-first_published", "-pk")
    return TemplateResponse(
        request,
        "kb/tag_detail.html",
        {"tag": tag, "articles": paginate(request, articles)},
    )
