"""The CRM API (design.md, API ★)."""

import datetime as dt

import pytest
from django.utils import timezone

from crm.models import Conversation, FollowUp, Opportunity
from tests.alignment.factories import CampaignFactory, ThemeFactory
from tests.crm.factories import (
    AccountFactory,
    ContactFactory,
    ConversationFactory,
    FollowUpFactory,
    OpportunityFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def payload(account, **overrides):
    data = {
        "account": account.pk,
        "channel": "video",
        "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "customer_goal": "Bring their quote turnaround from three days to one.",
        "discussed": "How quotes move between sales, engineering and finance today.",
        "outcome": "advanced",
        "next_step": "Send the quoting benchmark and book a workshop.",
        "next_step_due": (timezone.localdate() + dt.timedelta(days=4)).isoformat(),
        "objections": ["integration with ERP"],
    }
    data.update(overrides)
    return data


def test_post_complete_by_default_and_author_is_the_caller(api_as, sales_user, other_sales_user):
    account = AccountFactory()
    response = api_as(sales_user).post(
        "/api/conversations/", payload(account, author=other_sales_user.pk, quality_score=100)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "complete"
    assert body["author"] == sales_user.pk
    assert body["quality_score"] < 100
    assert body["objections"] == ["integration with ERP"]


def test_a_vague_complete_log_gets_field_keyed_errors(api_as, sales_user):
    response = api_as(sales_user).post(
        "/api/conversations/",
        payload(AccountFactory(), customer_goal="n/a", discussed="gesproken", next_step=""),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"customer_goal", "discussed", "next_step"}
    assert not Conversation.objects.exists()


def test_draft_is_accepted_with_less(api_as, sales_user):
    response = api_as(sales_user).post(
        "/api/conversations/",
        {
            "account": AccountFactory().pk,
            "occurred_at": timezone.now().isoformat(),
            "status": "draft",
        },
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"


def test_patch_by_another_user_is_forbidden(api_as, sales_user, other_sales_user):
    conversation = ConversationFactory(author=sales_user)
    response = api_as(other_sales_user).patch(
        f"/api/conversations/{conversation.pk}/", {"discussed": "Changed by someone else."}
    )
    assert response.status_code == 403


def test_patch_own_conversation_completes_a_draft(api_as, sales_user):
    client = api_as(sales_user)
    account = AccountFactory()
    draft = client.post(
        "/api/conversations/",
        {"account": account.pk, "occurred_at": timezone.now().isoformat(), "status": "draft"},
    ).json()
    response = client.patch(
        f"/api/conversations/{draft['id']}/", {**payload(account), "status": "complete"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "complete"
    assert FollowUp.objects.filter(conversation_id=draft["id"]).exists()


@pytest.mark.parametrize(
    ("param", "value_of", "expected"),
    [
        ("outcome", lambda c: "won", "won"),
        ("channel", lambda c: "call", "call"),
        ("account", lambda c: c["account"].pk, "account"),
        ("author", lambda c: c["author"].pk, "author"),
        ("theme", lambda c: c["theme"].pk, "theme"),
        ("campaign", lambda c: c["campaign"].pk, "campaign"),
        ("objection", lambda c: "Price", "objection"),
        ("search", lambda c: "greenhouse", "search"),
    ],
)
def test_conversation_filters(api_as, marketing_user, param, value_of, expected):
    case = {
        "account": AccountFactory(),
        "author": UserFactory(roles=["sales"]),
        "theme": ThemeFactory(active=True),
        "campaign": CampaignFactory(published=True),
    }
    target = ConversationFactory(
        account=case["account"],
        author=case["author"],
        theme=case["theme"],
        campaign=case["campaign"],
        outcome="won",
        channel="call",
        objections=["price"],
        customer_goal="Heat their greenhouse with waste heat from the data centre next door.",
    )
    target.objection_tags.create(tag="price")
    ConversationFactory.create_batch(2)
    response = api_as(marketing_user).get("/api/conversations/", {param: value_of(case)})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [target.pk]


def objection_log(*tags, **fields):
    conversation = ConversationFactory(objections=list(tags), **fields)
    for tag in tags:
        conversation.objection_tags.create(tag=tag)
    return conversation


def test_objection_filter_matches_whole_tags_in_any_case(api_as, marketing_user):
    price = objection_log("Price too high", "timing")
    objection_log("price")
    budget = objection_log("BUDGET")
    client = api_as(marketing_user)

    def ids(tag):
        response = client.get("/api/conversations/", {"objection": tag})
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids("  PRICE   too HIGH ") == [price.pk]
    assert len(ids("price")) == 1 and ids("price") != [price.pk]  # not part of a longer tag
    assert ids("pri") == []
    assert ids("budget") == [budget.pk]


def test_objection_and_search_combine(api_as, marketing_user):
    wanted = objection_log("prijs", customer_goal="Kortere levertijden voor de winkels.")
    objection_log("prijs", customer_goal="Minder voorraad in het magazijn.")
    objection_log("timing", customer_goal="Kortere levertijden voor de winkels.")
    response = api_as(marketing_user).get(
        "/api/conversations/", {"objection": "Prijs", "search": "levertijden"}
    )
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


@pytest.mark.usefixtures("postgres")
def test_objection_filter_is_answered_by_the_conversation_index_on_postgresql():
    from django.db import connection

    from crm.selectors import conversations_with_objection

    sql, params = (
        conversations_with_objection(Conversation.objects.all(), "price").values("pk").query
    ).sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "crm_conv_search_objection" in plan
    assert "crm_conversationobjection" not in plan


def test_occurred_after_and_before(api_as, marketing_user):
    now = timezone.now()
    old = ConversationFactory(occurred_at=now - dt.timedelta(days=30))
    new = ConversationFactory(occurred_at=now - dt.timedelta(days=1))
    client = api_as(marketing_user)
    after = client.get(
        "/api/conversations/", {"occurred_after": (now - dt.timedelta(days=7)).isoformat()}
    )
    before = client.get(
        "/api/conversations/", {"occurred_before": (now - dt.timedelta(days=7)).isoformat()}
    )
    assert [r["id"] for r in after.json()["results"]] == [new.pk]
    assert [r["id"] for r in before.json()["results"]] == [old.pk]


def test_followups_are_the_callers_own(api_as, sales_user, other_sales_user):
    mine = FollowUpFactory(owner=sales_user)
    FollowUpFactory(owner=other_sales_user)
    client = api_as(sales_user)
    assert [r["id"] for r in client.get("/api/followups/").json()["results"]] == [mine.pk]
    response = client.patch(f"/api/followups/{mine.pk}/", {"done": True})
    assert response.status_code == 200
    assert response.json()["done_at"] is not None


def test_opportunity_won_sets_closed_at_and_lost_needs_a_reason(api_as, sales_user):
    client = api_as(sales_user)
    account = AccountFactory()
    created = client.post(
        "/api/opportunities/",
        {
            "account": account.pk,
            "name": "Fleet telematics",
            "amount": "18000.00",
            "source": "marketing",
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert client.patch(f"/api/opportunities/{pk}/", {"stage": "lost"}).json() == {
        "lost_reason": ["Say why the opportunity was lost."]
    }
    won = client.patch(f"/api/opportunities/{pk}/", {"stage": "won"}).json()
    assert won["closed_at"] is not None
    assert list(
        Opportunity.objects.get(pk=pk).stage_changes.values_list("to_stage", flat=True)
    ) == [
        "lead",
        "won",
    ]


def test_contacts_filter_by_account(api_as, marketing_user):
    account = AccountFactory()
    contact = ContactFactory(account=account)
    ContactFactory()
    response = api_as(marketing_user).get("/api/contacts/", {"account": account.pk})
    assert [r["id"] for r in response.json()["results"]] == [contact.pk]


def test_accounts_create_and_list(api_as, sales_user, marketing_user):
    response = api_as(sales_user).post(
        "/api/accounts/", {"name": "Zuidas Energie B.V.", "country": "NL"}
    )
    assert response.status_code == 201
    assert response.json()["owner"] == sales_user.pk
    names = [r["name"] for r in api_as(marketing_user).get("/api/accounts/").json()["results"]]
    assert "Zuidas Energie B.V." in names
    assert api_as(marketing_user).post("/api/accounts/", {"name": "Nope"}).status_code == 403


@pytest.mark.usefixtures("postgres")
def test_full_text_search_uses_the_search_vector_on_postgresql(api_as, marketing_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = ConversationFactory(discussed="Kasvihuoneen lämmitys hukkalämmöllä kiinnosti kovasti.")
    ConversationFactory()
    with CaptureQueriesContext(connection) as queries:
        response = api_as(marketing_user).get("/api/conversations/", {"search": "hukkalämmöllä"})
    assert [r["id"] for r in response.json()["results"]] == [target.pk]
    assert any("search_vector" in q["sql"] and "@@" in q["sql"] for q in queries.captured_queries)


def test_only_the_owner_or_a_manager_edits_an_opportunity(
    api_as, sales_user, other_sales_user, manager_user
):
    opportunity = OpportunityFactory(owner=sales_user)
    url = f"/api/opportunities/{opportunity.pk}/"
    assert api_as(other_sales_user).patch(url, {"stage": "proposal"}).status_code == 403
    assert api_as(manager_user).patch(url, {"stage": "proposal"}).status_code == 200
    assert api_as(sales_user).patch(url, {"stage": "negotiation"}).status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.stage == "negotiation"
    assert opportunity.closed_at is None


def test_reopening_a_won_opportunity_clears_closed_at(api_as, sales_user):
    opportunity = OpportunityFactory(owner=sales_user)
    client = api_as(sales_user)
    client.patch(f"/api/opportunities/{opportunity.pk}/", {"stage": "won"})
    body = client.patch(f"/api/opportunities/{opportunity.pk}/", {"stage": "negotiation"}).json()
    assert body["closed_at"] is None


def test_an_unknown_status_is_a_field_error(api_as, sales_user):
    response = api_as(sales_user).post(
        "/api/conversations/", payload(AccountFactory(), status="done")
    )
    assert response.status_code == 400
    assert "status" in response.json()
