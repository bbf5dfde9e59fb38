"""The shared dashboard: how snapshot rows become charts and the tables under them.

Everything here works on snapshot rows already fetched by one query; nothing
reads raw CRM rows, so the page costs the same whatever the data size. What is
shown is declared in kpis/charts.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from django.utils.translation import get_language

from .charts import CHART_HELP, PERIODS_SHOWN, SECTIONS, STAGES, UNIT_SCALE, Chart
from .instrument import stage_for
from .metrics.base import next_period_start, period_start
from .models import Period

_HERE = Path(__file__).resolve().parent
# The charts' cached HTML depends on this code as much as on the figures: a deploy that
# changes how charts are built, drawn or read by the page's script starts afresh.
CHARTS_CODE = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for path in (
            _HERE / "charts.py",
            _HERE / "dashboard.py",
            _HERE / "templates" / "kpis" / "dashboard.html",
            _HERE.parent / "static" / "js" / "silta.js",
        )
    )
).hexdigest()


def period_starts(period: str, until: date) -> list[date]:
    """The starts of the periods shown, oldest first, ending with the one holding `until`."""
    starts = [period_start(period, until)]
    for _index in range(PERIODS_SHOWN[period] - 1):
        starts.append(period_start(period, starts[-1] - timedelta(days=1)))
    return list(reversed(starts))


def display_value(unit: str, value: Decimal | None) -> float | None:
    if value is None:
        return None
    scaled = value * UNIT_SCALE.get(unit, Decimal(1))
    return float(round(scaled, 2))


def build_charts(*, period: str, starts: list[date], figures: dict, labels: dict) -> list[dict]:
    """Charts and their tables from `{(metric, period_start): value}`; `labels` names parts."""
    period_labels = [period_label(period, start) for start in starts]
    sections = []
    for section in SECTIONS:
        charts = []
        for chart in section.charts:
            if chart.kind == "ranking":
                built = _ranking(chart, starts, figures, labels)
            elif chart.kind == "funnel":
                built = _funnel(chart, starts, figures)
            else:
                built = _over_time(chart, starts, period_labels, figures)
            built.update(
                key=chart.key,
                title=str(chart.title),
                unit=chart.unit,
                help=str(chart.help or CHART_HELP.get(chart.key, "")),
            )
            built["empty"] = not any(
                value is not None for dataset in built["datasets"] for value in dataset["data"]
            )
            built["rows"] = [
                {"label": label, "values": [dataset["data"][i] for dataset in built["datasets"]]}
                for i, label in enumerate(built["labels"])
            ]
            charts.append(built)
        sections.append({"key": section.key, "title": section.title, "charts": charts})
    return sections


def _over_time(chart: Chart, starts, period_labels, figures) -> dict:
    return {
        "type": "bar" if chart.kind == "bar" else "line",
        "labels": period_labels,
        "datasets": [
            {
                "label": str(series.label),
                "data": [
                    display_value(chart.unit, figures.get((series.metric, start)))
                    for start in starts
                ],
            }
            for series in chart.series
        ],
    }


def _ranking(chart: Chart, starts, figures, labels) -> dict:
    shown = set(starts)
    totals: dict[str, Decimal] = {}
    prefix = f"{chart.family}:"
    for (metric, start), value in figures.items():
        if start in shown and metric.startswith(prefix):
            part = metric[len(prefix) :]
            totals[part] = totals.get(part, Decimal(0)) + value
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[: chart.top]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [labels.get((chart.family, part), part) for part, _value in ranked],
        "datasets": [
            {"label": str(chart.title), "data": [float(value) for _part, value in ranked]}
        ],
    }


def _funnel(chart: Chart, starts, figures) -> dict:
    shown = set(starts)
    datasets = []
    for series in chart.series:
        data = []
        for stage, _label in STAGES:
            key = f"{series.metric}:{stage}"
            values = [
                value
                for (metric, start), value in figures.items()
                if metric == key and start in shown
            ]
            data.append(float(sum(values)) if values else None)
        datasets.append({"label": str(series.label), "data": data})
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [str(label) for _stage, label in STAGES],
        "datasets": datasets,
    }


def period_label(period: str, start: date) -> str:
    if period == Period.MONTH:
        return start.strftime("%Y-%m")
    if period == Period.WEEK:
        year, week, _weekday = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()


def range_end(period: str, starts: list[date]) -> date:
    return next_period_start(period, starts[-1]) - timedelta(days=1)


@dataclass
class Dashboard:
    """One slice's figures; the charts are built only when the page needs them, which is
    when its cached HTML (keyed by `fingerprint`) is missing."""

    period: str
    starts: list[date]
    figures: dict
    labels: dict
    fingerprint: str

    @property
    def range_end(self) -> date:
        return range_end(self.period, self.starts)

    @cached_property
    def alignment_score(self) -> Decimal | None:
        scores = sorted(
            (start, value)
            for (metric, start), value in self.figures.items()
            if metric == "alignment_stage"
        )
        return scores[-1][1] if scores else None

    @property
    def alignment_stage(self):
        return stage_for(self.alignment_score)

    @cached_property
    def sections(self) -> list[dict]:
        return build_charts(
            period=self.period, starts=self.starts, figures=self.figures, labels=self.labels
        )

    @cached_property
    def charts_json(self) -> dict:
        return {chart["key"]: chart for section in self.sections for chart in section["charts"]}


def load(*, period: str, dimension: str, dimension_id: str, until: date) -> Dashboard:
    """One slice's figures: one snapshot query plus one for theme titles.

    Figures change only when the rollup writes, so the page caches the charts' HTML under
    `fingerprint` (the figures, their labels, the language and the charts' code): a
    changed figure shows at once, an unchanged dashboard is not rebuilt.
    """
    from django.apps import apps

    from . import selectors

    starts = period_starts(period, until)
    figures = {
        (metric, start): value
        for metric, start, value in selectors.snapshots(
            period=period,
            dimension=dimension,
            dimension_id=dimension_id,
            since=starts[0],
            until=starts[-1],
        ).values_list("metric", "period_start", "value")
    }
    theme_ids = {
        metric.split(":", 1)[1]
        for metric, _start in figures
        if metric.startswith("insights_by_theme:")
    }
    labels = {}
    Theme = apps.get_model("alignment", "Theme")
    # Always one query (an empty IN would skip it), so the page costs the same every time.
    wanted = [int(i) for i in theme_ids if i.isdigit()] or [0]
    for pk, title in Theme.objects.filter(pk__in=wanted).values_list("pk", "title"):
        labels[("insights_by_theme", str(pk))] = title
    fingerprint = hashlib.sha256(
        repr(
            (
                CHARTS_CODE,
                get_language(),
                period,
                starts,
                sorted(figures.items()),
                sorted(labels.items()),
            )
        ).encode()
    ).hexdigest()
    return Dashboard(
        period=period, starts=starts, figures=figures, labels=labels, fingerprint=fingerprint
    )
