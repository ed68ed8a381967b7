#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL 15 cluster.

    python scripts/with_postgres.py -- pytest

Creates a cluster in a temporary directory, listening only on 127.0.0.1 (and a socket in that
directory), exports DATABASE_URL for the command, then stops the cluster and deletes it. As root
the cluster runs as the unprivileged user `nobody`, because PostgreSQL refuses to run as root.
Without PostgreSQL binaries it prints a visible SKIPPED line and exits 0.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "nobody", "--", *command]


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print(
            "SKIPPED: PostgreSQL tests — no PostgreSQL server binaries found "
            "(install with: apt-get install postgresql-15)",
            flush=True,
        )
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="wissensnetz-pg-"))
    data = workdir / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, user="nobody", group="nogroup")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        subprocess.run(
            as_postgres_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        options = f"-h 127.0.0.1 -p {port} -k {workdir} -F -c fsync=off -c full_page_writes=off"
        subprocess.run(
            as_postgres_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(workdir / "server.log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        url = f"postgres://postgres@127.0.0.1:{port}/wissensnetz"
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
            f"PostgreSQL {bindir.parent.name} running on 127.0.0.1:{port} ({workdir})", flush=True
        )
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}).returncode
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres_user(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
                ),
                stdout=subprocess.DEVNULL,
                env=env,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
