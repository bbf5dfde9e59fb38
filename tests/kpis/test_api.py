"""KPI snapshot and dashboard endpoints: filters, figures keyed by metric, roles."""

from datetime import date
from decimal import Decimal

import pytest

from tests.kpis.factories import KpiSnapshotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots():
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 3, 1), value=Decimal("15000"))
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 4, 1), value=Decimal("9000"))
    KpiSnapshotFactory(metric="win_rate", period_start=date(2026, 4, 1), value=Decimal("0.5"))
    KpiSnapshotFactory(
        metric="pipeline_created:marketing", period_start=date(2026, 4, 1), value=Decimal("700")
    )
    KpiSnapshotFactory(
        metric="revenue_won", period="week", period_start=date(2026, 4, 6), value=Decimal("10")
    )
    KpiSnapshotFactory(
        metric="revenue_won",
        period_start=date(2026, 4, 1),
        dimension="team",
        dimension_id="3",
        value=Decimal("1"),
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("sales", 200),
        ("marketing", 200),
        ("manager", 200),
        ("frontline", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
@pytest.mark.parametrize("url", ["/api/kpis/", "/api/dashboard/"])
def test_kpis_and_dashboard_are_for_sales_marketing_and_managers(
    api_as, role_users, role, status, url
):
    assert api_as(role_users[role]).get(url).status_code == status


def test_kpi_rows_filter_by_metric_period_dimension_and_since(api_as, sales_user, snapshots):
    response = api_as(sales_user).get(
        "/api/kpis/",
        {"metric": "revenue_won", "period": "month", "dimension": "all", "since": "2026-04-01"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "metric": "revenue_won",
            "period": "month",
            "period_start": "2026-04-01",
            "dimension": "all",
            "dimension_id": "",
            "value": "9000.0000",
            "computed_at": response.json()["results"][0]["computed_at"],
        }
    ]


def test_kpi_rows_paginate_under_results(api_as, sales_user, snapshots):
    body = api_as(sales_user).get("/api/kpis/").json()
    assert body["count"] == 6 and len(body["results"]) == 6


def test_kpis_are_read_only(api_as, manager_user):
    response = api_as(manager_user).post("/api/kpis/", {"metric": "x"})
    assert response.status_code == 405


def test_dashboard_gives_the_figures_of_a_period_keyed_by_metric(api_as, marketing_user, snapshots):
    response = api_as(marketing_user).get(
        "/api/dashboard/", {"period": "month", "period_start": "2026-04-17"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "period": "month",
        "period_start": "2026-04-01",
        "dimension": "all",
        "dimension_id": "",
        "figures": {
            "pipeline_created:marketing": "700.0000",
            "revenue_won": "9000.0000",
            "win_rate": "0.5000",
        },
    }


def test_dashboard_for_one_team(api_as, manager_user, snapshots):
    response = api_as(manager_user).get(
        "/api/dashboard/", {"period_start": "2026-04-01", "dimension": "team", "dimension_id": "3"}
    )
    assert response.json()["figures"] == {"revenue_won": "1.0000"}


def test_dashboard_errors_are_keyed_by_field(api_as, manager_user):
    response = api_as(manager_user).get("/api/dashboard/", {"period": "year", "dimension": "team"})
    assert response.status_code == 400
    body = response.json()
    assert "period" in body


def test_dashboard_per_person_by_day_is_refused_with_the_reason(api_as, manager_user):
    response = api_as(manager_user).get(
        "/api/dashboard/", {"period": "day", "dimension": "user", "dimension_id": "7"}
    )
    assert response.status_code == 400
    assert "week and month" in response.json()["period"][0]
    weekly = api_as(manager_user).get(
        "/api/dashboard/", {"period": "week", "dimension": "user", "dimension_id": "7"}
    )
    assert weekly.status_code == 200
