from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from kpis.models import KpiSnapshot


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """An aware datetime in the project's time zone (Europe/Helsinki)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def figure(
    metric: str, period: str, start: date, dimension: str = "all", dimension_id=""
) -> Decimal | None:
    row = KpiSnapshot.objects.filter(
        metric=metric,
        period=period,
        period_start=start,
        dimension=dimension,
        dimension_id=str(dimension_id),
    ).first()
    return None if row is None else row.value


def figures_of(metric: str) -> dict:
    return {
        (row.period, row.period_start, row.dimension, row.dimension_id): row.value
        for row in KpiSnapshot.objects.filter(metric=metric)
    }
