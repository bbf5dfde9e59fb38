"""Service levels and their breaches."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from ..models import ServiceLevel, ServiceLevelBreach


def service_levels_with_counts() -> QuerySet[ServiceLevel]:
    return ServiceLevel.objects.annotate(
        breach_count=Count("breaches"), last_breach_at=Max("breaches__detected_at")
    ).order_by("-active", "name")


def recent_breaches() -> QuerySet[ServiceLevelBreach]:
    return ServiceLevelBreach.objects.select_related("service_level")
