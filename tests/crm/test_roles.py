"""The role matrix (design.md, Roles ★) over every CRM page and endpoint."""

import pytest
from django.urls import get_resolver, reverse

from crm.models import Conversation
from tests.crm.factories import (
    AccountFactory,
    ContactFactory,
    ConversationFactory,
    FollowUpFactory,
    OpportunityFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["sales", "marketing", "manager", "frontline", "outsider", "anonymous"]
READERS = {"sales", "marketing", "manager"}
WRITERS = {"sales", "manager"}


@pytest.fixture
def world(role_users):
    sales = role_users["sales"]
    account = AccountFactory()
    contact = ContactFactory(account=account)
    return {
        "account": account,
        "contact": contact,
        "conversation": ConversationFactory(author=sales, account=account),
        "opportunity": OpportunityFactory(owner=sales, account=account),
        "followup": FollowUpFactory(owner=sales, account=account),
    }


# url name -> (method, args from world, roles allowed, status when allowed)
PAGES = {
    "conversation_create": ("get", None, WRITERS, 200),
    "conversation_list": ("get", None, READERS, 200),
    "conversation_detail": ("get", "conversation", READERS, 200),
    # Only the author edits: the manager holds the capability but not the log.
    "conversation_edit": ("get", "conversation", {"sales"}, 200),
    "conversation_score": ("post", None, WRITERS, 200),
    # The author or a manager deletes (softly); only managers see and restore deleted ones.
    "conversation_delete": ("get", "conversation", WRITERS, 200),
    "conversation_restore": ("post", "conversation", {"manager"}, 302),
    "recently_deleted": ("get", None, {"manager"}, 200),
    # Personal data (GDPR): managers only; erasing needs a ticked confirmation.
    "contact_privacy": ("get", "contact", {"manager"}, 200),
    "contact_export": ("get", "contact", {"manager"}, 200),
    "contact_erase": ("post", "contact", {"manager"}, 302),
    "account_search": ("get", None, READERS, 200),
    "account_options": ("get", None, READERS, 200),
    "account_list": ("get", None, READERS, 200),
    "account_create": ("get", None, WRITERS, 200),
    "account_detail": ("get", "account", READERS, 200),
    "account_edit": ("get", "account", WRITERS, 200),
    "contact_create": ("get", "account", WRITERS, 200),
    "pipeline": ("get", None, READERS, 200),
    "opportunity_create": ("get", None, WRITERS, 200),
    "opportunity_detail": ("get", "opportunity", READERS, 200),
    # The owner or a manager.
    "opportunity_edit": ("get", "opportunity", WRITERS, 200),
    "my_followups": ("get", None, WRITERS, 200),
    # Someone else's follow-up is not found, even for a manager.
    "followup_toggle": ("post", "followup", {"sales"}, 302),
}


def test_every_crm_page_is_in_the_matrix():
    names = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "app_name", None) == "crm"
        for pattern in pattern.url_patterns
    }
    assert names == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(client_as, role_users, world, role, name):
    method, arg, allowed, ok_status = PAGES[name]
    url = reverse(f"crm:{name}", args=[world[arg].pk] if arg else [])
    params = (
        {"account": world["account"].pk}
        if name in {"opportunity_create", "account_options"}
        else {}
    )
    client = client_as(role_users[role])
    response = client.get(url, params) if method == "get" else client.post(url, {"done": "1"})
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.url
    elif role in allowed:
        assert response.status_code == ok_status
    else:
        # A manager may toggle follow-ups, but not someone else's: not found.
        expected = 404 if name == "followup_toggle" and role in WRITERS else 403
        assert response.status_code == expected


API_READ = {
    "/api/accounts/": READERS,
    "/api/contacts/": READERS,
    "/api/opportunities/": READERS,
    "/api/conversations/": READERS,
    "/api/followups/": WRITERS,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", sorted(API_READ))
def test_api_read_access(api_as, role_users, world, role, url):
    response = api_as(role_users[role]).get(url)
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role in API_READ[url]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["accounts", "contacts", "opportunities", "conversations"])
def test_api_write_access(api_as, role_users, world, role, kind):
    from django.utils import timezone

    account = world["account"]
    bodies = {
        "accounts": {"name": "Rotterdam Cold Chain B.V."},
        "contacts": {"account": account.pk, "name": "Sanne Visser"},
        "opportunities": {"account": account.pk, "name": "Cold store pilot", "amount": "9000"},
        "conversations": {
            "account": account.pk,
            "occurred_at": timezone.now().isoformat(),
            "status": "draft",
        },
    }
    response = api_as(role_users[role]).post(f"/api/{kind}/", bodies[kind])
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role in WRITERS:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_another_users_conversation(api_as, role_users, world, role):
    conversation = world["conversation"]
    response = api_as(role_users[role]).patch(
        f"/api/conversations/{conversation.pk}/", {"status": "draft"}
    )
    if role == "anonymous":
        assert response.status_code in (401, 403)
    elif role == "sales":  # the author
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
    if role != "sales":
        conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.COMPLETE


def test_frontline_sees_no_conversations_at_all(api_as, frontline_user, world):
    assert (
        api_as(frontline_user).get(f"/api/conversations/{world['conversation'].pk}/").status_code
        == 403
    )
