"""Data protection: a manager exports everything about a contact, or erases the person."""

import json

import pytest

from core.models import AuditEvent, Notification
from crm.models import Contact, Conversation, FollowUp
from crm.services import accounts as account_services
from crm.services import conversations as conversation_services
from crm.services import gdpr
from crm.services.followups import sync_followup
from tests.crm.factories import AccountFactory, ContactFactory, ConversationFactory

pytestmark = pytest.mark.django_db

NAME = "Liisa Korhonen"


@pytest.fixture
def person(sales_user):
    account = AccountFactory(name="Kymen Puu Oy")
    contact = account_services.create_contact(
        creator=sales_user,
        data={
            "account": account,
            "name": NAME,
            "title": "CFO",
            "email": "liisa.korhonen@kymenpuu.fi",
            "phone": "+358 40 123 4567",
        },
    )
    listed = ConversationFactory(
        author=sales_user,
        account=account,
        contacts=[contact],
        discussed="Liisa Korhonen walked us through their sawmill energy costs.",
        next_step="Send Liisa Korhonen the heat-recovery calculation.",
    )
    sync_followup(conversation=listed)
    # Edited once, so the old text also sits in a history row.
    conversation_services.update_conversation(
        conversation=listed,
        editor=sales_user,
        data={
            "customer_reaction": "Liisa Korhonen liked it; mail her at liisa.korhonen@kymenpuu.fi."
        },
    )
    mentioned = ConversationFactory(
        author=sales_user, account=account, discussed="The CEO will ask liisa korhonen for budget."
    )
    unrelated = ConversationFactory(author=sales_user, account=account)
    return {
        "contact": contact,
        "listed": listed,
        "mentioned": mentioned,
        "unrelated": unrelated,
    }


def test_the_export_holds_the_contact_their_conversations_followups_and_history(
    client_as, manager_user, person
):
    contact = person["contact"]
    response = client_as(manager_user).get(f"/crm/contacts/{contact.pk}/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["contact"]["email"] == "liisa.korhonen@kymenpuu.fi"
    assert data["contact"]["account"]["name"] == "Kymen Puu Oy"
    ids = {row["id"] for row in data["conversations"]}
    assert ids == {person["listed"].pk, person["mentioned"].pk}
    assert data["followups"][0]["title"].startswith("Send Liisa Korhonen")
    assert len([row for row in data["history"] if row["conversation"] == person["listed"].pk]) >= 2
    assert AuditEvent.objects.filter(
        action="export", object_type="crm.contact", object_id=str(contact.pk), actor=manager_user
    ).exists()


def test_erasure_pseudonymises_the_person_everywhere_and_keeps_the_business_facts(
    client_as, manager_user, sales_user, person
):
    contact = person["contact"]
    Notification.objects.create(
        user=sales_user,
        kind="crm.followups_due",
        subject="Follow-ups",
        body="• Send Liisa Korhonen the heat-recovery calculation.",
        dedupe_key="x",
    )
    client = client_as(manager_user)
    response = client.post(f"/crm/contacts/{contact.pk}/privacy/erase/", {"confirm": "erase"})
    assert response.status_code == 302
    erased = Contact.objects.get(pk=contact.pk)
    pseudonym = f"Erased contact #{contact.pk}"
    assert (erased.name, erased.title, erased.email, erased.phone) == (pseudonym, "", "", "")
    assert erased.erased_at is not None

    def everything() -> str:
        texts = []
        for row in Conversation.all_objects.values_list(*gdpr.TEXT_FIELDS):
            texts += row
        for row in Conversation.history.model.objects.values_list(*gdpr.TEXT_FIELDS):
            texts += row
        texts += FollowUp.objects.values_list("title", flat=True)
        texts += Notification.objects.values_list("body", flat=True)
        for event in AuditEvent.objects.all():
            texts += [event.object_repr, json.dumps(event.changes)]
        return "\n".join(texts).lower()

    text = everything()
    assert "korhonen" not in text
    assert "kymenpuu.fi" not in text
    assert pseudonym.lower() in text
    # The records are kept, with the person anonymised.
    listed = Conversation.objects.get(pk=person["listed"].pk)
    assert listed.discussed == f"{pseudonym} walked us through their sawmill energy costs."
    assert list(listed.contacts.all()) == [erased]
    assert (
        Conversation.objects.get(pk=person["unrelated"].pk).discussed
        == person["unrelated"].discussed
    )
    event = AuditEvent.objects.get(action="erase", object_id=str(contact.pk))
    assert event.actor == manager_user
    assert event.changes["conversations"] == ["", "2"]


def test_erasure_needs_the_confirmation_and_happens_once(client_as, manager_user, person):
    contact = person["contact"]
    client = client_as(manager_user)
    client.post(f"/crm/contacts/{contact.pk}/privacy/erase/")
    assert Contact.objects.get(pk=contact.pk).name == NAME
    gdpr.erase_contact(contact=contact, user=manager_user)
    with pytest.raises(Exception, match="erased already"):
        gdpr.erase_contact(contact=contact, user=manager_user)


def test_the_api_exports_and_erases_for_managers_only(api_as, manager_user, sales_user, person):
    contact = person["contact"]
    assert api_as(sales_user).get(f"/api/contacts/{contact.pk}/personal-data/").status_code == 403
    assert api_as(sales_user).post(f"/api/contacts/{contact.pk}/erase/").status_code == 403
    client = api_as(manager_user)
    data = client.get(f"/api/contacts/{contact.pk}/personal-data/").json()
    assert data["contact"]["name"] == NAME
    response = client.post(f"/api/contacts/{contact.pk}/erase/")
    assert response.status_code == 200
    assert response.json()["email"] == ""
    assert response.json()["name"] == f"Erased contact #{contact.pk}"


def test_the_privacy_page_is_linked_for_managers_only(client_as, manager_user, sales_user, person):
    account = person["contact"].account
    privacy = f"/crm/contacts/{person['contact'].pk}/privacy/"
    assert privacy in client_as(manager_user).get(account.get_absolute_url()).content.decode()
    assert privacy not in client_as(sales_user).get(account.get_absolute_url()).content.decode()
    page = client_as(manager_user).get(privacy)
    assert NAME in page.content.decode()
    assert set(page.context["conversations"]) == {person["listed"], person["mentioned"]}


def test_an_unrelated_contact_is_untouched(manager_user, person):
    other = ContactFactory(account=person["contact"].account, name="Pekka Nieminen")
    gdpr.erase_contact(contact=person["contact"], user=manager_user)
    assert Contact.objects.get(pk=other.pk).name == "Pekka Nieminen"
