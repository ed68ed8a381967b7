"""Context of the cooperation area's pages (the page models stay small)."""

from __future__ import annotations

from django.http import HttpRequest


def cooperation_index_context(page, request: HttpRequest) -> dict:
    return {}


def meeting_context(page, request: HttpRequest) -> dict:
    return {}


def working_group_context(page, request: HttpRequest) -> dict:
    return {}
