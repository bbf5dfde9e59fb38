"""The alignment self-assessment instrument, in Silta's own words.

The shape follows the diagnostic in Kotler, Rackham and Krishnaswamy, "Ending the
War Between Sales and Marketing" (HBR 2006): 20 statements scored 1–5, a total of
20–100 placing the company in one of four stages. The statements below are ours;
the article's wording is not reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCORE_CHOICES = [
    (1, _("1 – not at all")),
    (2, _("2 – rarely")),
    (3, _("3 – partly")),
    (4, _("4 – mostly")),
    (5, _("5 – fully")),
]


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Statement:
    key: str
    area: str
    text: str | Promise


AREAS = [
    Area("metrics", _("Shared metrics and rewards")),
    Area("planning", _("Joint planning")),
    Area("language", _("Shared language and lead definitions")),
    Area("handoffs", _("Hand-offs and service levels")),
    Area("field", _("Information flow from the field")),
    Area("presence", _("Marketing's presence with customers")),
    Area("training", _("Joint training")),
    Area("culture", _("Culture")),
]
AREA_LABELS = {area.key: area.label for area in AREAS}

STATEMENTS = [
    Statement(
        "metrics_revenue",
        "metrics",
        _("Sales and marketing are judged on at least one figure they can only move together."),
    ),
    Statement(
        "metrics_rewards",
        "metrics",
        _("Bonuses or recognition in both teams depend partly on the same results."),
    ),
    Statement(
        "metrics_visible",
        "metrics",
        _("Both teams look at the same dashboard when they discuss how the quarter is going."),
    ),
    Statement(
        "planning_calendar",
        "planning",
        _("Campaign plans and sales plans for the coming period are drawn up in the same room."),
    ),
    Statement(
        "planning_budget",
        "planning",
        _("When the budget is split, both teams can see why and have had a say."),
    ),
    Statement(
        "planning_accounts",
        "planning",
        _("We agree together which customers and segments deserve most of our effort."),
    ),
    Statement(
        "language_lead",
        "language",
        _("Anyone in either team can explain when a contact counts as a qualified lead."),
    ),
    Statement(
        "language_stages",
        "language",
        _("Both teams use the same names for the steps a customer goes through before buying."),
    ),
    Statement(
        "language_story",
        "language",
        _("A customer hears the same promise from an advert as from the seller who calls."),
    ),
    Statement(
        "handoffs_speed",
        "handoffs",
        _("Leads that marketing passes on are contacted within the time we promised each other."),
    ),
    Statement(
        "handoffs_return",
        "handoffs",
        _("Leads that are not ready to buy go back to marketing with a reason, not into a drawer."),
    ),
    Statement(
        "handoffs_briefing",
        "handoffs",
        _("Sellers know about a campaign before the first customer mentions it."),
    ),
    Statement(
        "field_notes",
        "field",
        _("Notes from customer conversations say what the customer wanted, not only that we met."),
    ),
    Statement(
        "field_feedback",
        "field",
        _("Frontline observations reach marketing regularly and visibly lead to changes."),
    ),
    Statement(
        "presence_meetings",
        "presence",
        _("Marketers regularly join sales meetings or customer visits."),
    ),
    Statement(
        "presence_deals",
        "presence",
        _("Marketing helps prepare material for specific large deals, not only general campaigns."),
    ),
    Statement(
        "training_joint",
        "training",
        _("Sellers and marketers take part in the same training at least once a year."),
    ),
    Statement(
        "training_insight",
        "training",
        _("Marketing coaches sellers on the insights and themes they should bring to customers."),
    ),
    Statement(
        "culture_respect",
        "culture",
        _("People in each team speak of the other team's work with respect."),
    ),
    Statement(
        "culture_blame",
        "culture",
        _("When a deal is lost, we look for the cause together instead of blaming the other side."),
    ),
]
STATEMENTS_BY_KEY = {statement.key: statement for statement in STATEMENTS}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str | Promise
    low: int
    high: int
    summary: str | Promise
    next_moves: tuple


STAGES = [
    Stage(
        "undefined",
        _("Undefined"),
        20,
        39,
        _("The two teams work side by side but mostly on their own agendas; friction is common."),
        (
            _("Agree a written definition of a qualified lead and who acts on it."),
            _("Put money in and money out on one dashboard and review it together monthly."),
            _("Brief sellers on every campaign before it launches."),
        ),
    ),
    Stage(
        "defined",
        _("Defined"),
        40,
        59,
        _("Rules and hand-offs exist, but each team still plans and measures separately."),
        (
            _("Agree a service level for lead response and track it every week."),
            _("Hold a joint planning session before each campaign season."),
            _("Start the monthly frontline feedback round and act on what it brings up."),
        ),
    ),
    Stage(
        "aligned",
        _("Aligned"),
        60,
        79,
        _("Planning and language are shared; the teams still have separate goals and rewards."),
        (
            _("Tie part of both teams' rewards to a shared revenue figure."),
            _("Let marketers join key customer meetings every month."),
            _("Develop insight themes together and train sellers on them jointly."),
        ),
    ),
    Stage(
        "integrated",
        _("Integrated"),
        80,
        100,
        _("The teams plan, measure and learn as one; keep it that way as people change."),
        (
            _("Bring new hires from both teams through one shared onboarding."),
            _("Review the shared metrics and service levels each year as the market moves."),
            _("Rotate people between sales and marketing roles to keep the bond strong."),
        ),
    ),
]
STAGES_BY_KEY = {stage.key: stage for stage in STAGES}
MIN_TOTAL = len(STATEMENTS)
MAX_TOTAL = 5 * len(STATEMENTS)


def stage_for(total: float | int | None) -> Stage | None:
    """The stage a total score of 20–100 falls in (averages are rounded first)."""
    if total is None:
        return None
    rounded = int(float(total) + 0.5)
    for stage in STAGES:
        if stage.low <= rounded <= stage.high:
            return stage
    return STAGES[0] if rounded < STAGES[0].low else STAGES[-1]
