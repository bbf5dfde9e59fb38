"""Themes with approvals, campaigns with themes and briefings, service levels."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from alignment.models import Campaign, CampaignBriefing, ServiceLevel, Theme, ThemeApproval
from bench import corpus
from bench.loader import next_id
from bench.world import World

SEGMENT_LABELS = ["logistics", "manufacturing", "public sector", "healthcare", "energy"]


def build_themes(world: World) -> None:
    rng = world.rng
    first_id = next_id(Theme)
    rows, approvals = [], []
    marketing, sales = world.users_by_role["marketing"], world.users_by_role["sales"]
    theme_id = first_id
    for segment in SEGMENT_LABELS:
        for title, insight in corpus.THEMES:
            roll = rng.random()
            status = "active" if roll < 0.75 else ("proposed" if roll < 0.88 else "retired")
            created = world.moment(rng.random() * 0.8, working_hours=False)
            activated = created + timedelta(days=rng.randrange(2, 20))
            rows.append(
                (
                    theme_id,
                    f"{title} ({segment})",
                    insight,
                    "Open with the customer's own figures. Ask where the time goes. "
                    "Show the reference case.",
                    "Pilot results and two reference customers in the segment.",
                    segment,
                    status,
                    rng.choice(marketing + sales),
                    created,
                    activated if status != "proposed" else None,
                    activated + timedelta(days=400) if status == "retired" else None,
                )
            )
            if status != "proposed":
                approvals.append((theme_id, rng.choice(marketing), "marketing", activated))
                approvals.append((theme_id, rng.choice(sales), "sales", activated))
                if status == "active":
                    world.active_themes.append(theme_id)
            world.all_themes.append(theme_id)
            theme_id += 1
    fields = [
        "id",
        "title",
        "insight",
        "talking_points",
        "evidence",
        "segment",
        "status",
        "proposed_by",
        "created_at",
        "activated_at",
        "retired_at",
    ]
    world.loader.copy(Theme, fields, rows)
    world.loader.copy(ThemeApproval, ["theme", "user", "side", "approved_at"], approvals)


def build_campaigns(world: World) -> None:
    rng = world.rng
    first_id = next_id(Campaign)
    rows, theme_links, briefings = [], [], []
    readers = [
        u
        for role in ("sales", "manager", "frontline")
        for u in world.users_by_role.get(role, [])
        if u not in world.inactive_users
    ]
    day = world.start.date() + timedelta(days=20)
    campaign_id = first_id
    today = world.now.date()
    while day < today + timedelta(days=30):
        starts = day
        ends = starts + timedelta(days=rng.randrange(14, 60))
        budget = Decimal(rng.randrange(5, 80) * 1000)
        spent_share = (
            1.0 if ends < today else max(0.0, (today - starts).days / (ends - starts).days)
        )
        spend = (
            budget * Decimal(str(round(min(1.0, spent_share) * rng.uniform(0.7, 1.05), 2)))
        ).quantize(Decimal("1.00"))
        published = starts - timedelta(days=rng.randrange(1, 14)) if rng.random() < 0.9 else None
        name = f"{rng.choice(corpus.CAMPAIGN_NAMES)} {starts:%Y}/{(starts.month - 1) // 3 + 1}"
        created = starts - timedelta(days=30)
        rows.append(
            (
                campaign_id,
                name,
                "A free efficiency check and 10 % off the first year for new service contracts.",
                rng.choice(corpus.CAMPAIGN_CHANNELS),
                rng.choice(SEGMENT_LABELS),
                starts,
                ends,
                budget,
                min(spend, budget),
                "Customers will ask about the free check. Book it in the calendar and log the "
                "conversation with this campaign so marketing sees what happened.",
                _aware(world, published) if published else None,
                rng.choice(world.users_by_role["marketing"]),
                _aware(world, created),
            )
        )
        for theme in rng.sample(world.all_themes, k=rng.randrange(1, 3)):
            theme_links.append((campaign_id, theme))
        if published is not None and starts <= today:
            for user in rng.sample(readers, k=int(len(readers) * rng.uniform(0.4, 0.9))):
                ack_day = starts + timedelta(days=rng.randrange(-10, 15))
                briefings.append((campaign_id, user, _aware(world, ack_day)))
        world.campaign_ids.append(campaign_id)
        world.campaign_starts.append(starts)
        world.campaign_ends.append(ends)
        campaign_id += 1
        day += timedelta(days=rng.randrange(6, 18))
    fields = [
        "id",
        "name",
        "offer",
        "channel",
        "segment",
        "starts_on",
        "ends_on",
        "budget",
        "spend",
        "briefing",
        "published_at",
        "created_by",
        "created_at",
    ]
    world.loader.copy(Campaign, fields, rows)
    world.loader.copy(Campaign.themes.through, ["campaign", "theme"], theme_links)
    world.loader.copy(CampaignBriefing, ["campaign", "user", "acknowledged_at"], briefings)
    if not ServiceLevel.objects.exists():
        world.loader.copy(
            ServiceLevel,
            ["name", "kind", "target", "description", "active", "created_at"],
            [
                (
                    "Marketing leads contacted within 24 h",
                    "lead_response",
                    24,
                    "",
                    True,
                    world.start,
                ),
                ("40 qualified leads a month", "qualified_leads", 40, "", True, world.start),
            ],
        )


def _aware(world: World, day):
    from datetime import datetime, time

    return datetime.combine(day, time(9, 0), tzinfo=world.tz)
