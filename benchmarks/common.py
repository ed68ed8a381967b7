"""Helpers shared by the benchmark scripts scale.py, search_latency.py and load_test.py.

Parent side: command line, child processes (their environment, timing and resource usage),
fresh databases, logging, Markdown output. Child side: Django set-up and CPU pinning. Imported
as `common` (the scripts' own folder is on sys.path); standard library only at import time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
MANAGE = PROJECT_DIR / "manage.py"
GENERATOR = BENCH_DIR / "generate_articles.py"
SETTINGS = "wissensnetz.settings.production"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "wissensnetz-bench"


# --- output -------------------------------------------------------------------------------------


def log(message: str) -> None:
    """Progress goes to stderr, so stdout carries only the tables."""
    print(message, file=sys.stderr, flush=True)


def fmt(number: int) -> str:
    """10000 -> '10 000' (the usual German digit grouping)."""
    return f"{number:,}".replace(",", "\u202f")


def timestamp() -> str:
    """Now, for the results files: '2026-11-30 14:05 CET'."""
    return f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"


def verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def targets_markdown(rows: list[tuple[str, str, str]]) -> str:
    """Markdown table of (target, measured, verdict) rows."""
    lines = ["| target | measured | verdict |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def write_section(path: Path, name: str, text: str) -> None:
    """Replace (or append) the part of RESULTS.md between the markers of section NAME, so that
    scale.py and load_test.py do not overwrite each other's figures."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if not current.strip():
        current = (
            "# Benchmark results\n\n"
            "Written by `benchmarks/scale.py` (make bench) and `benchmarks/load_test.py` "
            "(make bench-load); each script replaces only its own section. How to run: "
            "benchmarks/README.md.\n"
        )
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        _, tail = rest.split(end, 1)
        current = head + block + tail
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


def report_failures(failed: list[str]) -> int:
    """Repeat the failed measurements at the very end; the exit code of the run."""
    for failure in failed:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failed else 0


# --- statistics, machine ------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine_info() -> dict[str, str]:
    info = {
        "cpu": platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "memory": "?",
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info["load"] = loadavg()
    return info


def pin_to_one_core() -> str:
    """Pin this process (and the children it starts later) to one CPU core; says how."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
    except OSError as error:
        return f"not pinned ({error})"
    return f"pinned to CPU {core}"


# --- command line -------------------------------------------------------------------------------


def argument_parser(doc: str) -> argparse.ArgumentParser:
    """A parser whose --help shows the script's docstring: first paragraph, then the rest."""
    return argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=doc.split("\n\n", 1)[1],
    )


def add_results_arguments(parser: argparse.ArgumentParser, default: Path) -> None:
    parser.add_argument("--results", type=Path, default=default)
    parser.add_argument("--no-results", action="store_true", help=f"do not write {default.name}")


def add_workdir_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """--workdir: scale.py's work directory, which load_test.py shares (BENCH_WORKDIR)."""
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(os.environ.get("BENCH_WORKDIR") or DEFAULT_WORKDIR),
        help=f"{what} (default {DEFAULT_WORKDIR})",
    )


def _raise_interrupt(signum, frame):  # SIGTERM/SIGHUP: clean up like Ctrl-C
    raise KeyboardInterrupt(f"signal {signum}")


def install_signal_handlers() -> None:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupt)


# --- child processes ----------------------------------------------------------------------------


def child_env(
    database_url: str, media_root: Path, static_root: Path, allowed_hosts: str
) -> dict[str, str]:
    """Environment of a manage.py or measuring child: the production settings (override with
    BENCH_SETTINGS) on DATABASE_URL, quiet logging, a fixed hash seed."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": env.get("BENCH_SETTINGS", SETTINGS),
            "SECRET_KEY": env.get("SECRET_KEY") or "benchmark-only-not-secret",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": allowed_hosts,
            "MEDIA_ROOT": str(media_root),
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "WARNING",
            "PYTHONHASHSEED": "0",
        }
    )
    return env


def run_child(command: list[str], env: dict[str, str], what: str) -> dict:
    """Run a child process to completion: wall seconds, its own peak RSS and CPU time
    (os.wait4 gives the resource usage of exactly this child), stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=err)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            with contextlib.suppress(OSError):
                process.terminate()
                process.wait(timeout=30)
            raise
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.stderr.write(stdout[-4000:] + stderr[-12000:])
        raise SystemExit(f"{what} failed (exit {process.returncode})")
    return {
        "seconds": elapsed,
        "peak_kb": usage.ru_maxrss,  # kilobytes on Linux
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "stdout": stdout,
    }


def manage(args: list[str], env: dict[str, str], what: str | None = None) -> dict:
    return run_child([sys.executable, str(MANAGE), *args], env, what or f"manage.py {args[0]}")


def generate_articles(size: int, path: Path, seed: int, env: dict[str, str]) -> dict:
    """generate_articles.py SIZE PATH --seed SEED in a child process."""
    command = [sys.executable, str(GENERATOR), str(size), str(path), "--seed", str(seed)]
    return run_child(command, env, "generate_articles.py")


def run_worker(command: list[str], env: dict[str, str], what: str) -> dict:
    """A measuring child prints its figures as one JSON line, last on stdout."""
    return json.loads(run_child(command, env, what)["stdout"].strip().splitlines()[-1])


# --- databases ----------------------------------------------------------------------------------


def sqlite_bytes(path: Path) -> int:
    """Size of a SQLite database with its -wal and -shm files."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def with_database(url: str, name: str) -> str:
    """The same server URL with another database name."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def pg_admin(url: str, statement: str, params: tuple = ()) -> list:
    """One statement in the `postgres` database of URL's server (autocommit); its rows."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def create_database(url: str, name: str) -> None:
    """A new, empty database NAME on URL's server, replacing a leftover one of that name."""
    pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(url, f'CREATE DATABASE "{name}"')


# --- the measuring child process ----------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
