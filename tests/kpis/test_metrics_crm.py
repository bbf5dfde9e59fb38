"""Conversation and opportunity metrics computed on hand-built data, exact values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from alignment.models import ServiceLevel, Theme
from kpis.services.rollup import rollup_kpis
from tests.factories import TeamFactory, UserFactory
from tests.kpis.factories import CampaignFactory, make_account, make_conversation, make_opportunity
from tests.kpis.helpers import at, figure

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


@pytest.fixture
def world():
    """Two sellers in two teams, two accounts in two segments, one campaign, two themes."""
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    anna = UserFactory(username="anna", roles=["sales"], team=north)
    ben = UserFactory(username="ben", roles=["sales"], team=south)
    factory = make_account("Konepaja Virtanen Oy", segment="manufacturing")
    shop = make_account("Bakkerij de Vries", segment="retail")
    campaign = CampaignFactory(starts_on=date(2026, 3, 10), spend=Decimal("4000.00"))
    energy = Theme.objects.create(title="Energy as a service", insight="Pay per use")
    data = Theme.objects.create(title="Data-driven maintenance", insight="Predict failures")
    return {
        "north": north,
        "south": south,
        "anna": anna,
        "ben": ben,
        "factory": factory,
        "shop": shop,
        "campaign": campaign,
        "energy": energy,
        "data": data,
    }


@pytest.fixture
def conversations(world):
    w = world
    make_conversation(
        author=w["anna"],
        account=w["factory"],
        occurred_at=at(2026, 3, 2),
        status="complete",
        quality_score=80,
        campaign=w["campaign"],
        campaign_known_to_rep=False,
        theme=w["energy"],
        objections=["price", "timing"],
    )
    make_conversation(
        author=w["anna"],
        account=w["factory"],
        occurred_at=at(2026, 3, 3),
        status="draft",
        quality_score=40,
        theme=w["energy"],
        objections=["price"],
    )
    make_conversation(
        author=w["ben"],
        account=w["shop"],
        occurred_at=at(2026, 3, 10),
        status="complete",
        quality_score=90,
        campaign=w["campaign"],
        campaign_known_to_rep=True,
        theme=w["data"],
    )
    make_conversation(  # April: outside the March figures
        author=w["ben"],
        account=w["shop"],
        occurred_at=at(2026, 4, 1),
        status="complete",
        quality_score=10,
    )
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    return w


def test_conversations_logged_by_period_and_every_dimension(conversations):
    w = conversations
    assert figure("conversations_logged", "month", MARCH) == 3
    assert figure("conversations_logged", "week", date(2026, 3, 2)) == 2
    assert figure("conversations_logged", "week", date(2026, 3, 9)) == 1
    assert figure("conversations_logged", "day", date(2026, 3, 3)) == 1
    assert figure("conversations_logged", "month", MARCH, "team", w["north"].pk) == 2
    assert figure("conversations_logged", "month", MARCH, "user", w["ben"].pk) == 1
    assert figure("conversations_logged", "month", MARCH, "campaign", w["campaign"].pk) == 2
    assert figure("conversations_logged", "month", MARCH, "segment", "retail") == 1
    assert figure("conversations_logged", "month", date(2026, 4, 1)) is None  # not in the range


def test_completeness_is_complete_over_all_and_quality_is_the_mean(conversations):
    w = conversations
    assert figure("conversation_completeness", "month", MARCH) == Decimal("0.6667")
    assert figure("conversation_completeness", "month", MARCH, "team", w["north"].pk) == Decimal(
        "0.5000"
    )
    assert figure("conversation_completeness", "month", MARCH, "user", w["ben"].pk) == Decimal(
        "1.0000"
    )
    assert figure("avg_quality_score", "month", MARCH) == Decimal("70.0000")
    assert figure("avg_quality_score", "month", MARCH, "segment", "manufacturing") == Decimal(
        "60.0000"
    )


def test_unaware_mentions_themes_and_objections(conversations):
    w = conversations
    assert figure("unaware_campaign_mentions", "month", MARCH) == 1
    assert figure("unaware_campaign_mentions", "month", MARCH, "campaign", w["campaign"].pk) == 1
    assert figure("unaware_campaign_mentions", "month", MARCH, "user", w["ben"].pk) == 0
    assert figure("insights_by_theme", "month", MARCH) == 3
    assert figure(f"insights_by_theme:{w['energy'].pk}", "month", MARCH) == 2
    assert figure(f"insights_by_theme:{w['data'].pk}", "month", MARCH, "team", w["south"].pk) == 1
    assert figure("objections_top", "month", MARCH) == 3
    assert figure("objections_top:price", "month", MARCH) == 2
    assert figure("objections_top:timing", "day", date(2026, 3, 2)) == 1
    assert figure("objections_top:price", "month", MARCH, "user", w["ben"].pk) is None


@pytest.fixture
def deals(world):
    w = world
    anna, ben, factory, shop = w["anna"], w["ben"], w["factory"], w["shop"]
    won_marketing = make_opportunity(
        owner=anna,
        account=factory,
        created_at=at(2026, 3, 1, 9),
        source="marketing",
        campaign=w["campaign"],
        amount=Decimal("10000"),
        stage="won",
        closed_at=at(2026, 3, 21, 9),
        history=["lead", "qualified", "proposal", "negotiation", "won"],
    )
    make_opportunity(  # created in February, won in March after 33 days
        owner=ben,
        account=shop,
        created_at=at(2026, 2, 10),
        source="sales",
        amount=Decimal("5000"),
        stage="won",
        closed_at=at(2026, 3, 15),
    )
    lost_marketing = make_opportunity(
        owner=ben,
        account=shop,
        created_at=at(2026, 3, 5, 10),
        source="marketing",
        amount=Decimal("3000"),
        stage="lost",
        closed_at=at(2026, 3, 25),
        history=["lead", "qualified", "lost"],
    )
    make_opportunity(
        owner=anna,
        account=factory,
        created_at=at(2026, 3, 8),
        source="partner",
        amount=Decimal("7000"),
        stage="proposal",
    )
    make_opportunity(  # Swedish crowns: counted in the funnel, not in EUR sums
        owner=anna,
        account=factory,
        created_at=at(2026, 3, 8),
        source="sales",
        amount=999,
        currency="SEK",
    )
    make_opportunity(  # a marketing lead nobody has called
        owner=anna, account=factory, created_at=at(2026, 3, 30), source="marketing", amount=0
    )
    # First conversations: 27 h after the won lead, 122 h after the lost one; a talk before
    # the lost lead existed does not count as the response.
    make_conversation(
        author=anna, account=factory, occurred_at=at(2026, 3, 2, 12), opportunity=won_marketing
    )
    make_conversation(
        author=anna, account=factory, occurred_at=at(2026, 3, 4), opportunity=won_marketing
    )
    make_conversation(
        author=ben, account=shop, occurred_at=at(2026, 3, 3), opportunity=lost_marketing
    )
    make_conversation(
        author=ben, account=shop, occurred_at=at(2026, 3, 10, 12), opportunity=lost_marketing
    )
    return w


def run_march():
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))


def test_pipeline_revenue_win_rate_and_cycle(deals):
    w = deals
    run_march()
    assert figure("pipeline_created", "month", MARCH) == Decimal("20000.0000")
    assert figure("pipeline_created:marketing", "month", MARCH) == Decimal("13000.0000")
    assert figure("pipeline_created:partner", "month", MARCH) == Decimal("7000.0000")
    assert figure("pipeline_created:sales", "month", MARCH) is None
    assert figure("pipeline_created", "month", date(2026, 2, 1)) is None  # outside the range
    assert figure("revenue_won", "month", MARCH) == Decimal("15000.0000")
    assert figure("revenue_won", "month", MARCH, "team", w["north"].pk) == Decimal("10000.0000")
    assert figure("revenue_won", "month", MARCH, "campaign", w["campaign"].pk) == Decimal(
        "10000.0000"
    )
    assert figure("win_rate", "month", MARCH) == Decimal("0.6667")
    assert figure("win_rate", "month", MARCH, "user", w["ben"].pk) == Decimal("0.5000")
    assert figure("win_rate", "month", MARCH, "segment", "manufacturing") == Decimal("1.0000")
    assert figure("avg_cycle_days", "month", MARCH) == Decimal("26.5000")
    assert figure("avg_cycle_days", "month", MARCH, "user", w["ben"].pk) == Decimal("33.0000")


def test_lead_response_is_the_median_hours_to_the_first_conversation(deals):
    w = deals
    run_march()
    assert figure("lead_response_hours", "month", MARCH) == Decimal("74.5000")  # (27 + 122) / 2
    assert figure("lead_response_hours", "month", MARCH, "user", w["anna"].pk) == Decimal("27.0000")
    assert figure("lead_response_hours", "month", MARCH, "segment", "retail") == Decimal("122.0000")
    assert figure("lead_response_hours", "week", date(2026, 3, 23)) is None  # uncontacted lead


def test_median_of_an_odd_number_of_leads_is_the_middle_one(world):
    w = world
    for hours, day in ((2, 2), (5, 3), (40, 4)):
        lead = make_opportunity(
            owner=w["anna"],
            account=w["factory"],
            created_at=at(2026, 3, day, 8),
            source="marketing",
        )
        make_conversation(
            author=w["anna"],
            account=w["factory"],
            occurred_at=at(2026, 3, day, 8) + timedelta(hours=hours),
            opportunity=lead,
        )
    run_march()
    assert figure("lead_response_hours", "month", MARCH) == Decimal("5.0000")


def test_sla_met_rate_uses_the_lead_response_service_level(deals):
    run_march()
    # Default 24 h: neither contacted lead met it; the uncalled one is overdue.
    assert figure("sla_met_rate", "month", MARCH) == Decimal("0.0000")
    ServiceLevel.objects.create(name="Leads within two days", kind="lead_response", target=48)
    run_march()
    assert figure("sla_met_rate", "month", MARCH) == Decimal("0.3333")
    assert figure("sla_met_rate", "month", MARCH, "user", deals["anna"].pk) == Decimal("0.5000")


def test_revenue_per_marketing_euro_divides_marketing_won_revenue_by_spend(deals):
    w = deals
    run_march()
    assert figure("revenue_per_marketing_euro", "month", MARCH) == Decimal("2.5000")
    assert figure(
        "revenue_per_marketing_euro", "month", MARCH, "campaign", w["campaign"].pk
    ) == Decimal("2.5000")
    assert figure("marketing_spend", "month", MARCH) == Decimal("4000.0000")


def test_stage_funnel_counts_opportunities_reaching_each_stage_by_source(deals):
    run_march()
    marketing = [
        figure(f"stage_reached:marketing:{s}", "month", MARCH)
        for s in ("lead", "qualified", "proposal", "negotiation", "won")
    ]
    assert marketing == [3, 2, 1, 1, 1]
    partner = [
        figure(f"stage_reached:partner:{s}", "month", MARCH)
        for s in ("lead", "qualified", "proposal", "negotiation", "won")
    ]
    assert partner == [1, 1, 1, 0, 0]
    assert figure("stage_reached:sales:lead", "month", MARCH) == 1


def test_notes_imported_from_another_crm_do_not_count(world):
    w = world
    make_conversation(
        author=w["anna"],
        account=w["factory"],
        occurred_at=at(2026, 3, 2),
        status="complete",
        quality_score=80,
    )
    make_conversation(
        author=w["anna"],
        account=w["factory"],
        occurred_at=at(2026, 3, 3),
        status="complete",
        quality_score=20,
        imported=True,
    )
    rollup_kpis(since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert figure("conversations_logged", "month", MARCH) == 1
    assert figure("avg_quality_score", "month", MARCH) == 80
