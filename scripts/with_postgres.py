#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL 15 cluster.

    python scripts/with_postgres.py -- pytest

Creates a cluster in a temporary directory, listening only on 127.0.0.1 (and a socket in that
directory), exports DATABASE_URL for the command, then stops the cluster and deletes it. As root
the cluster runs as the unprivileged user `nobody`, because PostgreSQL refuses to run as root.
Without PostgreSQL binaries it prints a visible SKIPPED line and exits 0.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

try:
    import _servers
except ModuleNotFoundError:  # loaded by file path: scripts/ not on sys.path
    sys.path.append(str(Path(__file__).resolve().parent))
    import _servers

# Part of this module's interface since before _servers.py (benchmarks/scale.py uses it).
free_port = _servers.free_port

SKIP_MESSAGE = (
    "SKIPPED: PostgreSQL tests — no PostgreSQL server binaries found "
    "(install with: apt-get install postgresql-15)"
)
# A throw-away test cluster needs no durability; benchmarks/scale.py keeps fsync on.
NO_DURABILITY = "-F -c fsync=off -c full_page_writes=off"


def find_bindir() -> Path | None:
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "nobody", "--", *command]


def own_directory(path: Path) -> None:
    """Hand the cluster's directory to the user the server runs as (`nobody` under root)."""
    if os.geteuid() == 0:
        shutil.chown(path, user="nobody", group="nogroup")


def server_env() -> dict[str, str]:
    """Environment of initdb and pg_ctl: a UTF-8 locale whatever the caller's is."""
    return {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


def initdb_command(bindir: Path, data: Path) -> list[str]:
    """A new cluster in DATA: superuser postgres, trust authentication, UTF-8."""
    return [
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--no-sync",
    ]


def start_command(
    bindir: Path, data: Path, options: str, log_file: Path, timeout: int | None = None
) -> list[str]:
    """pg_ctl start with the server OPTIONS, waiting (at most TIMEOUT s) until it accepts."""
    command = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log_file), "-w"]
    if timeout is not None:
        command += ["-t", str(timeout)]
    return [*command, "start"]


def stop_command(bindir: Path, data: Path) -> list[str]:
    return [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]


def database_url(port: int, name: str) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


@contextlib.contextmanager
def running_postgres(bindir: Path) -> Iterator[str]:
    """A cluster with a database `wissensnetz` for the duration of the block; says so on
    stdout and yields the database's URL."""
    with _servers.temporary_directory("wissensnetz-pg-") as workdir:
        data = workdir / "data"
        port = free_port()
        own_directory(workdir)
        env = server_env()
        try:
            subprocess.run(
                as_postgres_user(initdb_command(bindir, data)),
                check=True,
                stdout=subprocess.DEVNULL,
                env=env,
            )
            options = f"-h 127.0.0.1 -p {port} -k {workdir} {NO_DURABILITY}"
            subprocess.run(
                as_postgres_user(start_command(bindir, data, options, workdir / "server.log")),
                check=True,
                stdout=subprocess.DEVNULL,
                env=env,
            )
            subprocess.run(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "wissensnetz",
                ],
                check=True,
                env=env,
            )
            print(
                f"PostgreSQL {bindir.parent.name} running on 127.0.0.1:{port} ({workdir})",
                flush=True,
            )
            yield database_url(port, "wissensnetz")
        finally:
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    as_postgres_user(stop_command(bindir, data)),
                    stdout=subprocess.DEVNULL,
                    env=env,
                )


def main(argv: list[str]) -> int:
    return _servers.run_command_with_server(
        argv, __doc__, find_bindir, SKIP_MESSAGE, running_postgres, "DATABASE_URL"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
