import pytest

from tests.factories import UserFactory

from .factories import FeedbackRoundFactory, add_participants


@pytest.fixture
def open_round(db):
    return FeedbackRoundFactory(month="2026-11")


@pytest.fixture
def previous_round(db):
    return FeedbackRoundFactory(month="2026-10", closed=True)


@pytest.fixture
def crowd(db):
    """Six frontline people, enough for report breakdowns (groups of 5+)."""
    return [UserFactory(roles=["frontline"]) for _ in range(6)]


@pytest.fixture
def answering_round(open_round, frontline_user, sales_user, marketing_user):
    add_participants(open_round, frontline_user, sales_user, marketing_user)
    return open_round
