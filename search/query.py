"""Builds search queries. The one place that turns what staff type into a backend query."""

from __future__ import annotations

import re

from django.http import HttpRequest

from kb.listings import visible_articles

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
_TOKEN = re.compile(r"\w[\w-]*", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """Words of a query, without characters a backend would read as syntax."""
    return _TOKEN.findall(query.replace("\x00", " "))[:MAX_TERMS]


def search_articles(request: HttpRequest, query: str):
    terms = query_terms(query)
    if not terms:
        return visible_articles(request).none()
    return visible_articles(request).search(" ".join(terms), operator="and")
