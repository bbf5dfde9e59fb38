"""Run every benchmark scenario of issue 7 and write bench/RESULTS.md (see bench/README.md).

    .venv/bin/python bench/run.py [--database-url postgres://...] [--redis-url redis://.../7]

PostgreSQL and Redis on loopback, gunicorn started here on a free port. Fill the
database first with `make bench-data SCALE=1`. Prints one summary line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/silta_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2-4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--seconds", type=float, default=20, help="time bound per load test")
    parser.add_argument("--requests", type=int, default=400, help="request bound per load test")
    parser.add_argument(
        "--only", default="", help="comma list: rollup,feed,dashboard,logging,fanout"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.redis_url
    os.environ["CACHE_URL"] = args.redis_url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.setdefault("SILTA_VAR_DIR", "/tmp/silta-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    try:
        import subprocess

        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory": f"{memory:.0f} GB",
        "postgres": f"PostgreSQL {pg.split()[0]} (shared_buffers {buffers})",
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "commit": commit,
    }


def dataset() -> dict:
    from django.contrib.auth import get_user_model

    from crm.models import Account, Contact, Conversation, Opportunity
    from feedback.models import FeedbackRound

    counts = {}
    for label, model in [
        ("users", get_user_model()),
        ("accounts", Account),
        ("contacts", Contact),
        ("opportunities", Opportunity),
        ("conversations", Conversation),
        ("feedback rounds", FeedbackRound),
    ]:
        counts[label] = model.objects.count()
    return counts


def redis_ok(url: str) -> str:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=3).ping()
        return ""
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        return f"Redis at {url} not reachable: {exc}"


def flush_redis(url: str) -> None:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=3).flushdb()
    except Exception:  # noqa: BLE001, S110 - best effort cleanup
        pass


def guarded(name: str, function, *args, **kwargs) -> list[dict]:
    from bench.scenarios import not_measured

    started = time.monotonic()
    print(f"bench: {name} …", file=sys.stderr, flush=True)
    try:
        rows = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a scenario must not stop the others
        traceback.print_exc()
        rows = [not_measured(name, name, f"{type(exc).__name__}: {str(exc)[:200]}")]
    print(f"bench: {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv=None) -> int:
    args = parse_args(argv)
    configure(args)
    if args.child:
        from bench.scenarios import child_rollup

        print(json.dumps(child_rollup(args.child[0], args.child[1:])))
        return 0
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench: only PostgreSQL is supported", file=sys.stderr)
        return 2
    call_command("migrate", interactive=False, verbosity=0)
    # A migration that adds a column leaves the planner without statistics for it
    # (seen: `deleted_at IS NULL` estimated at 5,000 of 1,000,000 rows); refresh them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    data = dataset()
    if not data["conversations"]:
        print("bench: the database is empty; run `make bench-data SCALE=1` first", file=sys.stderr)
        return 2
    from bench import scenarios, scenarios_web
    from bench.report import write_results
    from bench.server import Gunicorn

    only = {part.strip() for part in args.only.split(",") if part.strip()}

    def wanted(name: str) -> bool:
        return not only or name in only

    started = time.monotonic()
    rows: list[dict] = []
    problem = redis_ok(args.redis_url)
    if problem:
        rows.append(scenarios.not_measured("setup", "Redis", problem))
    flush_redis(args.redis_url)
    if wanted("rollup"):
        rows += guarded("rollup", scenarios.rollup, repeat=args.repeat)
    evidence: list = []
    log_path = Path(os.environ["SILTA_VAR_DIR"]) / "bench-gunicorn.log"
    with Gunicorn(workers=args.workers, log_path=log_path) as server:
        ctx = scenarios_web.Context(
            server.port, max_seconds=args.seconds, max_requests=args.requests
        )
        rows += guarded("floor", scenarios_web.floor, ctx)
        if wanted("feed"):
            rows += guarded("insight feed", scenarios_web.insight_feed, ctx)
        if wanted("dashboard"):
            rows += guarded("dashboard", scenarios_web.dashboard, ctx)
        if wanted("logging"):
            rows += guarded("logging", scenarios_web.logging, ctx)
        evidence = ctx.evidence
    if wanted("fanout"):
        rows += guarded("fan-out", scenarios_web.fan_out, repeat=args.repeat)
    flush_redis(args.redis_url)
    info = machine()
    info["workers"] = args.workers
    summary = write_results(
        Path(args.output),
        rows=rows,
        evidence=evidence,
        machine=info,
        data=data,
        elapsed=time.monotonic() - started,
    )
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
