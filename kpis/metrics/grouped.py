"""Metrics computed in SQL for every period and dimension in one pass over their rows.

A `Grouped` spec names the source rows (a queryset), the date that places a row in
a period, the path to each dimension's id, an optional breakdown (`key:part`) and
the aggregates. The rollup turns it into one statement that scans the rows once
and groups them every way at the same time: `GROUPING SETS` on PostgreSQL, a
cross join with a tiny constant table of slices elsewhere (SQLite). Specs over the
same rows share that statement (`GroupedBatch`), so the four plain conversation
metrics cost one scan of the conversations, not sixty.

Aggregates read the spec's `inputs`: per-row columns built with ordinary Django
expressions, so joins and time zones stay Django's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, DateField, F, FloatField, Func, QuerySet, TextField
from django.db.models.functions import Collate, Trunc

from ..models import Dimension, Period
from .base import Window, kept

DATE_COLUMNS = {Period.DAY: "_day", Period.WEEK: "_week", Period.MONTH: "_month"}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


# -- aggregates over the inputs (portable SQL) ---------------------------------------

Column = Callable[[str], str]  # input name -> the qualified column holding it


@dataclass(frozen=True)
class Aggregate:
    """An aggregate over inputs: `template` uses {name} for each input it reads."""

    template: str
    reads: tuple[str, ...] = ()
    additive: bool = False  # the value of a union of groups is the sum of their values
    postgresql: str = ""  # the template on PostgreSQL, when it differs

    def sql(self, column: Column) -> str:
        template = self.template
        if self.postgresql and connection.vendor == "postgresql":
            template = self.postgresql
        return template.format(**{name: column(name) for name in self.reads})


def count() -> Aggregate:
    """Rows in the group."""
    return Aggregate("COUNT(*)", additive=True)


def total(name: str) -> Aggregate:
    return Aggregate(f"SUM({{{name}}})", (name,), additive=True)


def mean(name: str) -> Aggregate:
    return Aggregate(f"AVG({{{name}}})", (name,))


def share(numerator: str, denominator: str | None = None) -> Aggregate:
    """SUM(numerator) / SUM(denominator) (or / rows); no figure when the denominator is 0."""
    below = "COUNT(*)" if denominator is None else f"SUM({{{denominator}}})"
    reads = (numerator,) if denominator is None else (numerator, denominator)
    return Aggregate(f"CAST(SUM({{{numerator}}}) AS DOUBLE PRECISION) / NULLIF({below}, 0)", reads)


class Elapsed(Func):
    """Time from one moment to a later one in hours or days, as a number (NULL if either is)."""

    output_field = FloatField()
    HOURS = {"hours": 1, "days": 24}

    def __init__(self, later: str, earlier: str, *, unit: str = "hours") -> None:
        super().__init__(F(later), F(earlier))
        self.hours = self.HOURS[unit]

    def _moments(self, compiler) -> tuple[str, str, list]:
        (later, later_params), (earlier, earlier_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return later, earlier, [*later_params, *earlier_params]

    def as_sql(self, compiler, connection, **extra):
        later, earlier, params = self._moments(compiler)
        return f"((julianday({later}) - julianday({earlier})) * {24 / self.hours})", params

    def as_postgresql(self, compiler, connection, **extra):
        later, earlier, params = self._moments(compiler)
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / {3600 * self.hours})", params


def median(name: str) -> Aggregate:
    """The middle value (the mean of the two middle ones for an even count); NULLs ignored.

    PostgreSQL's ordered-set aggregate; elsewhere `silta_median`, which kpis registers
    on SQLite connections (kpis/sqlite.py).
    """
    return Aggregate(
        f"silta_median({{{name}}})",
        (name,),
        postgresql=f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {{{name}}})",
    )


@dataclass(frozen=True)
class Grouped:
    """How to compute one metric for any periods and dimensions in one statement.

    `values` maps a key suffix ("" for the key itself) to an aggregate; several
    suffixes make several keys from one pass (the funnel's stages). `part` adds a
    breakdown: figures `key:<part>` (and `key:<part>:<suffix>`), plus the key
    itself over all parts when `with_total` (the sum of the parts' figures, so only
    for additive values; grouped directly only where parts are not kept).
    """

    rows: QuerySet
    date_field: str
    paths: Mapping[str, str | None]
    values: Mapping[str, Aggregate] = field(default_factory=lambda: {"": count()})
    inputs: Mapping[str, object] = field(default_factory=dict)
    part: str | None = None
    with_total: bool = False
    is_date: bool = False  # `date_field` is a date, not a moment

    def __post_init__(self):
        if self.with_total and (
            list(self.values) != [""] or not all(v.additive for v in self.values.values())
        ):
            raise ValueError("A total over parts is their sum: one count() or total() value.")

    def source(self) -> tuple:
        """Specs with the same source can be computed in one statement."""
        paths = tuple(self.paths.items())
        return (str(self.rows.query), self.date_field, paths, self.part, self.with_total)


@dataclass(frozen=True)
class Slice:
    """One way of grouping: a period kind, a dimension, and whether per part."""

    period: str
    dimension: str
    per_part: bool


def slices_of(spec: Grouped, periods: list[str]) -> list[Slice]:
    """Every grouping the spec's figures need, as far as the rollup keeps them (`kept`).

    A total over parts is grouped directly only where its parts are not kept (per
    person); elsewhere it is the sum of the parts (kpis.services.fresh), far cheaper
    than grouping every row once more.
    """
    slices = []
    for period in periods:
        for dimension in spec.paths:
            per_part = kept(period=period, dimension=dimension, breakdown=True)
            if spec.part and per_part:
                slices.append(Slice(period, dimension, per_part=True))
            total = not spec.part or (spec.with_total and not per_part)
            if total and kept(period=period, dimension=dimension, breakdown=False):
                slices.append(Slice(period, dimension, per_part=False))
    return slices


class GroupedBatch:
    """Metrics whose specs share a source: one statement yields all their figures.

    `select` gives rows of (period, period_start, dimension, dimension_id, part,
    value_0, value_1, …), one value column per (metric, suffix) in `outputs`.
    """

    def __init__(self, specs: Mapping[str, Grouped]) -> None:
        self.specs = dict(specs)
        self.first = next(iter(self.specs.values()))
        if any(spec.source() != self.first.source() for spec in self.specs.values()):
            raise ValueError(f"Metrics batched together must read the same rows: {list(specs)}")
        # (metric key, suffix, aggregate SQL over the batch's columns)
        self.outputs: list[tuple[str, str, Aggregate, int]] = []
        for index, (key, spec) in enumerate(self.specs.items()):
            for suffix, aggregate in spec.values.items():
                self.outputs.append((key, suffix, aggregate, index))

    def source_rows(self, *, windows: list[Window], slices: list[Slice]) -> tuple[str, list]:
        """SQL with params: the source rows in the widest window, with the columns the
        grouping reads (truncated dates, dimension ids, the part, the inputs)."""
        return self._base(windows, slices).query.sql_with_params()

    def select(
        self, *, windows: list[Window], slices: list[Slice], rows: tuple[str, list], portable: bool
    ) -> tuple[str, list]:
        """SQL with params grouping `rows` (from `source_rows`, or a copy of them) every way
        the slices ask: GROUPING SETS, or with `portable` a cross join any database runs."""
        rows_sql, rows_params = rows
        if portable:
            grouped_sql = self._cross_join(rows_sql, slices)
        else:
            grouped_sql = self._grouping_sets(rows_sql, slices)
        in_window = " OR ".join(
            "(g.period = %s AND g.period_start >= %s AND g.period_start < %s)" for _ in windows
        )
        window_params = [value for w in windows for value in (w.period, w.start, w.end)]
        sql = (
            f"SELECT * FROM ({grouped_sql}) g WHERE (g.dimension = 'all' OR "
            f"(g.dimension_id IS NOT NULL AND g.dimension_id <> '')) AND ({in_window}) "
            # A row without a part has no breakdown figure to give (a total has none).
            "AND (g.per_part = 0 OR g.part IS NOT NULL)"
        )
        return sql, [*rows_params, *window_params]

    def _aggregates(self, row: str) -> str:
        return ", ".join(
            aggregate.sql(lambda name, index=index: f"{row}.{_quote(f'_in{index}_{name}')}")
            + f" AS value_{position}"
            for position, (_key, _suffix, aggregate, index) in enumerate(self.outputs)
        )

    def _grouping_sets(self, base_sql: str, slices: list[Slice]) -> str:
        """PostgreSQL: every slice in one hash aggregation over one scan."""
        sets = []
        for s in slices:
            columns = [f"b.{DATE_COLUMNS[s.period]}"]
            if s.dimension != Dimension.ALL:
                columns.append(f"b._{s.dimension}")
            if s.per_part:
                columns.append("b._part")
            sets.append(f"({', '.join(columns)})")
        periods = sorted({s.period for s in slices})
        dimensions = sorted({s.dimension for s in slices} - {Dimension.ALL})
        period = _first_grouped({p: f"b.{DATE_COLUMNS[p]}" for p in periods}, "'{}'", "NULL")
        period_start = _first_grouped(
            {p: f"b.{DATE_COLUMNS[p]}" for p in periods}, "{column}", "NULL"
        )
        dimension = _first_grouped({d: f"b._{d}" for d in dimensions}, "'{}'", "'all'")
        dimension_id = _first_grouped({d: f"b._{d}" for d in dimensions}, _TEXT, "''")
        part, per_part = "NULL", "0"
        if any(s.per_part for s in slices):
            part = f"CASE WHEN GROUPING(b._part) = 0 THEN {_TEXT.format(column='b._part')} END"
            per_part = "CASE WHEN GROUPING(b._part) = 0 THEN 1 ELSE 0 END"
        return (
            f"SELECT {period} AS period, {period_start} AS period_start, {dimension} AS "
            f"dimension, {dimension_id} AS dimension_id, {part} AS part, {per_part} AS per_part, "
            f"{self._aggregates('b')} FROM ({base_sql}) b "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )

    def _cross_join(self, base_sql: str, slices: list[Slice]) -> str:
        """Portable: each row once per slice (a join with a constant table), one GROUP BY."""
        table = " UNION ALL ".join(
            f"SELECT '{s.period}' AS period, '{s.dimension}' AS dimension, "
            f"{int(s.per_part)} AS per_part"
            for s in slices
        )
        period_start = " ".join(
            f"WHEN '{p}' THEN b.{DATE_COLUMNS[p]}" for p in sorted({s.period for s in slices})
        )
        dimension_id = " ".join(
            f"WHEN '{d}' THEN {_TEXT.format(column=f'b._{d}')}"
            for d in {s.dimension for s in slices} - {Dimension.ALL}
        )
        dimension_id = f"CASE x.dimension {dimension_id} ELSE '' END" if dimension_id else "''"
        part = f"CASE WHEN x.per_part = 1 THEN {_TEXT.format(column='b._part')} END"
        part = part if self.first.part else "NULL"
        inputs = "".join(f", b.{_quote(name)} AS {_quote(name)}" for name in self._input_columns())
        return (
            "SELECT s.period, s.period_start, s.dimension, s.dimension_id, s.part, s.per_part, "
            f"{self._aggregates('s')} FROM (SELECT x.period AS period, "
            f"CASE x.period {period_start} END AS period_start, x.dimension AS dimension, "
            f"{dimension_id} AS dimension_id, {part} AS part, x.per_part AS per_part{inputs} "
            f"FROM ({base_sql}) b CROSS JOIN ({table}) x) s "
            "GROUP BY s.period, s.period_start, s.dimension, s.dimension_id, s.part, s.per_part"
        )

    def _input_columns(self) -> dict[str, object]:
        # Prefixed per metric: an input may share its name with a model field or
        # with another metric's input.
        return {
            f"_in{index}_{name}": expression
            for index, spec in enumerate(self.specs.values())
            for name, expression in spec.inputs.items()
        }

    def _base(self, windows: list[Window], slices: list[Slice]) -> QuerySet:
        """The source rows in the widest window, with the columns the grouping reads."""
        spec = self.first
        widest = Window(
            windows[0].period, min(w.start for w in windows), max(w.end for w in windows)
        )
        columns: dict[str, object] = {
            DATE_COLUMNS[w.period]: Trunc(spec.date_field, w.period, output_field=DateField())
            for w in windows
        }
        # Grouped by the columns' own types (ids as numbers, text in byte order): far
        # cheaper to hash and sort than text in a linguistic collation; text only on output.
        for dimension in {s.dimension for s in slices} - {Dimension.ALL}:
            columns[f"_{dimension}"] = _grouping_column(spec.rows, spec.paths[dimension])
        if spec.part:
            columns["_part"] = _grouping_column(spec.rows, spec.part)
        columns.update(self._input_columns())
        return (
            spec.rows.filter(widest.in_range(spec.date_field, is_date=spec.is_date))
            .annotate(**columns)
            .values(*columns)
            .order_by()
        )


_TEXT = "CAST({column} AS VARCHAR(120))"


def _grouping_column(rows: QuerySet, path: str):
    column = F(path)
    if connection.vendor == "postgresql":
        field = rows.annotate(_probe=column).query.annotations["_probe"].output_field
        if isinstance(field, CharField | TextField):
            return Collate(column, "C")
    return column


def _first_grouped(columns: dict[str, str], then: str, otherwise: str) -> str:
    """CASE over GROUPING(): the first of `columns` the current grouping set groups by."""
    whens = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN {then.format(name, column=column)}"
        for name, column in columns.items()
    )
    return f"CASE {whens} ELSE {otherwise} END" if whens else otherwise
