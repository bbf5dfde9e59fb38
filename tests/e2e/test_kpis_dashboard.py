"""A manager opens the shared dashboard, filters by campaign, and chart and table agree."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.kpis.factories import CampaignFactory, KpiSnapshotFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def month_start(months_back: int) -> date:
    day = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        day = (day.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    return day


def chart_values(page, key: str) -> list[list]:
    page.wait_for_selector(f'canvas[data-kpi-chart="{key}"][data-rendered="true"]')
    return page.evaluate(
        """(key) => Chart.getChart(document.querySelector(`canvas[data-kpi-chart="${key}"]`))
              .data.datasets.map((d) => d.data)""",
        key,
    )


def table_values(page, key: str) -> list[list]:
    """Columns of the table under the chart, as numbers (None for a dash)."""
    rows = page.evaluate(
        """(key) => [...document.querySelectorAll(`table[data-kpi-table="${key}"] tbody tr`)].map(
              (tr) => [...tr.querySelectorAll("td")].map((td) => td.dataset.value === "" ? null : Number(td.dataset.value)))""",
        key,
    )
    return [list(column) for column in zip(*rows, strict=True)]


def test_manager_filters_the_dashboard_by_campaign_and_chart_matches_table(
    page, login, manager_user
):
    spring = CampaignFactory(name="Kevään energiakatselmus")
    CampaignFactory(name="Webinar: data-driven maintenance")
    this_month, last_month = month_start(0), month_start(1)
    for start, revenue, spend in ((last_month, "12000", "3000"), (this_month, "18000", "5000")):
        KpiSnapshotFactory(metric="revenue_won", period_start=start, value=Decimal(revenue))
        KpiSnapshotFactory(metric="marketing_spend", period_start=start, value=Decimal(spend))
    for start, revenue, spend in ((last_month, "4000", "1500"), (this_month, "6500", "2500")):
        campaign_slice = {"dimension": "campaign", "dimension_id": str(spring.pk)}
        KpiSnapshotFactory(
            metric="revenue_won", period_start=start, value=Decimal(revenue), **campaign_slice
        )
        KpiSnapshotFactory(
            metric="marketing_spend", period_start=start, value=Decimal(spend), **campaign_slice
        )

    login(page, "maria")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name="Shared dashboard")).to_be_visible()
    everyone = chart_values(page, "money")
    assert everyone[0][-2:] == [12000, 18000]
    assert table_values(page, "money") == everyone

    page.get_by_label("Campaign", exact=True).select_option(label="Kevään energiakatselmus")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**campaign={spring.pk}**")

    filtered = chart_values(page, "money")
    assert filtered[0][-2:] == [4000, 6500]
    assert filtered[1][-2:] == [1500, 2500]
    assert table_values(page, "money") == filtered
    expect(page.get_by_label("Campaign", exact=True)).to_have_value(str(spring.pk))
    expect(page.get_by_test_id("section-feedback")).to_contain_text(
        "No figures for this selection yet."
    )
