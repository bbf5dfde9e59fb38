"""Freshly computed figures and their merge into the stored snapshots.

The figures of a batch of metrics go to a temporary table first (private to the
database session, no indexes, no WAL on PostgreSQL); grouped metrics fill it with
one `INSERT … SELECT`, so their rows never leave the database. The merge then
writes only what changed: an unchanged figure costs no write, which keeps a
recompute of five years (or a nightly run over figures that mostly stand) cheap.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import DateField

from ..metrics.base import Figures, Metric, Window, as_decimal
from ..metrics.grouped import GroupedBatch, slices_of
from ..models import KpiSnapshot

COLUMNS = ("metric", "period", "period_start", "dimension", "dimension_id", "value")
ROWS_COPY = "kpis_rollup_rows"  # a batch's source rows (PostgreSQL: pg_temp, this session)
KEY = ("metric", "period", "period_start", "dimension", "dimension_id")
SNAPSHOTS = KpiSnapshot._meta.db_table


class FreshFigures:
    table = "kpis_fresh_figures"

    def __init__(
        self,
        *,
        metrics: list[Metric],
        windows: list[Window],
        portable: bool | None = None,
        dimensions: list[str] | None = None,
    ) -> None:
        """`portable` forces the cross join that any database runs (default: only where
        GROUPING SETS are missing), so tests can hold the two strategies side by side;
        `dimensions` computes only those (one slice, for tests and benchmarks)."""
        self.metrics = metrics
        self.windows = windows
        self.dimensions = dimensions
        self.portable = connection.vendor != "postgresql" if portable is None else portable
        # Byte order, as the snapshot table's key columns (see the kpis 0003 migration).
        key = 'COLLATE "C" NOT NULL' if connection.vendor == "postgresql" else "NOT NULL"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.table} ("
                f"metric VARCHAR(120) {key}, period VARCHAR(10) {key}, "
                f"period_start DATE NOT NULL, dimension VARCHAR(10) {key}, "
                f"dimension_id VARCHAR(120) {key}, value NUMERIC(20, 4) NOT NULL)"
            )
            # Left over from earlier metrics of the same database session.
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {self.table}")
            else:
                cursor.execute(f"DELETE FROM {self.table}")

    # -- computing ----------------------------------------------------------------------

    def collect(self) -> None:
        """Compute every figure of the metrics in the windows into the table.

        The grouped metrics of a batch share one statement.
        """
        grouped = {m.key: m.grouped() for m in self.metrics if m.grouped is not None}
        if grouped:
            self._insert_batch(GroupedBatch(grouped))
        for metric in self.metrics:
            if metric.grouped is None:
                for window in self.windows:
                    for dimension in self._wanted(metric.dimensions):
                        self._insert_rows(metric, window, dimension)
        if connection.vendor == "postgresql":
            # A temporary table has no statistics until analysed; the merge joins on it.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.table}")

    def _insert_rows(self, metric: Metric, window: Window, dimension: str) -> None:
        rows = [
            (key, window.period, start, dimension, dimension_id, value)
            for (key, start, dimension_id), value in metric.compute(window, dimension).items()
        ]
        if rows:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                    rows,
                )

    def _insert_batch(self, batch: GroupedBatch) -> None:
        slices = slices_of(batch.first, [w.period for w in self.windows])
        slices = [s for s in slices if s.dimension in self._wanted([s.dimension])]
        if not slices:
            return  # nothing kept for these periods and dimensions (a person's days)
        rows = batch.source_rows(windows=self.windows, slices=slices)
        copied = not self.portable and len(slices) > 1
        if copied:
            rows = self._copy_rows(rows)
        select_sql, params = batch.select(
            windows=self.windows, slices=slices, rows=rows, portable=self.portable
        )
        text = "CAST(%s AS VARCHAR(120))"
        branches, branch_params = [], []
        for position, (key, suffix, _aggregate, _index) in enumerate(batch.outputs):
            metric = f"CASE WHEN g.part IS NULL THEN {text} ELSE {text} || ':' || g.part END"
            metric_params = [key, key]
            if suffix:
                metric += f" || {text}"
                metric_params.append(f":{suffix}")
            branches.append(
                f"SELECT {metric}, g.period, g.period_start, g.dimension, g.dimension_id, "
                f"ROUND(CAST(g.value_{position} AS NUMERIC), 4) FROM g "
                f"WHERE g.value_{position} IS NOT NULL"
            )
            branch_params.extend(metric_params)
        # The CTE sits inside the subquery so the statement starts with INSERT.
        sql = (
            f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) SELECT * FROM "
            f"(WITH g AS ({select_sql}) {' UNION ALL '.join(branches)}) u"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *branch_params])
            for key, spec in batch.specs.items():
                if spec.with_total:  # the same sum as `totals_of_parts`, in SQL
                    parts, params = _breakdowns_of(key)
                    cursor.execute(
                        f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) "
                        "SELECT %s, period, period_start, dimension, dimension_id, "
                        f"ROUND(SUM(value), 4) FROM {self.table} WHERE {parts} "
                        "GROUP BY period, period_start, dimension, dimension_id",
                        [key, *params],
                    )
            if copied:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{ROWS_COPY}")

    def _wanted(self, dimensions) -> list[str]:
        return [d for d in dimensions if self.dimensions is None or d in self.dimensions]

    def _copy_rows(self, rows: tuple[str, list]) -> tuple[str, list]:
        """PostgreSQL: the source rows copied to a temporary table and analysed.

        The planner cannot estimate how many groups truncated dates make, guesses
        millions, and then sorts the rows once per grouping set instead of hashing
        them all in one pass (7 s instead of 2 s for the conversations at design scale).
        With a single grouping there is nothing to choose between, and no copy.
        """
        sql, params = rows
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{ROWS_COPY}")
            cursor.execute(f"CREATE TEMPORARY TABLE {ROWS_COPY} AS {sql}", params)
            cursor.execute(f"ANALYZE pg_temp.{ROWS_COPY}")
        return f"SELECT * FROM pg_temp.{ROWS_COPY}", []

    # -- merging ------------------------------------------------------------------------

    def delete_stale(self) -> int:
        """Delete the metrics' stored figures in the windows that the fresh ones lack."""
        where, params = self._stored()
        same_figure = " AND ".join(f"f.{name} = {SNAPSHOTS}.{name}" for name in KEY)
        sql = (
            f"DELETE FROM {SNAPSHOTS} WHERE {where} "
            f"AND NOT EXISTS (SELECT 1 FROM {self.table} f WHERE {same_figure})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return max(cursor.rowcount, 0)

    def upsert_changed(self, *, computed_at: datetime) -> int:
        """Insert new figures and update changed ones; returns how many.

        The join with the stored figures leaves the unchanged ones out before the
        upsert: `ON CONFLICT … WHERE` alone would still lock (and so write) every row.
        """
        where, params = self._stored()
        columns = ", ".join(KEY)
        same_figure = " AND ".join(f"s.{name} = f.{name}" for name in KEY)
        sql = (
            f"INSERT INTO {SNAPSHOTS} ({columns}, value, computed_at) "
            f"SELECT {', '.join(f'f.{name}' for name in KEY)}, f.value, %s "
            f"FROM {self.table} f LEFT JOIN (SELECT {columns}, value FROM {SNAPSHOTS} "
            f"WHERE {where}) s ON {same_figure} "
            "WHERE s.value IS NULL OR s.value <> f.value "
            # In key order, new figures land in the unique index page after page.
            f"ORDER BY {', '.join(f'f.{name}' for name in KEY)} "
            f"ON CONFLICT ({columns}) DO UPDATE SET value = excluded.value, "
            "computed_at = excluded.computed_at"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [connection.ops.adapt_datetimefield_value(computed_at), *params])
            return max(cursor.rowcount, 0)

    def _stored(self) -> tuple[str, list]:
        """WHERE for the stored figures of the metrics (and their breakdowns) in the windows."""
        families, params = [], []
        for metric in self.metrics:
            parts, parts_params = _breakdowns_of(metric.key)
            families.append(f"metric = %s OR {parts}")
            params += [metric.key, *parts_params]
        in_windows = " OR ".join(
            "(period = %s AND period_start >= %s AND period_start < %s)" for _ in self.windows
        )
        params += [value for w in self.windows for value in (w.period, w.start, w.end)]
        return f"({' OR '.join(families)}) AND ({in_windows})", params


def _breakdowns_of(key: str) -> tuple[str, list]:
    """WHERE for every `key:part`: a LIKE prefix, right in any collation (PostgreSQL turns
    it into an index range under the snapshot keys' byte order)."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "metric LIKE %s ESCAPE '\\'", [f"{escaped}:%"]


def figures_of(
    metric: Metric, window: Window, dimension: str, *, portable: bool | None = None
) -> Figures:
    """One slice of a metric as the rollup would write it (tests, benchmarks)."""
    fresh = FreshFigures(
        metrics=[metric], windows=[window], portable=portable, dimensions=[dimension]
    )
    fresh.collect()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT metric, period_start, dimension_id, value FROM {fresh.table} "
            "WHERE dimension = %s",
            [dimension],
        )
        return {
            (key, DateField().to_python(start), dimension_id): as_decimal(value)
            for key, start, dimension_id, value in cursor.fetchall()
        }
