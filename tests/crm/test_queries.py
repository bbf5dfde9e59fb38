"""List pages and endpoints run a constant number of queries whatever the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Conversation
from tests.alignment.factories import CampaignFactory, ThemeFactory
from tests.crm.factories import (
    AccountFactory,
    ContactFactory,
    ConversationFactory,
    FollowUpFactory,
    OpportunityFactory,
    complete_log,
)

pytestmark = pytest.mark.django_db


def make_rows(n, *, user, account):
    theme = ThemeFactory(active=True)
    campaign = CampaignFactory(live=True)
    for _ in range(n):
        conversation = ConversationFactory(
            account=account,
            theme=theme,
            campaign=campaign,
            opportunity=OpportunityFactory(account=account),
        )
        conversation.contacts.set(
            [ContactFactory(account=account), ContactFactory(account=account)]
        )
        FollowUpFactory(owner=user, account=account, conversation=conversation)
        AccountFactory()


def count_queries(fetch) -> int:
    fetch()  # warm per-process caches (content types, the user's roles)
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured.captured_queries)


PAGES = [
    ("crm:conversation_list", None),
    ("crm:account_list", None),
    ("crm:account_detail", "account"),
    ("crm:pipeline", None),
    ("crm:my_followups", None),
]
ENDPOINTS = [
    "/api/conversations/",
    "/api/accounts/",
    "/api/contacts/",
    "/api/opportunities/",
    "/api/followups/",
]


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_list_pages_do_not_grow_with_rows(client_as, manager_user, name, arg):
    client = client_as(manager_user)
    account = AccountFactory()
    url = reverse(name, args=[account.pk] if arg else [])
    make_rows(2, user=manager_user, account=account)
    few = count_queries(lambda: client.get(url))
    make_rows(6, user=manager_user, account=account)
    many = count_queries(lambda: client.get(url))
    assert few == many


@pytest.mark.parametrize("url", ENDPOINTS)
def test_list_endpoints_do_not_grow_with_rows(api_as, manager_user, url):
    client = api_as(manager_user)
    account = AccountFactory()
    make_rows(2, user=manager_user, account=account)
    few = count_queries(lambda: client.get(url))
    make_rows(6, user=manager_user, account=account)
    many = count_queries(lambda: client.get(url))
    assert few == many


def test_conversation_list_endpoint_query_budget(
    api_as, manager_user, django_assert_max_num_queries
):
    make_rows(10, user=manager_user, account=AccountFactory())
    client = api_as(manager_user)
    with django_assert_max_num_queries(6):
        assert client.get("/api/conversations/").status_code == 200


def complete_log_body(account, contacts, theme) -> dict:
    """What a rep's phone posts: a complete log with contacts, theme and an objection."""
    return {
        **complete_log(account, theme=theme.pk, contacts=[c.pk for c in contacts]),
        "account": account.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "next_step_due": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def post_log(client, body) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/api/conversations/", body, format="json")
    assert response.status_code == 201, response.content
    return len(captured.captured_queries)


# token + user, the caller's roles, account, contacts, theme, savepoint, conversation,
# contact links, history record, its contacts, objection rows, follow-up, audit event,
# savepoint release, the response's contacts.
LOG_POST_QUERIES = 15


def test_logging_a_conversation_through_the_api_has_a_fixed_query_budget(sales_user):
    account = AccountFactory()
    body = complete_log_body(account, [ContactFactory(account=account)], ThemeFactory(active=True))
    assert post_log(token_client(sales_user), body) == LOG_POST_QUERIES
    conversation = Conversation.objects.get()
    assert conversation.history.get().history_type == "+"
    assert conversation.objection_tags.count() == 1
    assert conversation.followup is not None


def test_more_contacts_on_a_log_cost_no_more_queries(sales_user):
    account = AccountFactory()
    theme = ThemeFactory(active=True)
    client = token_client(sales_user)
    one = post_log(
        client, complete_log_body(account, ContactFactory.create_batch(1, account=account), theme)
    )
    three = post_log(
        client, complete_log_body(account, ContactFactory.create_batch(3, account=account), theme)
    )
    assert one == three
    assert Conversation.objects.order_by("pk").last().contacts.count() == 3


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"search": "greenhouse", "objection": "price"},
        {"theme": "THEME", "search": "greenhouse"},
        {"ordering": "quality_score"},
    ],
)
def test_conversation_pages_cost_the_same_at_any_depth(api_as, manager_user, params):
    """The first page and the one a cursor leads to; filters that sort all matches may
    look at the last weeks first (one query more), never one more per row."""
    theme = ThemeFactory(active=True)
    params = {k: (theme.pk if v == "THEME" else v) for k, v in params.items()}
    for _ in range(7):
        conversation = ConversationFactory(
            theme=theme,
            objections=["price"],
            customer_goal="Heat the greenhouse with waste heat.",
        )
        conversation.objection_tags.create(tag="price")
        conversation.contacts.set([ContactFactory(account=conversation.account)])
    client = api_as(manager_user)
    first = count_queries(lambda: client.get("/api/conversations/", {**params, "page_size": 3}))
    next_link = client.get("/api/conversations/", {**params, "page_size": 3}).json()["next"]
    deeper = count_queries(lambda: client.get(next_link))
    assert first == deeper <= 6
