#!/usr/bin/env python3
"""Digest benchmark: the daily subscription digest for 2 000 subscribers over 10 000 articles.

    python benchmarks/digest.py                      # SQLite
    python benchmarks/digest.py --databases sqlite,postgresql

For every database: a fresh database, `manage.py migrate`, 10 000 generated articles
(benchmarks/generate_articles.py) imported with `manage.py kb_import` (not timed), then in a
child process: 2 000 staff accounts of both cities with 5 subscriptions each (a mix of topic
areas, cities, tags, single articles and "Alles Neue aus den anderen Städten"), daily delivery,
one topic area behind a group view restriction, and a day's worth of publications (100 events
on random articles). Timed: `manage.py kb_send_notifications` (the digest run, with review
reminders skipped), sending every e-mail over SMTP to a real aiosmtpd server on 127.0.0.1
(tests/mail_server.py), and a second run straight after (must send nothing).

Prints a Markdown table and writes it to the "digest" section of benchmarks/RESULTS.md.
Target (issue 13): the daily digest run finishes in under 60 s on SQLite.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time
from io import StringIO
from pathlib import Path

import common

RESULTS = common.BENCH_DIR / "RESULTS.md"
ARTICLES = 10_000
USERS = 2_000
SUBSCRIPTIONS_PER_USER = 5
EVENTS = 100
LIMIT_S = 60.0
RUN_AT = "2030-01-08T08:00:00+01:00"  # a Tuesday morning: the daily digest is due


# --- the measuring child ------------------------------------------------------------------------


def worker(args) -> None:
    sys.path.insert(0, str(common.PROJECT_DIR))
    from tests.mail_server import running_smtp_server

    with running_smtp_server() as server:
        os.environ.update(
            EMAIL_HOST=server.host,
            EMAIL_PORT=str(server.port),
            EMAIL_USE_TLS="false",
            EMAIL_USE_SSL="false",
        )
        common.setup_django()
        figures = _measure(server, args.seed)
    print(json.dumps(figures))


def _populate(seed: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction

    from kb.models import ArticlePage, City, TopicPage
    from subscriptions.delivery import latest_event_id
    from subscriptions.models import Delivery, PublicationEvent, SubscriberSettings, Subscription

    rng = random.Random(seed)
    cities = list(City.objects.order_by("name"))
    for city in cities:
        City.objects.filter(pk=city.pk).update(email_domain=f"{city.slug}.example")
    topics = list(TopicPage.objects.order_by("path"))
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    article_ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    staff = Group.objects.get(name="Mitarbeitende")
    restricted = topics[-1]
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    ).groups.set([Group.objects.get(name="Chefredaktion")])

    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"abo{n:04d}",
                email=f"abo{n:04d}@{cities[n % len(cities)].slug}.example",
                password=password,
            )
            for n in range(USERS)
        ],
        batch_size=500,
    )
    users = list(User.objects.filter(username__startswith="abo").order_by("pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=staff.pk) for u in users], batch_size=500
    )
    cursor = latest_event_id()  # the import's events: delivered before these users existed
    SubscriberSettings.objects.bulk_create(
        [SubscriberSettings(user=u, delivery=Delivery.DAILY, last_event_id=cursor) for u in users],
        batch_size=500,
    )
    rows = []
    kinds = {"topic": 0, "city": 0, "tag": 0, "article": 0, "other_cities": 0}
    for user in users:
        # Every user: one topic area, and four of: a second topic, a city, tags, an article,
        # the other cities (no duplicates).
        chosen = [("topic", rng.choice(topics).pk)]
        pool = [
            ("topic", rng.choice(topics).pk),
            ("city", rng.choice(cities).pk),
            ("tag", rng.choice(tags)),
            ("tag", rng.choice(tags)),
            ("article", rng.choice(article_ids)),
            ("article", rng.choice(article_ids)),
            ("other_cities", None),
        ]
        rng.shuffle(pool)
        for item in pool:
            if len(chosen) == SUBSCRIPTIONS_PER_USER:
                break
            if item not in chosen:
                chosen.append(item)
        for kind, target in chosen:
            kinds[kind] += 1
            field = {"topic": "topic_id", "city": "city_id", "tag": "tag_id"}.get(kind)
            field = field or ("article_id" if kind == "article" else None)
            rows.append(Subscription(user=user, kind=kind, **({field: target} if field else {})))
    Subscription.objects.bulk_create(rows, batch_size=1000)

    # A day's publications: 100 articles (a few republished with "Wesentliche Änderung"),
    # authored by an editor who subscribes to nothing.
    editor = User.objects.create_user("bench-editor", email="redaktion@arnsberg.example")
    published = rng.sample(article_ids, EVENTS)
    PublicationEvent.objects.bulk_create(
        [
            PublicationEvent(page_id=pk, reason="changed" if n % 10 == 0 else "new", author=editor)
            for n, pk in enumerate(published)
        ]
    )
    return {
        "subscriptions": len(rows),
        "kinds": kinds,
        "events_in_table": PublicationEvent.objects.count(),
    }


def _measure(server, seed: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from kb.models import ArticlePage

    started = time.perf_counter()
    population = _populate(seed)
    populate_s = time.perf_counter() - started

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    server.clear()
    out = StringIO()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        call_command("kb_send_notifications", now=RUN_AT, skip_reviews=True, stdout=out)
        first_s = time.perf_counter() - started
    first_queries = queries
    mails = server.mails
    articles_per_mail = [m.text.count("   Lesen: ") for m in mails]

    queries = 0
    out2 = StringIO()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        call_command("kb_send_notifications", now=RUN_AT, skip_reviews=True, stdout=out2)
        second_s = time.perf_counter() - started
    return {
        "articles": ArticlePage.objects.count(),
        "users": USERS,
        **population,
        "events": EVENTS,
        "populate_s": populate_s,
        "run_s": first_s,
        "run_queries": first_queries,
        "mails": len(mails),
        "recipients": len({m.to[0] for m in mails}),
        "articles_per_mail_avg": sum(articles_per_mail) / max(1, len(mails)),
        "articles_per_mail_max": max(articles_per_mail, default=0),
        "summary": out.getvalue().strip(),
        "second_run_s": second_s,
        "second_run_queries": queries,
        "second_run_mails": len(server.mails) - len(mails),
        "second_summary": out2.getvalue().strip(),
    }


# --- the parent ---------------------------------------------------------------------------------


def prepare(database: str, workdir: Path, seed: int, cluster=None) -> tuple[dict, Path]:
    directory = workdir / f"digest-{database}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    if database == "sqlite":
        url = f"sqlite:///{directory / 'db.sqlite3'}"
    else:
        cluster.create_database("bench_digest")
        url = cluster.url("bench_digest")
    env = common.child_env(url, directory / "media", directory / "static", "localhost,127.0.0.1")
    articles = workdir / "articles" / f"articles-{ARTICLES}-seed{seed}.jsonl"
    if not articles.exists():
        articles.parent.mkdir(parents=True, exist_ok=True)
        common.log(f"generating {common.fmt(ARTICLES)} articles → {articles}")
        partial = articles.with_suffix(".part")
        common.generate_articles(ARTICLES, partial, seed, dict(os.environ))
        partial.rename(articles)
    common.log(f"[{database}] migrate")
    common.manage(["migrate", "--no-input"], env)
    common.log(f"[{database}] kb_import of {common.fmt(ARTICLES)} articles …")
    imported = common.manage(["kb_import", str(articles)], env, "kb_import")
    common.log(f"[{database}] imported in {imported['seconds']:.0f} s")
    return env, directory


def table(results: list[dict]) -> str:
    lines = [
        "| database | articles | subscribers | subscriptions | events | digest run s | "
        "queries | mails | articles/mail (avg / max) | second run s | second run mails |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {common.fmt(r['articles'])} | {common.fmt(r['users'])} | "
            f"{common.fmt(r['subscriptions'])} | {r['events']} | {r['run_s']:.1f} | "
            f"{common.fmt(r['run_queries'])} | {common.fmt(r['mails'])} | "
            f"{r['articles_per_mail_avg']:.1f} / {r['articles_per_mail_max']} | "
            f"{r['second_run_s']:.2f} | {r['second_run_mails']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = common.argument_parser(__doc__)
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", action="store_true", help=argparse_hidden())
    common.add_results_arguments(parser, RESULTS)
    common.add_workdir_argument(parser, "work directory")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    common.install_signal_handlers()
    results, failed = [], []
    cluster = None
    try:
        for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
            if database == "postgresql" and cluster is None:
                sys.path.insert(0, str(common.PROJECT_DIR / "scripts"))
                from scale import PgCluster

                cluster = PgCluster(args.workdir / "digest-pg")
                cluster.start()
            env, _ = prepare(database, args.workdir, args.seed, cluster)
            common.log(f"[{database}] digest run (2 000 subscribers, {EVENTS} events) …")
            command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
            command += ["--seed", str(args.seed)]
            measured = common.run_worker(command, env, "digest worker")
            measured["database"] = database
            results.append(measured)
            common.log(f"[{database}] {measured['summary']}")
            if database == "sqlite" and measured["run_s"] >= LIMIT_S:
                failed.append(f"sqlite digest run {measured['run_s']:.1f} s ≥ {LIMIT_S:.0f} s")
            if measured["second_run_mails"]:
                failed.append(f"{database}: the second run sent {measured['second_run_mails']}")
    finally:
        if cluster is not None:
            cluster.remove()
    text = table(results)
    print(text)
    if results and not args.no_results:
        info = common.machine_info()
        sqlite = next((r for r in results if r["database"] == "sqlite"), None)
        rows = []
        if sqlite:
            rows.append(
                (
                    f"daily digest run (SQLite) < {LIMIT_S:.0f} s",
                    f"{sqlite['run_s']:.1f} s",
                    common.verdict(sqlite["run_s"] < LIMIT_S),
                )
            )
        rows.append(
            (
                "second run sends nothing",
                ", ".join(str(r["second_run_mails"]) for r in results),
                common.verdict(not any(r["second_run_mails"] for r in results)),
            )
        )
        section = (
            "## Subscription digest (`benchmarks/digest.py`)\n\n"
            f"Run {common.timestamp()} with `python benchmarks/digest.py --databases "
            f"{args.databases}`.\n\n"
            f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; "
            f"load average at the end {common.loadavg()}.\n"
            f"- Data: {common.fmt(ARTICLES)} imported articles; {common.fmt(USERS)} staff "
            f"accounts (both cities) with {SUBSCRIPTIONS_PER_USER} subscriptions each "
            f"(kinds: {', '.join(f'{k} {v}' for k, v in results[0]['kinds'].items())}), "
            f"daily delivery; one topic area behind a group restriction; {EVENTS} publication "
            "events (a day's worth; every tenth a 'wesentliche Änderung') besides the "
            "import's.\n"
            "- Timed: `manage.py kb_send_notifications --now <Tuesday 08:00>` in one process "
            "(settings `wissensnetz.settings.production`), every mail sent over SMTP "
            "(Django's backend, one connection per mail) to aiosmtpd on 127.0.0.1 in the same "
            "process; then the same run again.\n\n"
            "### Targets\n\n"
            f"{common.targets_markdown(rows)}\n\n### Figures\n\n{text}\n"
        )
        common.write_section(args.results, "digest", section)
    return common.report_failures(failed)


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    sys.exit(main())
