#!/usr/bin/env python3
"""Load test: gunicorn on 127.0.0.1 driven by locust (headless) with staff traffic.

    python benchmarks/load_test.py [--database sqlite|postgresql] [--articles 1000]
    python benchmarks/load_test.py --database-url postgres://…   # any prepared database

Prepares a database (default: the SQLite database with 1 000 generated articles that
`scale.py --keep` keeps in its work directory; built and kept there if missing; --database
postgresql starts the kept PostgreSQL cluster), runs migrate and collectstatic, creates a staff
user (group Mitarbeitende) with a random password, starts gunicorn with the production settings
(DEBUG off, WhiteNoise static files, wissensnetz/gunicorn_conf.py if present) on a free port of
127.0.0.1, logs the user in through the login form, then runs locust headless
(benchmarks/locustfile.py: 70 % search API with varied queries, some filtered, 25 % article
pages, 5 % home) with --users concurrent users: --warmup seconds that are discarded, then
--duration seconds measured. Prints throughput, latency percentiles and errors per request
kind and writes them to the "load" section of benchmarks/RESULTS.md. Gunicorn, locust and the
PostgreSQL cluster are stopped on exit, also on Ctrl-C and errors; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import common
import scale

LOCUSTFILE = common.BENCH_DIR / "locustfile.py"
GUNICORN_CONF = common.PROJECT_DIR / "wissensnetz" / "gunicorn_conf.py"
TARGET_RPS = 100.0
TARGET_ERRORS = 0
USERNAME = "benchmark-load"

# --- preparation --------------------------------------------------------------------------------


def prepare_database(args: argparse.Namespace) -> tuple[scale.Run, str, dict[str, str], str]:
    """(run, DATABASE_URL, child environment, description) of the database to serve."""
    options = {"workdir": args.workdir, "seed": args.seed, "no_rebuild": not args.rebuild}
    if args.database_url:
        run = scale.Run(argparse.Namespace(keep=False, reuse=False, **options))
        env = scale.run_env(args.database_url, run, run.root / "media")
        scale.collectstatic(run, env)
        common.log(f"migrate ({args.database_url})")
        common.manage(["migrate", "--no-input"], env)
        if args.rebuild:
            common.manage(["rebuild_search_index"], env)
        return run, args.database_url, env, "given by --database-url"
    size, database = args.articles, args.database
    workdir = args.workdir
    if database == "sqlite":
        exists = (workdir / "kept" / f"sqlite-{size}" / "db.sqlite3").exists()
        run = scale.Run(argparse.Namespace(keep=True, reuse=exists, **options))
    else:
        run = scale.Run(argparse.Namespace(keep=True, reuse=False, **options))
        exists = run.cluster().has_database(f"bench_{size}")
        run.args.reuse = exists
    if not exists:
        common.log(f"no kept {database} database with {common.fmt(size)} articles: building it")
    url, directory, _ = scale.prepare(run, database, size)
    env = scale.run_env(url, run, directory / "media")
    return run, url, env, f"kept by scale.py ({run.root})"


def prepare_worker(output: Path, seed: int, samples: int) -> None:
    """Child process: staff user with a random password and article paths, as JSON."""
    import random

    common.setup_django()
    import django
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from kb.models import ArticlePage

    password = secrets.token_urlsafe(24)
    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"email": "lasttest@arnsberg.example", "first_name": "Last"}
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    group = Group.objects.filter(name="Mitarbeitende").first()
    if group is not None:
        user.groups.add(group)
    ids = sorted(ArticlePage.objects.live().values_list("id", flat=True))
    if not ids:
        raise SystemExit("the database has no published articles")
    picked = random.Random(seed).sample(ids, min(samples, len(ids)))
    pages = ArticlePage.objects.filter(id__in=picked)
    paths = sorted(page.get_url() for page in pages)
    output.write_text(
        json.dumps(
            {
                "username": USERNAME,
                "password": password,
                "paths": paths,
                "articles": len(ids),
                "vendor": django.db.connection.vendor,
            }
        )
    )
    output.chmod(0o600)


# --- processes ----------------------------------------------------------------------------------


def stop_process(process: subprocess.Popen | None, what: str, first: int = signal.SIGTERM) -> None:
    """Stop a child started in its own session (and everything it started), by its id."""
    if process is None or process.poll() is not None:
        return
    for signum, wait in ((first, 15), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            common.log(f"{what} did not stop after {wait} s")


def http_get(port: int, path: str, headers: dict | None = None, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def wait_until_ready(process: subprocess.Popen, port: int, log_file: Path, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}):\n{tail(log_file)}")
        with contextlib.suppress(OSError):
            response, _ = http_get(port, "/healthz", timeout=5)
            if response.status == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn not ready after {seconds:.0f} s:\n{tail(log_file)}")


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def cookies_of(response) -> dict[str, str]:
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def login(port: int, username: str, password: str) -> str:
    """Log in through the login form over HTTP; returns the session cookie ("name=value").
    The cookie is marked Secure (production settings), so it is handed to locust as a header."""
    response, body = http_get(port, "/anmelden/")
    csrf = cookies_of(response).get("csrftoken", "")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if response.status != 200 or not csrf or not match:
        raise SystemExit(f"login page: HTTP {response.status}, no CSRF token")
    origin = f"http://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/anmelden/",
            body=urlencode(
                {
                    "csrfmiddlewaretoken": match.group(1).decode(),
                    "username": username,
                    "password": password,
                }
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Origin": origin,
                "Referer": f"{origin}/anmelden/",
            },
        )
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    session = {k: v for k, v in cookies_of(response).items() if k != "csrftoken"}
    if response.status != 302 or not session:
        raise SystemExit(f"login failed: HTTP {response.status} (expected a redirect)")
    cookie = "; ".join(f"{k}={v}" for k, v in session.items())
    check, body = http_get(port, "/api/v1/search/?q=Kita", {"Cookie": cookie})
    if check.status != 200:
        raise SystemExit(f"logged-in search API request: HTTP {check.status} {body[:200]!r}")
    return cookie


def run_locust(
    args: argparse.Namespace, port: int, env: dict, seconds: int, csv_prefix: Path | None
) -> dict:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    if csv_prefix is not None:
        command += ["--csv", str(csv_prefix)]
    log_file = Path(env["LOADTEST_DIR"]) / "locust.log"
    with log_file.open("w") as out:
        process = subprocess.Popen(
            command, cwd=common.PROJECT_DIR, env=env, stdout=out, stderr=out, start_new_session=True
        )
        deadline = time.monotonic() + seconds + 90  # bounded even if locust hangs
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    process.returncode = os.waitstatus_to_exitcode(status)
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"locust still running after {seconds + 90} s: stopped")
                time.sleep(0.2)
        finally:
            if process.returncode is None:
                stop_process(process, "locust")
    if process.returncode != 0:
        raise SystemExit(f"locust failed (exit {process.returncode}):\n{tail(log_file)}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime}


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    def rows(path: Path) -> list[dict]:
        if not path.exists():
            return []
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return rows(Path(f"{prefix}_stats.csv")), rows(Path(f"{prefix}_failures.csv"))


def _num(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return float("nan")


# --- reporting ----------------------------------------------------------------------------------


def figures_table(stats: list[dict]) -> str:
    lines = [
        "| requests | count | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = {"search API": 0, "search API (filtered)": 1, "article page": 2, "home": 3}
    for row in sorted(stats, key=lambda r: order.get(r["Name"], 9)):
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {int(_num(row, 'Request Count'))} | {int(_num(row, 'Failure Count'))} "
            f"| {_num(row, 'Requests/s'):.1f} | {_num(row, '50%'):.0f} | {_num(row, '95%'):.0f} "
            f"| {_num(row, '99%'):.0f} | {_num(row, 'Max Response Time'):.0f} |"
        )
    return "\n".join(lines)


def targets_table(total: dict) -> str:
    errors = int(_num(total, "Failure Count"))
    rps = _num(total, "Requests/s")
    rows = [
        ("errors = 0", str(errors), errors <= TARGET_ERRORS),
        (f"throughput ≥ {TARGET_RPS:.0f} requests/s", f"{rps:.1f} requests/s", rps >= TARGET_RPS),
    ]
    return common.targets_markdown(
        [(what, measured, common.verdict(ok)) for what, measured, ok in rows]
    )


def section_text(report: dict, stats: list[dict], failures: list[dict]) -> str:
    info = common.machine_info()
    total = next(row for row in stats if row["Name"] == "Aggregated")
    args = report["args"]
    wait = "no think time (closed loop)" if args.wait in {"0", ""} else f"think time {args.wait} s"
    parts = [
        "## Load test (`benchmarks/load_test.py`)",
        "",
        f"Run {common.timestamp()} with `{report['command']}`.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; load average "
        f"at the end {info.get('load', '?')}. Server and load generator share the machine.",
        f"- Server: gunicorn {report['gunicorn']}, {report['workers']} sync workers on "
        f"127.0.0.1 ({report['config']}), settings `{common.SETTINGS}` (DEBUG off, static files "
        f"by WhiteNoise after collectstatic), DATABASE_CONN_MAX_AGE={args.conn_max_age}, "
        f"access log off.",
        f"- Database: {report['database']}, {common.fmt(report['articles'])} published articles "
        f"({report['database_source']}).",
        f"- Load: locust {report['locust']} headless (FastHttpUser), {args.users} concurrent "
        f"users, {wait}, one staff session logged in through the login form; mix 70 % search "
        "API (43 staff queries, some with city/topic/tag filters, varied by extra filters, "
        f"sort and page), 25 % article pages ({report['paths']} sampled), 5 % home; "
        f"{args.warmup} s warm-up (discarded), then {args.duration} s measured. Errors = any "
        "status other than 200 (redirects not followed) and connection errors. Locust rounds "
        f"latencies above 100 ms to 2 significant digits. Locust used {report['locust_cpu']:.0f} "
        f"CPU-seconds ({report['locust_cpu'] / args.duration * 100:.0f} % of one core).",
        "",
        "### Targets",
        "",
        targets_table(total),
        "",
        "### Figures",
        "",
        figures_table(stats),
    ]
    if failures:
        parts += ["", "Errors:", ""]
        for row in failures[:10]:
            parts.append(f"- {row.get('Occurrences')} × {row.get('Name')}: {row.get('Error')}")
    return "\n".join(parts)


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--database", choices=scale.DATABASES, default="sqlite")
    parser.add_argument("--articles", type=int, default=1000, help="size of the kept database")
    parser.add_argument(
        "--kept",
        metavar="DATABASE:N",
        help="shorthand for --database DATABASE --articles N, e.g. postgresql:10000",
    )
    parser.add_argument("--database-url", help="serve this prepared (migrated) database instead")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the search index first")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds (default 60)")
    parser.add_argument("--warmup", type=int, default=10, help="discarded seconds (default 10)")
    parser.add_argument("--wait", default="0", help='think time per user: "0" or "MIN-MAX" s')
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default: WEB_CONCURRENCY or 2 × cores + 1, at most 9)",
    )
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--article-paths", type=int, default=2000, help="article URLs to draw")
    common.add_workdir_argument(parser, "scale.py's work directory")
    common.add_results_arguments(parser, scale.RESULTS)
    parser.add_argument("--prepare-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.prepare_worker:
        prepare_worker(args.prepare_worker, args.seed, args.article_paths)
        return 0
    if args.kept:
        database, _, size = args.kept.partition(":")
        database = "postgresql" if database in {"postgres", "pg"} else database
        if database not in scale.DATABASES or not size.isdigit():
            parser.error("--kept: sqlite:N or postgresql:N")
        args.database, args.articles = database, int(size)
    if args.duration < 1 or args.users < 1 or args.warmup < 0 or args.duration > 3600:
        parser.error("--duration 1…3600 s, --users ≥ 1, --warmup ≥ 0")
    args.workdir = args.workdir.resolve()
    workers = args.workers or int(
        os.environ.get("WEB_CONCURRENCY") or max(2, min(2 * (os.cpu_count() or 1) + 1, 9))
    )
    source = "--database-url …" if args.database_url else f"--kept {args.database}:{args.articles}"
    command = (
        f"python benchmarks/load_test.py {source} --users {args.users} "
        f"--duration {args.duration} --warmup {args.warmup} --workers {workers}"
    )

    common.install_signal_handlers()
    run = gunicorn = None
    scratch = Path(tempfile.mkdtemp(prefix="wissensnetz-load-"))
    code = 1
    try:
        run, url, env, database_source = prepare_database(args)
        info_file = scratch / "prepared.json"
        common.run_child(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--prepare-worker",
                str(info_file),
                "--seed",
                str(args.seed),
                "--article-paths",
                str(args.article_paths),
            ],
            env,
            "preparing the staff user",
        )
        prepared = json.loads(info_file.read_text())
        paths_file = scratch / "articles.txt"
        paths_file.write_text("\n".join(prepared["paths"]) + "\n")

        port = scale.with_postgres.free_port()
        server_env = {
            **env,
            "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
            "WEB_ACCESS_LOG": "false",
            "WEB_CONCURRENCY": str(workers),
            "BIND": f"127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
        gunicorn_command = [sys.executable, "-m", "gunicorn"]
        config = "gunicorn defaults"
        if GUNICORN_CONF.exists():
            gunicorn_command += ["--config", str(GUNICORN_CONF)]
            config = "wissensnetz/gunicorn_conf.py"
        gunicorn_command += [
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "wissensnetz.wsgi:application",
        ]
        gunicorn_log = scratch / "gunicorn.log"
        common.log(f"gunicorn with {workers} workers on 127.0.0.1:{port} ({url})")
        with gunicorn_log.open("w") as out:
            gunicorn = subprocess.Popen(
                gunicorn_command,
                cwd=common.PROJECT_DIR,
                env=server_env,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        wait_until_ready(gunicorn, port, gunicorn_log, 120)
        cookie = login(port, prepared["username"], prepared["password"])
        common.log("logged in through /anmelden/")

        locust_env = {
            **os.environ,
            "LOADTEST_COOKIE": cookie,
            "LOADTEST_ARTICLES": str(paths_file),
            "LOADTEST_WAIT": args.wait,
            "LOADTEST_DIR": str(scratch),
        }
        if args.warmup:
            common.log(f"warm-up: {args.users} users for {args.warmup} s")
            run_locust(args, port, locust_env, args.warmup, None)
        common.log(f"measuring: {args.users} users for {args.duration} s")
        prefix = scratch / "locust"
        usage = run_locust(args, port, locust_env, args.duration, prefix)
        stats, failures = read_stats(prefix)
        if not any(row["Name"] == "Aggregated" for row in stats):
            raise SystemExit(f"locust wrote no statistics:\n{tail(scratch / 'locust.log')}")
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn died during the test:\n{tail(gunicorn_log)}")

        import gunicorn as gunicorn_module
        import locust

        report = {
            "args": args,
            "command": command,
            "workers": workers,
            "config": config,
            "gunicorn": gunicorn_module.__version__,
            "locust": locust.__version__,
            "database": "SQLite" if prepared["vendor"] == "sqlite" else "PostgreSQL",
            "database_source": database_source,
            "articles": prepared["articles"],
            "paths": len(prepared["paths"]),
            "locust_cpu": usage["cpu_s"],
        }
        total = next(row for row in stats if row["Name"] == "Aggregated")
        print(targets_table(total))
        print()
        print(figures_table(stats))
        for row in failures[:10]:
            print(f"errors: {row.get('Occurrences')} × {row.get('Name')}: {row.get('Error')}")
        if not args.no_results:
            common.write_section(args.results, "load", section_text(report, stats, failures))
            common.log(f"written {args.results}")
        code = 0
    except KeyboardInterrupt:
        common.log("interrupted: stopping gunicorn and the database cluster")
        code = 130
    except SystemExit as error:
        if isinstance(error.code, str):
            common.log(f"FAILED: {error.code}")
            code = 1
        else:
            code = error.code or 0
    finally:
        stop_process(gunicorn, "gunicorn", signal.SIGINT)  # SIGINT: gunicorn's quick shutdown
        if run is not None:
            run.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
