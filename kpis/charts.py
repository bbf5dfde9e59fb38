"""What the shared dashboard shows: its sections, charts and the series in each.

Pure declarations; kpis/dashboard.py turns snapshot rows into these charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
