"""The KPI rollup: compute every registered metric and upsert `KpiSnapshot` rows.

Idempotent and safe to retry: each metric's figures for the range are computed
into a scratch table, then written in one transaction: new figures inserted and
changed ones updated with `INSERT … ON CONFLICT DO UPDATE … WHERE value <> new`
(an unchanged figure costs no write), and figures of that metric in the range
that were not produced this time (their source rows are gone) deleted. Running
it twice leaves the same rows.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..metrics import Window, registry
from ..metrics.base import Metric
from ..models import KpiSnapshot, Period, RollupRun
from .fresh import FreshFigures

logger = logging.getLogger(__name__)

UNIQUE_FIELDS = ["metric", "period", "period_start", "dimension", "dimension_id"]
MAX_RANGE_DAYS = 366 * 6
# Per rollup transaction; a five-year rollup of the design scale needs about this much
# to group conversations without spilling to disk.
ROLLUP_WORK_MEM = "256MB"


def default_range(today: date | None = None) -> tuple[date, date]:
    """Nightly range: from the 1st of the month a week ago to today.

    Late logs usually arrive within days, so last month's figures are recomputed
    during the first week of a month and then left alone.
    """
    today = today or timezone.localdate()
    return (today - timedelta(days=7)).replace(day=1), today


def compute_metric(*, metric: Metric, since: date, until: date) -> int:
    """Recompute one metric for every period kind and dimension in [since, until]."""
    return compute_metrics(metrics=[metric], since=since, until=until)


def compute_metrics(*, metrics: list[Metric], since: date, until: date) -> int:
    """Recompute metrics together in one transaction (grouped ones share one scan).

    Returns how many figures were added or changed; unchanged figures are not
    rewritten (their `computed_at` is when their value was last set).
    """
    windows = [Window.covering(period, since, until) for period in Period.values]
    with transaction.atomic():
        for key in sorted(metric.key for metric in metrics):  # one order: no deadlocks
            _lock_metric(key)
        _tune_transaction()
        fresh = FreshFigures()
        fresh.collect(metrics, windows)
        _hash_joins_only()
        # Figures in the range that this run did not produce are stale (their source
        # rows are gone).
        _delete_stale(fresh, metrics=metrics, windows=windows)
        written = _upsert_changed(
            fresh, metrics=metrics, windows=windows, computed_at=timezone.now()
        )
    return written


def batches(metrics: list[Metric]) -> list[list[Metric]]:
    """The metrics in registry order, those of one batch together."""
    groups: dict[str, list[Metric]] = {}
    for metric in metrics:
        groups.setdefault(metric.batch_key, []).append(metric)
    return list(groups.values())


def _tune_transaction() -> None:
    """PostgreSQL, for this transaction: room for the grouping sets' hash tables, and
    no JIT (compiling costs more than it saves on these one-off statements)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{ROLLUP_WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")


def _hash_joins_only() -> None:
    """PostgreSQL: join fresh and stored figures by hashing, whatever the statistics say.

    Both sides are unsorted (a merge join sorts them first), and the statistics of the
    snapshot table lag behind a rollup that has just rewritten a metric: once they
    claimed "no rows" and a nested loop turned a one-second DELETE into minutes.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")


def _upsert_changed(
    fresh: FreshFigures, *, metrics: list[Metric], windows: list[Window], computed_at
) -> int:
    """Insert new figures and update changed ones; unchanged figures are not touched.

    The join with the stored figures leaves the unchanged ones out before the upsert:
    `ON CONFLICT … WHERE` alone would still lock (and so write) every stored row.
    """
    table = _quote(KpiSnapshot._meta.db_table)
    columns = ", ".join(UNIQUE_FIELDS)
    stored, stored_params = _stored_figures(metrics, windows)
    same_figure = " AND ".join(f"s.{name} = f.{name}" for name in UNIQUE_FIELDS)
    sql = (
        f"INSERT INTO {table} ({columns}, value, computed_at) "
        f"SELECT {', '.join(f'f.{name}' for name in UNIQUE_FIELDS)}, f.value, %s "
        f"FROM {fresh.table} f LEFT JOIN ({stored}) s ON {same_figure} "
        "WHERE s.value IS NULL OR s.value <> f.value "
        # In key order, new figures land in the unique index page after page.
        f"ORDER BY {', '.join(f'f.{name}' for name in UNIQUE_FIELDS)} "
        f"ON CONFLICT ({columns}) DO UPDATE SET value = excluded.value, "
        "computed_at = excluded.computed_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(computed_at), *stored_params])
        return max(cursor.rowcount, 0)


def _stored_figures(metrics: list[Metric], windows: list[Window]) -> tuple[str, list]:
    """SELECT of the stored figures of the metrics (and their breakdowns) in the windows."""
    families = " OR ".join("(metric = %s OR (metric >= %s AND metric < %s))" for _ in metrics)
    in_windows = " OR ".join(
        "(period = %s AND period_start >= %s AND period_start < %s)" for _ in windows
    )
    # ';' sorts right after ':', so [key:, key;) holds every `key:part`.
    params = [value for m in metrics for value in (m.key, f"{m.key}:", f"{m.key};")]
    params += [value for w in windows for value in (w.period, w.start, w.end)]
    sql = (
        f"SELECT {', '.join(UNIQUE_FIELDS)}, value FROM {_quote(KpiSnapshot._meta.db_table)} "
        f"WHERE ({families}) AND ({in_windows})"
    )
    return sql, params


def _delete_stale(fresh: FreshFigures, *, metrics: list[Metric], windows: list[Window]) -> int:
    """Delete the metrics' stored figures in the windows that the fresh figures lack."""
    table = _quote(KpiSnapshot._meta.db_table)
    stored, params = _stored_figures(metrics, windows)
    same_figure = " AND ".join(f"f.{name} = {table}.{name}" for name in UNIQUE_FIELDS)
    where = stored.split(" WHERE ", 1)[1]
    sql = (
        f"DELETE FROM {table} WHERE {where} "
        f"AND NOT EXISTS (SELECT 1 FROM {fresh.table} f WHERE {same_figure})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


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
        for group in batches(metrics):
            keys = ", ".join(metric.key for metric in group)
            RollupRun.objects.filter(pk=run_id).update(current_metric=keys[:120])
            written = compute_metrics(metrics=group, since=run.since, until=run.until)
            RollupRun.objects.filter(pk=run_id).update(
                metrics_done=F("metrics_done") + len(group),
                rows_written=F("rows_written") + written,
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
