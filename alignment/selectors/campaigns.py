"""Campaign lists, the Live now page and the briefing roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from core.roles import Role, can, users_with_role

from ..models import Campaign, CampaignBriefing, Theme

# Reps see a campaign on Live now this many days before it starts, to prepare.
SOON_DAYS = 7


def campaigns_for(*, user) -> QuerySet[Campaign]:
    """Everyone with campaign.read sees published campaigns; marketing also sees drafts."""
    campaigns = Campaign.objects.select_related("created_by").annotate(
        acknowledged_count=Count("briefings", distinct=True),
        acknowledged_by_me=Exists(
            CampaignBriefing.objects.filter(campaign=OuterRef("pk"), user_id=user.pk)
        ),
    )
    if not can(user, "campaign.manage"):
        campaigns = campaigns.filter(published_at__isnull=False)
    return campaigns.order_by("-starts_on", "name", "pk").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("title")), "attachments"
    )


def live_campaigns(*, user, on: date | None = None) -> QuerySet[Campaign]:
    """Published campaigns running today (or starting within a week: reps prepare early)."""
    today = on or timezone.localdate()
    return (
        campaigns_for(user=user)
        .filter(published_at__isnull=False, ends_on__gte=today)
        .filter(starts_on__lte=today + timedelta(days=SOON_DAYS))
        .order_by("starts_on", "name")
    )


@dataclass(frozen=True)
class RosterLine:
    user: object
    acknowledged_at: datetime | None
    before_launch: bool | None


def briefing_roster(*, campaign: Campaign) -> list[RosterLine]:
    """Every sales user plus anyone else who acknowledged: who has read the briefing, and when."""
    briefings = {
        b.user_id: b
        for b in CampaignBriefing.objects.filter(campaign=campaign).select_related("user")
    }
    audience = {u.pk: u for u in users_with_role(Role.SALES)}
    audience.update({b.user_id: b.user for b in briefings.values()})
    lines = []
    for user in sorted(audience.values(), key=lambda u: (u.get_full_name() or u.username).lower()):
        briefing = briefings.get(user.pk)
        lines.append(
            RosterLine(
                user=user,
                acknowledged_at=briefing.acknowledged_at if briefing else None,
                before_launch=briefing.before_launch if briefing else None,
            )
        )
    return lines


def unacknowledged_campaign_count(*, user) -> int:
    today = timezone.localdate()
    return (
        Campaign.objects.filter(published_at__isnull=False, ends_on__gte=today)
        .exclude(briefings__user=user)
        .count()
    )
