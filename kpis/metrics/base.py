"""The rollup framework: period windows, grouped queries and the metric registry.

A metric over a small source (campaigns, briefings, feedback, the assessment) is a
function `(window, dimension) -> Figures`, where `Figures` maps `(metric_key,
period_start, dimension_id)` to a value; it runs one or a few grouped SQL queries
and Python only combines the grouped rows (ratios). A metric over a big source
(conversations, objections, opportunities) is a `Grouped` spec instead (see
grouped.py): one SQL pass computes all its periods and dimensions, and the rows
never leave the database. `kept` says which figures the rollup keeps at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import CharField, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Trunc
from django.utils import timezone

from ..models import Dimension, Period

if TYPE_CHECKING:
    from .grouped import Grouped

Figures = dict[tuple[str, date, str], Decimal]
ALL_DIMENSIONS = tuple(Dimension.values)


@dataclass(frozen=True)
class Window:
    """The dates one period kind covers in a rollup: [start, end) aligned to periods."""

    period: str
    start: date
    end: date

    @classmethod
    def covering(cls, period: str, since: date, until: date) -> Window:
        return cls(period, period_start(period, since), next_period_start(period, until))

    @property
    def start_dt(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_dt(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    def trunc(self, field_name: str) -> Trunc:
        """The local-time period start of a date or datetime field, as a date."""
        return Trunc(field_name, self.period, output_field=DateField())

    def in_range(self, field_name: str, *, is_date: bool = False) -> Q:
        if is_date:
            return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})
        return Q(**{f"{field_name}__gte": self.start_dt, f"{field_name}__lt": self.end_dt})


def kept(*, period: str, dimension: str, breakdown: bool) -> bool:
    """Whether the rollup keeps figures of this period kind and dimension (with parts or not).

    Per person only by week and month and without breakdowns: a person's day holds one
    or two conversations, and their counts per tag or theme are thinner still; at
    design scale those figures were four in five of all snapshots and said little.
    """
    if dimension == Dimension.USER:
        return period != Period.DAY and not breakdown
    return True


def period_start(period: str, day: date) -> date:
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    return day


def next_period_start(period: str, day: date) -> date:
    start = period_start(period, day)
    if period == Period.WEEK:
        return start + timedelta(days=7)
    if period == Period.MONTH:
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=1)


def dimension_expression(path: str | None):
    """`dimension_id` as text: "" for `all`, else the field at `path` cast to text."""
    if path is None:
        return Value("", output_field=CharField())
    return Cast(F(path), output_field=CharField())


def grouped(
    queryset: QuerySet,
    *,
    window: Window,
    date_field: str,
    dimension_path: str | None,
    is_date: bool = False,
    extra_group: tuple[str, ...] = (),
    part_field: str | None = None,
    **aggregates,
) -> QuerySet:
    """One GROUP BY query: rows of `period_start`, `dimension_id`, extras and aggregates.

    `part_field` adds a text column `part` (a breakdown such as source or tag) to the group.
    """
    queryset = queryset.filter(window.in_range(date_field, is_date=is_date))
    if part_field is not None:
        queryset = queryset.annotate(part=Cast(F(part_field), output_field=CharField()))
        extra_group = (*extra_group, "part")
    if dimension_path is not None:
        queryset = queryset.exclude(**{f"{dimension_path}__isnull": True})
        if dimension_path.endswith("segment"):
            queryset = queryset.exclude(**{dimension_path: ""})
    return (
        queryset.annotate(
            period_start=window.trunc(date_field), dimension_id=dimension_expression(dimension_path)
        )
        .values("period_start", "dimension_id", *extra_group)
        .annotate(**aggregates)
        .order_by()
    )


def as_decimal(value) -> Decimal:
    if isinstance(value, timedelta):
        value = value.total_seconds()
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return as_decimal(Decimal(numerator or 0) / Decimal(denominator))


@dataclass(frozen=True)
class Metric:
    """A shared KPI: `function(window, dimension) -> Figures` for small sources, or
    `grouped() -> Grouped` for big ones, computed for every period and dimension at once."""

    key: str
    function: Callable[[Window, str], Figures] | None
    dimensions: tuple[str, ...]
    requires: tuple[str, ...] = ()
    description: str = ""
    breakdown: bool = False
    unit: str = "count"  # count, eur, rate, hours, days, score
    grouped: Callable[[], Grouped] | None = None
    batch: str = ""  # grouped metrics with the same batch share one statement

    @property
    def batch_key(self) -> str:
        return self.batch or self.key

    def compute(self, window: Window, dimension: str) -> Figures:
        """The figures of one slice of a function metric, as far as the rollup keeps them.

        Grouped metrics are computed in the database only (kpis.services.fresh.figures_of).
        """
        if self.function is None:
            raise TypeError(f"{self.key} is grouped: use kpis.services.fresh.figures_of")
        if dimension not in self.dimensions or not kept(
            period=window.period, dimension=dimension, breakdown=False
        ):
            return {}
        return {
            figure: value
            for figure, value in self.function(window, dimension).items()
            if kept(period=window.period, dimension=dimension, breakdown=":" in figure[0])
        }

    @property
    def available(self) -> bool:
        """False while a source model (`app_label.Model`) has not landed yet."""
        for label in self.requires:
            try:
                apps.get_model(label)
            except LookupError:
                return False
        return True


@dataclass
class Registry:
    metrics: dict[str, Metric] = field(default_factory=dict)

    def register(
        self,
        key: str,
        *,
        dimensions: tuple[str, ...] = ALL_DIMENSIONS,
        requires: tuple[str, ...] = (),
        breakdown: bool = False,
        unit: str = "count",
    ):
        """Register `function(window, dimension) -> Figures` (one slice per call)."""

        def decorator(function: Callable[[Window, str], Figures]):
            self._add(key, function, dimensions, requires, breakdown, unit)
            return function

        return decorator

    def register_grouped(
        self,
        key: str,
        *,
        requires: tuple[str, ...] = (),
        breakdown: bool = False,
        unit: str = "count",
        batch: str = "",
    ):
        """Register `function() -> Grouped`: every slice in one SQL pass (big sources).

        Metrics naming the same `batch` must read the same rows; they are computed
        by one statement.
        """

        def decorator(function: Callable[[], Grouped]):
            self._add(key, None, (), requires, breakdown, unit, grouped=function, batch=batch)
            return function

        return decorator

    def _add(
        self, key, function, dimensions, requires, breakdown, unit, grouped=None, batch=""
    ) -> None:
        self.metrics[key] = Metric(
            key=key,
            function=function,
            dimensions=dimensions,
            requires=requires,
            description=((function or grouped).__doc__ or "").strip(),
            breakdown=breakdown,
            unit=unit,
            grouped=grouped,
            batch=batch,
        )

    def available(self) -> list[Metric]:
        return [metric for metric in self.metrics.values() if metric.available]

    def missing(self) -> list[Metric]:
        return [metric for metric in self.metrics.values() if not metric.available]


registry = Registry()


def figures_from_rows(
    key: str, rows, value: Callable[[dict], object], *, part: str | None = None
) -> Figures:
    """Turn grouped rows into figures; `value` returning None drops the group."""
    figures: Figures = {}
    for row in rows:
        result = value(row)
        if result is None:
            continue
        metric_key = f"{key}:{row[part]}" if part else key
        figures[(metric_key, row["period_start"], row["dimension_id"])] = as_decimal(result)
    return figures
