"""Service levels, how they stand right now, and their breaches."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from ..models import ServiceLevel, ServiceLevelBreach


def service_levels_with_counts() -> QuerySet[ServiceLevel]:
    return ServiceLevel.objects.annotate(
        breach_count=Count("breaches"), last_breach_at=Max("breaches__detected_at")
    ).order_by("-active", "name")


def service_levels_with_status() -> list[ServiceLevel]:
    """Each service level with `current`: late leads now, or qualified leads this month."""
    from ..services.service_levels import late_marketing_leads, qualified_marketing_leads

    levels = list(service_levels_with_counts())
    for level in levels:
        if level.kind == ServiceLevel.Kind.LEAD_RESPONSE:
            level.current = late_marketing_leads(hours=level.target).count()
        else:
            level.current = qualified_marketing_leads(month=timezone.localdate())
    return levels


def recent_breaches() -> QuerySet[ServiceLevelBreach]:
    return ServiceLevelBreach.objects.select_related("service_level")
