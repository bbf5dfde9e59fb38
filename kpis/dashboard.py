"""The shared dashboard: which figures it shows and how snapshots become charts + tables.

Everything here works on snapshot rows already fetched by one query; nothing
reads raw CRM rows, so the page costs the same whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .instrument import stage_for
from .metrics.base import next_period_start, period_start
from .models import Period

PERIODS_SHOWN = {Period.DAY: 31, Period.WEEK: 13, Period.MONTH: 12}
SOURCES = [
    ("marketing", _("Marketing")),
    ("sales", _("Sales")),
    ("partner", _("Partner")),
    ("referral", _("Referral")),
]
STAGES = [
    ("lead", _("Lead")),
    ("qualified", _("Qualified")),
    ("proposal", _("Proposal")),
    ("negotiation", _("Negotiation")),
    ("won", _("Won")),
]
SIDES = [("sales", _("Sales")), ("marketing", _("Marketing")), ("manager", _("Managers"))]
UNIT_SCALE = {"rate": Decimal(100)}  # rates are stored 0–1 and shown as percentages


@dataclass(frozen=True)
class Series:
    metric: str
    label: str | Promise


@dataclass(frozen=True)
class Chart:
    key: str
    title: str | Promise
    unit: str  # eur, rate, count, hours, days, score
    series: tuple[Series, ...] = ()
    kind: str = "line"  # line / bar over periods; "ranking" sums parts over the range
    family: str = ""  # for rankings: metric prefix whose parts become the labels
    top: int = 10
    help: str | Promise = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    charts: tuple[Chart, ...]


SECTIONS = (
    Section(
        "money",
        _("Money in beside money out"),
        (
            Chart(
                "money",
                _("Won revenue and marketing spend (EUR)"),
                "eur",
                (
                    Series("revenue_won", _("Won revenue")),
                    Series("marketing_spend", _("Marketing spend")),
                ),
                kind="bar",
            ),
            Chart(
                "revenue_per_euro",
                _("Won revenue per marketing euro"),
                "ratio",
                (Series("revenue_per_marketing_euro", _("EUR won per EUR spent")),),
                help=_(
                    "Won revenue of marketing-sourced opportunities divided by marketing spend."
                ),
            ),
        ),
    ),
    Section(
        "pipeline",
        _("Pipeline by source"),
        (
            Chart(
                "pipeline",
                _("Pipeline created by source (EUR)"),
                "eur",
                tuple(Series(f"pipeline_created:{key}", label) for key, label in SOURCES),
                kind="bar",
            ),
            Chart(
                "funnel",
                _("Stage funnel by source"),
                "count",
                tuple(Series(f"stage_reached:{key}", label) for key, label in SOURCES),
                kind="funnel",
                help=_("Opportunities created in the shown periods that reached each stage."),
            ),
        ),
    ),
    Section(
        "win",
        _("Win rate and cycle length"),
        (
            Chart("win_rate", _("Win rate (%)"), "rate", (Series("win_rate", _("Won of closed")),)),
            Chart(
                "cycle",
                _("Average sales cycle (days)"),
                "days",
                (Series("avg_cycle_days", _("Days from created to won")),),
            ),
        ),
    ),
    Section(
        "sla",
        _("Lead response and service level"),
        (
            Chart(
                "sla",
                _("Marketing leads contacted in time (%)"),
                "rate",
                (Series("sla_met_rate", _("Service level met")),),
            ),
            Chart(
                "lead_response",
                _("Median lead response (hours)"),
                "hours",
                (Series("lead_response_hours", _("Hours to first conversation")),),
            ),
        ),
    ),
    Section(
        "conversations",
        _("Conversation completeness and quality"),
        (
            Chart(
                "conversations",
                _("Conversations logged"),
                "count",
                (Series("conversations_logged", _("Conversations")),),
                kind="bar",
            ),
            Chart(
                "completeness",
                _("Complete conversation logs (%)"),
                "rate",
                (Series("conversation_completeness", _("Complete")),),
            ),
            Chart(
                "quality",
                _("Average quality score (0–100)"),
                "score",
                (Series("avg_quality_score", _("Quality score")),),
            ),
        ),
    ),
    Section(
        "campaigns",
        _("Campaign briefings"),
        (
            Chart(
                "briefing",
                _("Briefings acknowledged before launch (%)"),
                "rate",
                (Series("briefing_ack_rate", _("Acknowledged")),),
            ),
            Chart(
                "unaware",
                _("Customer mentioned a campaign the rep did not know"),
                "count",
                (Series("unaware_campaign_mentions", _("Unaware mentions")),),
                kind="bar",
            ),
        ),
    ),
    Section(
        "insights",
        _("Top objections and themes"),
        (
            Chart(
                "objections", _("Top objections"), "count", kind="ranking", family="objections_top"
            ),
            Chart(
                "themes",
                _("Insight themes brought to customers"),
                "count",
                kind="ranking",
                family="insights_by_theme",
            ),
        ),
    ),
    Section(
        "feedback",
        _("Frontline feedback"),
        (
            Chart(
                "feedback",
                _("Participation and action closure (%)"),
                "rate",
                (
                    Series("feedback_participation_rate", _("Participation")),
                    Series("feedback_actions_closed_rate", _("Actions closed")),
                ),
            ),
        ),
    ),
    Section(
        "alignment",
        _("Alignment stage"),
        (
            Chart(
                "alignment",
                _("Self-assessment score (20–100)"),
                "score",
                (Series("alignment_stage", _("Everyone")),)
                + tuple(Series(f"alignment_stage:{key}", label) for key, label in SIDES),
            ),
        ),
    ),
)


# How each figure is computed, shown under the chart title (the full definitions
# are in kpis/metrics/*.py).
CHART_HELP = {
    "money": _("Won revenue by close date; campaign spend in the period the campaign starts."),
    "pipeline": _("Amount of opportunities created in each period, by where they came from."),
    "win_rate": _("Won divided by won plus lost, for opportunities closed in the period."),
    "cycle": _("Mean days from creating an opportunity to winning it, by close date."),
    "sla": _("Marketing leads whose first conversation came within the agreed service level."),
    "lead_response": _("Median hours from a marketing lead's creation to its first conversation."),
    "completeness": _(
        "Complete conversation logs divided by all logs; drafts count as incomplete."
    ),
    "briefing": _("Sellers who acknowledged a campaign briefing before the campaign started."),
    "unaware": _("Conversations where the customer mentioned a campaign the rep had not heard of."),
    "objections": _("How often each objection was heard in the shown periods."),
    "themes": _("Conversations in which the rep brought each insight theme."),
    "feedback": _(
        "Answered participants of the monthly round, and actions from it done or declined."
    ),
    "alignment": _(
        "Mean self-assessment total: 20–39 undefined, 40–59 defined, 60–79 aligned, 80–100 integrated."
    ),
}


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


def load(*, period: str, dimension: str, dimension_id: str, until: date) -> dict:
    """Charts for one slice: one snapshot query plus one for theme titles."""
    from django.apps import apps

    from . import selectors

    starts = period_starts(period, until)
    figures = {
        (row.metric, row.period_start): row.value
        for row in selectors.snapshots(
            period=period,
            dimension=dimension,
            dimension_id=dimension_id,
            since=starts[0],
            until=starts[-1],
        )
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
    stage_scores = sorted(
        (start, value) for (metric, start), value in figures.items() if metric == "alignment_stage"
    )
    latest_score = stage_scores[-1][1] if stage_scores else None
    return {
        "alignment_score": latest_score,
        "alignment_stage": stage_for(latest_score),
        "starts": starts,
        "range_end": range_end(period, starts),
        "figures": figures,
        "sections": build_charts(period=period, starts=starts, figures=figures, labels=labels),
    }
