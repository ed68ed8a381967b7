#!/usr/bin/env python3
"""Run a command against a throw-away redis-server.

    python scripts/with_redis.py -- pytest tests/test_cache.py

Starts Debian's redis-server on a free port on 127.0.0.1 with its files in a temporary
directory (no persistence), exports REDIS_TEST_URL for the command, then stops the server and
deletes the directory. Without redis-server it prints a visible SKIPPED line and exits 0.
The test suite uses the same code through the `redis_url` fixture (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

try:
    import _servers
except ModuleNotFoundError:  # loaded by file path (tests/conftest.py): scripts/ not on sys.path
    sys.path.append(str(Path(__file__).resolve().parent))
    import _servers

SKIP_MESSAGE = (
    "SKIPPED: Redis tests — redis-server not found (install with: apt-get install redis-server)"
)


def find_server() -> str | None:
    """REDIS_SERVER (a path) if set, else redis-server on PATH; None if there is none."""
    candidate = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    return candidate if candidate and Path(candidate).is_file() else None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def running_redis(server: str) -> Iterator[str]:
    """A redis-server on loopback for the duration of the block; yields its redis:// URL."""
    with _servers.temporary_directory("wissensnetz-redis-") as workdir:
        port = _servers.free_port()
        process = subprocess.Popen(
            [
                server,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(workdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
                "--logfile",
                str(workdir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if not _servers.wait_until(lambda: _answers(port), process, 15, 0.05):
                log = (workdir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server did not start:\n{log}")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            _servers.stop(process)


@contextlib.contextmanager
def _announced(server: str) -> Iterator[str]:
    # Only the command line announces the server; the test fixture stays quiet.
    with running_redis(server) as url:
        print(f"redis-server running at {url}", flush=True)
        yield url


def main(argv: list[str]) -> int:
    return _servers.run_command_with_server(
        argv, __doc__, find_server, SKIP_MESSAGE, _announced, "REDIS_TEST_URL"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
