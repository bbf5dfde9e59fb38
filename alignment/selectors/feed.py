"""The insight feed: conversations as marketing reads them, and the summaries above it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from crm.models import Conversation, ConversationObjection
from crm.selectors import conversations_for

from ..models import InsightQuestion, Theme

TOP_OBJECTIONS = 8
GOALS_PER_SEGMENT = 2
SEGMENTS_SHOWN = 5
SUMMARY_DAYS = 90
FEED_ORDERING = ("-occurred_at", "-id")
# The summaries move slowly and each scans months of conversations: recompute them at
# most this often, and keep serving the previous figures while one request does.
SUMMARIES_FRESH_FOR = timedelta(minutes=5)
SUMMARIES_KEPT_FOR = timedelta(hours=1)
SUMMARIES_KEY = "alignment:feed-summaries"
SUMMARIES_REFRESHING = f"{SUMMARIES_KEY}:refreshing"


def feed_conversations(*, user) -> QuerySet[Conversation]:
    """The conversations the user may read, with what a feed card shows, in fixed queries."""
    return (
        conversations_for(user=user)
        .select_related("triage", "triage__reviewed_by")
        .prefetch_related(
            "triage__tags",
            Prefetch(
                "insight_questions",
                queryset=InsightQuestion.objects.select_related("asked_by").order_by("asked_at"),
            ),
        )
        .order_by(*FEED_ORDERING)
    )


@dataclass(frozen=True)
class FeedSummaries:
    objections: list[dict]
    goals: list[dict]
    theme_reactions: list[dict]
    computed_at: datetime


def feed_summaries() -> FeedSummaries:
    """Top objections, goals by segment and theme reactions, at most a few minutes old.

    One request recomputes stale figures while the others show the previous ones, also
    when a new day moves "this month" and the 90-day window.
    """
    summaries = _cached_summaries()
    if summaries is not None and _fresh(summaries):
        return summaries
    if summaries is not None and not cache.add(SUMMARIES_REFRESHING, True, timeout=60):
        return summaries  # another request is recomputing them
    summaries = FeedSummaries(
        objections=top_objections(),
        goals=goals_by_segment(),
        theme_reactions=theme_reactions(),
        computed_at=timezone.now(),
    )
    cache.set(SUMMARIES_KEY, vars(summaries), timeout=SUMMARIES_KEPT_FOR.total_seconds())
    cache.delete(SUMMARIES_REFRESHING)
    return summaries


def forget_feed_summaries() -> None:
    """Drop the cached summaries (they quote customer goals): next view recomputes them."""
    cache.delete(SUMMARIES_KEY)


def _cached_summaries() -> FeedSummaries | None:
    # Kept as a plain dict: a changed FeedSummaries after a deploy is a miss, not an error.
    try:
        return FeedSummaries(**cache.get(SUMMARIES_KEY))
    except TypeError:
        return None


def _fresh(summaries: FeedSummaries) -> bool:
    now = timezone.now()
    return now - summaries.computed_at < SUMMARIES_FRESH_FOR and timezone.localdate(
        summaries.computed_at
    ) == timezone.localdate(now)


def _month_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


def top_objections(*, today: date | None = None) -> list[dict]:
    """The most raised objections this month, with last month's count beside them."""
    today = today or timezone.localdate()
    this_month = _month_start(today)
    last_month = _month_start((this_month - timedelta(days=1)).date())
    next_month = _month_start((this_month + timedelta(days=32)).date())
    rows = (
        ConversationObjection.objects.filter(
            conversation__occurred_at__gte=last_month, conversation__occurred_at__lt=next_month
        )
        .values("tag")
        .annotate(
            this_month=Count("pk", filter=Q(conversation__occurred_at__gte=this_month)),
            last_month=Count("pk", filter=Q(conversation__occurred_at__lt=this_month)),
        )
        .filter(this_month__gt=0)
        .order_by("-this_month", "tag")[:TOP_OBJECTIONS]
    )
    return [{**row, "change": row["this_month"] - row["last_month"]} for row in rows]


def goals_by_segment(*, today: date | None = None) -> list[dict]:
    """Per account segment: how many conversations lately and the latest customer goals."""
    since = timezone.now() - timedelta(days=SUMMARY_DAYS)
    recent = Conversation.objects.filter(occurred_at__gte=since).exclude(customer_goal="")
    shown = list(
        recent.values("account__segment")
        .annotate(n=Count("pk"))
        .order_by("-n", "account__segment")[:SEGMENTS_SHOWN]
    )
    # The newest goals of each shown segment: a short walk down the occurred_at index per
    # segment (one UNION ALL), instead of ranking every conversation of the window.
    latest = [
        recent.filter(account__segment=row["account__segment"])
        .order_by(*FEED_ORDERING)
        .values("pk", "account__segment", "account__name", "customer_goal", "occurred_at")[
            :GOALS_PER_SEGMENT
        ]
        for row in shown
    ]
    if latest and connection.features.supports_slicing_ordering_in_compound:
        goals = list(latest[0].union(*latest[1:], all=True))
    else:  # SQLite: one small query per shown segment
        goals = [goal for query in latest for goal in query]
    goals.sort(key=lambda goal: (goal["occurred_at"], goal["pk"]), reverse=True)
    return [
        {
            "segment": row["account__segment"],
            "count": row["n"],
            "goals": [g for g in goals if g["account__segment"] == row["account__segment"]],
        }
        for row in shown
    ]


def theme_reactions() -> list[dict]:
    """Per theme used lately: conversations, how many moved forward, how many fell back."""
    since = timezone.now() - timedelta(days=SUMMARY_DAYS)
    forward = [Conversation.Outcome.ADVANCED, Conversation.Outcome.WON]
    back = [Conversation.Outcome.SETBACK, Conversation.Outcome.LOST]
    # Through the relation the default manager does not apply: leave out deleted logs here.
    recent = Q(conversations__occurred_at__gte=since, conversations__deleted_at__isnull=True)
    rows = (
        Theme.objects.filter(recent)
        .annotate(
            used=Count("conversations", filter=recent),
            forward=Count("conversations", filter=recent & Q(conversations__outcome__in=forward)),
            back=Count("conversations", filter=recent & Q(conversations__outcome__in=back)),
        )
        .values("pk", "title", "status", "used", "forward", "back")
        .order_by("-used", "title")
    )
    return [
        {**row, "forward_rate": row["forward"] / row["used"] if row["used"] else 0} for row in rows
    ]


def unaware_mentions() -> QuerySet[Conversation]:
    """Conversations where the customer mentioned a campaign the rep had not heard of."""
    return (
        Conversation.objects.filter(campaign__isnull=False, campaign_known_to_rep=False)
        .select_related("account", "author", "campaign")
        .order_by("-occurred_at", "-pk")
    )


def unaware_mentions_by_campaign() -> list[dict]:
    return list(
        unaware_mentions()
        .values("campaign", "campaign__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "campaign__name")
    )
