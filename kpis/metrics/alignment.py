"""Metrics on campaigns, briefings and the self-assessment.

Definitions:
- `marketing_spend` (EUR): the spend of campaigns, counted in the period the
  campaign starts (campaigns carry one spend figure, not a spend per day).
- `briefing_ack_rate` (0–1): of the (published campaign, active sales user)
  pairs for campaigns starting in the period, the share where the seller
  acknowledged the briefing before launch (seed 001: sales hears of the offer
  before the customer does).
- `alignment_stage` (20–100): the mean total score of the self-assessment
  responses in rounds opened in the period; the stage is the band it falls in
  (see kpis/instrument.py). `alignment_stage:<side>` per side.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Avg, Count, F, Sum

from ..models import AssessmentResponse, Dimension
from .base import Figures, Window, figures_from_rows, grouped, ratio, registry

CAMPAIGN_PATHS = {
    Dimension.ALL: None,
    Dimension.CAMPAIGN: "id",
    Dimension.SEGMENT: "segment",
}


def _campaigns():
    return apps.get_model("alignment", "Campaign").objects.all()


def _sales_users():
    from core.roles import Role, users_with_role

    return users_with_role(Role.SALES)


@registry.register(
    "marketing_spend",
    dimensions=tuple(CAMPAIGN_PATHS),
    requires=("alignment.Campaign",),
    unit="eur",
)
def marketing_spend(window: Window, dimension: str) -> Figures:
    """Money out: campaign spend (EUR) in the period the campaign starts."""
    rows = grouped(
        _campaigns(),
        window=window,
        date_field="starts_on",
        is_date=True,
        dimension_path=CAMPAIGN_PATHS[dimension],
        value=Sum("spend"),
    )
    return figures_from_rows("marketing_spend", rows, lambda row: row["value"])


BRIEFING_PATHS = {
    Dimension.ALL: None,
    Dimension.CAMPAIGN: "campaign_id",
    Dimension.SEGMENT: "campaign__segment",
    Dimension.TEAM: "user__team_id",
    Dimension.USER: "user_id",
}


@registry.register(
    "briefing_ack_rate",
    dimensions=tuple(BRIEFING_PATHS),
    requires=("alignment.Campaign", "alignment.CampaignBriefing"),
    unit="rate",
)
def briefing_ack_rate(window: Window, dimension: str) -> Figures:
    """Share of (published campaign, sales user) pairs acknowledged before launch."""
    Briefing = apps.get_model("alignment", "CampaignBriefing")
    sellers = _sales_users()
    acknowledged = grouped(
        Briefing.objects.filter(
            campaign__published_at__isnull=False,
            user__in=sellers,
            acknowledged_at__date__lt=F("campaign__starts_on"),
        ),
        window=window,
        date_field="campaign__starts_on",
        is_date=True,
        dimension_path=BRIEFING_PATHS[dimension],
        value=Count("id"),
    )
    numerators = {(row["period_start"], row["dimension_id"]): row["value"] for row in acknowledged}

    # Denominators: campaigns per period (and segment / campaign) times sellers (per team).
    campaign_path = {Dimension.CAMPAIGN: "id", Dimension.SEGMENT: "segment"}.get(dimension)
    campaign_counts = grouped(
        _campaigns().filter(published_at__isnull=False),
        window=window,
        date_field="starts_on",
        is_date=True,
        dimension_path=campaign_path,
        value=Count("id"),
    )
    if dimension == Dimension.TEAM:
        seller_groups = dict(
            sellers.exclude(team=None).values_list("team_id").annotate(n=Count("id")).order_by()
        )
        seller_groups = {str(team): n for team, n in seller_groups.items()}
    elif dimension == Dimension.USER:
        seller_groups = {str(pk): 1 for pk in sellers.values_list("pk", flat=True)}
    else:
        seller_groups = {None: sellers.count()}

    figures: Figures = {}
    for row in campaign_counts:
        for group_id, seller_count in seller_groups.items():
            dimension_id = row["dimension_id"] if group_id is None else group_id
            value = ratio(
                numerators.get((row["period_start"], dimension_id), 0), row["value"] * seller_count
            )
            if value is not None:
                figures[("briefing_ack_rate", row["period_start"], dimension_id)] = value
    return figures


@registry.register("alignment_stage", dimensions=(Dimension.ALL,), breakdown=True, unit="score")
def alignment_stage(window: Window, dimension: str) -> Figures:
    """Mean self-assessment total (20–100) of rounds opened in the period, overall and per side."""
    responses = AssessmentResponse.objects.all()
    overall = grouped(
        responses,
        window=window,
        date_field="round__opened_at",
        dimension_path=None,
        value=Avg("total"),
    )
    per_side = grouped(
        responses,
        window=window,
        date_field="round__opened_at",
        dimension_path=None,
        extra_group=("side",),
        value=Avg("total"),
    )
    figures = figures_from_rows("alignment_stage", overall, lambda row: row["value"])
    figures.update(
        figures_from_rows("alignment_stage", per_side, lambda row: row["value"], part="side")
    )
    return figures
