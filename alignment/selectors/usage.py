"""How themes are used in conversations: count, outcomes, reactions, trend by month."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth

from crm.models import Conversation

REACTIONS_SHOWN = 8


def theme_usage(*, theme, months: int = 12) -> dict:
    """Aggregated in the database; the latest reactions are the only rows loaded."""
    used = Conversation.objects.filter(theme=theme)
    outcome_labels = dict(Conversation.Outcome.choices)
    outcomes = [
        {
            "outcome": row["outcome"],
            "label": outcome_labels.get(row["outcome"], "—"),
            "count": row["n"],
        }
        for row in used.exclude(outcome="").values("outcome").annotate(n=Count("pk")).order_by("-n")
    ]
    trend = [
        {"month": row["month"].strftime("%Y-%m"), "count": row["n"]}
        for row in used.annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ][-months:]
    reactions = list(
        used.exclude(customer_reaction="")
        .select_related("account", "author")
        .only(
            "pk",
            "occurred_at",
            "customer_reaction",
            "outcome",
            "account__name",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
        .order_by("-occurred_at", "-pk")[:REACTIONS_SHOWN]
    )
    return {
        "total": used.count(),
        "reps": used.values("author").distinct().count(),
        "outcomes": outcomes,
        "trend": trend,
        "reactions": reactions,
    }
