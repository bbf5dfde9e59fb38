"""Metrics on conversations and opportunities (crm); lead hand-off metrics are in leads.py.

Definitions (rates are fractions 0–1, money is EUR):
- `conversations_logged`: conversations that occurred in the period.
- `conversation_completeness`: complete conversations / all conversations that
  occurred in the period (drafts count as incomplete).
- `avg_quality_score`: mean quality score (0–100) of those conversations.
- `unaware_campaign_mentions`: conversations in the period where the customer
  mentioned a campaign the rep did not know about.
- `insights_by_theme`: conversations in the period that brought an insight theme;
  `insights_by_theme:<theme id>` per theme.
- `objections_top`: objection mentions in conversations in the period;
  `objections_top:<tag>` per objection tag.
- `pipeline_created`: amount of opportunities created in the period;
  `pipeline_created:<source>` per source (marketing, sales, partner, referral).
- `revenue_won`: amount of opportunities won (closed_at) in the period.
- `win_rate`: won / (won + lost) among opportunities closed in the period.
- `avg_cycle_days`: mean days from creation to close of opportunities won in the period.
Only opportunities in EUR are summed until exchange rates exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)

from ..models import Dimension
from .base import (
    Figures,
    Window,
    as_decimal,
    figures_from_rows,
    grouped,
    registry,
)
from .sql import SqlFigures, SqlSelect, rate

CONVERSATION = ("crm.Conversation",)
OPPORTUNITY = ("crm.Opportunity",)
CONVERSATION_PATHS = {
    Dimension.ALL: None,
    Dimension.TEAM: "author__team_id",
    Dimension.USER: "author_id",
    Dimension.CAMPAIGN: "campaign_id",
    Dimension.SEGMENT: "account__segment",
}
OPPORTUNITY_PATHS = {
    Dimension.ALL: None,
    Dimension.TEAM: "owner__team_id",
    Dimension.USER: "owner_id",
    Dimension.CAMPAIGN: "campaign_id",
    Dimension.SEGMENT: "account__segment",
}


def _conversations():
    # Notes imported from another CRM are history, not conversations logged in
    # Silta: they follow none of the rules, so they would skew every figure.
    return apps.get_model("crm", "Conversation").objects.filter(imported=False)


def _opportunities():
    return apps.get_model("crm", "Opportunity").objects.all()


def _eur_opportunities():
    """Money figures sum EUR amounts only (no exchange rates yet)."""
    return _opportunities().filter(currency="EUR")


def _conversation_rows(window: Window, dimension: str, **aggregates):
    return grouped(
        _conversations(),
        window=window,
        date_field="occurred_at",
        dimension_path=CONVERSATION_PATHS[dimension],
        **aggregates,
    )


@registry.register("conversations_logged", requires=CONVERSATION)
def conversations_logged(window: Window, dimension: str) -> Figures:
    """Conversations that occurred in the period."""
    rows = _conversation_rows(window, dimension, value=Count("id"))
    return SqlFigures(SqlSelect("conversations_logged", rows))


@registry.register("conversation_completeness", requires=CONVERSATION, unit="rate")
def conversation_completeness(window: Window, dimension: str) -> Figures:
    """Complete / all conversations that occurred in the period."""
    rows = _conversation_rows(
        window, dimension, complete=Count("id", filter=Q(status="complete")), total=Count("id")
    ).annotate(value=rate("complete", "total"))
    return SqlFigures(SqlSelect("conversation_completeness", rows))


@registry.register("avg_quality_score", requires=CONVERSATION, unit="score")
def avg_quality_score(window: Window, dimension: str) -> Figures:
    """Mean quality score (0–100) of conversations in the period."""
    rows = _conversation_rows(window, dimension, value=Avg("quality_score"))
    return SqlFigures(SqlSelect("avg_quality_score", rows))


@registry.register("unaware_campaign_mentions", requires=CONVERSATION)
def unaware_campaign_mentions(window: Window, dimension: str) -> Figures:
    """Conversations where the customer mentioned a campaign the rep had not heard of."""
    rows = _conversation_rows(
        window,
        dimension,
        value=Count("id", filter=Q(campaign__isnull=False, campaign_known_to_rep=False)),
    )
    return SqlFigures(SqlSelect("unaware_campaign_mentions", rows))


@registry.register("insights_by_theme", requires=CONVERSATION, breakdown=True)
def insights_by_theme(window: Window, dimension: str) -> Figures:
    """Conversations that brought an insight theme, in total and per theme."""
    with_theme = _conversations().filter(theme__isnull=False)
    path = CONVERSATION_PATHS[dimension]
    common = {"window": window, "date_field": "occurred_at", "dimension_path": path}
    return SqlFigures(
        SqlSelect("insights_by_theme", grouped(with_theme, **common, value=Count("id"))),
        SqlSelect(
            "insights_by_theme",
            grouped(with_theme, **common, part_field="theme_id", value=Count("id")),
            has_part=True,
        ),
    )


@registry.register("objections_top", requires=("crm.ConversationObjection",), breakdown=True)
def objections_top(window: Window, dimension: str) -> Figures:
    """Objection mentions in conversations in the period, in total and per tag."""
    Objection = apps.get_model("crm", "ConversationObjection")
    path = CONVERSATION_PATHS[dimension]
    common = {
        "window": window,
        "date_field": "conversation__occurred_at",
        "dimension_path": None if path is None else f"conversation__{path}",
    }
    objections = Objection.objects.all()
    return SqlFigures(
        SqlSelect("objections_top", grouped(objections, **common, value=Count("id"))),
        SqlSelect(
            "objections_top",
            grouped(objections, **common, part_field="tag", value=Count("id")),
            has_part=True,
        ),
    )


def _opportunity_rows(window, dimension, *, date_field, queryset=None, **aggregates):
    return grouped(
        _opportunities() if queryset is None else queryset,
        window=window,
        date_field=date_field,
        dimension_path=OPPORTUNITY_PATHS[dimension],
        **aggregates,
    )


@registry.register("pipeline_created", requires=OPPORTUNITY, breakdown=True, unit="eur")
def pipeline_created(window: Window, dimension: str) -> Figures:
    """Amount (EUR) of opportunities created in the period, in total and per source."""
    common = {"date_field": "created_at", "queryset": _eur_opportunities()}
    total = _opportunity_rows(window, dimension, **common, value=Sum("amount"))
    per_source = _opportunity_rows(
        window, dimension, **common, part_field="source", value=Sum("amount")
    )
    return SqlFigures(
        SqlSelect("pipeline_created", total),
        SqlSelect("pipeline_created", per_source, has_part=True),
    )


@registry.register("revenue_won", requires=OPPORTUNITY, unit="eur")
def revenue_won(window: Window, dimension: str) -> Figures:
    """Amount (EUR) of opportunities won in the period (by closed_at)."""
    rows = _opportunity_rows(
        window,
        dimension,
        date_field="closed_at",
        queryset=_eur_opportunities().filter(stage="won"),
        value=Sum("amount"),
    )
    return SqlFigures(SqlSelect("revenue_won", rows))


@registry.register("win_rate", requires=OPPORTUNITY, unit="rate")
def win_rate(window: Window, dimension: str) -> Figures:
    """Won / (won + lost) among opportunities closed in the period."""
    rows = _opportunity_rows(
        window,
        dimension,
        date_field="closed_at",
        queryset=_opportunities().filter(stage__in=["won", "lost"]),
        won=Count("id", filter=Q(stage="won")),
        closed=Count("id"),
    ).annotate(value=rate("won", "closed"))
    return SqlFigures(SqlSelect("win_rate", rows))


def _elapsed(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


@registry.register("avg_cycle_days", requires=OPPORTUNITY, unit="days")
def avg_cycle_days(window: Window, dimension: str) -> Figures:
    """Mean days from creation to won, for opportunities won in the period."""
    rows = _opportunity_rows(
        window,
        dimension,
        date_field="closed_at",
        queryset=_opportunities().filter(stage="won"),
        value=Avg(_elapsed("closed_at", "created_at")),
    )
    return figures_from_rows(
        "avg_cycle_days", rows, lambda r: None if r["value"] is None else _days(r["value"])
    )


def _days(value: timedelta):
    return as_decimal(value.total_seconds() / 86400)
