"""Locust scenario of benchmarks/load_test.py: staff reading and searching the knowledge base.

Each simulated user repeatedly picks one request (weights 70/25/5):

- search API: GET /api/v1/search/ with one of the fixed staff queries of
  benchmarks/search_latency.py (a quarter of them with city/topic/tag filters), varied further
  by an added city filter, sort=newest or page 2 now and then;
- an article page, drawn from the article URLs prepared by load_test.py;
- the home page.

All users share the session of the staff user that load_test.py logged in over HTTP (like one
person with many tabs). Redirects are not followed: a redirect to the login page, any status
other than 200 and any connection error counts as an error.

Environment (set by load_test.py): LOADTEST_COOKIE ("sessionid=…"), LOADTEST_ARTICLES (file of
article paths, one a line), LOADTEST_WAIT (think time in seconds per user between requests,
"0" or "MIN-MAX"; default 0: closed loop, each user sends its next request when the last one
is answered).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_latency import FILTER_KEYS, QUERIES  # noqa: E402

COOKIE = os.environ.get("LOADTEST_COOKIE", "")
ARTICLES = (
    Path(os.environ["LOADTEST_ARTICLES"]).read_text(encoding="utf-8").split()
    if os.environ.get("LOADTEST_ARTICLES")
    else ["/"]
)
CITIES = ("Arnsberg", "Sundern")


def _wait_time():
    value = os.environ.get("LOADTEST_WAIT", "0").strip()
    if "-" in value:
        low, high = (float(part) for part in value.split("-", 1))
        return between(low, high)
    return constant(float(value or 0))


def search_request(rng: random.Random) -> tuple[str, str]:
    """(URL, statistics name) of one varied search API request."""
    query, filters = rng.choice(QUERIES)
    params: dict[str, str] = {"q": query} if query else {}
    params.update(filters)
    roll = rng.random()
    if not filters and roll < 0.15:
        params["city"] = rng.choice(CITIES)
    elif roll > 0.92:
        params["sort"] = "newest"
    if rng.random() < 0.1:
        params["page"] = "2"
    filtered = bool(set(params) & set(FILTER_KEYS))
    name = "search API (filtered)" if filtered else "search API"
    return f"/api/v1/search/?{urlencode(params)}", name


class Staff(FastHttpUser):
    wait_time = _wait_time()

    def on_start(self) -> None:
        self.rng = random.Random()
        self.headers = {"Cookie": COOKIE, "Accept-Language": "de"}

    def _get(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                location = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"HTTP {response.status_code} {location}".strip())

    @task(70)
    def search(self) -> None:
        self._get(*search_request(self.rng))

    @task(25)
    def article(self) -> None:
        self._get(self.rng.choice(ARTICLES), "article page")

    @task(5)
    def home(self) -> None:
        self._get("/", "home")
