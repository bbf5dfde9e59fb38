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

from django.apps import apps
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    Value,
    When,
)

from ..models import Dimension
from .base import registry
from .grouped import Elapsed, Grouped, mean, share, total

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


def _conversation_figures(rows=None, **spec) -> Grouped:
    return Grouped(
        rows=_conversations() if rows is None else rows,
        date_field="occurred_at",
        paths=CONVERSATION_PATHS,
        **spec,
    )


def _flag(condition: Q) -> Case:
    """1 for rows meeting the condition, else 0 (summed by `total` and `share`)."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


@registry.register_grouped("conversations_logged", requires=CONVERSATION, batch="conversations")
def conversations_logged() -> Grouped:
    """Conversations that occurred in the period."""
    return _conversation_figures()


@registry.register_grouped(
    "conversation_completeness", requires=CONVERSATION, unit="rate", batch="conversations"
)
def conversation_completeness() -> Grouped:
    """Complete / all conversations that occurred in the period."""
    return _conversation_figures(
        inputs={"complete": _flag(Q(status="complete"))}, values={"": share("complete")}
    )


@registry.register_grouped(
    "avg_quality_score", requires=CONVERSATION, unit="score", batch="conversations"
)
def avg_quality_score() -> Grouped:
    """Mean quality score (0–100) of conversations in the period."""
    return _conversation_figures(
        inputs={"quality": F("quality_score")}, values={"": mean("quality")}
    )


@registry.register_grouped(
    "unaware_campaign_mentions", requires=CONVERSATION, batch="conversations"
)
def unaware_campaign_mentions() -> Grouped:
    """Conversations where the customer mentioned a campaign the rep had not heard of."""
    unaware = Q(campaign__isnull=False, campaign_known_to_rep=False)
    return _conversation_figures(inputs={"unaware": _flag(unaware)}, values={"": total("unaware")})


@registry.register_grouped("insights_by_theme", requires=CONVERSATION, breakdown=True)
def insights_by_theme() -> Grouped:
    """Conversations that brought an insight theme, in total and per theme."""
    return _conversation_figures(
        rows=_conversations().filter(theme__isnull=False), part="theme_id", with_total=True
    )


@registry.register_grouped(
    "objections_top", requires=("crm.ConversationObjection",), breakdown=True
)
def objections_top() -> Grouped:
    """Objection mentions in conversations in the period, in total and per tag."""
    Objection = apps.get_model("crm", "ConversationObjection")
    return Grouped(
        # Through the relation the live-conversation manager does not apply.
        rows=Objection.objects.filter(
            conversation__imported=False, conversation__deleted_at__isnull=True
        ),
        date_field="conversation__occurred_at",
        paths={
            dimension: None if path is None else f"conversation__{path}"
            for dimension, path in CONVERSATION_PATHS.items()
        },
        part="tag",
        with_total=True,
    )


def _opportunity_figures(rows, *, date_field: str, **spec) -> Grouped:
    return Grouped(rows=rows, date_field=date_field, paths=OPPORTUNITY_PATHS, **spec)


@registry.register_grouped("pipeline_created", requires=OPPORTUNITY, breakdown=True, unit="eur")
def pipeline_created() -> Grouped:
    """Amount (EUR) of opportunities created in the period, in total and per source."""
    return _opportunity_figures(
        _eur_opportunities(),
        date_field="created_at",
        inputs={"amount": F("amount")},
        values={"": total("amount")},
        part="source",
        with_total=True,
    )


@registry.register_grouped("revenue_won", requires=OPPORTUNITY, unit="eur")
def revenue_won() -> Grouped:
    """Amount (EUR) of opportunities won in the period (by closed_at)."""
    return _opportunity_figures(
        _eur_opportunities().filter(stage="won"),
        date_field="closed_at",
        inputs={"amount": F("amount")},
        values={"": total("amount")},
    )


@registry.register_grouped("win_rate", requires=OPPORTUNITY, unit="rate")
def win_rate() -> Grouped:
    """Won / (won + lost) among opportunities closed in the period."""
    return _opportunity_figures(
        _opportunities().filter(stage__in=["won", "lost"]),
        date_field="closed_at",
        inputs={"won": _flag(Q(stage="won"))},
        values={"": share("won")},
    )


@registry.register_grouped("avg_cycle_days", requires=OPPORTUNITY, unit="days")
def avg_cycle_days() -> Grouped:
    """Mean days from creation to won, for opportunities won in the period."""
    return _opportunity_figures(
        _opportunities().filter(stage="won"),
        date_field="closed_at",
        inputs={"days": Elapsed("closed_at", "created_at", unit="days")},
        values={"": mean("days")},
    )
