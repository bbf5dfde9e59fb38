"""The alignment self-assessment: instrument, stages, answering, results per side and area."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kpis import selectors
from kpis.instrument import AREAS, MAX_TOTAL, MIN_TOTAL, STATEMENTS, stage_for
from kpis.models import AssessmentAnswer, AssessmentResponse
from kpis.services.assessment import close_round, open_round
from tests.factories import UserFactory
from tests.kpis.factories import AssessmentRoundFactory, answer


def test_instrument_has_twenty_statements_covering_every_area():
    assert len(STATEMENTS) == 20 and (MIN_TOTAL, MAX_TOTAL) == (20, 100)
    assert {s.area for s in STATEMENTS} == {a.key for a in AREAS}
    assert len({s.key for s in STATEMENTS}) == 20


@pytest.mark.parametrize(
    ("total", "stage"),
    [
        (20, "undefined"),
        (39, "undefined"),
        (40, "defined"),
        (59, "defined"),
        (59.4, "defined"),
        (59.5, "aligned"),
        (60, "aligned"),
        (79, "aligned"),
        (80, "integrated"),
        (100, "integrated"),
    ],
)
def test_total_maps_to_the_four_stages(total, stage):
    assert stage_for(total).key == stage


def test_every_stage_recommends_next_moves():
    for total in (30, 50, 70, 90):
        assert len(stage_for(total).next_moves) >= 3


@pytest.mark.django_db
def test_only_managers_open_and_close_rounds(sales_user, manager_user):
    with pytest.raises(PermissionDenied):
        open_round(opened_by=sales_user, title="Q1 2027")
    opened = open_round(opened_by=manager_user, title="Q1 2027")
    assert opened.is_open
    with pytest.raises(PermissionDenied):
        close_round(closed_by=sales_user, round_id=opened.pk)
    assert not close_round(closed_by=manager_user, round_id=opened.pk).is_open


@pytest.mark.django_db
def test_answers_are_stored_per_side_with_the_total(sales_user, marketing_user):
    assessment_round = AssessmentRoundFactory()
    response = answer(sales_user, assessment_round, default=2, scores={"culture_respect": 5})
    assert (response.side, response.total) == ("sales", 43)
    assert AssessmentAnswer.objects.filter(response=response).count() == 20
    assert answer(marketing_user, assessment_round).side == "marketing"


@pytest.mark.django_db
def test_answering_twice_or_in_a_closed_round_is_refused(sales_user, manager_user):
    assessment_round = AssessmentRoundFactory()
    answer(sales_user, assessment_round)
    with pytest.raises(ValidationError) as twice:
        answer(sales_user, assessment_round)
    assert "round" in twice.value.message_dict
    close_round(closed_by=manager_user, round_id=assessment_round.pk)
    with pytest.raises(ValidationError):
        answer(manager_user, assessment_round)
    assert AssessmentResponse.objects.count() == 1


@pytest.mark.django_db
def test_scores_outside_one_to_five_are_refused_per_statement(sales_user):
    assessment_round = AssessmentRoundFactory()
    with pytest.raises(ValidationError) as error:
        answer(sales_user, assessment_round, scores={"culture_blame": 6, "field_notes": 0})
    assert set(error.value.message_dict) == {"culture_blame", "field_notes"}


@pytest.mark.django_db
def test_frontline_does_not_answer(frontline_user):
    with pytest.raises(PermissionDenied):
        answer(frontline_user, AssessmentRoundFactory())


@pytest.mark.django_db
def test_results_show_stage_sides_and_the_gap_per_area(
    sales_user, other_sales_user, marketing_user, manager_user
):
    assessment_round = AssessmentRoundFactory()
    metrics_keys = [s.key for s in STATEMENTS if s.area == "metrics"]
    answer(sales_user, assessment_round, default=2, scores=dict.fromkeys(metrics_keys, 1))  # 37
    answer(other_sales_user, assessment_round, default=3)  # 60
    answer(marketing_user, assessment_round, default=4)  # 80
    answer(manager_user, assessment_round, default=3)  # 60
    results = selectors.assessment_results(assessment_round=assessment_round)
    assert results["count"] == 4
    assert results["mean"] == 59.2  # (37 + 60 + 80 + 60) / 4 = 59.25
    assert results["stage"].key == "defined"
    sides = {side["key"]: side for side in results["sides"]}
    assert (sides["sales"]["mean"], sides["sales"]["count"]) == (48.5, 2)
    assert sides["marketing"]["stage"].key == "integrated"
    areas = {area["key"]: area for area in results["areas"]}
    assert areas["metrics"]["sales"] == 2.0  # mean of 1s and 3s
    assert areas["metrics"]["marketing"] == 4.0
    assert areas["metrics"]["gap"] == -2.0
    assert areas["culture"]["gap"] == -1.5


@pytest.mark.django_db
def test_trend_lists_rounds_oldest_first_per_side(sales_user, marketing_user):
    from datetime import timedelta

    from django.utils import timezone

    earlier = AssessmentRoundFactory(title="Q1", opened_at=timezone.now() - timedelta(days=90))
    later = AssessmentRoundFactory(title="Q2")
    answer(sales_user, earlier, default=2)
    answer(sales_user, later, default=3)
    answer(marketing_user, later, default=4)
    trend = selectors.assessment_trend()
    assert [(row["title"], row.get("sales"), row.get("marketing")) for row in trend] == [
        ("Q1", 40.0, None),
        ("Q2", 60.0, 80.0),
    ]


@pytest.mark.django_db
def test_pages_answer_flow(client_as, manager_user, sales_user):
    manager = client_as(manager_user)
    response = manager.post(reverse("kpis:assessment-open"), {"title": "Kevät 2027"})
    assert response.status_code == 302
    round_url = response["Location"]
    seller = client_as(sales_user)
    form = seller.get(round_url)
    assert form.status_code == 200 and b'data-testid="assessment-form"' in form.content
    posted = seller.post(round_url, {s.key: "4" for s in STATEMENTS})
    assert posted.status_code == 302
    page = seller.get(round_url).content.decode()
    assert "Integrated" in page and "You answered for Sales with a total of 80." in page


@pytest.mark.django_db
def test_incomplete_answers_show_field_errors(client_as, sales_user):
    assessment_round = AssessmentRoundFactory()
    response = client_as(sales_user).post(
        reverse("kpis:assessment-detail", args=[assessment_round.pk]), {STATEMENTS[0].key: "3"}
    )
    assert response.status_code == 200
    assert AssessmentResponse.objects.count() == 0
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "list_status", "open_status"),
    [("sales", 200, 403), ("marketing", 200, 403), ("manager", 200, 302), ("frontline", 403, 403)],
)
def test_assessment_pages_by_role(client_as, role_users, role, list_status, open_status):
    client = client_as(role_users[role])
    assert client.get(reverse("kpis:assessment-list")).status_code == list_status
    assert client.post(reverse("kpis:assessment-open"), {"title": "Q3"}).status_code == open_status


@pytest.mark.django_db
def test_a_superuser_without_a_role_answers_as_a_manager(superuser):
    assert answer(superuser, AssessmentRoundFactory()).side == "manager"


@pytest.mark.django_db
def test_marketing_manager_answers_as_manager():
    both = UserFactory(username="mgrmkt", roles=["marketing", "manager"])
    assert answer(both, AssessmentRoundFactory()).side == "manager"


@pytest.mark.django_db
def test_unknown_round_is_404_for_answerers_and_login_for_visitors(client, client_as, sales_user):
    url = reverse("kpis:assessment-detail", args=[424242])
    assert client.get(url).status_code == 302
    assert client_as(sales_user).get(url).status_code == 404


@pytest.mark.django_db
def test_round_list_shows_newest_first_with_counts(client_as, sales_user, marketing_user):
    from datetime import timedelta

    from django.utils import timezone

    old = AssessmentRoundFactory(title="Spring", opened_at=timezone.now() - timedelta(days=100))
    AssessmentRoundFactory(title="Autumn")
    answer(sales_user, old, default=2)
    answer(marketing_user, old, default=3)
    rounds = list(selectors.assessment_rounds())
    assert [(r.title, r.response_count, r.mean_total) for r in rounds] == [
        ("Autumn", 0, None),
        ("Spring", 2, 50.0),
    ]
    page = client_as(sales_user).get(reverse("kpis:assessment-list")).content.decode()
    assert page.index("Autumn") < page.index("Spring")
    assert 'id="assessment-trend"' in page
