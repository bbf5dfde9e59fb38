"""Shared service levels and the daily breach check (seed 002: hand-offs both sides own)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, can, users_with_role
from core.services.notifications import notify
from crm.models import Conversation, Opportunity, OpportunityStageChange

from ..models import ServiceLevel, ServiceLevelBreach

# Leads older than this are not checked again: the daily job stays cheap at scale.
LEAD_LOOKBACK = timedelta(days=30)
QUALIFIED_STAGES = [
    Opportunity.Stage.QUALIFIED,
    Opportunity.Stage.PROPOSAL,
    Opportunity.Stage.NEGOTIATION,
    Opportunity.Stage.WON,
]


@transaction.atomic
def save_service_level(*, user, form) -> ServiceLevel:
    """Save a validated ServiceLevelForm on behalf of a marketer or manager."""
    if not can(user, "servicelevel.manage"):
        raise PermissionDenied
    service_level = form.save(commit=False)
    if service_level.created_by_id is None:
        service_level.created_by = user
    service_level.save()
    return service_level


def month_bounds(day: date) -> tuple[datetime, datetime]:
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    make = timezone.make_aware
    return make(datetime.combine(start, time.min)), make(datetime.combine(end, time.min))


def late_marketing_leads(*, hours: int, now: datetime | None = None):
    """Marketing-sourced opportunities whose first conversation came (or is) later than `hours`."""
    now = now or timezone.now()
    delta = timedelta(hours=hours)
    first_conversation = (
        Conversation.objects.filter(
            Q(opportunity=OuterRef("pk"))
            | Q(account=OuterRef("account"), occurred_at__gte=OuterRef("created_at"))
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    deadline = ExpressionWrapper(F("created_at") + delta, output_field=DateTimeField())
    return (
        Opportunity.objects.filter(
            source=Opportunity.Source.MARKETING, created_at__gte=now - LEAD_LOOKBACK
        )
        .annotate(first_conversation_at=Subquery(first_conversation), deadline=deadline)
        .filter(
            Q(first_conversation_at__isnull=True, created_at__lt=now - delta)
            | Q(first_conversation_at__gt=F("deadline"))
        )
        .select_related("account", "owner")
    )


def qualified_marketing_leads(*, month: date) -> int:
    """Marketing-sourced opportunities that first reached a qualified stage in the month."""
    start, end = month_bounds(month)
    return (
        OpportunityStageChange.objects.filter(
            opportunity__source=Opportunity.Source.MARKETING, to_stage__in=QUALIFIED_STAGES
        )
        .values("opportunity")
        .annotate(first=Min("changed_at"))
        .filter(first__gte=start, first__lt=end)
        .count()
    )


def _link_of(opportunity) -> str:
    try:
        return opportunity.get_absolute_url()
    except NoReverseMatch:
        return ""


def _record(service_level, *, subject_key, recipients, **fields) -> ServiceLevelBreach | None:
    with transaction.atomic():
        breach, created = ServiceLevelBreach.objects.get_or_create(
            service_level=service_level, subject_key=subject_key, defaults=fields
        )
        if not created:
            return None
        for user in recipients:
            notify(
                user=user,
                kind="servicelevel.breach",
                subject=_("Service level missed: %(name)s") % {"name": service_level.name},
                body=breach.summary,
                link=breach.link or reverse("alignment:service-levels"),
                dedupe_key=f"servicelevel-breach:{breach.pk}",
            )
    return breach


def check_service_levels(*, now: datetime | None = None) -> list[ServiceLevelBreach]:
    """Record and notify breaches not seen before; running it twice adds nothing."""
    now = now or timezone.now()
    managers = list(users_with_role(Role.MANAGER))
    marketers = list(users_with_role(Role.MARKETING))
    new: list[ServiceLevelBreach] = []
    for service_level in ServiceLevel.objects.filter(active=True):
        if service_level.kind == ServiceLevel.Kind.LEAD_RESPONSE:
            for lead in late_marketing_leads(hours=service_level.target, now=now):
                waited = (lead.first_conversation_at or now) - lead.created_at
                hours = round(waited.total_seconds() / 3600, 1)
                summary = (
                    _("Lead “%(lead)s” (%(account)s) had no conversation after %(hours)s hours")
                    if lead.first_conversation_at is None
                    else _(
                        "Lead “%(lead)s” (%(account)s) waited %(hours)s hours for a first conversation"
                    )
                ) % {"lead": lead.name, "account": lead.account, "hours": hours}
                breach = _record(
                    service_level,
                    subject_key=f"opportunity:{lead.pk}",
                    recipients={lead.owner, *managers, *marketers},
                    summary=summary[:300],
                    link=_link_of(lead),
                    measured=hours,
                    period_start=timezone.localdate(lead.created_at),
                )
                if breach:
                    new.append(breach)
        elif service_level.kind == ServiceLevel.Kind.QUALIFIED_LEADS:
            # Judge the month that just ended; the current one is still open.
            previous = (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)
            delivered = qualified_marketing_leads(month=previous)
            if delivered >= service_level.target:
                continue
            summary = _(
                "%(month)s: marketing delivered %(count)d of %(target)d qualified leads"
            ) % {
                "month": previous.strftime("%Y-%m"),
                "count": delivered,
                "target": service_level.target,
            }
            breach = _record(
                service_level,
                subject_key=f"month:{previous:%Y-%m}",
                recipients={*managers, *marketers},
                summary=summary,
                measured=delivered,
                period_start=previous,
            )
            if breach:
                new.append(breach)
    return new
