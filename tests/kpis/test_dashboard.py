"""The shared dashboard page: roles, snapshots only, fixed query count, filters, CSV."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TeamFactory
from tests.kpis.factories import CampaignFactory, KpiSnapshotFactory

pytestmark = pytest.mark.django_db

URL = reverse("kpis:dashboard")


@pytest.mark.parametrize(
    ("role", "status"),
    [("sales", 200), ("marketing", 200), ("manager", 200), ("frontline", 403), ("outsider", 403)],
)
def test_dashboard_is_shared_by_sales_marketing_and_managers_only(
    client_as, role_users, role, status
):
    assert client_as(role_users[role]).get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def seed_months(months, *, dimension="all", dimension_id=""):
    metrics = [
        "revenue_won",
        "marketing_spend",
        "win_rate",
        "pipeline_created:marketing",
        "objections_top:price",
    ]
    starts = [date(2026, month, 1) for month in months]
    KpiSnapshotFactory.create_batch(
        len(metrics) * len(starts),
        metric=factory_cycle([m for m in metrics for _ in starts]),
        period_start=factory_cycle(starts * len(metrics)),
        value=Decimal("1234.5"),
        dimension=dimension,
        dimension_id=dimension_id,
    )


def factory_cycle(values):
    import factory

    return factory.Iterator(values, cycle=False)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_query_count_does_not_grow_with_the_data(client_as, manager_user):
    client = client_as(manager_user)
    url = f"{URL}?period=month&until=2026-12-31"
    seed_months([1])
    small = count_queries(client, url)
    seed_months(range(2, 13))
    for index in range(30):
        CampaignFactory(name=f"Campaign {index}")
        TeamFactory(name=f"Team {index}")
        KpiSnapshotFactory(
            metric=f"insights_by_theme:{index}", period_start=date(2026, 5, 1), value=index
        )
    large = count_queries(client, url)
    assert small == large
    assert large <= 12


def test_dashboard_reads_only_kpi_snapshots_for_its_figures(client_as, manager_user):
    client = client_as(manager_user)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"{URL}?period=month&until=2026-06-30")
    tables = " ".join(query["sql"] for query in captured)
    assert "kpis_kpisnapshot" in tables
    for raw in (
        "crm_conversation",
        "crm_opportunity",
        "feedback_roundparticipant",
        "alignment_campaignbriefing",
    ):
        assert raw not in tables


def charts_of(response) -> dict:
    return charts_of_html(response.content.decode())


def charts_of_html(html: str) -> dict:
    start = html.index('<script id="kpi-charts" type="application/json">') + len(
        '<script id="kpi-charts" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_money_chart_shows_revenue_beside_spend_per_month(client_as, sales_user):
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 5, 1), value=Decimal("15000"))
    KpiSnapshotFactory(
        metric="marketing_spend", period_start=date(2026, 5, 1), value=Decimal("4000")
    )
    KpiSnapshotFactory(metric="win_rate", period_start=date(2026, 5, 1), value=Decimal("0.6667"))
    response = client_as(sales_user).get(f"{URL}?period=month&until=2026-06-15")
    charts = charts_of(response)
    money = charts["money"]
    assert money["labels"][-2:] == ["2026-05", "2026-06"]
    assert [d["label"] for d in money["datasets"]] == ["Won revenue", "Marketing spend"]
    assert money["datasets"][0]["data"][-2:] == [15000.0, None]
    assert money["datasets"][1]["data"][-2] == 4000.0
    assert charts["win_rate"]["datasets"][0]["data"][-2] == 66.67  # shown as a percentage
    assert b'data-kpi-table="money"' in response.content


def test_campaign_filter_shows_that_campaigns_figures(client_as, marketing_user):
    campaign = CampaignFactory(name="Kevätkampanja")
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 5, 1), value=100)
    KpiSnapshotFactory(
        metric="revenue_won",
        period_start=date(2026, 5, 1),
        value=40,
        dimension="campaign",
        dimension_id=str(campaign.pk),
    )
    response = client_as(marketing_user).get(
        f"{URL}?period=month&until=2026-05-31&campaign={campaign.pk}"
    )
    assert charts_of(response)["money"]["datasets"][0]["data"][-1] == 40.0


def test_choosing_two_slices_at_once_is_explained_and_shows_everyone(client_as, manager_user):
    team = TeamFactory(name="North")
    campaign = CampaignFactory()
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 5, 1), value=100)
    response = client_as(manager_user).get(
        f"{URL}?until=2026-05-31&team={team.pk}&campaign={campaign.pk}"
    )
    assert "Filter by one of team, campaign or segment at a time." in response.content.decode()
    assert charts_of(response)["money"]["datasets"][0]["data"][-1] == 100.0


def test_csv_export_has_the_figures_of_the_selection(client_as, sales_user):
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 5, 1), value=Decimal("15000"))
    KpiSnapshotFactory(
        metric="revenue_won", period="week", period_start=date(2026, 5, 4), value=Decimal("1")
    )
    response = client_as(sales_user).get(
        reverse("kpis:dashboard-export") + "?period=month&until=2026-05-31"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["metric", "period", "period_start", "dimension", "dimension_id", "value"],
        ["revenue_won", "month", "2026-05-01", "all", "", "15000.0000"],
    ]


def test_csv_export_is_not_for_frontline(client_as, frontline_user):
    assert client_as(frontline_user).get(reverse("kpis:dashboard-export")).status_code == 403


def test_ranking_charts_name_themes_and_sum_the_shown_periods(client_as, manager_user):
    from alignment.models import Theme

    theme = Theme.objects.create(title="Energy as a service", insight="Pay per use")
    for month, value in ((4, 2), (5, 3)):
        KpiSnapshotFactory(
            metric=f"insights_by_theme:{theme.pk}", period_start=date(2026, month, 1), value=value
        )
        KpiSnapshotFactory(
            metric="objections_top:price", period_start=date(2026, month, 1), value=value * 2
        )
    charts = charts_of(client_as(manager_user).get(f"{URL}?period=month&until=2026-05-31"))
    assert charts["themes"]["labels"] == ["Energy as a service"]
    assert charts["themes"]["datasets"][0]["data"] == [5.0]
    assert charts["objections"]["labels"] == ["price"]
    assert charts["objections"]["datasets"][0]["data"] == [10.0]


def test_manager_starts_a_rollup_and_sees_its_progress(client_as, manager_user):
    client = client_as(manager_user)
    response = client.post(reverse("kpis:rollup"), {"since": "2026-03-01", "until": "2026-03-31"})
    assert response.status_code == 302
    run_url = response["Location"]
    page = client.get(run_url)
    assert b'data-testid="rollup-progress"' in page.content
    partial = client.get(run_url, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"rollup-progress" in partial.content


@pytest.mark.parametrize("role", ["sales", "marketing", "frontline"])
def test_only_managers_start_a_rollup(client_as, role_users, role):
    response = client_as(role_users[role]).post(
        reverse("kpis:rollup"), {"since": "2026-03-01", "until": "2026-03-31"}
    )
    assert response.status_code == 403


def test_alignment_section_names_the_latest_stage(client_as, sales_user):
    KpiSnapshotFactory(metric="alignment_stage", period_start=date(2026, 2, 1), value=Decimal("45"))
    KpiSnapshotFactory(
        metric="alignment_stage", period_start=date(2026, 5, 1), value=Decimal("63.5")
    )
    page = client_as(sales_user).get(f"{URL}?period=month&until=2026-05-31").content.decode()
    assert "Latest stage: <strong>Aligned</strong> (score 63.5 of 100)." in page


def test_segment_choices_are_the_segments_with_figures_in_any_period(client_as, manager_user):
    from kpis.selectors import segment_names

    assert segment_names() == []
    for index, (period, segment) in enumerate(
        [("month", "smb"), ("month", "enterprise"), ("week", "public sector"), ("day", "smb")]
        + [("month", "smb")] * 3
    ):
        KpiSnapshotFactory(
            metric="revenue_won",
            period=period,
            period_start=date(2026, 1, 1 + index),
            dimension="segment",
            dimension_id=segment,
        )
    KpiSnapshotFactory(dimension="team", dimension_id="7")
    KpiSnapshotFactory(dimension="campaign", dimension_id="zzz")
    assert segment_names() == ["enterprise", "public sector", "smb"]
    html = client_as(manager_user).get(URL).content.decode()
    assert '<option value="public sector">public sector</option>' in html


def test_cached_charts_show_a_changed_figure_at_once_and_follow_the_language(client_as, sales_user):
    url = f"{URL}?period=month&until=2026-06-15"
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 5, 1), value=Decimal("100"))
    client = client_as(sales_user)
    assert charts_of(client.get(url))["money"]["datasets"][0]["data"][-2:] == [100.0, None]
    assert charts_of(client.get(url))["money"]["datasets"][0]["data"][-2:] == [100.0, None]
    KpiSnapshotFactory(metric="revenue_won", period_start=date(2026, 6, 1), value=Decimal("250"))
    html = client.get(url).content.decode()
    assert charts_of_html(html)["money"]["datasets"][0]["data"][-2:] == [100.0, 250.0]
    assert 'data-value="250.0"' in html  # the table under the chart too
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert charts_of(dutch)["money"]["datasets"][0]["label"] != "Won revenue"


def test_the_cached_charts_follow_a_deploy_that_changes_their_code(monkeypatch):
    from kpis import dashboard

    def fingerprint() -> str:
        return dashboard.load(
            period="month", dimension="all", dimension_id="", until=date(2026, 3, 31)
        ).fingerprint

    before = fingerprint()
    assert fingerprint() == before
    monkeypatch.setattr(dashboard, "CHARTS_CODE", "another release")
    assert fingerprint() != before
