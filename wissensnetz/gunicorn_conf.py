"""gunicorn configuration: `gunicorn -c wissensnetz/gunicorn_conf.py` (`make serve`).

Environment:
  BIND             address to listen on (default 127.0.0.1:8000; a reverse proxy in front)
  WEB_CONCURRENCY  worker processes (default: 2 × CPU cores + 1, at most 9)
  WEB_THREADS      threads per worker (default 1)
  WEB_TIMEOUT      seconds before a silent worker is restarted (default 60)
  FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
  WEB_ACCESS_LOG   one access log line per request on stdout (default true)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# gunicorn reads this file before it puts the project on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wissensnetz.json_logs import JSON_FORMATTER  # noqa: E402

MAX_DEFAULT_WORKERS = 9


def default_workers(cores: int | None = None) -> int:
    """2 × cores + 1 (gunicorn's rule of thumb), capped: each worker holds its own copy of the
    application (~150 MB), and more workers than that do not help a database-bound app."""
    cores = cores or os.cpu_count() or 1
    return max(2, min(2 * cores + 1, MAX_DEFAULT_WORKERS))


def workers_from_env(environ: dict[str, str] | None = None) -> int:
    value = (environ if environ is not None else os.environ).get("WEB_CONCURRENCY", "").strip()
    if not value:
        return default_workers()
    count = int(value)
    if count < 1:
        raise ValueError("WEB_CONCURRENCY must be at least 1")
    return count


wsgi_app = "wissensnetz.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
workers = workers_from_env()
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log and errors to stdout/stderr: journald or the container runtime collects them.
ACCESS_LOG = os.environ.get("WEB_ACCESS_LOG", "true").strip().lower() in {"1", "true", "yes", "on"}
accesslog = "-" if ACCESS_LOG else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# With LOG_FORMAT=json (the production default, as in wissensnetz.settings.production) gunicorn's
# own lines (start-up, worker restarts, access log) are JSON objects on stdout too, so every
# line the service writes can be parsed the same way.
if os.environ.get("LOG_FORMAT", "json").strip().lower() == "json":
    _json_handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "json",
    }
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {"json": _json_handler},
        "root": {"level": "INFO", "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["json"], "propagate": False},
        },
    }


def post_worker_init(worker) -> None:
    """Each worker loads the search's dictionaries before it takes requests, so that its first
    search answers as fast as the others (and a query log write that gives up is not slowed by
    seconds of loading)."""
    from search.query import warm_up

    warm_up()
