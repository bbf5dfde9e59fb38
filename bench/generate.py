"""Generate Silta data at company scale into PostgreSQL (see bench/README.md).

    .venv/bin/python bench/generate.py --scale 1 [--reset] [--database-url postgres://...]

SCALE=1 is the design scale (500 users, 50,000 accounts, 200,000 contacts, 100,000
opportunities, 1,000,000 conversations, 60 feedback rounds); SCALE=0.01 is a quick
version. The same seed gives the same data on the same day. Refuses to run on
anything but PostgreSQL, and on a database that already holds data unless --reset
(which drops and recreates that database).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/silta_bench"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", "0.01")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reset", action="store_true", help="drop and recreate a database that holds data"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 5:
        parser.error("--scale must be in (0, 5]")
    return args


def refuse(message: str) -> None:
    print(f"generate: {message}", file=sys.stderr)
    raise SystemExit(2)


def prepare_database(url: str, *, reset: bool) -> None:
    """Create the database when missing; drop it first with --reset if it holds data."""
    import psycopg

    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        refuse(f"only PostgreSQL is supported, not {parsed.scheme or url!r}")
    name = parsed.path.lstrip("/")
    if not name:
        refuse("the database URL names no database")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and has_data(url):
            if not reset:
                refuse(f"database {name!r} already holds data; pass --reset to replace it")
            print(f"generate: dropping database {name!r} (--reset)", flush=True)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def has_data(url: str) -> bool:
    """True when any user, account or conversation exists (migrations alone create none)."""
    import psycopg
    from django.contrib.auth import get_user_model

    from crm.models import Account, Conversation

    tables = [m._meta.db_table for m in (get_user_model(), Account, Conversation)]
    with psycopg.connect(url) as conn:
        for name in tables:
            present = conn.execute("SELECT to_regclass(%s)", [name]).fetchone()[0]
            if present and conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0]:
                return True
    return False


def main(argv=None) -> int:
    args = parse_args(argv)
    if urlparse(args.database_url).scheme not in {"postgres", "postgresql", "pgsql"}:
        refuse(f"only PostgreSQL is supported, not {args.database_url!r}")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SILTA_VAR_DIR", "/tmp/silta-bench")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        refuse(f"only PostgreSQL is supported, not {connection.vendor}")
    started = time.monotonic()
    prepare_database(args.database_url, reset=args.reset)
    call_command("migrate", interactive=False, verbosity=0)
    if has_data(args.database_url):
        refuse("the database holds data after migrating; pass --reset")

    from bench import build_alignment, build_crm, build_feedback, build_people
    from bench.loader import Loader, bulk_mode
    from bench.world import World
    from crm.models import (
        Contact,
        Conversation,
        ConversationObjection,
        FollowUp,
        Opportunity,
        OpportunityStageChange,
    )

    loader = Loader()
    world = World(scale=args.scale, seed=args.seed, loader=loader)
    loader.log(f"generating scale {args.scale} into {connection.settings_dict['NAME']}")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    build_people.build_users(world)
    build_people.build_accounts(world)
    build_alignment.build_themes(world)
    build_alignment.build_campaigns(world)
    big = [
        Contact,
        Opportunity,
        OpportunityStageChange,
        Conversation,
        Conversation.contacts.through,
        ConversationObjection,
        FollowUp,
    ]
    with bulk_mode(big, log=loader.log):
        build_people.build_contacts(world)
        build_crm.build_opportunities(world)
        build_crm.build_conversations(world)
        build_crm.derive_conversation_tables(world)
    build_feedback.build_feedback(world)
    build_feedback.build_notifications(world)
    loader.reset_sequences()
    loader.log("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    elapsed = time.monotonic() - started
    total = sum(loader.counts.values())
    loader.log(f"done: {total:,} rows in {elapsed:.0f} s (scale {args.scale}, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
