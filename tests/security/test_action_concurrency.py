"""No lost work on feedback actions: a stale edit conflicts (412 / 409 / merge prompt)."""

import pytest

from feedback.models import Action
from feedback.services import actions as action_services
from tests.feedback.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_makes_an_older_edit_stale(api_as, manager_user):
    action = ActionFactory(title="Shorter onboarding checklist")
    action_services.change_action_status(action=action, status=Action.Status.PLANNED)
    response = api_as(manager_user).patch(
        f"/api/feedback/actions/{action.pk}/", {"title": "Stale title"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 412
    assert response.json()["current"]["status"] == "planned"
    assert Action.objects.get(pk=action.pk).title == "Shorter onboarding checklist"


def test_the_api_answers_an_etag_and_409_for_a_stale_body_version(api_as, manager_user):
    action = ActionFactory(title="Fix the van booking form")
    client = api_as(manager_user)
    response = client.get(f"/api/feedback/actions/{action.pk}/")
    assert response["ETag"] == '"1"'
    assert (
        client.patch(
            f"/api/feedback/actions/{action.pk}/", {"title": "First save", "version": 1}
        ).status_code
        == 200
    )
    response = client.patch(
        f"/api/feedback/actions/{action.pk}/", {"title": "Second save", "version": 1}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Action.objects.get(pk=action.pk).title == "First save"


def test_a_stale_edit_on_the_page_keeps_the_text_and_shows_the_merge_prompt(
    client_as, manager_user
):
    action = ActionFactory(title="Publish the route planning FAQ", owner=manager_user)
    client = client_as(manager_user)
    page = client.get(f"/feedback/actions/{action.pk}/").content.decode()
    assert 'name="version" value="1"' in page
    action_services.update_action(
        action=action, title="Colleague's title", owner=manager_user, due=None
    )
    response = client.post(
        f"/feedback/actions/{action.pk}/edit/",
        {"title": "My careful title", "description": "My long description.", "version": "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="edit-conflict"' in body
    assert "My careful title" in body and "Colleague&#x27;s title" in body
    assert {row["name"] for row in response.context["conflict"]["rows"]} >= {"title"}
    assert Action.objects.get(pk=action.pk).title == "Colleague's title"
