"""The rollup's scratch table: freshly computed figures before they are merged.

A temporary table (private to the database session, no indexes, no WAL on
PostgreSQL) takes the figures; the merge then writes only what changed. Grouped
metrics fill it with one `INSERT … SELECT` per source, so their rows never leave
the database.
"""

from __future__ import annotations

from django.db import connection

from ..metrics.base import Metric, Window
from ..metrics.grouped import GroupedBatch, slices_of

COLUMNS = ("metric", "period", "period_start", "dimension", "dimension_id", "value")


class FreshFigures:
    table = "kpis_fresh_figures"

    def __init__(self) -> None:
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

    def collect(self, metrics: list[Metric], windows: list[Window]) -> None:
        """Compute every figure of the metrics for the windows into the table.

        Grouped metrics are given together: they share one statement (see `batches`).
        """
        grouped = {m.key: m.grouped() for m in metrics if m.grouped is not None}
        if grouped:
            self._insert_batch(GroupedBatch(grouped), windows)
        for metric in metrics:
            if metric.grouped is None:
                for window in windows:
                    for dimension in metric.dimensions:
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

    def _insert_batch(self, batch: GroupedBatch, windows: list[Window]) -> None:
        slices = slices_of(batch.first, [w.period for w in windows])
        select_sql, params = batch.select(windows=windows, slices=slices)
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
