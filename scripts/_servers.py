"""What scripts/with_postgres.py and scripts/with_redis.py share: run a command against a
throw-away server on 127.0.0.1 (free port, temporary directory, waiting, stopping, the
`SCRIPT -- COMMAND…` command line). Standard library only; benchmarks/ uses it too."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

Server = TypeVar("Server")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def temporary_directory(prefix: str) -> Iterator[Path]:
    """A new directory below the system's temporary directory, deleted with all it holds."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen, seconds: float, interval: float
) -> bool:
    """Poll ready() until it is true (True), the process has exited or `seconds` have passed
    (False)."""
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM to the process, SIGKILL if it has not exited after `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_command_with_server(
    argv: list[str],
    usage: str,
    find: Callable[[], Server | None],
    skip_message: str,
    serve: Callable[[Server], contextlib.AbstractContextManager[str]],
    variable: str,
) -> int:
    """`SCRIPT [--] COMMAND…`: run COMMAND with the URL of a server in `variable`.

    find() locates the server program (None: print skip_message and exit 0, so that a machine
    without it shows a visible SKIPPED line instead of failing); serve(server) starts it, says
    so on stdout and yields its URL. Returns the command's exit code, 2 without a command."""
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(usage)
        return 2
    server = find()
    if server is None:
        print(skip_message, flush=True)
        return 0
    with serve(server) as url:
        return subprocess.run(argv, env={**os.environ, variable: url}).returncode
