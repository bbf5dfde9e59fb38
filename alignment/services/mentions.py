"""Unaware mentions: a customer mentioned a campaign the rep had not heard of (seed 001)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role, users_with_role
from core.services.notifications import notify


def is_unaware_mention(conversation) -> bool:
    return bool(conversation.campaign_id) and not conversation.campaign_known_to_rep


def notify_unaware_mention(*, conversation) -> int:
    """Tell every marketer at once; once per conversation, however often it is saved."""
    if not is_unaware_mention(conversation):
        return 0
    subject = _("%(account)s mentioned “%(campaign)s”, and %(rep)s had not heard of it") % {
        "account": conversation.account,
        "campaign": conversation.campaign,
        "rep": conversation.author,
    }
    body = _(
        "The customer brought up the campaign in a conversation on %(date)s. "
        "Did the briefing reach this rep?"
    ) % {"date": conversation.occurred_at.date().isoformat()}
    link = reverse("alignment:mentions") + f"#conversation-{conversation.pk}"
    sent = 0
    for marketer in users_with_role(Role.MARKETING):
        sent += (
            notify(
                user=marketer,
                kind="campaign.unaware_mention",
                subject=subject,
                body=body,
                link=link,
                dedupe_key=f"unaware-mention:{conversation.pk}",
            )
            is not None
        )
    return sent
