"""Demo data: themes in every state, campaigns around today, service levels.

Runs first in core.demo.APP_ORDER; leaves `ctx.shared["themes"]` (active ones
first) and `ctx.shared["campaigns"]` (the live one first) for the CRM demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Campaign, CampaignBriefing, ServiceLevel, Theme, ThemeApproval
from .services.campaigns import acknowledge_campaign, create_campaign, publish_campaign
from .services.themes import approve_theme, propose_theme, retire_theme

THEMES = [
    # proposer, approvers, retire?, data
    (
        "aino",
        ["aino", "sam"],
        False,
        {
            "title": "Hidden cost of manual quoting",
            "insight": (
                "Mid-size machine shops lose on average two working days per quote to manual "
                "costing. The buyer who answers first wins about 60 % of small orders, so slow "
                "quotes cost more in lost deals than in hours."
            ),
            "talking_points": (
                "Ask: how long does a typical quote take you today, from drawing to price?\n"
                "Show the benchmark: the fastest shops quote within four hours.\n"
                "Connect it to their win rate, not to our software."
            ),
            "evidence": "Teknologiateollisuus member survey 2025; our own data from 40 customers.",
            "segment": "Manufacturing SME",
        },
    ),
    (
        "sam",
        ["mark", "maria"],
        False,
        {
            "title": "Energy is now a bigger cost than labour in drying",
            "insight": (
                "For sawmills and food producers, energy for drying has overtaken labour as the "
                "largest variable cost since 2022. Few of them measure it per batch, so they "
                "cannot price it into their offers."
            ),
            "talking_points": (
                "Ask what one batch costs in energy today.\n"
                "Share the example of a Savo sawmill that cut drying energy by 18 %."
            ),
            "evidence": "Statistics Finland energy prices 2022–2025; customer case Savon Saha Oy.",
            "segment": "Process industry",
        },
    ),
    (
        "daan",
        ["aino"],
        False,
        {
            "title": "Groothandel verliest marge op spoedorders",
            "insight": (
                "Dutch wholesalers accept rush orders at list price while the extra logistics "
                "cost eats most of the margin. Customers rarely know what a rush order really "
                "costs them."
            ),
            "talking_points": "Ask how many orders last month were rush orders, and who paid the courier.",
            "evidence": "",
            "segment": "Wholesale NL",
        },
    ),
    (
        "mark",
        [],
        False,
        {
            "title": "Service contracts as a growth engine",
            "insight": (
                "Machine builders who sell a service contract with every machine grow their "
                "after-sales revenue three times faster, and their customers renew more often."
            ),
            "talking_points": "",
            "evidence": "",
            "segment": "Machine builders",
        },
    ),
    (
        "mark",
        ["mark", "sanna"],
        True,
        {
            "title": "Paper order forms are a GDPR risk",
            "insight": (
                "Retired: after the 2025 audit, customers told us this felt like a scare tactic "
                "rather than an insight, and it did not lead to better conversations."
            ),
            "talking_points": "",
            "evidence": "",
            "segment": "Retail",
        },
    ),
]


def _themes(ctx) -> list[Theme]:
    themes = []
    for proposer, approvers, retire, data in THEMES:
        theme = propose_theme(author=ctx.users[proposer], data=data)
        for username in approvers:
            approve_theme(user=ctx.users[username], theme=theme)
        if retire:
            retire_theme(user=ctx.users["maria"], theme=theme)
        themes.append(theme)
    # Spread the history over the past months so dates look lived in.
    for age, theme in zip((120, 90, 20, 6, 200), themes, strict=True):
        created = ctx.now - timedelta(days=age)
        Theme.objects.filter(pk=theme.pk).update(created_at=created)
        ThemeApproval.objects.filter(theme=theme).update(approved_at=created + timedelta(days=3))
        if theme.activated_at:
            Theme.objects.filter(pk=theme.pk).update(activated_at=created + timedelta(days=3))
    order = {Theme.Status.ACTIVE: 0, Theme.Status.PROPOSED: 1, Theme.Status.RETIRED: 2}
    return sorted(
        Theme.objects.filter(pk__in=[t.pk for t in themes]), key=lambda t: order[t.status]
    )


def _campaigns(ctx, themes: list[Theme]) -> list[Campaign]:
    today = timezone.localdate(ctx.now)
    by_title = {t.title: t for t in themes}
    quoting = by_title["Hidden cost of manual quoting"]
    energy = by_title["Energy is now a bigger cost than labour in drying"]
    rush_orders = by_title["Groothandel verliest marge op spoedorders"]
    mark, aino = ctx.users["mark"], ctx.users["aino"]
    live = create_campaign(
        author=aino,
        data={
            "name": "Nopeampi tarjous – Faster quotes spring offer",
            "offer": (
                "Machine shops that sign an annual licence before the end of the campaign get "
                "the quote-automation module free for the first year and a half-day onboarding."
            ),
            "channel": Campaign.Channel.PRINT,
            "segment": "Finnish machine shops, 20–200 employees",
            "starts_on": today - timedelta(days=5),
            "ends_on": today + timedelta(days=25),
            "budget": "14000",
            "spend": "9200",
            "briefing": (
                "A printed flyer and a LinkedIn series reach about 900 machine shops. Customers "
                "will quote the flyer: 'free quoting module for a year'. Open with the hidden "
                "cost of manual quoting, ask how long their last quote took, then offer the "
                "onboarding. The offer needs a signature by the end date."
            ),
            "themes": [quoting],
            "attachments": [
                {"title": "Flyer (PDF)", "url": "https://silta.example/material/flyer-2026.pdf"},
                {"title": "Pitch deck", "url": "https://silta.example/material/faster-quotes-deck"},
            ],
        },
    )
    upcoming = create_campaign(
        author=mark,
        data={
            "name": "Groothandel Live – webinar",
            "offer": "A webinar on rush-order margins with a free margin scan for attendees.",
            "channel": Campaign.Channel.WEBINAR,
            "segment": "Dutch wholesalers",
            "starts_on": today + timedelta(days=6),
            "ends_on": today + timedelta(days=20),
            "budget": "4000",
            "spend": "650",
            "briefing": (
                "Invitations go out next week. Attendees get a free margin scan: book it for "
                "them in the follow-up call and bring the numbers to the next meeting."
            ),
            "themes": [rush_orders],
        },
    )
    draft = create_campaign(
        author=mark,
        data={
            "name": "Autumn service-contract push",
            "offer": "Two service visits included with every new machine contract.",
            "channel": Campaign.Channel.EMAIL,
            "segment": "Machine builders",
            "starts_on": today + timedelta(days=60),
            "ends_on": today + timedelta(days=90),
            "budget": "6000",
            "spend": "0",
            "briefing": "",
        },
    )
    past = create_campaign(
        author=aino,
        data={
            "name": "Energiaviikot – Energy weeks",
            "offer": "Free energy-per-batch measurement for process-industry customers.",
            "channel": Campaign.Channel.EVENT,
            "segment": "Process industry",
            "starts_on": today - timedelta(days=80),
            "ends_on": today - timedelta(days=50),
            "budget": "9000",
            "spend": "8700",
            "briefing": "Measure one batch on site, then send the report within a week.",
            "themes": [energy],
        },
    )
    for campaign in (live, upcoming, past):
        publish_campaign(user=aino, campaign=campaign)
    Campaign.objects.filter(pk=live.pk).update(published_at=ctx.now - timedelta(days=12))
    Campaign.objects.filter(pk=past.pk).update(published_at=ctx.now - timedelta(days=85))
    # Sami read it well before launch, Daan only after customers asked; Sanna has not.
    for username, age_days, campaign in [
        ("sam", 10, live),
        ("daan", 2, live),
        ("maria", 8, live),
        ("sam", 83, past),
        ("sanna", 82, past),
    ]:
        acknowledge_campaign(user=ctx.users[username], campaign=campaign)
        CampaignBriefing.objects.filter(campaign=campaign, user=ctx.users[username]).update(
            acknowledged_at=ctx.now - timedelta(days=age_days)
        )
    return [live, upcoming, past, draft]


def _service_levels(ctx) -> None:
    ServiceLevel.objects.get_or_create(
        kind=ServiceLevel.Kind.LEAD_RESPONSE,
        defaults={
            "name": "Marketing leads get a first conversation within 24 hours",
            "target": 24,
            "description": "Agreed in the spring planning day: a lead that waits cools fast.",
            "created_by": ctx.users["maria"],
        },
    )
    ServiceLevel.objects.get_or_create(
        kind=ServiceLevel.Kind.QUALIFIED_LEADS,
        defaults={
            "name": "Marketing delivers 8 qualified leads a month",
            "target": 8,
            "description": "Qualified means a named buyer, a need and a time frame.",
            "created_by": ctx.users["maria"],
        },
    )


TAGS = ["pricing", "competitor", "integration", "budget timing", "energy cost"]
QUESTIONS = [
    # (asker, question, answer or "")
    (
        "aino",
        "Which competitor did they compare us with, and was it on price or on features?",
        "Lemonsoft, on price per user. They liked our quoting module better.",
    ),
    ("mark", "Did they say where they saw the offer first: the flyer or LinkedIn?", ""),
]


def _triage_feed(ctx) -> None:
    """Marketing has worked through part of the feed: reviewed, highlighted, tagged, asked."""
    from crm.models import Conversation

    from .services.insights import answer_question, ask_rep, mark_reviewed, set_highlight, set_tags

    conversations = list(
        Conversation.objects.filter(pk__in=[c.pk for c in ctx.shared.get("conversations", [])])
        .select_related("author", "account")
        .order_by("occurred_at", "pk")
    )
    aino, mark = ctx.users["aino"], ctx.users["mark"]
    for index, conversation in enumerate(conversations[: len(conversations) // 2]):
        mark_reviewed(user=aino if index % 2 else mark, conversation=conversation)
        set_tags(user=aino, conversation=conversation, tags=[TAGS[index % len(TAGS)]])
    for conversation in conversations[-3:-1]:
        set_highlight(user=aino, conversation=conversation, highlighted=True)
    with_objections = [c for c in conversations if c.objections]
    for conversation, (asker, question, answer) in zip(
        with_objections[-2:], QUESTIONS, strict=False
    ):
        asked = ask_rep(user=ctx.users[asker], conversation=conversation, question=question)
        if answer:
            answer_question(user=conversation.author, question=asked, answer=answer)


def load(ctx) -> None:
    themes = _themes(ctx)
    ctx.shared["themes"] = themes
    ctx.shared["campaigns"] = _campaigns(ctx, themes)
    _service_levels(ctx)
    # The CRM demo logs the conversations after this loader; seed_demo runs every
    # loader in one transaction, so triage them once it has committed.
    transaction.on_commit(lambda: _triage_feed(ctx))
