"""Transfer radar: where one city has knowledge and another none, and what staff searched for
in vain, per topic area and tag."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def transfer_radar(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
