"""The KPI rollup: compute every registered metric into `KpiSnapshot` rows.

Idempotent and safe to retry: the metrics of a batch (see `batches`) are computed
and merged into the snapshots in one transaction (fresh.py): new figures inserted,
changed ones updated, unchanged ones left alone, and figures in the range that
were not produced this time (their source rows are gone) deleted. Running it
twice leaves the same rows. On PostgreSQL batches run side by side on
`SILTA_ROLLUP_WORKERS` connections. On SQLite (the embedded mode) a batch's
transaction holds the database's single write lock while it computes; at the data
sizes SQLite serves that is well under a second, but an on-demand rollup over years
makes other writes wait for it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from datetime import date, timedelta

from django import db
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..metrics import Window, registry
from ..metrics.base import Metric
from ..models import Period, RollupRun
from .fresh import FreshFigures

logger = logging.getLogger(__name__)

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
        fresh = FreshFigures(metrics=metrics, windows=windows)
        fresh.collect()
        _hash_joins_only()
        # Figures in the range that this run did not produce are stale (their source
        # rows are gone).
        fresh.delete_stale()
        written = fresh.upsert_changed(computed_at=timezone.now())
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
        _run_batches(run, batches(metrics))
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


def _run_batches(run: RollupRun, groups: list[list[Metric]]) -> None:
    """Every batch, side by side on several connections where that is possible.

    Other connections cannot see rows of an open transaction (a caller's atomic
    block, a test), and SQLite writes one at a time: there the batches run in turn.
    """
    workers = settings.SILTA_ROLLUP_WORKERS
    if workers < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for group in groups:
            _run_batch(run, group)
        return
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kpi-rollup")
    try:
        futures = [pool.submit(_run_batch_on_own_connection, run, group, stop) for group in groups]
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future.done() and future.exception() is not None:
                raise future.exception()
    finally:
        # On a failure, and on anything raised in this thread (Celery's soft time limit):
        # start no further batch; the running ones finish their transaction.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


def _run_batch_on_own_connection(
    run: RollupRun, group: list[Metric], stop: threading.Event
) -> None:
    if stop.is_set():
        return
    try:
        _run_batch(run, group)
    finally:
        db.connections.close_all()  # this thread's connection


def _run_batch(run: RollupRun, group: list[Metric]) -> None:
    keys = ", ".join(metric.key for metric in group)
    RollupRun.objects.filter(pk=run.pk).update(current_metric=keys[:120])
    written = compute_metrics(metrics=group, since=run.since, until=run.until)
    RollupRun.objects.filter(pk=run.pk).update(
        metrics_done=F("metrics_done") + len(group), rows_written=F("rows_written") + written
    )


def rollup_kpis(
    *, since: date | None = None, until: date | None = None, requested_by=None
) -> RollupRun:
    """Record and run a rollup in one go (nightly job, demo data, tests)."""
    run = start_rollup(requested_by=requested_by, since=since, until=until)
    return run_rollup(run_id=run.pk) or run
