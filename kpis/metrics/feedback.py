"""Metrics on the monthly frontline feedback round (feedback).

Definitions (rates are fractions 0–1):
- `feedback_participation_rate`: participants who answered / participants, for
  rounds opening in the period. Per team only for teams with at least
  MIN_GROUP participants, so that nobody can be singled out; never per user.
- `feedback_actions_closed_rate`: actions created in the period that are now done
  or declined / all actions created in the period (per owner and owner's team).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q

from ..models import Dimension
from .base import Figures, Window, figures_from_rows, grouped, ratio, registry

MIN_GROUP = 5
PARTICIPATION_PATHS = {Dimension.ALL: None, Dimension.TEAM: "user__team_id"}
ACTION_PATHS = {Dimension.ALL: None, Dimension.TEAM: "owner__team_id", Dimension.USER: "owner_id"}


@registry.register(
    "feedback_participation_rate",
    dimensions=tuple(PARTICIPATION_PATHS),
    requires=("feedback.RoundParticipant",),
    unit="rate",
)
def feedback_participation_rate(window: Window, dimension: str) -> Figures:
    """Participants who answered / all participants of rounds opening in the period."""
    Participant = apps.get_model("feedback", "RoundParticipant")
    rows = grouped(
        Participant.objects.all(),
        window=window,
        date_field="round__opens_at",
        dimension_path=PARTICIPATION_PATHS[dimension],
        answered=Count("id", filter=Q(answered=True)),
        total=Count("id"),
    )
    if dimension != Dimension.ALL:
        rows = rows.filter(total__gte=MIN_GROUP)
    return figures_from_rows(
        "feedback_participation_rate", rows, lambda row: ratio(row["answered"], row["total"])
    )


@registry.register(
    "feedback_actions_closed_rate",
    dimensions=tuple(ACTION_PATHS),
    requires=("feedback.Action",),
    unit="rate",
)
def feedback_actions_closed_rate(window: Window, dimension: str) -> Figures:
    """Actions created in the period that are done or declined / all of them."""
    Action = apps.get_model("feedback", "Action")
    rows = grouped(
        Action.objects.all(),
        window=window,
        date_field="created_at",
        dimension_path=ACTION_PATHS[dimension],
        closed=Count("id", filter=Q(status__in=["done", "declined"])),
        total=Count("id"),
    )
    return figures_from_rows(
        "feedback_actions_closed_rate", rows, lambda row: ratio(row["closed"], row["total"])
    )
