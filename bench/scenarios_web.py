"""Scenarios served by gunicorn: insight feed, dashboard, logging; plus the fan-out job."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import corpus
from bench.http_load import run_load
from bench.scenarios import (
    CLIENTS,
    capture,
    exists,
    explain,
    not_measured,
    p95_row,
    row,
    slowest,
)
from bench.server import session_cookie_for, token_for, users_with_role

FLOOR_PATH = "/api/notifications/"
SEARCH_WORDS = ["pilot", "hinnoittelusta", "levertijden", "reference", "referenssitapauksen"]
OBJECTION_TAGS = ["price", "hinta", "prijs", "budget"]


class Context:
    """Users, credentials and the evidence collected for RESULTS.md."""

    def __init__(self, port: int, *, max_seconds: float, max_requests: int):
        self.port = port
        self.max_seconds = max_seconds
        self.max_requests = max_requests
        self.marketing = users_with_role("marketing", 1)[0]
        self.manager = users_with_role("manager", 1)[0]
        self.sales = users_with_role("sales", CLIENTS)
        self.api_marketing = {"Authorization": f"Token {token_for(self.marketing)}"}
        self.api_manager = {"Authorization": f"Token {token_for(self.manager)}"}
        self.page_marketing = {"Cookie": session_cookie_for(self.marketing)}
        self.page_manager = {"Cookie": session_cookie_for(self.manager)}
        self.evidence: list[tuple[str, str]] = []
        self.floor = None

    def load(self, make_request, *, expect=(200,), max_requests=None):
        return run_load(
            port=self.port,
            make_request=make_request,
            clients=CLIENTS,
            max_requests=max_requests or self.max_requests,
            max_seconds=self.max_seconds,
            expect=expect,
            warmup=3,
        )

    def in_process(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def note_queries(self, label: str, queries: list[dict], explain_top: int = 1) -> None:
        total = sum(float(q["time"]) for q in queries) * 1000
        lines = [f"{len(queries)} queries, {total:.0f} ms in the database (in-process, one run)"]
        for query in slowest(queries, explain_top):
            lines.append(
                f"\nslowest ({float(query['time']) * 1000:.0f} ms):\n{query['sql'][:1500]}"
            )
            try:
                lines.append("\nEXPLAIN (ANALYZE, BUFFERS):\n" + explain(query["sql"]))
            except Exception as exc:  # noqa: BLE001 - evidence is best effort
                lines.append(f"\n(EXPLAIN failed: {exc})")
        self.evidence.append((label, "\n".join(lines)))


def floor(ctx: Context) -> list[dict]:
    ctx.floor = ctx.load(lambda i, n: ("GET", FLOOR_PATH, None, ctx.api_marketing))
    return [
        row(
            "floor",
            f"GET {FLOOR_PATH} (bare authenticated DRF list, the caller's inbox)",
            f"p95 {ctx.floor.p95_ms:.0f} ms, {ctx.floor.rps:.0f} req/s at {CLIENTS} clients",
            note=ctx.floor.summary(),
        )
    ]


def _themes() -> list[int]:
    from alignment.models import Theme

    return list(Theme.objects.filter(status="active").values_list("pk", flat=True)[:20])


def insight_feed(ctx: Context) -> list[dict]:
    rows = []
    themes = _themes() or [0]

    def api(i, n):
        word = SEARCH_WORDS[n % len(SEARCH_WORDS)]
        if n % 2:
            query = f"theme={themes[n % len(themes)]}&search={word}"
        else:
            query = f"objection={OBJECTION_TAGS[n % len(OBJECTION_TAGS)]}&search={word}"
        return ("GET", f"/api/conversations/?{query}", None, ctx.api_marketing)

    ok, reason = exists(ctx.port, api(0, 1)[1], ctx.api_marketing)
    if ok:
        result = ctx.load(api)
        rows.append(
            p95_row(
                "insight feed",
                "GET /api/conversations/ theme or objection filter + search",
                result,
                target_ms=150,
                floor=ctx.floor,
            )
        )
        client = ctx.in_process(ctx.marketing)
        for sample in (api(0, 1)[1], api(0, 2)[1]):
            _status, _count, queries = capture(client, sample)
            ctx.note_queries(f"insight feed API {sample}", queries)
    else:
        rows.append(not_measured("insight feed", "GET /api/conversations/", reason, "≤ 150 ms"))

    def page(i, n):
        word = SEARCH_WORDS[n % len(SEARCH_WORDS)]
        return (
            "GET",
            f"/alignment/feed/?theme={themes[n % len(themes)]}&search={word}",
            None,
            ctx.page_marketing,
        )

    ok, reason = exists(ctx.port, page(0, 0)[1], ctx.page_marketing)
    if ok:
        result = ctx.load(page)
        rows.append(
            p95_row(
                "insight feed",
                "feed page /alignment/feed/ theme + search",
                result,
                target_ms=150,
                floor=ctx.floor,
            )
        )
        status, count, queries = capture(ctx.in_process(ctx.marketing), page(0, 0)[1])
        rows[-1]["note"] += f"; {count} queries per page"
        ctx.note_queries(f"feed page {page(0, 0)[1]}", queries)
    else:
        rows.append(not_measured("insight feed", "feed page", reason, "≤ 150 ms"))
    return rows


def dashboard(ctx: Context) -> list[dict]:
    rows = []
    targets = [
        ("dashboard page /kpis/", "/kpis/", ctx.page_manager),
        ("GET /api/dashboard/?period=month", "/api/dashboard/?period=month", ctx.api_manager),
    ]
    client = ctx.in_process(ctx.manager)
    for figure, path, headers in targets:
        ok, reason = exists(ctx.port, path, headers)
        if not ok:
            rows.append(not_measured("dashboard", figure, reason, "≤ 100 ms, ≤ 12 queries"))
            continue
        result = ctx.load(lambda i, n, path=path, headers=headers: ("GET", path, None, headers))
        rows.append(p95_row("dashboard", figure, result, target_ms=100, floor=ctx.floor))
        _status, count, queries = capture(client, path)
        rows.append(row("dashboard", f"{figure}: queries", f"{count} queries", "≤ 12", count <= 12))
        ctx.note_queries(f"dashboard {path}", queries)
    return rows


def complete_log_poster(ctx: Context):
    """A request maker for POST /api/conversations/ with complete logs, or None without reps."""
    from crm.models import Account, Contact

    authors = [u for u in ctx.sales if u.is_active]
    if not authors:
        return None
    themes = _themes()
    per_author = []
    for user in authors:
        accounts = list(Account.objects.filter(owner=user).values_list("pk", flat=True)[:30])
        contacts = {}
        for account_id, contact_id in Contact.objects.filter(account_id__in=accounts).values_list(
            "account_id", "pk"
        ):
            contacts.setdefault(account_id, contact_id)
        if accounts:
            per_author.append(
                (f"Token {token_for(user)}", [(a, contacts.get(a)) for a in accounts])
            )
    if not per_author:
        return None
    texts = corpus.SENTENCES["en"]
    today = timezone.localdate()

    def post(i, n):
        token, accounts = per_author[i % len(per_author)]
        account, contact = accounts[n % len(accounts)]
        body = {
            "account": account,
            "contacts": [contact] if contact else [],
            "channel": "meeting",
            "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "customer_goal": texts["customer_goal"][n % 10].format(n=5, pct=12, eur="40 000", w=3)
            + " "
            + texts["customer_goal"][(n + 3) % 10].format(n=7, pct=9, eur="25 000", w=4),
            "discussed": texts["discussed"][n % 8].format(n=4, pct=10, eur="9 000", w=6)
            + " "
            + texts["discussed"][(n + 1) % 8].format(n=6, pct=10, eur="9 000", w=6),
            "insight_shared": texts["insight_shared"][n % 5].format(n=3, pct=14, eur="1", w=5),
            "theme": themes[n % len(themes)] if themes else None,
            "customer_reaction": texts["customer_reaction"][n % 5],
            "objections": [OBJECTION_TAGS[n % 4]],
            "outcome": "advanced",
            "next_step": texts["next_step"][n % 5].format(n=3, w=2),
            "next_step_due": (today + timedelta(days=7)).isoformat(),
            "status": "complete",
        }
        return ("POST", "/api/conversations/", body, {"Authorization": token})

    return post


def logging(ctx: Context) -> list[dict]:
    from crm.models import Conversation

    post = complete_log_poster(ctx)
    if post is None:
        return [not_measured("logging", "POST /api/conversations/", "no sales users")]
    authors = [u for u in ctx.sales if u.is_active]

    last_id = Conversation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        result = ctx.load(post, expect=(201,), max_requests=ctx.max_requests * 2)
        client = ctx.in_process(authors[0])
        _method, path, body, _headers = post(0, 10_000)
        with CaptureQueriesContext(connection) as queries:
            status = client.post(path, body, content_type="application/json").status_code
        ctx.note_queries(f"logging POST {path} (status {status})", list(queries.captured_queries))
        post_queries = len(queries)
    finally:
        created = _remove_bench_conversations(last_id)
    floor_rps = ctx.floor.rps if ctx.floor else 0
    met = result.errors == 0 and result.rps >= 200
    note = (
        f"{result.summary()}; {post_queries} queries per POST (in-process); "
        f"{created} logged conversations removed afterwards"
    )
    if result.error_examples:
        note += f"; e.g. {result.error_examples[0][:200]}"
    return [
        row(
            "logging",
            "POST /api/conversations/ complete log",
            f"{result.rps:.0f} req/s, {result.errors} errors at {CLIENTS} clients",
            "≥ 200 req/s, 0 errors",
            met,
            f"GET {FLOOR_PATH}: {floor_rps:.0f} req/s",
            f"{result.rps / floor_rps:.2f}×" if floor_rps else "",
            note,
        )
    ]


def _remove_bench_conversations(last_id: int) -> int:
    from crm.models import Conversation

    new = Conversation.objects.filter(pk__gt=last_id)
    count = new.count()
    new.delete()
    history = getattr(Conversation, "history", None)
    if history is not None:
        history.model.objects.filter(id__gt=last_id).delete()
    return count


def fan_out(*, participants: int = 5000, repeat: int = 3) -> list[dict]:
    try:
        from feedback.services.rounds import send_reminders
    except ImportError as exc:
        return [not_measured("fan-out", "send_feedback_reminders", str(exc), "≤ 10 s")]
    from django.conf import settings

    day = (settings.SILTA_FEEDBACK_REMINDER_DAYS or [3])[0]
    small = _reminder_run(send_reminders, participants=participants // 10, day=day, repeat=1)
    large = _reminder_run(send_reminders, participants=participants, day=day, repeat=repeat)
    per_user = (large["queries"] - small["queries"]) / (participants - participants // 10)
    grows = per_user > 0.01
    return [
        row(
            "fan-out",
            f"send_feedback_reminders, {participants:,} participants without an entry",
            f"{large['seconds']:.1f} s (median of {repeat}), {large['sent']:,} reminders",
            "≤ 10 s",
            large["seconds"] <= 10,
        ),
        row(
            "fan-out",
            "queries for the reminder job",
            f"{large['queries']:,} queries for {participants:,}; "
            f"{small['queries']:,} for {participants // 10:,}",
            "does not grow per user",
            not grows,
            ratio=f"{per_user:.1f} queries per participant",
        ),
    ]


def _reminder_run(send_reminders, *, participants: int, day: int, repeat: int) -> dict:
    """Open a throw-away round with `participants` new users; time the job; clean up."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.models import Notification
    from feedback.models import FeedbackRound, RoundParticipant

    User = get_user_model()
    now = timezone.now()
    tag = f"bench-fanout-{int(time.time())}"
    users = User.objects.bulk_create(
        [
            User(username=f"{tag}-{i}", email=f"{tag}-{i}@bench.silta.invalid", is_active=True)
            for i in range(participants)
        ],
        batch_size=2000,
    )
    frontline = Group.objects.get(name="frontline")
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=frontline.pk) for u in users],
        batch_size=2000,
    )
    opens = now - timedelta(days=day - 1)
    feedback_round = FeedbackRound.objects.create(
        month="2099-01", opens_at=opens, closes_at=now + timedelta(days=5), status="open"
    )
    RoundParticipant.objects.bulk_create(
        [RoundParticipant(round=feedback_round, user=u) for u in users], batch_size=2000
    )
    times, queries, sent = [], 0, 0
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    try:
        for _ in range(repeat):
            Notification.objects.filter(user__in=users, kind="feedback.reminder").delete()
            counted[0] = 0
            # CaptureQueriesContext keeps only the last 9,000 queries; the wrapper counts all.
            with CaptureQueriesContext(connection), connection.execute_wrapper(count):
                started = time.perf_counter()
                sent = send_reminders(now=now)
                times.append(time.perf_counter() - started)
            queries = counted[0]
    finally:
        _remove_throwaway(feedback_round, [u.pk for u in users])
    return {"seconds": statistics.median(times), "queries": queries, "sent": sent}


def _remove_throwaway(feedback_round, user_ids: list[int]) -> None:
    """Delete the bench's round and users in SQL: the ORM's cascade would visit every
    table that points at users, including ones of apps still being migrated."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from core.models import Notification
    from feedback.models import RoundParticipant

    User = get_user_model()
    with connection.cursor() as cursor:
        for model, column in [
            (Notification, "user"),
            (RoundParticipant, "user"),
            (User.groups.through, "user"),
            (Token, "user"),
        ]:
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} "
                f"WHERE {model._meta.get_field(column).column} = ANY(%s)",
                [user_ids],
            )
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id = ANY(%s)", [user_ids])
    feedback_round.delete()
