"""Campaign and self-assessment metrics computed on hand-built data, exact values."""

from datetime import date
from decimal import Decimal

import pytest

from alignment.models import CampaignBriefing
from kpis.services.rollup import rollup_kpis
from tests.factories import TeamFactory, UserFactory
from tests.kpis.factories import AssessmentRoundFactory, CampaignFactory, answer
from tests.kpis.helpers import at, figure

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def run_march():
    return rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))


def test_marketing_spend_sums_campaigns_in_the_period_they_start_by_campaign_and_segment():
    first = CampaignFactory(starts_on=date(2026, 3, 2), spend=Decimal("1200.50"), segment="retail")
    second = CampaignFactory(starts_on=date(2026, 3, 20), spend=Decimal("800.00"), segment="energy")
    CampaignFactory(starts_on=date(2026, 4, 1), spend=Decimal("999.00"))  # April: not in March

    run_march()

    assert figure("marketing_spend", "month", MARCH) == Decimal("2000.50")
    assert figure("marketing_spend", "month", MARCH, "campaign", first.pk) == Decimal("1200.50")
    assert figure("marketing_spend", "month", MARCH, "segment", "energy") == Decimal("800.00")
    assert figure("marketing_spend", "week", date(2026, 3, 2)) == Decimal("1200.50")
    assert figure("marketing_spend", "day", date(2026, 3, 20), "campaign", second.pk) == Decimal(
        "800.00"
    )
    assert figure("marketing_spend", "day", date(2026, 3, 3)) is None


def test_briefing_ack_rate_counts_sellers_who_read_the_briefing_before_launch():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    anna = UserFactory(username="anna", roles=["sales"], team=north)
    ben = UserFactory(username="ben", roles=["sales"], team=north)
    cleo = UserFactory(username="cleo", roles=["sales"], team=south)
    UserFactory(username="mia", roles=["marketing"], team=south)  # not a seller: not counted
    spring = CampaignFactory(starts_on=date(2026, 3, 10))
    summer = CampaignFactory(starts_on=date(2026, 3, 25), segment="retail")
    CampaignFactory(starts_on=date(2026, 3, 12), published_at=None)  # a draft is not briefed

    def acknowledge(user, campaign, when):
        briefing = CampaignBriefing.objects.create(user=user, campaign=campaign)
        CampaignBriefing.objects.filter(pk=briefing.pk).update(acknowledged_at=when)

    acknowledge(anna, spring, at(2026, 3, 5))
    acknowledge(ben, spring, at(2026, 3, 9, 23, 30))
    acknowledge(cleo, spring, at(2026, 3, 11))  # after launch: does not count
    acknowledge(anna, summer, at(2026, 3, 20))

    run_march()

    # 3 acknowledged in time of 2 campaigns x 3 sellers.
    assert figure("briefing_ack_rate", "month", MARCH) == Decimal("0.5000")
    assert figure("briefing_ack_rate", "month", MARCH, "campaign", spring.pk) == Decimal("0.6667")
    assert figure("briefing_ack_rate", "month", MARCH, "campaign", summer.pk) == Decimal("0.3333")
    assert figure("briefing_ack_rate", "month", MARCH, "segment", "retail") == Decimal("0.3333")
    assert figure("briefing_ack_rate", "month", MARCH, "team", north.pk) == Decimal("0.7500")
    assert figure("briefing_ack_rate", "month", MARCH, "team", south.pk) == Decimal("0.0000")
    assert figure("briefing_ack_rate", "month", MARCH, "user", anna.pk) == Decimal("1.0000")
    assert figure("briefing_ack_rate", "month", MARCH, "user", cleo.pk) == Decimal("0.0000")
    assert figure("briefing_ack_rate", "week", date(2026, 3, 23)) == Decimal("0.3333")


def test_alignment_stage_is_the_mean_total_of_rounds_opened_in_the_period_with_sides():
    seller = UserFactory(username="s1", roles=["sales"])
    marketer = UserFactory(username="m1", roles=["marketing"])
    manager = UserFactory(username="boss", roles=["manager"])
    march_round = AssessmentRoundFactory(opened_at=at(2026, 3, 3))
    answer(seller, march_round, default=2)  # 40
    answer(marketer, march_round, default=4)  # 80
    answer(manager, march_round, default=3, scores={"culture_blame": 5})  # 62

    run_march()

    assert figure("alignment_stage", "month", MARCH) == Decimal("60.6667")
    assert figure("alignment_stage:sales", "month", MARCH) == Decimal("40.0000")
    assert figure("alignment_stage:marketing", "month", MARCH) == Decimal("80.0000")
    assert figure("alignment_stage:manager", "month", MARCH) == Decimal("62.0000")
