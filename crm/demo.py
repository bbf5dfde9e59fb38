"""Demo data: Finnish and Dutch customers, their people, deals and conversation logs.

Runs after alignment's demo: links to `ctx.shared["themes"]` / `["campaigns"]` when
they exist, and leaves `ctx.shared["accounts"]` for the apps after it. Everything is
written through the services, so the demo obeys the same rules as the reps.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from .demo_data import ACCOUNTS, CONVERSATIONS, OPPORTUNITIES
from .models import Account, Conversation, Opportunity, OpportunityStageChange
from .services.accounts import create_account, create_contact
from .services.conversations import log_conversation
from .services.opportunities import create_opportunity, update_opportunity

THEME_KEYS = ["quoting", "Energy", "Groothandel", "Service contracts"]
CAMPAIGN_KEYS = ["Nopeampi", "Groothandel Live", "service-contract", "Energiaviikot"]


def _pick(items, keys, index, attr):
    """The shared theme/campaign whose name holds the key for `index`, or None."""
    if index is None:
        return None
    return next(
        (
            item
            for item in items
            # A customer can only have seen a published campaign.
            if keys[index] in getattr(item, attr) and getattr(item, "published_at", True)
        ),
        None,
    )


def _backdate(model, pk, **fields) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _accounts(ctx) -> dict[str, Account]:
    accounts = {}
    for key, (name, industry, segment, country, owner, website, contacts) in ACCOUNTS.items():
        user = ctx.users[owner]
        account = create_account(
            creator=user,
            data={
                "name": name,
                "industry": industry,
                "segment": segment,
                "country": country,
                "website": website,
            },
        )
        for contact_name, title, email in contacts:
            create_contact(
                creator=user,
                data={"account": account, "name": contact_name, "title": title, "email": email},
            )
        accounts[key] = account
    return accounts


def _opportunities(ctx, accounts, campaigns) -> dict[str, Opportunity]:
    opportunities = {}
    for index, (key, owner, name, source, amount, campaign, stages, lost) in enumerate(
        OPPORTUNITIES
    ):
        user = ctx.users[owner]
        start = ctx.now - timedelta(days=60 - index * 3)
        data = {
            "account": accounts[key],
            "name": name,
            "source": source,
            "amount": Decimal(amount),
            "stage": stages[0],
            "campaign": _pick(campaigns, CAMPAIGN_KEYS, campaign, "name"),
        }
        opportunity = create_opportunity(owner=user, data=data)
        for stage in stages[1:]:
            extra = {"lost_reason": lost} if stage == "lost" else {}
            opportunity = update_opportunity(
                opportunity=opportunity, editor=user, data={"stage": stage, **extra}
            )
        # Spread the stage changes over the weeks since creation (cycle lengths).
        changes = list(OpportunityStageChange.objects.filter(opportunity=opportunity))
        step = timedelta(days=max(1, (60 - index * 3) // (len(changes) + 1)))
        for number, change in enumerate(changes):
            _backdate(OpportunityStageChange, change.pk, changed_at=start + step * number)
        last = start + step * (len(changes) - 1)
        _backdate(
            Opportunity,
            opportunity.pk,
            created_at=start,
            stage_changed_at=last,
            closed_at=last if opportunity.is_closed else None,
        )
        opportunities[key] = opportunity
    return opportunities


def _conversations(ctx, accounts, opportunities, themes, campaigns) -> list[Conversation]:
    today = timezone.localdate(ctx.now)
    logged = []
    for row in CONVERSATIONS:
        (
            key,
            author,
            days_ago,
            channel,
            goal,
            discussed,
            insight,
            theme,
            reaction,
            objections,
            campaign,
            known,
            outcome,
            next_step,
            due_in,
            status,
        ) = row
        account = accounts[key]
        chosen_theme = _pick(themes, THEME_KEYS, theme, "title")
        if chosen_theme is not None and chosen_theme.status != "active":
            chosen_theme = None
        occurred = ctx.now - timedelta(days=days_ago, hours=2)
        conversation = log_conversation(
            author=ctx.users[author],
            data={
                "account": account,
                "contacts": list(account.contacts.all()[:2]),
                "opportunity": opportunities.get(key),
                "channel": channel,
                "occurred_at": occurred,
                "customer_goal": goal,
                "discussed": discussed,
                "insight_shared": insight,
                "theme": chosen_theme,
                "customer_reaction": reaction,
                "objections": objections,
                "campaign": _pick(campaigns, CAMPAIGN_KEYS, campaign, "name"),
                "campaign_known_to_rep": known,
                "outcome": outcome,
                "next_step": next_step,
                "next_step_due": today + timedelta(days=due_in) if due_in is not None else None,
                "status": status,
            },
        )
        _backdate(Conversation, conversation.pk, created_at=occurred + timedelta(minutes=40))
        logged.append(conversation)
    return logged


def load(ctx) -> None:
    themes = list(ctx.shared.get("themes") or [])
    campaigns = list(ctx.shared.get("campaigns") or [])
    accounts = _accounts(ctx)
    opportunities = _opportunities(ctx, accounts, campaigns)
    ctx.shared["accounts"] = list(accounts.values())
    ctx.shared["opportunities"] = list(opportunities.values())
    ctx.shared["conversations"] = _conversations(ctx, accounts, opportunities, themes, campaigns)
