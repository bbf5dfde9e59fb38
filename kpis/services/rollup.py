"""The KPI rollup: compute every registered metric and upsert `KpiSnapshot` rows.

Idempotent and safe to retry: each metric's figures for the range are written
in one transaction with `INSERT … ON CONFLICT DO UPDATE` on the unique figure
key, then figures of that metric in the range that were not produced this time
(their source rows are gone) are deleted. Running it twice leaves the same rows.
"""

from __future__ import annotations

import logging
import operator
from datetime import date, timedelta
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..metrics import Window, registry
from ..metrics.base import Metric
from ..metrics.sql import SqlFigures
from ..models import KpiSnapshot, Period, RollupRun

logger = logging.getLogger(__name__)

UNIQUE_FIELDS = ["metric", "period", "period_start", "dimension", "dimension_id"]
MAX_RANGE_DAYS = 366 * 6


def default_range(today: date | None = None) -> tuple[date, date]:
    """Nightly range: from the 1st of the month a week ago to today.

    Late logs usually arrive within days, so last month's figures are recomputed
    during the first week of a month and then left alone.
    """
    today = today or timezone.localdate()
    return (today - timedelta(days=7)).replace(day=1), today


def compute_metric(*, metric: Metric, since: date, until: date) -> int:
    """Recompute one metric for every period kind and dimension in [since, until]."""
    written = 0
    with transaction.atomic():
        _lock_metric(metric.key)
        computed_at = timezone.now()
        windows = []
        for period in Period.values:
            window = Window.covering(period, since, until)
            for dimension in metric.dimensions:
                figures = metric.figures(window, dimension)
                written += _write(figures, period=period, dimension=dimension, at=computed_at)
            windows.append(
                Q(period=period, period_start__gte=window.start, period_start__lt=window.end)
            )
        # Figures of this metric in the range that this run did not produce are stale
        # (their source rows are gone): one DELETE for every period and dimension.
        stale = reduce(operator.or_, windows)
        KpiSnapshot.objects.filter(_family(metric.key), stale, computed_at__lt=computed_at).delete()
    return written


def _family(key: str) -> Q:
    """The metric and its breakdowns (`key:…`) as index ranges (';' sorts right after ':')."""
    return Q(metric=key) | Q(metric__gte=f"{key}:", metric__lt=f"{key};")


def _write(figures, *, period: str, dimension: str, at) -> int:
    """Upsert one slice of figures: in SQL for grouped queries, else from Python values."""
    if isinstance(figures, SqlFigures):
        return figures.write(period=period, dimension=dimension, computed_at=at)
    rows = [
        KpiSnapshot(
            metric=key,
            period=period,
            period_start=start,
            dimension=dimension,
            dimension_id=dimension_id,
            value=value,
            computed_at=at,
        )
        for (key, start, dimension_id), value in figures.items()
    ]
    KpiSnapshot.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=UNIQUE_FIELDS,
        update_fields=["value", "computed_at"],
    )
    return len(rows)


def _lock_metric(key: str) -> None:
    """Serialise concurrent rollups of one metric on PostgreSQL (held until commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"kpis:{key}"])


def start_rollup(
    *, requested_by=None, since: date | None = None, until: date | None = None
) -> RollupRun:
    """Record a rollup run for [since, until] (default: last month to today); the task runs it."""
    default_since, default_until = default_range()
    since = since or default_since
    until = until or default_until
    if since > until:
        raise ValidationError({"since": [_("The start date must not be after the end date.")]})
    if (until - since).days > MAX_RANGE_DAYS:
        raise ValidationError({"since": [_("Recompute at most six years at a time.")]})
    return RollupRun.objects.create(
        requested_by=requested_by,
        since=since,
        until=until,
        metrics_total=len(registry.available()),
    )


def run_rollup(*, run_id: int) -> RollupRun | None:
    """Compute every available metric for the run's range, updating its progress per metric.

    A run already done is left alone; a run left `running` by a lost worker is taken
    over (acks-late redelivery) and simply recomputes, which is harmless.
    """
    claimed = RollupRun.objects.filter(
        pk=run_id, status__in=[RollupRun.Status.QUEUED, RollupRun.Status.RUNNING]
    ).update(status=RollupRun.Status.RUNNING, started_at=timezone.now(), metrics_done=0, error="")
    if not claimed:
        return None
    run = RollupRun.objects.get(pk=run_id)
    metrics = registry.available()
    RollupRun.objects.filter(pk=run_id).update(metrics_total=len(metrics))
    try:
        for metric in metrics:
            RollupRun.objects.filter(pk=run_id).update(current_metric=metric.key)
            written = compute_metric(metric=metric, since=run.since, until=run.until)
            RollupRun.objects.filter(pk=run_id).update(
                metrics_done=F("metrics_done") + 1, rows_written=F("rows_written") + written
            )
    except Exception as exc:
        logger.exception("KPI rollup %s failed", run_id)
        RollupRun.objects.filter(pk=run_id).update(
            status=RollupRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    RollupRun.objects.filter(pk=run_id).update(
        status=RollupRun.Status.DONE, current_metric="", finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def rollup_kpis(
    *, since: date | None = None, until: date | None = None, requested_by=None
) -> RollupRun:
    """Record and run a rollup in one go (nightly job, demo data, tests)."""
    run = start_rollup(requested_by=requested_by, since=since, until=until)
    return run_rollup(run_id=run.pk) or run
