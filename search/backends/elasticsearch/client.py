"""HTTP+JSON to Elasticsearch 8/9 or OpenSearch 2/3: index maintenance and search.

`requests` talks to the server directly: the official elasticsearch-py client refuses to talk to
OpenSearch. Errors arrive as SearchUnavailable with a German message that never repeats
credentials.

One alias (prefix + "articles") names the index. Rebuilds go to a fresh concrete index that
replaces the old one behind the alias in one atomic alias update, so searches never see a
half-built index.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from ...query import ParsedQuery
from ..base import SearchUnavailable
from .analysis import decompound_words, editor_synonym_groups, index_settings
from .documents import document_body, document_id
from .queries import ElasticsearchResult, build_query, held_query, read_response

DEFAULT_PREFIX = "wissensnetz_"
ALIAS_NAME = "articles"
BULK_BATCH = 500
BULK_TIMEOUT = 120.0  # seconds for one bulk request during a rebuild


def _setting(name: str, default: str = "") -> str:
    value: Any = None
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, name, None)
    except ImportError:  # pragma: no cover - Django is always installed here
        value = None
    if value in (None, ""):
        value = os.environ.get(name, default)
    return str(value) if value is not None else default


def _batches(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _error_reason(response: requests.Response) -> tuple[str, str]:
    """(type, reason) of an error answer, as far as the server says."""
    try:
        payload = response.json()
    except ValueError:
        return "", response.text[:200]
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        cause = (error.get("root_cause") or [error])[0]
        return str(cause.get("type", "")), str(cause.get("reason", ""))[:300]
    if isinstance(error, str):
        return "", error[:300]
    return "", ""


def _bulk_error(result: dict) -> str:
    for item in result.get("items", []):
        for outcome in item.values():
            error = outcome.get("error")
            if error:
                reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                return (
                    f"Der Suchserver hat Dokument {outcome.get('_id', '?')} nicht indexiert "
                    f"({reason[:300]})."
                )
    return "Der Suchserver hat nicht alle Dokumente indexiert."


class ElasticsearchEngine:
    """Index maintenance and search against one alias (prefix + "articles")."""

    def __init__(
        self,
        url: str | None = None,
        prefix: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        ca_certs: str | None = None,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.url = (url or _setting("ELASTICSEARCH_URL")).rstrip("/")
        if not self.url:
            raise SearchUnavailable(
                "Es ist kein Suchserver eingerichtet (ELASTICSEARCH_URL ist leer)."
            )
        if prefix is None:
            prefix = _setting("ELASTICSEARCH_INDEX_PREFIX", DEFAULT_PREFIX)
        self.prefix = prefix.lower()
        self.alias = self.prefix + ALIAS_NAME
        self.timeout = timeout
        self.session = session or requests.Session()
        user = user if user is not None else _setting("ELASTICSEARCH_USER")
        if user:
            if password is None:
                password = _setting("ELASTICSEARCH_PASSWORD")
            self.session.auth = (user, password or "")
        ca_certs = ca_certs if ca_certs is not None else _setting("ELASTICSEARCH_CA_CERTS")
        if ca_certs:
            self.session.verify = ca_certs
        parts = urlsplit(self.url)
        # For messages: never repeat credentials that may be part of the URL.
        self.server = f"{parts.hostname or self.url}{f':{parts.port}' if parts.port else ''}"

    # -- HTTP

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        ndjson: str | None = None,
        params: dict[str, str] | None = None,
        allow: tuple[int, ...] = (),
        timeout: float | None = None,
    ) -> requests.Response:
        headers = {"Accept": "application/json"}
        data = None
        if ndjson is not None:
            data = ndjson.encode("utf-8")
            headers["Content-Type"] = "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            response = self.session.request(
                method,
                f"{self.url}/{path.lstrip('/')}",
                data=data,
                headers=headers,
                params=params,
                timeout=timeout or self.timeout,
            )
        except requests.RequestException as error:
            raise SearchUnavailable(
                f"Der Suchserver {self.server} ist nicht erreichbar ({type(error).__name__})."
            ) from error
        if response.status_code >= 400 and response.status_code not in allow:
            kind, reason = _error_reason(response)
            detail = f"{kind}: {reason}" if kind and reason else kind or reason
            message = f"Der Suchserver {self.server} hat die Anfrage abgelehnt "
            message += f"(HTTP {response.status_code}{', ' + detail if detail else ''})."
            raise SearchUnavailable(message, status=response.status_code, reason=kind)
        return response

    def _request(self, method: str, path: str, **kwargs: Any) -> dict:
        response = self._send(method, path, **kwargs)
        if not response.content:
            return {}
        try:
            payload = response.json()
        except ValueError as error:
            raise SearchUnavailable(
                f"Der Suchserver {self.server} hat keine gültige JSON-Antwort geschickt."
            ) from error
        return payload if isinstance(payload, dict) else {"items": payload}

    # -- status

    def ping(self) -> bool:
        """True if the server answers."""
        try:
            self._send("GET", "/")
        except SearchUnavailable:
            return False
        return True

    def alias_indices(self) -> list[str]:
        """The concrete indices behind the alias (normally exactly one)."""
        response = self._send("GET", f"_alias/{self.alias}", allow=(404,))
        if response.status_code == 404:
            return []
        return sorted(response.json())

    def _exists(self, name: str) -> bool:
        return self._send("HEAD", name, allow=(404,)).status_code == 200

    def _new_index_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        name = f"{self.alias}_{stamp}"
        while self._exists(name):  # two rebuilds within a microsecond
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            name = f"{self.alias}_{stamp}"
        return name

    def _settings(
        self, synonym_groups: list[list[str]] | None, words_list: list[str] | None
    ) -> dict:
        return index_settings(
            editor_synonym_groups() if synonym_groups is None else synonym_groups,
            decompound_words() if words_list is None else words_list,
        )

    # -- maintenance

    def ensure_index(
        self,
        synonym_groups: list[list[str]] | None = None,
        words_list: list[str] | None = None,
    ) -> bool:
        """Create an empty index behind the alias unless there is one; True if created."""
        if self.alias_indices():
            return False
        if self._exists(self.alias):
            raise SearchUnavailable(
                f"„{self.alias}“ ist ein Index statt eines Alias; bitte den Suchindex neu "
                "aufbauen (manage.py rebuild_search_index)."
            )
        body = self._settings(synonym_groups, words_list)
        body["aliases"] = {self.alias: {}}
        try:
            self._request("PUT", self._new_index_name(), body=body)
        except SearchUnavailable as error:
            # Another process was quicker: fine, as long as the alias now exists.
            if self.alias_indices():
                return False
            raise error
        return True

    def index(
        self,
        kind: str,
        object_id: int,
        fields: dict[str, str],
        attributes: dict,
        *,
        refresh: str = "wait_for",
    ) -> None:
        """Add or replace one document; creates the index if there is none yet."""
        body = document_body(kind, object_id, fields, attributes)
        path = f"{self.alias}/_doc/{document_id(kind, object_id)}"
        # require_alias: never let the server auto-create a concrete index under the alias name.
        params = {"require_alias": "true", "refresh": refresh}
        try:
            self._request("PUT", path, body=body, params=params)
        except SearchUnavailable as error:
            if error.status != 404:
                raise
            self.ensure_index()
            self._request("PUT", path, body=body, params=params)

    def delete(self, kind: str, object_id: int, *, refresh: str = "wait_for") -> bool:
        """Remove one document; False if it was not there (or there is no index)."""
        response = self._send(
            "DELETE",
            f"{self.alias}/_doc/{document_id(kind, object_id)}",
            params={"refresh": refresh},
            allow=(404,),
        )
        return response.status_code != 404

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        synonym_groups: list[list[str]] | None = None,
        words_list: list[str] | None = None,
        batch_size: int = BULK_BATCH,
    ) -> int:
        """Index `documents` ({kind, object_id, fields, attributes}) into a new index, then swap
        the alias to it atomically and delete the old index. Returns the number indexed."""
        new = self._new_index_name()
        self._request("PUT", new, body=self._settings(synonym_groups, words_list))
        count = 0
        old: list[str] = []
        try:
            for batch in _batches(documents, batch_size):
                lines: list[str] = []
                for item in batch:
                    kind, object_id = item["kind"], item["object_id"]
                    action = {"index": {"_id": document_id(kind, object_id)}}
                    source = document_body(
                        kind, object_id, item.get("fields") or {}, item.get("attributes") or {}
                    )
                    lines.append(json.dumps(action))
                    lines.append(json.dumps(source, ensure_ascii=False))
                result = self._request(
                    "POST",
                    f"{new}/_bulk",
                    ndjson="\n".join(lines) + "\n",
                    timeout=max(self.timeout, BULK_TIMEOUT),
                )
                if result.get("errors"):
                    raise SearchUnavailable(_bulk_error(result))
                count += len(batch)
            self._request("POST", f"{new}/_refresh")
            old = self.alias_indices()
            actions: list[dict] = [
                {"remove": {"index": index, "alias": self.alias}} for index in old
            ]
            if not old and self._exists(self.alias):
                # A concrete index under the alias name (auto-created by an old write) goes too.
                actions.append({"remove_index": {"index": self.alias}})
            actions.append({"add": {"index": new, "alias": self.alias}})
            self._request("POST", "_aliases", body={"actions": actions})
        except BaseException:
            with contextlib.suppress(SearchUnavailable):
                self._send("DELETE", new, allow=(404,))
            raise
        for index in old:
            if index != new:
                self._send("DELETE", index, allow=(404,))
        return count

    # -- search

    def run(
        self,
        query: ParsedQuery,
        *,
        kind: str = "article",
        filters: dict[str, set[str]] | None = None,
        restricted: list[str] | None = None,
        exclude_ids: set[int] | None = None,
        sort: str = "relevance",
        boost_tag: str | None = None,
        with_facets: bool = True,
        size: int = 1000,
        offset: int = 0,
        related_limit: int = 0,
    ) -> ElasticsearchResult:
        """Matching documents, filtered, sorted, with facet counts (each facet ignores itself)."""
        restricted = restricted or []
        unheld = sum(
            not self._holds(clause, kind, restricted, exclude_ids or set())
            for clause in query.forgivable
        )
        body = build_query(
            query,
            kind=kind,
            filters=filters or {},
            restricted=restricted or [],
            exclude_ids=exclude_ids or set(),
            sort=sort,
            boost_tag=boost_tag,
            size=size,
            offset=offset,
            with_facets=with_facets,
            unheld=unheld,
        )
        try:
            response = self._request("POST", f"{self.alias}/_search", body=body)
        except SearchUnavailable as error:
            if error.status == 404:
                raise SearchUnavailable(
                    f"Der Suchindex „{self.alias}“ existiert noch nicht; bitte "
                    "„manage.py rebuild_search_index“ ausführen.",
                    status=404,
                    reason=error.reason,
                ) from error
            raise
        return read_response(response, with_facets=with_facets)

    def _holds(self, clause, kind: str, restricted: list[str], exclude_ids: set[int]) -> bool:
        """Whether a document the reader may see holds the clause (see ParsedQuery.forgivable)."""
        body = held_query(clause, kind=kind, restricted=restricted, exclude_ids=exclude_ids)
        try:
            found = self._request("POST", f"{self.alias}/_count", body=body)
        except SearchUnavailable as error:
            if error.status == 404:
                return True  # the search below reports the missing index
            raise
        return bool(found.get("count"))


_engine: ElasticsearchEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> ElasticsearchEngine:
    """The process-wide engine, configured from the settings."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = ElasticsearchEngine()
    return _engine


def run(query: ParsedQuery, **kwargs: Any) -> ElasticsearchResult:
    """get_engine().run(): search on the configured server."""
    return get_engine().run(query, **kwargs)
