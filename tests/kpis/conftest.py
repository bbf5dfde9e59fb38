"""Shared KPI fixtures."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.kpis.factories import CampaignFactory, make_account, make_conversation
from tests.kpis.helpers import at


@pytest.fixture
def activity(db):
    seller = UserFactory(username="anna", roles=["sales"])
    account = make_account("Hollandse Installatie BV", segment="installers")
    for day in (3, 17):
        make_conversation(
            author=seller, account=account, occurred_at=at(2026, 3, day), status="complete"
        )
    make_conversation(author=seller, account=account, occurred_at=at(2026, 4, 2), status="draft")
    CampaignFactory(starts_on=date(2026, 3, 5), spend=Decimal("500"))
    return seller, account
