"""No lost work: two people (or two tabs) editing the same record get a conflict, not an overwrite."""

import pytest

from core.models import AuditEvent
from crm.models import Conversation, Opportunity
from crm.services import conversations as conversation_services
from crm.services import opportunities as opportunity_services
from crm.services.concurrency import EditConflict
from tests.crm.factories import ConversationFactory, OpportunityFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- services -------------------------------------------------------------------------------


def test_each_saved_edit_moves_the_version_on(sales_user):
    conversation = ConversationFactory(author=sales_user)
    assert conversation.version == 1
    conversation_services.update_conversation(
        conversation=conversation,
        editor=sales_user,
        data={"discussed": "Fleet telematics and the depot opening hours."},
    )
    assert Conversation.objects.get(pk=conversation.pk).version == 2


def test_a_stale_expected_version_is_refused_and_nothing_changes(sales_user):
    conversation = ConversationFactory(author=sales_user)
    conversation_services.update_conversation(
        conversation=conversation,
        editor=sales_user,
        data={"discussed": "The first tab's text about depot hours."},
        expected_version=1,
    )
    with pytest.raises(EditConflict) as caught:
        conversation_services.update_conversation(
            conversation=conversation,
            editor=sales_user,
            data={"discussed": "The second tab's text, started from version 1."},
            expected_version=1,
        )
    assert caught.value.current.version == 2
    saved = Conversation.objects.get(pk=conversation.pk)
    assert saved.discussed == "The first tab's text about depot hours."
    assert saved.version == 2


def test_opportunity_edits_are_versioned_too(sales_user, manager_user):
    opportunity = OpportunityFactory(owner=sales_user)
    opportunity_services.update_opportunity(
        opportunity=opportunity, editor=manager_user, data={"amount": 30000}, expected_version=1
    )
    with pytest.raises(EditConflict):
        opportunity_services.update_opportunity(
            opportunity=opportunity, editor=sales_user, data={"amount": 10}, expected_version=1
        )
    assert Opportunity.objects.get(pk=opportunity.pk).amount == 30000


def test_edits_are_audited_with_the_changed_fields(sales_user):
    conversation = ConversationFactory(author=sales_user)
    conversation_services.update_conversation(
        conversation=conversation, editor=sales_user, data={"channel": "call"}
    )
    event = AuditEvent.objects.get(action="change", object_id=str(conversation.pk))
    assert event.actor == sales_user
    assert event.changes["channel"] == ["meeting", "call"]


# --- API ------------------------------------------------------------------------------------


def test_get_and_patch_answer_an_etag_from_the_version(api_as, sales_user):
    conversation = ConversationFactory(author=sales_user)
    client = api_as(sales_user)
    response = client.get(f"/api/conversations/{conversation.pk}/")
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1
    response = client.patch(
        f"/api/conversations/{conversation.pk}/", {"channel": "call"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'


def test_if_match_with_an_old_etag_answers_412_and_keeps_the_other_save(api_as, sales_user):
    conversation = ConversationFactory(author=sales_user)
    client = api_as(sales_user)
    first = client.patch(
        f"/api/conversations/{conversation.pk}/",
        {"discussed": "Saved first: the depot opens at six."},
        HTTP_IF_MATCH='"1"',
    )
    assert first.status_code == 200
    second = client.patch(
        f"/api/conversations/{conversation.pk}/",
        {"discussed": "Saved second from a stale copy."},
        HTTP_IF_MATCH='"1"',
    )
    assert second.status_code == 412
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert body["current_version"] == 2
    assert body["current"]["discussed"] == "Saved first: the depot opens at six."
    assert "changed by someone else" in body["detail"]
    assert Conversation.objects.get(pk=conversation.pk).discussed.startswith("Saved first")


def test_a_stale_version_in_the_body_answers_409(api_as, sales_user):
    opportunity = OpportunityFactory(owner=sales_user)
    client = api_as(sales_user)
    assert (
        client.patch(f"/api/opportunities/{opportunity.pk}/", {"amount": "5", "version": 1})
    ).status_code == 200
    response = client.patch(f"/api/opportunities/{opportunity.pk}/", {"amount": "7", "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Opportunity.objects.get(pk=opportunity.pk).amount == 5


def test_a_malformed_if_match_is_refused(api_as, sales_user):
    conversation = ConversationFactory(author=sales_user)
    response = api_as(sales_user).patch(
        f"/api/conversations/{conversation.pk}/", {"channel": "call"}, HTTP_IF_MATCH="bogus"
    )
    assert response.status_code == 412
    assert Conversation.objects.get(pk=conversation.pk).channel == "meeting"


def test_without_a_version_the_edit_applies_to_the_latest(api_as, sales_user):
    conversation = ConversationFactory(author=sales_user, version=4)
    response = api_as(sales_user).patch(
        f"/api/conversations/{conversation.pk}/", {"channel": "chat"}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 5


# --- pages ----------------------------------------------------------------------------------


def _form_data(client, url):
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = field.widget.format_value(value) if hasattr(value, "isoformat") else value
    return data


def test_the_edit_page_carries_the_version(client_as, sales_user):
    conversation = ConversationFactory(author=sales_user, version=3)
    response = client_as(sales_user).get(f"/crm/conversations/{conversation.pk}/edit/")
    assert 'name="version" value="3"' in response.content.decode()


def test_a_stale_page_save_keeps_the_users_text_and_shows_a_merge_prompt(client_as, sales_user):
    conversation = ConversationFactory(author=sales_user)
    client = client_as(sales_user)
    url = f"/crm/conversations/{conversation.pk}/edit/"
    stale = _form_data(client, url)
    # Meanwhile, the same rep saves from their phone.
    conversation_services.update_conversation(
        conversation=conversation,
        editor=sales_user,
        data={"discussed": "Phone edit: the COO joined and asked about route pricing."},
    )
    stale["discussed"] = "Laptop edit: they plan 40 trucks a day from the Vantaa depot."
    response = client.post(url, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="edit-conflict"' in page
    # The user's text is still in the form, and the saved one is shown beside it.
    assert "Laptop edit: they plan 40 trucks a day from the Vantaa depot." in page
    assert "Phone edit: the COO joined and asked about route pricing." in page
    rows = response.context["conflict"]["rows"]
    assert [row["name"] for row in rows] == ["discussed"]
    assert 'name="version" value="2"' in page
    saved = Conversation.objects.get(pk=conversation.pk)
    assert saved.discussed.startswith("Phone edit")
    # Saving again after seeing the prompt is a deliberate choice: it goes through.
    stale["version"] = "2"
    response = client.post(url, stale)
    assert response.status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).discussed.startswith("Laptop edit")


def test_a_stale_opportunity_page_save_shows_the_merge_prompt(client_as, sales_user):
    manager = UserFactory(roles=["manager"])
    opportunity = OpportunityFactory(owner=sales_user)
    client = client_as(sales_user)
    url = f"/crm/opportunities/{opportunity.pk}/edit/"
    stale = _form_data(client, url)
    opportunity_services.update_opportunity(
        opportunity=opportunity, editor=manager, data={"name": "Manager's renamed pilot"}
    )
    stale["name"] = "Rep's renamed pilot"
    response = client.post(url, stale)
    assert response.status_code == 200
    assert response.context["conflict"]["who"] == manager
    assert [row["name"] for row in response.context["conflict"]["rows"]] == ["name"]
    assert "Rep&#x27;s renamed pilot" in response.content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).name == "Manager's renamed pilot"
