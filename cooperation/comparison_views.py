"""Side by side: the comparison page and the page to pick the second article (thin views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .comparison import comparison_context, pick_context


def compare(request: HttpRequest, a: int, b: int) -> HttpResponse:
    """ "So machen es … und …": two articles the reader may read, side by side."""
    if a == b:
        # Nothing to compare an article with but another one: offer those.
        return redirect("cooperation:compare_pick", a=a)
    return TemplateResponse(
        request, "cooperation/comparison.html", comparison_context(request, a, b)
    )


def compare_pick(request: HttpRequest, a: int) -> HttpResponse:
    """Choose the article to compare with: the counterpart, then other cities' articles."""
    return TemplateResponse(request, "cooperation/comparison_pick.html", pick_context(request, a))
