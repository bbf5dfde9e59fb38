"""Mixed load: 50 concurrent users for 2 minutes against gunicorn on loopback.

Reps log conversations and read their follow-ups, marketers read the insight
feed, managers open the dashboard. Passes when no request fails. Run after
`make bench-data`:

    .venv/bin/python -m bench.load_mixed [--seconds 120] [--clients 50]

Appends its figures to bench/RESULTS.md. Loopback only; bounded in time and count.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_REDIS, DEFAULT_URL, configure  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    configure(args)

    from bench.http_load import run_load
    from bench.scenarios_web import (
        OBJECTION_TAGS,
        SEARCH_WORDS,
        Context,
        _remove_bench_conversations,
        complete_log_poster,
    )
    from bench.server import Gunicorn
    from crm.models import Conversation

    log_path = Path(os.environ["SILTA_VAR_DIR"]) / "load-mixed-gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    last_id = Conversation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with Gunicorn(workers=args.workers, log_path=log_path) as server:
        ctx = Context(server.port, max_seconds=args.seconds, max_requests=10**7)
        post_log = complete_log_poster(ctx)
        if post_log is None:
            print("no sales users with accounts: run make bench-data first")
            return 2
        rep_tokens = [{"Authorization": f"Token {t}"} for t in _rep_tokens(ctx)]

        def mixed(client: int, n: int):
            kind = client % 10
            if kind < 5:  # half the users are reps: log, then look at follow-ups
                if n % 3 == 0:
                    return post_log(client, n)
                return ("GET", "/api/followups/", None, rep_tokens[client % len(rep_tokens)])
            if kind < 8:  # marketers read the feed
                word = SEARCH_WORDS[n % len(SEARCH_WORDS)]
                tag = OBJECTION_TAGS[n % len(OBJECTION_TAGS)]
                path = f"/api/conversations/?objection={tag}&search={word}"
                return ("GET", path, None, ctx.api_marketing)
            return ("GET", "/api/dashboard/", None, ctx.api_manager)  # managers

        try:
            result = run_load(
                port=server.port,
                make_request=mixed,
                clients=args.clients,
                max_requests=10**7,
                max_seconds=args.seconds,
                expect=(200, 201),
            )
        finally:
            removed = _remove_bench_conversations(last_id)
    verdict = "met" if result.errors == 0 else "missed"
    line = (
        f"| mixed load | {args.clients} users for {args.seconds:.0f} s: {result.summary()}; "
        f"statuses {dict(result.statuses)} | 0 errors | {verdict} |"
    )
    print(line)
    if result.error_examples:
        print("e.g.", result.error_examples)
    with open(args.output, "a", encoding="utf-8") as out:
        out.write(
            f"\n## Mixed load ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `bench/load_mixed.py`)\n\n"
            "| scenario | figure | target | verdict |\n|---|---|---|---|\n"
            f"{line}\n\nReps (half the users) log a complete conversation every third request "
            "and otherwise read their follow-ups; marketers search the feed with an objection "
            f"filter; managers read /api/dashboard/. {removed} logged conversations were "
            "removed afterwards.\n"
        )
    return 0 if result.errors == 0 else 1


def _rep_tokens(ctx) -> list[str]:
    from bench.server import token_for

    return [token_for(user) for user in ctx.sales if user.is_active] or [""]


if __name__ == "__main__":
    raise SystemExit(main())
