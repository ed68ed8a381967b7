#!/usr/bin/env python3
"""Import throughput and search API latency at several knowledge-base sizes.

    python benchmarks/search_latency.py --sizes 1000 10000 [--database-url URL] [--seed 1]

For every size: a fresh database (SQLite: a file in a temporary directory; PostgreSQL: a new
database next to the one in --database-url, dropped afterwards), `manage.py migrate`,
N generated articles (benchmarks/generate_articles.py) imported with `manage.py kb_import`
(timed: articles/s), then GET /api/v1/search/ through Django's test client as a logged-in
superuser over a fixed list of staff queries: one warm-up pass, then every query --rounds
times. Each step runs in its own subprocess with its own DATABASE_URL, so the settings pick
up the database exactly as in production. The whole run is pinned to one CPU core (target:
p95 <= 50 ms at 10 000 articles on one core).

Prints a Markdown table and writes it, with date and machine details, to
benchmarks/RESULTS-search.md (--results to change, --no-results to skip).

Profiling an existing benchmark database (keep it with --keep):

    python benchmarks/search_latency.py --profile "Starkregenvorsoge" \\
        --database-url sqlite:////tmp/wissensnetz-bench-10000-…/db.sqlite3 [--filter city=Sundern]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import common

DEFAULT_RESULTS = common.BENCH_DIR / "RESULTS-search.md"
TARGET_P95_MS = 50.0

KLIMA = "Klimaneutralität & Energieversorgung"
# What staff type: single words, compounds, inflections, typos, umlaut spellings, abbreviations,
# two-three word queries and questions; the last group with facet filters (and one browse).
QUERIES: list[tuple[str, dict[str, str | list[str]]]] = [
    ("Starkregen", {}),
    ("Förderantrag", {}),
    ("Bebauungsplan", {}),
    ("Kita", {}),
    ("Wärmepumpe", {}),
    ("Sirenen", {}),
    ("Wohnsitzauflage", {}),
    ("LoRaWAN", {}),
    ("Starkregenvorsorge", {}),
    ("Kitaplatzvergabe", {}),
    ("Parkplatzsensoren", {}),
    ("Trinkwassernotbrunnen", {}),
    ("Photovoltaikanlage", {}),
    ("Förderanträge", {}),
    ("Bebauungspläne", {}),
    ("Kindertagesstätten", {}),
    ("Notfalltreffpunkten", {}),
    ("Starkregenvorsoge", {}),
    ("Bebaungsplan", {}),
    ("Leerstandsmanagment", {}),
    ("Wärmpumpe", {}),
    ("Buergerbuero Termin", {}),
    ("Waermeplanung", {}),
    ("Hitze Senioren", {}),
    ("Ganztag Grundschule Rechtsanspruch", {}),
    ("Sirenen Warntag Probealarm", {}),
    ("Glasfaserausbau Ortsteile", {}),
    ("B-Plan Stellungnahme online", {}),
    ('"kühle Orte"', {}),
    ("Wie stelle ich einen Förderantrag für Dachbegrünung?", {}),
    ("Wer ist zuständig für die Wohnsitzauflage?", {}),
    ("Was tun bei Stromausfall im Rathaus?", {}),
    ("Wie beteiligen wir Jugendliche an einer Planung?", {}),
    ("Hitze", {"city": "Sundern"}),
    ("Photovoltaik auf dem Schuldach", {"topic": KLIMA}),
    ("Versicherungsschutz", {"tag": "Ehrenamt"}),
    ("Förderprogramm", {"city": "Arnsberg", "topic": "Stadtplanung"}),
    ("Kita", {"city": "Arnsberg"}),
    ("Beteiligung", {"tag": "Bürgerbeteiligung"}),
    ("Sensoren", {"topic": "Smart City"}),
    ("Notfall", {"city": "Sundern", "topic": "Krisenmanagement"}),
    ("Integrationskurs", {"tag": "Sprachförderung", "sort": "newest"}),
    ("", {"topic": "Smart City"}),
]
FILTER_KEYS = ("city", "topic", "tag", "department")


# --- helpers ------------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.startswith(("postgres", "pgsql"))


class Database:
    """A fresh database for one size: a temporary SQLite file or a new PostgreSQL database."""

    def __init__(self, base_url: str | None, size: int, workdir: Path):
        self.base_url = base_url
        if base_url and is_postgres(base_url):
            base_name = urlsplit(base_url).path.lstrip("/") or "wissensnetz"
            self.pg_name = f"{base_name}_bench_{size}_{os.getpid()}"
            common.create_database(base_url, self.pg_name)
            self.url = common.with_database(base_url, self.pg_name)
            self.path = None
        elif base_url and not base_url.startswith("sqlite"):
            raise SystemExit(f"unsupported --database-url {base_url!r} (sqlite or postgres)")
        else:
            self.pg_name = None
            self.path = workdir / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def drop(self) -> None:
        if self.pg_name:
            common.pg_admin(self.base_url, f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def size_env(database_url: str, workdir: Path) -> dict[str, str]:
    # An empty STATIC_ROOT that exists: WhiteNoise scans it at start-up and warns if missing.
    static_root = workdir / "static"
    static_root.mkdir(parents=True, exist_ok=True)
    return common.child_env(database_url, workdir / "media", static_root, allowed_hosts="localhost")


def _measure(env: dict[str, str], rounds: int) -> dict:
    """The worker of this script (below) in a child process with ENV."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--rounds", str(rounds)]
    return common.run_worker(command, env, "search worker")


# --- one size (parent side) ---------------------------------------------------------------------


def bench_size(size: int, args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"wissensnetz-bench-{size}-"))
    database = Database(args.database_url, size, workdir)
    env = size_env(database.url, workdir)
    articles = workdir / "articles.jsonl"
    try:
        common.log(f"[{size}] generating articles → {articles}")
        generate_s = common.generate_articles(size, articles, args.seed, env)["seconds"]
        common.log(f"[{size}] migrate ({database.url})")
        common.manage(["migrate", "--no-input"], env, "migrate")
        common.log(f"[{size}] kb_import …")
        imported = common.manage(["kb_import", str(articles)], env, "kb_import")
        import_s, output = imported["seconds"], imported["stdout"]
        summary = output.strip().splitlines()[0] if output.strip() else ""
        common.log(f"[{size}] {summary} in {import_s:.1f} s")
        common.log(f"[{size}] measuring search latency")
        measured = _measure(env, args.rounds)
        if database.path:
            measured["db_bytes"] = common.sqlite_bytes(database.path)
    finally:
        if args.keep:
            common.log(f"[{size}] kept: {workdir} (DATABASE_URL={database.url})")
        else:
            database.drop()
            shutil.rmtree(workdir, ignore_errors=True)
    measured.update(
        size=size,
        generate_s=generate_s,
        import_s=import_s,
        import_rate=size / import_s,
        database_url=database.url if args.keep else None,
    )
    return measured


def reuse_size(size: int, url: str, import_s: float | None, args: argparse.Namespace) -> dict:
    """Measure a database kept by an earlier --keep run: migrate it to the current schema and
    rebuild the search index with the current code, then measure (no re-import)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"wissensnetz-bench-reuse-{size}-"))
    env = size_env(url, workdir)
    try:
        common.log(f"[{size}] reusing {url}: migrate")
        common.manage(["migrate", "--no-input"], env, "migrate")
        common.log(f"[{size}] rebuild_search_index …")
        rebuild_s = common.manage(["rebuild_search_index"], env, "rebuild")["seconds"]
        common.log(f"[{size}] index rebuilt in {rebuild_s:.1f} s; measuring search latency")
        measured = _measure(env, args.rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not is_postgres(url):
        measured["db_bytes"] = common.sqlite_bytes(Path(urlsplit(url).path))
    measured.update(
        size=size,
        import_s=import_s,
        import_rate=size / import_s if import_s else None,
        rebuild_s=rebuild_s,
        reused=url,
    )
    return measured


def summarise(result: dict) -> dict[str, float]:
    all_ms = [ms for query in result["queries"] for ms in query["ms"]]
    filtered_ms = [ms for query in result["queries"] if query["filtered"] for ms in query["ms"]]
    return {
        "p50": common.percentile(all_ms, 0.50),
        "p95": common.percentile(all_ms, 0.95),
        "p99": common.percentile(all_ms, 0.99),
        "filtered_p95": common.percentile(filtered_ms, 0.95),
        "mean": sum(all_ms) / len(all_ms),
        "max": max(all_ms),
        "cpu_p50": common.percentile([ms for q in result["queries"] for ms in q["cpu_ms"]], 0.50),
        "cpu_p95": common.percentile([ms for q in result["queries"] for ms in q["cpu_ms"]], 0.95),
    }


def _rate(result: dict) -> str:
    return f"{result['import_rate']:.1f}" if result.get("import_rate") else "–"


def _import_text(result: dict) -> str:
    text = (
        f"import {result['import_s']:.1f} s ({result['import_rate']:.1f} articles/s)"
        if result.get("import_s")
        else "not imported in this run"
    )
    if result.get("reused"):
        text += (
            f" (reused database, carried-over import time; search index rebuilt with the current "
            f"code in {result['rebuild_s']:.1f} s)"
        )
    return text


def table(results: list[dict]) -> str:
    lines = [
        "| articles | import articles/s | search p50 ms | p95 | p99 | filtered p95 | DB size MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        stats = summarise(result)
        lines.append(
            f"| {common.fmt(result['size'])} | {_rate(result)} | {stats['p50']:.1f} "
            f"| {stats['p95']:.1f} | {stats['p99']:.1f} | {stats['filtered_p95']:.1f} "
            f"| {result['db_bytes'] / 1024 / 1024:.1f} |"
        )
    return "\n".join(lines)


def details(result: dict, top: int = 8) -> str:
    stats = summarise(result)
    queries = sorted(result["queries"], key=lambda q: -common.percentile(q["ms"], 0.5))
    lines = [
        f"**{common.fmt(result['size'])} articles** — {_import_text(result)}, "
        f"{common.fmt(result['documents'])} index documents, "
        f"{common.fmt(result['postings'])} postings. Search over "
        f"{sum(len(q['ms']) for q in result['queries'])} requests: mean {stats['mean']:.1f} ms, "
        f"max {stats['max']:.1f} ms; CPU time of the request p50 {stats['cpu_p50']:.1f} ms, "
        f"p95 {stats['cpu_p95']:.1f} ms (wall minus CPU = waiting for the CPU or disk); "
        f"load average before/after {result.get('load_before', '?')} / "
        f"{result.get('load_after', '?')}.",
        "",
        "| slowest queries (median) | filters | hits | median ms | max ms | CPU median ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for query in queries[:top]:
        filters = ", ".join(f"{k}={v}" for k, v in query["params"].items() if k != "q") or "–"
        lines.append(
            f"| {query['params'].get('q', '') or '(leer)'} | {filters} | {query['count']} "
            f"| {common.percentile(query['ms'], 0.5):.1f} | {max(query['ms']):.1f} "
            f"| {common.percentile(query['cpu_ms'], 0.5):.1f} |"
        )
    return "\n".join(lines)


def write_results(path: Path, results: list[dict], args: argparse.Namespace, pinned: str) -> None:
    info = common.machine_info()
    database = "PostgreSQL" if args.database_url and is_postgres(args.database_url) else "SQLite"
    if database == "SQLite":
        import sqlite3

        database += f" {sqlite3.sqlite_version}"
    verdict = []
    for result in results:
        p95 = summarise(result)["p95"]
        mark = "met" if p95 <= TARGET_P95_MS else "NOT met"
        verdict.append(f"{common.fmt(result['size'])}: p95 {p95:.1f} ms → target {mark}")
    text = "\n".join(
        [
            "# Search benchmark results",
            "",
            f"Run {common.timestamp()} with "
            f"`python benchmarks/search_latency.py --sizes {' '.join(map(str, args.sizes))}"
            f"{' --database-url …' if args.database_url else ''}"
            f"{' --reuse … --import-seconds …' if args.reuse else ''}` (seed {args.seed}, "
            f"{args.rounds} rounds × {len(QUERIES)} queries after one warm-up pass).",
            "",
            f"- Machine: {info['cpu']}, {info['cores']} cores ({pinned}), {info['memory']} RAM, "
            f"load average at the end {info.get('load', '?')}",
            f"- Software: Python {info['python']}, {results[0].get('versions', '')}, {database}, "
            f"settings `{common.SETTINGS}`",
            "- Import: `manage.py kb_import` of generated articles in one subprocess (wall time, "
            "incl. ~1–2 s start-up, validation, publishing and indexing).",
            "- Search: GET /api/v1/search/ via `django.test.Client`, force-logged-in superuser, "
            "page_size 20, latency per request incl. query logging.",
            f"- Target p95 ≤ {TARGET_P95_MS:.0f} ms at 10 000 articles: " + "; ".join(verdict),
            "",
            table(results),
            "",
            *[details(result) + "\n" for result in results],
        ]
    )
    path.write_text(text, encoding="utf-8")


# --- the measuring child process ----------------------------------------------------------------


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user_model = get_user_model()
    user = user_model.objects.filter(username="benchmark").first()
    if user is None:
        user = user_model.objects.create_superuser("benchmark", "benchmark@arnsberg.example", None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _params(query: str, filters: dict) -> dict:
    params = {"q": query} if query else {}
    params.update(filters)
    return params


def worker(rounds: int) -> None:
    """Measure in this process; print one JSON line with per-query latencies."""
    common.setup_django()
    import django
    import wagtail
    from django.db import connection
    from django.test.utils import override_settings

    # Without collectstatic the manifest storage cannot render the 500 page, which would hide
    # the real exception of a failing request; the API itself uses no static files.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    from search.models import SearchDocument, TermPostings

    client = _client()
    url = "/api/v1/search/"
    entries = [
        {"params": _params(query, filters), "filtered": bool(set(filters) & set(FILTER_KEYS))}
        for query, filters in QUERIES
    ]
    for entry in entries:  # warm-up: caches, vocabulary, compiled regexes, connections
        response = client.get(url, entry["params"])
        if response.status_code != 200:
            raise SystemExit(
                f"{entry['params']}: HTTP {response.status_code} {response.content[:300]!r}"
            )
        entry["count"] = response.json()["count"]
        entry["ms"] = []
        entry["cpu_ms"] = []
    clock, cpu_clock = time.perf_counter, time.process_time
    load_before = common.loadavg()
    for _ in range(rounds):
        for entry in entries:
            started, cpu_started = clock(), cpu_clock()
            response = client.get(url, entry["params"])
            entry["ms"].append((clock() - started) * 1000)
            entry["cpu_ms"].append((cpu_clock() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{entry['params']}: HTTP {response.status_code}")
    db_bytes = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            db_bytes = cursor.fetchone()[0]
    result = {
        "queries": entries,
        "documents": SearchDocument.objects.count(),
        "postings": TermPostings.objects.count(),
        "db_bytes": db_bytes,
        "versions": f"Django {django.get_version()}, Wagtail {wagtail.__version__}",
        "load_before": load_before,
        "load_after": common.loadavg(),
    }
    print(json.dumps(result, ensure_ascii=False))


def profile(query: str, filters: dict, repeat: int) -> None:
    """Profile one query against an existing database (DATABASE_URL) with cProfile and, if
    installed, pyinstrument. Between two profiled requests an unprofiled different query runs,
    as in the benchmark, so per-query caches do not flatter the repeated query."""
    common.setup_django()
    import cProfile
    import pstats

    client = _client()
    url = "/api/v1/search/"
    params = _params(query, filters)
    other = {"q": "Kita"} if params.get("q") != "Kita" else {"q": "Starkregen"}
    client.get(url, params)  # warm-up
    client.get(url, other)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        client.get(url, other)
    print(f"{params}: median {common.percentile(timings, 0.5):.1f} ms, max {max(timings):.1f} ms")

    profiler = cProfile.Profile()
    for _ in range(repeat):
        profiler.enable()
        client.get(url, params)
        profiler.disable()
        client.get(url, other)
    print(f"\n== cProfile, {repeat} requests (cumulative, per run divide by {repeat}) ==")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"(search|kb)/", 30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    try:
        from pyinstrument import Profiler
        from pyinstrument.session import Session
    except ImportError:
        return
    sessions = None
    for _ in range(repeat):
        profiler = Profiler(interval=0.0005)
        profiler.start()
        client.get(url, params)
        profiler.stop()
        client.get(url, other)
        session = profiler.last_session
        sessions = session if sessions is None else Session.combine(sessions, session)
    from pyinstrument.renderers import ConsoleRenderer

    print(f"== pyinstrument, {repeat} requests combined ==")
    print(ConsoleRenderer(unicode=True, color=False, show_all=False).render(sessions))


# --- command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server to create throw-away databases on (postgres://user@host/name); "
        "default: a temporary SQLite file per size",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per query (default 5)")
    common.add_results_arguments(parser, DEFAULT_RESULTS)
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU core")
    parser.add_argument("--keep", action="store_true", help="keep databases and generated files")
    parser.add_argument(
        "--profile", metavar="QUERY", help="profile one query (needs --database-url)"
    )
    parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--reuse",
        nargs="+",
        metavar="DATABASE_URL",
        help="measure databases kept by an earlier --keep run instead of importing (one per "
        "--sizes entry; each is migrated and its search index rebuilt first)",
    )
    parser.add_argument(
        "--import-seconds",
        type=float,
        nargs="+",
        metavar="S",
        help="with --reuse: the import times of the earlier run, to fill the articles/s column",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    pinned = "not pinned" if args.no_pin else common.pin_to_one_core()
    if args.worker:
        worker(args.rounds)
        return 0
    if args.profile is not None:
        if not args.database_url:
            parser.error("--profile needs --database-url of an existing benchmark database")
        scratch = Path(tempfile.mkdtemp(prefix="wissensnetz-bench-profile-"))
        os.environ.update(size_env(args.database_url, scratch))
        filters = dict(item.split("=", 1) for item in args.filter)
        try:
            profile(args.profile, filters, max(args.rounds, 20))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return 0

    common.log(f"{pinned}; sizes {args.sizes}")
    results: list[dict] = []
    failed: list[str] = []
    if args.reuse and len(args.reuse) != len(args.sizes):
        parser.error("--reuse needs one DATABASE_URL per --sizes entry")
    import_seconds = args.import_seconds or [None] * len(args.sizes)
    if len(import_seconds) != len(args.sizes):
        parser.error("--import-seconds needs one value per --sizes entry")
    for index, size in enumerate(args.sizes):
        try:
            if args.reuse:
                results.append(reuse_size(size, args.reuse[index], import_seconds[index], args))
            else:
                results.append(bench_size(size, args))
        except SystemExit as error:  # a failed step: report it, keep the sizes measured so far
            failed.append(f"{size}: {error}")
            common.log(f"[{size}] FAILED: {error}")
            continue
        common.log(table(results[-1:]))
        if not args.no_results:  # after every size, so a later failure loses nothing
            write_results(args.results, results, args, pinned)
    if results:
        print(table(results))
        for result in results:
            print()
            print(details(result))
        if not args.no_results:
            common.log(f"written {args.results}")
    return common.report_failures(failed)


if __name__ == "__main__":
    sys.exit(main())
