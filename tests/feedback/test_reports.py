"""Round reports: figures from the database, no breakdown under five people, CSV."""

import pytest
from django.urls import reverse

from feedback.reports import build_report, comparison, figures_for, round_figures, trend
from feedback.services.actions import change_action_status, create_action
from feedback.services.rounds import close_round
from feedback.views.reports import csv_cell
from tests.factories import UserFactory

from .factories import FeedbackRoundFactory, add_participants, make_entry


def test_small_rounds_show_no_breakdown(open_round, frontline_user, sales_user):
    add_participants(open_round, frontline_user, sales_user)
    make_entry(open_round, frontline_user, kind="bad", category="delivery")
    make_entry(open_round, sales_user, kind="good", category="delivery")

    figures = round_figures(open_round)

    assert (figures["participants"], figures["respondents"], figures["entries"]) == (2, 2, 2)
    assert figures["participation_rate"] == 1.0
    assert figures["breakdown_shown"] is False
    assert figures["by_kind"] == figures["by_category"] == figures["top_themes"] == []


def test_breakdown_hides_groups_under_five_people(open_round, crowd):
    add_participants(open_round, *crowd, UserFactory(roles=["sales"]))
    for person in crowd[:5]:
        make_entry(open_round, person, kind="bad", category="delivery")
    make_entry(open_round, crowd[5], kind="idea", category="billing", anonymous=True)

    figures = round_figures(open_round)

    assert figures["respondents"] == 6 and figures["participants"] == 7
    assert figures["participation_rate"] == round(6 / 7, 4)
    by_kind = {row["key"]: row for row in figures["by_kind"]}
    assert by_kind["bad"] == {"key": "bad", "suppressed": False, "entries": 5, "respondents": 5}
    assert by_kind["idea"] == {"key": "idea", "suppressed": True}
    by_category = {row["key"]: row for row in figures["by_category"]}
    assert by_category["billing"] == {"key": "billing", "suppressed": True}
    assert by_category["delivery"]["entries"] == 5


def test_closing_stores_the_report_and_actions_are_counted(open_round, crowd, manager_user):
    add_participants(open_round, *crowd)
    entries = [make_entry(open_round, person) for person in crowd]
    done = create_action(created_by=manager_user, title="A", entries=entries[:2])
    change_action_status(action=done, status="done")
    create_action(created_by=manager_user, title="B", entries=entries[2:3])

    assert close_round(round_id=open_round.pk)
    assert not close_round(round_id=open_round.pk)

    figures = figures_for(open_round)
    assert figures["entries"] == 6 and figures["respondents"] == 6
    assert (figures["actions_opened"], figures["actions_closed"]) == (2, 1)
    assert figures["actions_closed_rate"] == 0.5
    assert open_round.report.breakdown["by_kind"][0]["entries"] == 6


def test_comparison_and_trend_with_the_previous_round(db, crowd):
    earlier = FeedbackRoundFactory(month="2026-09")
    later = FeedbackRoundFactory(month="2026-10")
    add_participants(earlier, *crowd)
    add_participants(later, *crowd)
    make_entry(earlier, crowd[0])
    for person in crowd[:3]:
        make_entry(later, person)
    build_report(feedback_round=earlier)

    change = comparison(figures_for(later), figures_for(earlier))
    assert change["entries"] == 2
    assert change["participation_rate"] == round(3 / 6 - 1 / 6, 4)
    assert [point["month"] for point in trend(until=later)] == ["2026-09", "2026-10"]
    assert [point["entries"] for point in trend(until=later)] == [1, 3]


def test_report_page_has_chart_table_and_comparison(
    client, previous_round, open_round, crowd, manager_user
):
    add_participants(open_round, *crowd)
    for person in crowd:
        make_entry(open_round, person, kind="good", category="support")
    client.force_login(manager_user)
    html = client.get(reverse("feedback:report", args=[open_round.month])).content.decode()
    assert 'id="kind-chart"' in html and 'id="report-data"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/feedback/report.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline code
    assert "Customer service and support" in html
    assert "vs. previous" in html
    assert 'data-testid="comparison"' in html and "Compared with 2026-10" in html


def test_report_page_says_why_there_is_no_breakdown(
    client, open_round, frontline_user, manager_user
):
    add_participants(open_round, frontline_user)
    make_entry(open_round, frontline_user)
    client.force_login(manager_user)
    html = client.get(reverse("feedback:report", args=[open_round.month])).content.decode()
    assert 'data-testid="no-breakdown"' in html
    assert 'data-testid="by-kind"' not in html


@pytest.mark.parametrize(
    ("value", "cell"), [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("plain", "plain"), (None, "")]
)
def test_csv_cells_cannot_become_formulas(value, cell):
    assert csv_cell(value) == cell


def test_csv_has_one_row_per_entry(client, open_round, frontline_user, manager_user):
    make_entry(
        open_round,
        frontline_user,
        kind="good",
        text="=1+1 the customer liked the quick reply a lot",
    )
    client.force_login(manager_user)
    lines = (
        client.get(reverse("feedback:report-csv", args=[open_round.month]))
        .content.decode()
        .splitlines()
    )
    assert lines[0].startswith("round,submitted_on,kind,touchpoint,text,anonymous,author")
    assert len(lines) == 2
    assert "'=1+1" in lines[1]
