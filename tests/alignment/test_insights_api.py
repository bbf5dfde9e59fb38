import pytest

from alignment.models import InsightQuestion
from core.models import Notification

from .factories import AccountFactory, ConversationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_insights_list_filters_like_the_feed(api_as, marketing_user):
    theme = ThemeFactory(active=True)
    wanted = ConversationFactory(
        theme=theme, objections=["price"], account=AccountFactory(segment="Wholesale NL")
    )
    ConversationFactory(objections=["timing"])
    client = api_as(marketing_user)
    for params in ({"objection": "price"}, {"segment": "wholesale nl"}, {"theme": theme.pk}):
        body = client.get("/api/insights/", params).json()
        assert [row["id"] for row in body["results"]] == [wanted.pk], params
    assert client.get("/api/insights/").json()["count"] == 2


def test_triage_and_question_through_the_api(api_as, marketing_user, sales_user):
    conversation = ConversationFactory(author=sales_user)
    client = api_as(marketing_user)
    body = client.post(
        f"/api/insights/{conversation.pk}/triage/",
        {"reviewed": True, "highlighted": True, "tags": ["Pricing", "pricing", "competitor"]},
    ).json()
    assert body["reviewed_at"] and body["highlighted"] is True
    assert body["tags"] == ["competitor", "pricing"]
    assert client.get("/api/insights/", {"reviewed": "yes"}).json()["count"] == 1
    response = client.post(
        f"/api/insights/{conversation.pk}/ask/", {"question": "Which competitor did they name?"}
    )
    assert response.status_code == 201
    assert InsightQuestion.objects.get().asked_to == sales_user
    assert Notification.objects.filter(user=sales_user, kind="insight.question").exists()
    bad = client.post(f"/api/insights/{conversation.pk}/ask/", {"question": "why"})
    assert bad.status_code == 400 and "question" in bad.json()


@pytest.mark.parametrize(
    ("role", "read", "triage"),
    [
        ("sales", 200, 403),
        ("marketing", 200, 200),
        ("manager", 200, 200),
        ("frontline", 403, 403),
        ("outsider", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_insights_api_role_checks(api_as, role_users, role, read, triage):
    conversation = ConversationFactory()
    client = api_as(role_users[role])
    assert client.get("/api/insights/").status_code == read
    assert (
        client.post(f"/api/insights/{conversation.pk}/triage/", {"reviewed": True}).status_code
        == triage
    )


def test_insights_list_has_constant_queries(api_as, marketing_user, django_assert_max_num_queries):
    client = api_as(marketing_user)
    for _ in range(5):
        conversation = ConversationFactory(objections=["price"])
        client.post(f"/api/insights/{conversation.pk}/triage/", {"tags": ["pricing"]})
    with django_assert_max_num_queries(10):
        assert client.get("/api/insights/").json()["count"] == 5


def test_insights_page_by_cursor_like_conversations(api_as, marketing_user):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    wanted = [
        ConversationFactory(objections=["price"], occurred_at=now - dt.timedelta(hours=h)).pk
        for h in range(1, 4)
    ]
    ConversationFactory(objections=["timing"])
    client = api_as(marketing_user)
    first = client.get("/api/insights/", {"objection": "price", "page_size": 2}).json()
    assert first["count"] is None and "objection=price" in first["next"]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == wanted
    assert second["next"] is None
    numbered = client.get("/api/insights/", {"objection": "price", "page": 1}).json()
    assert numbered["count"] == 3
