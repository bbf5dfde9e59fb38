"""Feedback participation and action closure on hand-built data, exact values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from kpis.services.rollup import rollup_kpis
from tests.factories import TeamFactory, UserFactory
from tests.kpis.helpers import at, figure

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def make_round(month: str, opens_at, users_answered: dict):
    Round = apps.get_model("feedback", "FeedbackRound")
    Participant = apps.get_model("feedback", "RoundParticipant")
    feedback_round = Round.objects.create(
        month=month, opens_at=opens_at, closes_at=opens_at + timedelta(days=10)
    )
    Participant.objects.bulk_create(
        Participant(round=feedback_round, user=user, answered=answered)
        for user, answered in users_answered.items()
    )
    return feedback_round


def test_participation_is_answered_over_participants_and_small_teams_are_not_shown():
    big, small = TeamFactory(name="Service"), TeamFactory(name="Field")
    service = [UserFactory(username=f"svc{i}", roles=["frontline"], team=big) for i in range(5)]
    field = [UserFactory(username=f"fld{i}", roles=["frontline"], team=small) for i in range(2)]
    answered = dict.fromkeys(service[:3] + field[:1], True) | dict.fromkeys(
        service[3:] + field[1:], False
    )
    make_round("2026-03", at(2026, 3, 2, 8), answered)

    rollup_kpis(since=MARCH, until=date(2026, 3, 31))

    assert figure("feedback_participation_rate", "month", MARCH) == Decimal("0.5714")  # 4 / 7
    assert figure("feedback_participation_rate", "month", MARCH, "team", big.pk) == Decimal(
        "0.6000"
    )
    assert figure("feedback_participation_rate", "month", MARCH, "team", small.pk) is None
    assert figure("feedback_participation_rate", "month", MARCH, "user", service[0].pk) is None


def test_action_closure_counts_done_and_declined_actions_created_in_the_period():
    Action = apps.get_model("feedback", "Action")
    owner = UserFactory(username="mia", roles=["marketing"], team=TeamFactory(name="Marketing"))
    feedback_round = make_round("2026-03", at(2026, 3, 2, 8), {})
    statuses = [
        ("done", ""),
        ("declined", "Out of budget this year"),
        ("in_progress", ""),
        ("new", ""),
    ]
    for status, reason in statuses:
        action = Action.objects.create(
            round=feedback_round,
            title=f"Fix {status}",
            owner=owner,
            status=status,
            decline_reason=reason,
        )
        Action.objects.filter(pk=action.pk).update(created_at=at(2026, 3, 12))

    rollup_kpis(since=MARCH, until=date(2026, 3, 31))

    assert figure("feedback_actions_closed_rate", "month", MARCH) == Decimal("0.5000")
    assert figure("feedback_actions_closed_rate", "month", MARCH, "user", owner.pk) == Decimal(
        "0.5000"
    )
    assert figure(
        "feedback_actions_closed_rate", "week", date(2026, 3, 9), "team", owner.team_id
    ) == Decimal("0.5000")
