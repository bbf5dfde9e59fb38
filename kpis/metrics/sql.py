"""Figures the database writes itself: `INSERT … SELECT` from a grouped query.

The big metrics (every conversation, every objection tag per user per day) produce
hundreds of thousands of figures over a long range. Instead of fetching the groups
into Python and sending them back, the grouped query feeds the upsert directly, so
the rows never leave the database. The same object is also a read-only mapping of
`(metric, period_start, dimension_id) -> value`, for tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import CharField, F, FloatField, QuerySet
from django.db.models.functions import Cast, NullIf

from ..models import KpiSnapshot
from .base import as_decimal


def rate(numerator: str, denominator: str):
    """numerator / denominator as a float in SQL; NULL (no figure) when the denominator is 0."""
    return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), 0.0)


def part(field_name: str):
    """A breakdown column as text (source, objection tag, theme id)."""
    return Cast(F(field_name), output_field=CharField())


@dataclass(frozen=True)
class SqlSelect:
    """One grouped queryset with `period_start`, `dimension_id`, optional `part`, and values.

    `values` maps a metric-key suffix ("" for none) to the annotation holding the value,
    so one query can feed several keys (e.g. the funnel's stages).
    """

    key: str
    queryset: QuerySet
    values: tuple[tuple[str, str], ...] = (("", "value"),)
    has_part: bool = False

    def metric_key(self, part_value: str | None, suffix: str) -> str:
        key = self.key
        if self.has_part:
            key = f"{key}:{part_value}"
        return f"{key}:{suffix}" if suffix else key

    def columns(self) -> list[str]:
        return ["period_start", "dimension_id", *(["part"] if self.has_part else [])]


class SqlFigures(Mapping):
    """Figures of one or more grouped queries, written in the database by `write`."""

    def __init__(self, *selects: SqlSelect) -> None:
        self.selects = selects
        self._rows: dict | None = None

    # -- the Mapping view (materialises the groups; fine for tests and small slices) --
    def _materialise(self) -> dict:
        if self._rows is None:
            rows = {}
            for select in self.selects:
                aliases = [alias for _suffix, alias in select.values]
                for row in select.queryset.values_list(*select.columns(), *aliases):
                    start, dimension_id = row[0], row[1]
                    part_value = row[2] if select.has_part else None
                    for (suffix, _alias), value in zip(
                        select.values, row[len(select.columns()) :], strict=True
                    ):
                        if value is not None:
                            key = select.metric_key(part_value, suffix)
                            rows[(key, start, dimension_id)] = as_decimal(value)
            self._rows = rows
        return self._rows

    def __getitem__(self, key):
        return self._materialise()[key]

    def __iter__(self) -> Iterator:
        return iter(self._materialise())

    def __len__(self) -> int:
        return len(self._materialise())

    # -- the write path ---------------------------------------------------------------
    def write(self, *, period: str, dimension: str, computed_at: datetime) -> int:
        written = 0
        for select in self.selects:
            written += _insert_select(
                select, period=period, dimension=dimension, computed_at=computed_at
            )
        return written


def _insert_select(select: SqlSelect, *, period: str, dimension: str, computed_at: datetime) -> int:
    aliases = [alias for _suffix, alias in select.values]
    inner_sql, inner_params = select.queryset.values_list(
        *select.columns(), *aliases
    ).query.sql_with_params()
    table = connection.ops.quote_name(KpiSnapshot._meta.db_table)
    quote = connection.ops.quote_name
    text = "CAST(%s AS VARCHAR(120))"
    # PostgreSQL must be told the parameters' types inside UNION ALL; SQLite must not
    # (a cast to an unknown type name would turn the timestamp into a number).
    moment = "CAST(%s AS TIMESTAMP WITH TIME ZONE)" if connection.vendor == "postgresql" else "%s"
    branches, branch_params = [], []
    for suffix, alias in select.values:
        metric = text
        metric_params = [select.key]
        if select.has_part:
            metric += " || ':' || g.part"
        if suffix:
            metric += f" || {text}"
            metric_params.append(f":{suffix}")
        branches.append(
            f"SELECT {metric} AS metric, g.period_start AS period_start, g.dimension_id AS"
            f" dimension_id, ROUND(CAST(g.{quote(alias)} AS NUMERIC), 4) AS value FROM g"
            f" WHERE g.{quote(alias)} IS NOT NULL"
        )
        branch_params.extend(metric_params)
    # The CTE sits inside the subquery so the statement starts with INSERT (SQLite only
    # reports a row count for statements that do); `WHERE true` settles SQLite's upsert parsing.
    sql = (
        f"INSERT INTO {table} (metric, period, period_start, dimension, dimension_id, value,"
        " computed_at) "
        f"SELECT u.metric, {text}, u.period_start, {text}, u.dimension_id, u.value, {moment} "
        f"FROM (WITH g AS ({inner_sql}) " + " UNION ALL ".join(branches) + ") u WHERE true "
        "ON CONFLICT (metric, period, period_start, dimension, dimension_id) "
        "DO UPDATE SET value = excluded.value, computed_at = excluded.computed_at"
    )
    params = [
        period,
        dimension,
        connection.ops.adapt_datetimefield_value(computed_at),
        *inner_params,
        *branch_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
