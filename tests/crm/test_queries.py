"""List pages and endpoints run a constant number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.alignment.factories import CampaignFactory, ThemeFactory
from tests.crm.factories import (
    AccountFactory,
    ContactFactory,
    ConversationFactory,
    FollowUpFactory,
    OpportunityFactory,
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
