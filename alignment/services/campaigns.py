"""Creating, publishing and acknowledging campaigns (seed 001: brief sales before launch)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, can, users_with_role
from core.services.notifications import notify

from ..models import Campaign, CampaignAttachment, CampaignBriefing, Theme

CAMPAIGN_FIELDS = (
    "name",
    "offer",
    "channel",
    "segment",
    "starts_on",
    "ends_on",
    "budget",
    "spend",
    "briefing",
)


def _money(value, field: str, errors: dict) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter an amount in euros.")]
        return Decimal(0)
    if amount < 0:
        errors[field] = [_("The amount cannot be negative.")]
    return amount


def _validate(campaign: Campaign, themes, attachments) -> None:
    errors: dict[str, list[str]] = {}
    if not (campaign.name or "").strip():
        errors["name"] = [_("Give the campaign a name.")]
    if not (campaign.offer or "").strip():
        errors["offer"] = [_("Say what the offer or proposition is.")]
    if campaign.channel not in Campaign.Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if not campaign.starts_on:
        errors["starts_on"] = [_("Enter the start date.")]
    if not campaign.ends_on:
        errors["ends_on"] = [_("Enter the end date.")]
    if campaign.starts_on and campaign.ends_on and campaign.starts_on > campaign.ends_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    campaign.budget = _money(campaign.budget, "budget", errors)
    campaign.spend = _money(campaign.spend, "spend", errors)
    if themes is not None and any(t.status == Theme.Status.RETIRED for t in themes):
        errors["themes"] = [_("A retired theme cannot be used in a campaign.")]
    if attachments is not None:
        check_url = URLValidator(schemes=["http", "https"])
        for item in attachments:
            try:
                check_url(item.get("url", ""))
            except ValidationError:
                errors["attachments"] = [_("Each attachment needs a title and a web link.")]
                break
            if not (item.get("title") or "").strip():
                errors["attachments"] = [_("Each attachment needs a title and a web link.")]
                break
    if errors:
        raise ValidationError(errors)


def _save(campaign: Campaign, data: dict) -> Campaign:
    for field in CAMPAIGN_FIELDS:
        if field in data:
            value = data[field]
            setattr(campaign, field, value.strip() if isinstance(value, str) else value)
    themes = list(data["themes"]) if data.get("themes") is not None else None
    attachments = data.get("attachments")
    _validate(campaign, themes, attachments)
    campaign.save()
    if themes is not None:
        campaign.themes.set(themes)
    if attachments is not None:
        campaign.attachments.all().delete()
        CampaignAttachment.objects.bulk_create(
            CampaignAttachment(campaign=campaign, title=a["title"].strip(), url=a["url"])
            for a in attachments
        )
    return campaign


@transaction.atomic
def create_campaign(*, author, data: dict) -> Campaign:
    """Marketing drafts a campaign; nobody hears of it until it is published."""
    if not can(author, "campaign.manage"):
        raise PermissionDenied
    return _save(Campaign(created_by=author), data)


@transaction.atomic
def update_campaign(*, user, campaign: Campaign, data: dict) -> Campaign:
    if not can(user, "campaign.manage"):
        raise PermissionDenied
    before = (campaign.offer, campaign.briefing)
    try:
        campaign = _save(campaign, data)
    except ValidationError:
        campaign.refresh_from_db()  # leave the caller's object as stored, not half-edited
        raise
    if campaign.published_at and (campaign.offer, campaign.briefing) != before:
        _tell_sales_about_change(campaign)
    return campaign


def _tell_sales_about_change(campaign: Campaign) -> None:
    """Reps already briefed must hear when the offer or what to say changes."""
    version = hashlib.sha256(f"{campaign.offer}\n{campaign.briefing}".encode()).hexdigest()[:12]
    link = reverse("alignment:campaign-detail", args=[campaign.pk])
    for rep in users_with_role(Role.SALES):
        notify(
            user=rep,
            kind="campaign.updated",
            subject=_("Campaign briefing updated: %(name)s") % {"name": campaign.name},
            body=campaign.briefing,
            link=link,
            dedupe_key=f"campaign-updated:{campaign.pk}:{version}",
        )


@transaction.atomic
def publish_campaign(*, user, campaign: Campaign) -> int:
    """Publish the briefing and tell every sales user; returns how many were notified now."""
    if not can(user, "campaign.manage"):
        raise PermissionDenied
    if not campaign.briefing.strip():
        raise ValidationError({"briefing": [_("Write the sales briefing before publishing.")]})
    if campaign.published_at is None:
        campaign.published_at = timezone.now()
        campaign.save(update_fields=["published_at"])
    link = reverse("alignment:campaign-detail", args=[campaign.pk])
    sent = 0
    for rep in users_with_role(Role.SALES):
        sent += (
            notify(
                user=rep,
                kind="campaign.published",
                subject=_("New campaign: %(name)s") % {"name": campaign.name},
                body=_("%(offer)s\n\nRead the briefing before %(start)s and acknowledge it.")
                % {"offer": campaign.offer, "start": campaign.starts_on.isoformat()},
                link=link,
                dedupe_key=f"campaign-published:{campaign.pk}:{rep.pk}",
            )
            is not None
        )
    return sent


def acknowledge_campaign(*, user, campaign: Campaign) -> tuple[CampaignBriefing, bool]:
    """The rep has read the briefing; acknowledging again keeps the first time."""
    if not can(user, "campaign.acknowledge"):
        raise PermissionDenied
    if campaign.published_at is None:
        raise ValidationError({"campaign": [_("This campaign has not been published yet.")]})
    try:
        with transaction.atomic():
            return CampaignBriefing.objects.get_or_create(campaign=campaign, user=user)
    except IntegrityError:  # two requests at once: the other one won
        return CampaignBriefing.objects.get(campaign=campaign, user=user), False


# Reps are reminded this many days before launch, and while the campaign runs.
REMIND_DAYS_BEFORE = 3


def remind_unread_briefings(*, today=None) -> int:
    """Daily: one reminder per rep and campaign for briefings still unread near or after launch."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        published_at__isnull=False,
        starts_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        ends_on__gte=today,
    )
    sent = 0
    for campaign in campaigns:
        unread = users_with_role(Role.SALES).exclude(campaign_briefings__campaign=campaign)
        for rep in unread:
            sent += (
                notify(
                    user=rep,
                    kind="campaign.briefing_reminder",
                    subject=_("Read the briefing: %(name)s starts %(start)s")
                    % {"name": campaign.name, "start": campaign.starts_on.isoformat()},
                    body=campaign.offer,
                    link=reverse("alignment:campaign-detail", args=[campaign.pk]),
                    dedupe_key=f"campaign-briefing-reminder:{campaign.pk}:{rep.pk}",
                )
                is not None
            )
    return sent
