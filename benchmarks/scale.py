#!/usr/bin/env python3
"""Scale benchmark: import, search, page rendering and database size at 1 000 … 100 000 articles.

    python benchmarks/scale.py --sizes 1000,10000,100000 --databases sqlite,postgresql
    python benchmarks/scale.py --sizes 1000 --keep     # keep the databases for re-measuring
    python benchmarks/scale.py --sizes 1000 --reuse    # re-measure them without importing

For every database (SQLite; PostgreSQL 15 in a throw-away cluster on 127.0.0.1) and every size:
a fresh database, `manage.py migrate`, N generated articles (benchmarks/generate_articles.py,
cached per size and seed in the work directory) imported with `manage.py kb_import` in a child
process (wall time → articles/s; peak RSS of that child), then, in a child process pinned to one
CPU core, through Django's test client as a logged-in staff user (group Mitarbeitende):
GET /api/v1/search/ over the fixed staff queries of benchmarks/search_latency.py (one warm-up
pass, then --rounds timed passes), article pages sampled with a fixed seed, and the home page.
Finally the database size (SQLite files; PostgreSQL pg_database_size).

Prints Markdown tables and writes them, with machine, date, versions and the targets, to the
"scale" section of benchmarks/RESULTS.md (the load test writes its own section).

--keep keeps the databases (and the PostgreSQL cluster) in the work directory and records the
import figures there; --reuse measures those databases again without importing: each is migrated
to the current schema and its search index rebuilt with the current code first (--no-rebuild to
skip), and the import figures of the run that built it are carried into the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
from search_latency import FILTER_KEYS, QUERIES

sys.path.insert(0, str(common.PROJECT_DIR / "scripts"))
import with_postgres  # noqa: E402 - scripts/with_postgres.py

RESULTS = common.BENCH_DIR / "RESULTS.md"
DATABASES = ("sqlite", "postgresql")
STAFF_USERNAME = "benchmark-staff"

# (database, size, metric, comparison, limit, label) — the targets of issue 5.
TARGETS = [
    ("postgresql", 100_000, "search_p95", "<=", 150.0, "search API p95 ≤ 150 ms"),
    ("postgresql", 100_000, "article_p95", "<=", 50.0, "article page p95 ≤ 50 ms"),
    ("postgresql", 100_000, "import_rate", ">=", 200.0, "import ≥ 200 articles/s"),
    ("sqlite", 10_000, "search_p95", "<=", 50.0, "search API p95 ≤ 50 ms"),
]


# --- PostgreSQL cluster -------------------------------------------------------------------------


class PgCluster:
    """A PostgreSQL cluster in ROOT/data, listening only on 127.0.0.1 (and a socket in ROOT).

    Same set-up as scripts/with_postgres.py (whose helpers it uses): initdb as an unprivileged
    user when run as root, trust authentication, a free port. Unlike that script the directory
    may outlive the run (--keep), so the cluster can be started again later (--reuse). The
    server runs with PostgreSQL's default durability settings (fsync on), as in production.
    """

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.port: int | None = None
        self.bindir = with_postgres.find_bindir()
        if self.bindir is None:
            raise SystemExit(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with "
                "`apt-get install postgresql-15` (or set PG_BINDIR), or measure SQLite only "
                "with --databases sqlite"
            )
        self.env = with_postgres.server_env()

    def _run(self, command: list[str]) -> None:
        completed = subprocess.run(
            with_postgres.as_postgres_user(command),
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the cluster in order
        )
        if completed.returncode != 0:
            log_file = self.root / "server.log"
            tail = log_file.read_text(errors="replace")[-3000:] if log_file.exists() else ""
            raise SystemExit(
                f"{Path(command[0]).name} failed (exit {completed.returncode}):\n"
                f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}{tail}"
            )

    @property
    def version(self) -> str:
        return self.bindir.parent.name

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with_postgres.own_directory(self.root)
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(with_postgres.initdb_command(self.bindir, self.data))
        self.port = with_postgres.free_port()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root}"
        log_file = self.root / "server.log"
        self._run(with_postgres.start_command(self.bindir, self.data, options, log_file, 60))
        common.log(f"PostgreSQL {self.version} running on 127.0.0.1:{self.port} ({self.root})")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                with_postgres.as_postgres_user(with_postgres.stop_command(self.bindir, self.data)),
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
                start_new_session=True,
            )
        self.port = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return with_postgres.database_url(self.port, name)

    def create_database(self, name: str) -> None:
        common.create_database(self.url("postgres"), name)

    def has_database(self, name: str) -> bool:
        statement = "SELECT 1 FROM pg_database WHERE datname = %s"
        return bool(common.pg_admin(self.url("postgres"), statement, (name,)))


# --- the run ------------------------------------------------------------------------------------


class Run:
    """Directories, the PostgreSQL cluster (started on first use) and the kept-database state."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.workdir: Path = args.workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)  # the PostgreSQL user must reach the cluster below it
        self.kept = args.keep or args.reuse
        if self.kept:
            self.root = self.workdir / "kept"
            self.root.mkdir(exist_ok=True)
        else:
            self.root = Path(tempfile.mkdtemp(prefix="run-", dir=self.workdir))
        self.root.chmod(0o755)
        self.static_root = self.workdir / "static"
        self.state_file = self.workdir / "kept" / "state.json"
        self.state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
        self._cluster: PgCluster | None = None
        self.collected = False

    def cluster(self) -> PgCluster:
        if self._cluster is None:
            self._cluster = PgCluster(self.root / "postgresql")
            self._cluster.start()
        return self._cluster

    def save_state(self) -> None:
        if self.kept:
            self.state_file.write_text(json.dumps(self.state, indent=2) + "\n")

    def close(self) -> None:
        if self._cluster is not None:
            self._cluster.stop()
        if not self.kept:
            shutil.rmtree(self.root, ignore_errors=True)
        elif self._cluster is not None:
            common.log(f"kept PostgreSQL cluster (stopped): {self._cluster.root}")


def run_env(database_url: str, run: Run, media_root: Path) -> dict[str, str]:
    return common.child_env(database_url, media_root, run.static_root, "localhost,127.0.0.1")


def articles_file(run: Run, size: int) -> Path:
    """Generated articles, cached per size and seed in the work directory."""
    directory = run.workdir / "articles"
    directory.mkdir(exist_ok=True)
    path = directory / f"articles-{size}-seed{run.args.seed}.jsonl"
    if not path.exists():
        common.log(f"generating {common.fmt(size)} articles → {path}")
        partial = path.with_suffix(".part")
        common.generate_articles(size, partial, run.args.seed, dict(os.environ))
        partial.rename(path)
    return path


def collectstatic(run: Run, env: dict[str, str]) -> None:
    """Once per run: the production settings render pages with hashed static file names."""
    if not run.collected:
        common.log(f"collectstatic → {run.static_root}")
        common.manage(["collectstatic", "--no-input", "-v", "0"], env)
        run.collected = True


def prepare(run: Run, database: str, size: int) -> tuple[str, Path, dict | None]:
    """A database for (database, size): fresh and imported, or kept (--reuse).
    Returns the DATABASE_URL, a media directory and the import figures."""
    key = f"{database}-{size}"
    args = run.args
    if database == "sqlite":
        directory = run.root / key
        path = directory / "db.sqlite3"
        url = f"sqlite:///{path}"
        if args.reuse and not path.exists():
            raise SystemExit(f"no kept database {path}: run with --keep first")
        if not args.reuse:
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
    else:
        cluster = run.cluster()
        name = f"bench_{size}"
        directory = run.root / f"postgresql-{size}-media"
        directory.mkdir(exist_ok=True)
        if args.reuse:
            if not cluster.has_database(name):
                raise SystemExit(f"no kept database {name} in {cluster.root}: run --keep first")
        else:
            cluster.create_database(name)
        url = cluster.url(name)
    env = run_env(url, run, directory / "media")
    collectstatic(run, env)
    common.log(f"[{key}] migrate ({url})")
    common.manage(["migrate", "--no-input"], env)
    if args.reuse:
        imported = run.state.get(key)
        if not args.no_rebuild:
            common.log(f"[{key}] rebuild_search_index …")
            rebuilt = common.manage(["rebuild_search_index"], env)
            common.log(f"[{key}] index rebuilt in {rebuilt['seconds']:.1f} s")
            imported = {**(imported or {}), "rebuild_s": rebuilt["seconds"], "reused": True}
        return url, directory, imported
    articles = articles_file(run, size)
    common.log(f"[{key}] kb_import of {common.fmt(size)} articles …")
    result = common.manage(["kb_import", str(articles)], env, "kb_import")
    summary = result["stdout"].strip().splitlines()[0] if result["stdout"].strip() else ""
    imported = {
        "import_s": result["seconds"],
        "import_cpu_s": result["cpu_s"],
        "import_peak_kb": result["peak_kb"],
        "import_rate": size / result["seconds"],
        "imported_at": f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M}",
    }
    common.log(
        f"[{key}] {summary} in {result['seconds']:.1f} s = {imported['import_rate']:.1f} "
        f"articles/s, peak RSS {result['peak_kb'] / 1024:.0f} MB"
    )
    if run.kept:
        run.state[key] = imported
        run.save_state()
    return url, directory, imported


def measure(run: Run, database: str, size: int) -> dict:
    key = f"{database}-{size}"
    url, directory, imported = prepare(run, database, size)
    env = run_env(url, run, directory / "media")
    common.log(f"[{key}] measuring search, article pages and home (one core)")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--rounds",
        str(run.args.rounds),
        "--article-samples",
        str(run.args.article_samples),
        "--home-rounds",
        str(run.args.home_rounds),
        "--seed",
        str(run.args.seed),
    ]
    if run.args.no_pin:
        command.append("--no-pin")
    measured = common.run_worker(command, env, "measuring worker")
    if database == "sqlite":
        measured["db_bytes"] = common.sqlite_bytes(directory / "db.sqlite3")
    measured.update(imported or {})
    measured.update(database=database, size=size, url=url if run.kept else None)
    return measured


# --- the measuring child process ----------------------------------------------------------------


def _staff_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username=STAFF_USERNAME,
        defaults={"email": "benchmark@arnsberg.example", "first_name": "Bench"},
    )
    group = Group.objects.filter(name="Mitarbeitende").first()
    if group is not None:
        user.groups.add(group)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _timed_get(client, url: str, params: dict | None, samples: list, cpu: list | None = None):
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url, params or {})
    samples.append((time.perf_counter() - started) * 1000)
    if cpu is not None:
        cpu.append((time.process_time() - cpu_started) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} {params or ''}: HTTP {response.status_code}")
    return response


def _query_count(client, url: str, params: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url, params or {})
    return len(queries)


def worker(args: argparse.Namespace) -> None:
    """Measure in this process (pinned to one core); print one JSON line."""
    pinned = "not pinned" if args.no_pin else common.pin_to_one_core()
    common.setup_django()
    import django
    import wagtail
    from django.db import connection

    from kb.models import ArticlePage

    client = _staff_client()
    load_before = common.loadavg()

    # Search API: every query once to warm up, then --rounds timed passes.
    api = "/api/v1/search/"
    entries = []
    for query, filters in QUERIES:
        params = {"q": query} if query else {}
        params.update(filters)
        entries.append({"params": params, "filtered": bool(set(filters) & set(FILTER_KEYS))})
    for entry in entries:
        entry["count"] = _timed_get(client, api, entry["params"], []).json()["count"]
    search_ms: list[float] = []
    search_cpu: list[float] = []
    plain_ms: list[float] = []
    filtered_ms: list[float] = []
    for _ in range(args.rounds):
        for entry in entries:
            samples: list[float] = []
            _timed_get(client, api, entry["params"], samples, search_cpu)
            search_ms += samples
            (filtered_ms if entry["filtered"] else plain_ms).extend(samples)

    # Article pages: a fixed-seed sample, each rendered once, after ten other articles.
    ids = sorted(ArticlePage.objects.live().values_list("id", flat=True))
    rng = random.Random(args.seed)
    picked = rng.sample(ids, min(len(ids), args.article_samples + 10))
    pages = {p.id: p for p in ArticlePage.objects.filter(id__in=picked)}
    urls = [pages[i].get_url() for i in picked]
    warm, sample = urls[:10], urls[10:] or urls[:10]
    for url in warm:
        _timed_get(client, url, None, [])
    article_ms: list[float] = []
    article_cpu: list[float] = []
    for url in sample:
        _timed_get(client, url, None, article_ms, article_cpu)

    # Home page.
    home_ms: list[float] = []
    home_cpu: list[float] = []
    for _ in range(3):
        _timed_get(client, "/", None, [])
    for _ in range(args.home_rounds):
        _timed_get(client, "/", None, home_ms, home_cpu)

    queries = {
        "search": _query_count(client, api, {"q": "Starkregen"}),
        "article": _query_count(client, sample[0]),
        "home": _query_count(client, "/"),
    }
    db_bytes, server = None, None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            db_bytes = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"

    def p(values: list[float], fraction: float) -> float:
        return common.percentile(values, fraction)

    result = {
        "articles": len(ids),
        "search_p50": p(search_ms, 0.5),
        "search_p95": p(search_ms, 0.95),
        "search_p99": p(search_ms, 0.99),
        "search_plain_p95": p(plain_ms, 0.95),
        "search_filtered_p95": p(filtered_ms, 0.95),
        "search_cpu_p50": p(search_cpu, 0.5),
        "search_cpu_p95": p(search_cpu, 0.95),
        "search_requests": len(search_ms),
        "article_p50": p(article_ms, 0.5),
        "article_p95": p(article_ms, 0.95),
        "article_cpu_p95": p(article_cpu, 0.95),
        "article_requests": len(article_ms),
        "home_p50": p(home_ms, 0.5),
        "home_p95": p(home_ms, 0.95),
        "home_cpu_p95": p(home_cpu, 0.95),
        "home_requests": len(home_ms),
        "query_counts": queries,
        "db_bytes": db_bytes,
        "server": server,
        "versions": f"Django {django.get_version()}, Wagtail {wagtail.__version__}",
        "pinned": pinned,
        "load_before": load_before,
        "load_after": common.loadavg(),
    }
    print(json.dumps(result, ensure_ascii=False))


# --- reporting ----------------------------------------------------------------------------------


def _ms(value) -> str:
    """One decimal (milliseconds and the like), '–' where nothing was measured."""
    return "–" if value is None else f"{value:.1f}"


def figures_table(results: list[dict]) -> str:
    lines = [
        "| database | articles | import articles/s | import peak MB | search p50 ms | p95 "
        "| p99 | filtered p95 | article p50 ms | article p95 | home p50 ms | home p95 "
        "| DB size MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rate = _ms(r.get("import_rate"))
        if r.get("reused") and r.get("import_rate") is not None:
            rate += "¹"
        peak = "–" if r.get("import_peak_kb") is None else f"{r['import_peak_kb'] / 1024:.0f}"
        size = "–" if r.get("db_bytes") is None else f"{r['db_bytes'] / 1024 / 1024:.1f}"
        lines.append(
            f"| {r['database']} | {common.fmt(r['size'])} | {rate} | {peak} "
            f"| {_ms(r['search_p50'])} | {_ms(r['search_p95'])} | {_ms(r['search_p99'])} "
            f"| {_ms(r['search_filtered_p95'])} | {_ms(r['article_p50'])} "
            f"| {_ms(r['article_p95'])} | {_ms(r['home_p50'])} | {_ms(r['home_p95'])} | {size} |"
        )
    return "\n".join(lines)


def details_table(results: list[dict]) -> str:
    lines = [
        "| database | articles | import wall s | import CPU s | index rebuild s "
        "| search CPU p50 / p95 ms | unfiltered p95 ms | article CPU p95 ms | home CPU p95 ms "
        "| SQL queries search / article / home | requests search / article / home "
        "| load avg before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        q = r["query_counts"]
        wall, cpu = _ms(r.get("import_s")), _ms(r.get("import_cpu_s"))
        rebuild = _ms(r.get("rebuild_s"))
        lines.append(
            f"| {r['database']} | {common.fmt(r['size'])} | {wall} | {cpu} | {rebuild} "
            f"| {_ms(r['search_cpu_p50'])} / {_ms(r['search_cpu_p95'])} "
            f"| {_ms(r['search_plain_p95'])} | {_ms(r['article_cpu_p95'])} "
            f"| {_ms(r['home_cpu_p95'])} | {q['search']} / {q['article']} / {q['home']} "
            f"| {r['search_requests']} / {r['article_requests']} / {r['home_requests']} "
            f"| {r['load_before']} → {r['load_after']} |"
        )
    return "\n".join(lines)


def target_rows(results: list[dict]) -> list[tuple[str, str, str]]:
    rows = []
    for database, size, metric, comparison, limit, label in TARGETS:
        what = f"{database} {common.fmt(size)}: {label}"
        match = next((r for r in results if r["database"] == database and r["size"] == size), None)
        value = None if match is None else match.get(metric)
        if value is None:
            rows.append((what, "not measured in this run", "–"))
            continue
        met = value <= limit if comparison == "<=" else value >= limit
        unit = "articles/s" if metric == "import_rate" else "ms"
        rows.append((what, f"{value:.1f} {unit}", common.verdict(met)))
    return rows


def targets_table(results: list[dict]) -> str:
    return common.targets_markdown(target_rows(results))


def section_text(results: list[dict], args: argparse.Namespace, command: str) -> str:
    info = common.machine_info()
    servers = sorted({r["server"] for r in results if r.get("server")})
    reused = any(r.get("reused") for r in results)
    parts = [
        "## Scale benchmark (`benchmarks/scale.py`)",
        "",
        f"Run {common.timestamp()} with `{command}`.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; "
        f"load average at the end {info.get('load', '?')}.",
        f"- Software: Python {info['python']}, {results[0]['versions']}, "
        f"{', '.join(servers)}; settings `{common.SETTINGS}` (DEBUG off).",
        "- Import: `manage.py kb_import` of the generated articles (seed "
        f"{args.seed}) in one child process: wall time incl. start-up, validation, publishing "
        "and indexing; peak memory = that process's maximum resident set size. PostgreSQL runs "
        "with its default settings (fsync on) in a cluster started for the run.",
        f"- Measured in one child process pinned to one CPU core, Django test client, logged-in "
        f"staff user (group Mitarbeitende): search = GET /api/v1/search/ over {len(QUERIES)} "
        f"fixed queries ({sum(1 for _, f in QUERIES if set(f) & set(FILTER_KEYS))} with "
        f"filters), one warm-up pass, then {args.rounds} timed passes; article pages = "
        f"{args.article_samples} articles sampled with seed {args.seed}, each rendered once "
        f"after ten warm-up articles; home = {args.home_rounds} requests after 3 warm-ups. "
        "Latencies are wall-clock per request; CPU figures in the details exclude waiting "
        "(for the database server, the disk or a busy CPU).",
        "- Database size: SQLite file incl. WAL; PostgreSQL `pg_database_size`.",
    ]
    if reused:
        parts.append(
            "- ¹ Kept database re-measured with `--reuse` (migrated, search index rebuilt with "
            "the current code); the import figures are those of the run that built it."
        )
    parts += [
        "",
        "### Targets",
        "",
        targets_table(results),
        "",
        "### Figures",
        "",
        figures_table(results),
        "",
        "### Details",
        "",
        details_table(results),
    ]
    return "\n".join(parts)


# --- command line -------------------------------------------------------------------------------


def parse_list(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1000,10000,100000"],
        help="e.g. 1000,10000 (default: 1000,10000,100000)",
    )
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite,postgresql"], help="sqlite,postgresql"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the queries")
    parser.add_argument("--article-samples", type=int, default=200)
    parser.add_argument("--home-rounds", type=int, default=30)
    common.add_workdir_argument(parser, "generated articles, static files, kept databases")
    parser.add_argument("--keep", action="store_true", help="keep the databases in the workdir")
    parser.add_argument(
        "--reuse", action="store_true", help="re-measure databases kept by --keep (no import)"
    )
    parser.add_argument(
        "--no-rebuild", action="store_true", help="with --reuse: do not rebuild the search index"
    )
    common.add_results_arguments(parser, RESULTS)
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU core")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(args)
        return 0
    try:
        sizes = [int(s.replace("_", "").replace(" ", "")) for s in parse_list(args.sizes)]
    except ValueError:
        parser.error(f"--sizes: whole numbers separated by commas, not {args.sizes}")
    databases = [d.lower() for d in parse_list(args.databases)]
    databases = ["postgresql" if d in {"postgres", "pg"} else d for d in databases]
    unknown = set(databases) - set(DATABASES)
    if unknown or not sizes or min(sizes) < 1:
        parser.error(f"--databases: sqlite and/or postgresql; --sizes ≥ 1 (got {args.databases})")
    args.workdir = args.workdir.resolve()
    command = (
        f"python benchmarks/scale.py --sizes {','.join(map(str, sizes))} "
        f"--databases {','.join(databases)}"
        + (" --reuse" if args.reuse else " --keep" if args.keep else "")
        + (f" --seed {args.seed}" if args.seed != 1 else "")
    )

    common.install_signal_handlers()
    run = Run(args)
    results: list[dict] = []
    failed: list[str] = []
    started = time.perf_counter()
    try:
        for database in databases:
            for size in sizes:
                try:
                    results.append(measure(run, database, size))
                except SystemExit as error:  # one failed step: report, go on with the rest
                    failed.append(f"{database} {size}: {error}")
                    common.log(f"[{database}-{size}] FAILED: {error}")
                    continue
                common.log(figures_table(results[-1:]))
                if not args.no_results:  # after every measurement, so a failure loses nothing
                    common.write_section(
                        args.results, "scale", section_text(results, args, command)
                    )
    except KeyboardInterrupt:
        common.log("interrupted: stopping the PostgreSQL cluster and removing temporary databases")
        run.close()
        return 130
    run.close()
    if results:
        print(targets_table(results))
        print()
        print(figures_table(results))
        print()
        print(details_table(results))
        if args.no_results:
            pass
        else:
            common.log(f"written {args.results}")
    if run.kept:
        for r in results:
            where = r["url"]
            if r["database"] == "postgresql":  # the port changes with every start
                where = f"database bench_{r['size']} in the cluster {run.root / 'postgresql'}"
            common.log(
                f"kept {r['database']} {common.fmt(r['size'])}: {where}; re-measure with --reuse, "
                f"load test with load_test.py --kept {r['database']}:{r['size']}"
            )
    common.log(f"total {time.perf_counter() - started:.0f} s")
    return common.report_failures(failed)


if __name__ == "__main__":
    sys.exit(main())
