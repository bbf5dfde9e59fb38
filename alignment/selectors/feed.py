"""The insight feed: conversations as marketing reads them, and the summaries above it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from crm.models import Conversation, ConversationObjection
from crm.selectors import conversations_for

from ..models import InsightQuestion, Theme

TOP_OBJECTIONS = 8
GOALS_PER_SEGMENT = 2
SEGMENTS_SHOWN = 5
SUMMARY_DAYS = 90


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
        .order_by("-occurred_at", "-pk")
    )


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
    counts = {
        row["account__segment"]: row["n"]
        for row in recent.values("account__segment").annotate(n=Count("pk"))
    }
    latest = (
        recent.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("account__segment")],
                order_by=[F("occurred_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=GOALS_PER_SEGMENT)
        .values("pk", "account__segment", "account__name", "customer_goal", "occurred_at")
    )
    segments: dict[str, dict] = {}
    for row in latest:
        segment = row["account__segment"]
        entry = segments.setdefault(
            segment, {"segment": segment, "count": counts.get(segment, 0), "goals": []}
        )
        entry["goals"].append(row)
    return sorted(segments.values(), key=lambda s: (-s["count"], s["segment"]))[:SEGMENTS_SHOWN]


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
