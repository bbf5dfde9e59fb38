"""Metrics on the hand-off from marketing to sales and the stage funnel (crm + alignment).

Definitions (rates are fractions 0–1, money is EUR):
- `lead_response_hours`: median hours from a marketing-sourced opportunity's
  creation to its first conversation (at or after creation), by creation period;
  leads without a conversation yet are left out (see `sla_met_rate`).
- `sla_met_rate`: marketing-sourced opportunities created in the period whose first
  conversation came within the lead-response service level (hours; the smallest
  active alignment ServiceLevel of kind lead_response, else 24) / those already
  contacted or past the deadline.
- `revenue_per_marketing_euro`: won revenue of marketing-sourced opportunities
  closed in the period / marketing spend of campaigns starting in the period.
- `stage_reached:<source>:<stage>`: opportunities created in the period that ever
  reached the stage (current stage or stage history), for the stage funnel.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from ..models import Dimension
from .base import (
    Figures,
    Window,
    figures_from_rows,
    grouped,
    ratio,
    registry,
)
from .crm import (
    CONVERSATION,
    OPPORTUNITY,
    OPPORTUNITY_PATHS,
    _eur_opportunities,
    _flag,
)
from .grouped import Elapsed, Grouped, median, share, total

DEFAULT_LEAD_RESPONSE_HOURS = 24
FUNNEL_STAGES = ("lead", "qualified", "proposal", "negotiation", "won")


def _marketing_leads():
    """Marketing-sourced opportunities with their first conversation at or after creation."""
    Conversation = apps.get_model("crm", "Conversation")
    first = (
        Conversation.objects.filter(
            opportunity=OuterRef("pk"), occurred_at__gte=OuterRef("created_at")
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        apps.get_model("crm", "Opportunity")
        .objects.filter(source="marketing")
        .annotate(first_contact=Subquery(first))
    )


@registry.register_grouped(
    "lead_response_hours",
    requires=OPPORTUNITY + CONVERSATION,
    unit="hours",
    batch="marketing_leads",
)
def lead_response_hours() -> Grouped:
    """Median hours from a marketing lead's creation to its first conversation."""
    # Leads not contacted yet have no response time: the median leaves them out.
    return Grouped(
        rows=_marketing_leads(),
        date_field="created_at",
        paths=OPPORTUNITY_PATHS,
        inputs={"response": Elapsed("first_contact", "created_at")},
        values={"": median("response")},
    )


def lead_response_target_hours() -> int:
    try:
        ServiceLevel = apps.get_model("alignment", "ServiceLevel")
    except LookupError:
        return DEFAULT_LEAD_RESPONSE_HOURS
    target = (
        ServiceLevel.objects.filter(kind="lead_response", active=True)
        .order_by("target")
        .values_list("target", flat=True)
        .first()
    )
    return target or DEFAULT_LEAD_RESPONSE_HOURS


@registry.register_grouped(
    "sla_met_rate", requires=OPPORTUNITY + CONVERSATION, unit="rate", batch="marketing_leads"
)
def sla_met_rate() -> Grouped:
    """Marketing leads contacted within the service level / leads contacted or overdue."""
    limit = timedelta(hours=lead_response_target_hours())
    overdue_before = timezone.now() - limit
    return Grouped(
        rows=_marketing_leads(),
        date_field="created_at",
        paths=OPPORTUNITY_PATHS,
        inputs={
            "met": _flag(Q(first_contact__lte=F("created_at") + limit)),
            "due": _flag(Q(first_contact__isnull=False) | Q(created_at__lte=overdue_before)),
        },
        values={"": share("met", "due")},
    )


REVENUE_PER_EURO_PATHS = {
    Dimension.ALL: (None, None),
    Dimension.CAMPAIGN: ("campaign_id", "id"),
    Dimension.SEGMENT: ("account__segment", "segment"),
}


@registry.register(
    "revenue_per_marketing_euro",
    dimensions=tuple(REVENUE_PER_EURO_PATHS),
    requires=OPPORTUNITY + ("alignment.Campaign",),
    unit="ratio",
)
def revenue_per_marketing_euro(window: Window, dimension: str) -> Figures:
    """Won revenue of marketing-sourced opportunities / marketing spend, per period."""
    opportunity_path, campaign_path = REVENUE_PER_EURO_PATHS[dimension]
    won = grouped(
        _eur_opportunities().filter(stage="won", source="marketing"),
        window=window,
        date_field="closed_at",
        dimension_path=opportunity_path,
        value=Sum("amount"),
    )
    spend = grouped(
        apps.get_model("alignment", "Campaign").objects.all(),
        window=window,
        date_field="starts_on",
        is_date=True,
        dimension_path=campaign_path,
        value=Sum("spend"),
    )
    revenue = {(r["period_start"], r["dimension_id"]): r["value"] for r in won}
    return figures_from_rows(
        "revenue_per_marketing_euro",
        spend,
        lambda r: ratio(revenue.get((r["period_start"], r["dimension_id"]), 0), r["value"]),
    )


def _stage_index(field: str) -> Case:
    """Position of a stage in the funnel; a lost opportunity was at least a lead."""
    return Case(
        *[When(**{field: stage}, then=Value(i + 1)) for i, stage in enumerate(FUNNEL_STAGES)],
        default=Value(1),
        output_field=IntegerField(),
    )


@registry.register_grouped(
    "stage_reached", requires=OPPORTUNITY + ("crm.OpportunityStageChange",), breakdown=True
)
def stage_reached() -> Grouped:
    """Opportunities created in the period that reached each funnel stage, per source."""
    Change = apps.get_model("crm", "OpportunityStageChange")
    furthest_change = (
        Change.objects.filter(opportunity=OuterRef("pk"))
        .annotate(index=_stage_index("to_stage"))
        .order_by("-index")
        .values("index")[:1]
    )
    opportunities = apps.get_model("crm", "Opportunity").objects.annotate(
        reached=Greatest(
            _stage_index("stage"),
            Coalesce(Subquery(furthest_change, output_field=IntegerField()), Value(1)),
        )
    )
    return Grouped(
        rows=opportunities,
        date_field="created_at",
        paths=OPPORTUNITY_PATHS,
        inputs={stage: _flag(Q(reached__gte=i + 1)) for i, stage in enumerate(FUNNEL_STAGES)},
        values={stage: total(stage) for stage in FUNNEL_STAGES},
        part="source",
    )
