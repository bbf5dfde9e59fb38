import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alignment.filters import InsightFeedFilter
from alignment.models import ConversationTriage
from alignment.selectors import feed as feed_selectors
from alignment.selectors.feed import (
    feed_conversations,
    goals_by_segment,
    theme_reactions,
    top_objections,
)
from alignment.services import insights
from core.models import Notification
from tests.factories import UserFactory

from .factories import AccountFactory, CampaignFactory, ConversationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def feed(**params) -> set[int]:
    filterset = InsightFeedFilter(
        {k: str(v) for k, v in params.items()},
        queryset=feed_conversations(user=UserFactory(username="reader", roles=["marketing"])),
    )
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


@pytest.fixture
def two(sales_user, other_sales_user):
    """Two conversations that differ in every filtered field."""
    theme_a, theme_b = ThemeFactory(active=True), ThemeFactory(active=True)
    campaign_a, campaign_b = CampaignFactory(published=True), CampaignFactory(published=True)
    a = ConversationFactory(
        author=sales_user,
        account=AccountFactory(segment="Manufacturing SME", industry="Machinery"),
        theme=theme_a,
        campaign=campaign_a,
        outcome="advanced",
        objections=["price too high", "timing"],
        customer_goal="Quote faster than their competitors in Tampere.",
        occurred_at=timezone.now() - dt.timedelta(days=40),
    )
    b = ConversationFactory(
        author=other_sales_user,
        account=AccountFactory(segment="Wholesale NL", industry="Food wholesale"),
        theme=theme_b,
        campaign=campaign_b,
        outcome="setback",
        channel="call",
        status="draft",
        objections=["already have a supplier"],
        customer_goal="Stop losing margin on rush orders to Rotterdam.",
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    return a, b


@pytest.mark.parametrize(
    ("param", "value_of", "expected"),
    [
        ("theme", lambda a, b: a.theme_id, "a"),
        ("campaign", lambda a, b: b.campaign_id, "b"),
        ("objection", lambda a, b: "Price too high", "a"),
        ("outcome", lambda a, b: "setback", "b"),
        ("segment", lambda a, b: "wholesale nl", "b"),
        ("industry", lambda a, b: "Machinery", "a"),
        ("rep", lambda a, b: a.author_id, "a"),
        ("occurred_after", lambda a, b: timezone.localdate() - dt.timedelta(days=10), "b"),
        ("occurred_before", lambda a, b: timezone.localdate() - dt.timedelta(days=10), "a"),
        ("search", lambda a, b: "Rotterdam", "b"),
        ("channel", lambda a, b: "call", "b"),
        ("status", lambda a, b: "draft", "b"),
        ("search", lambda a, b: "quote Tampere", "a"),
    ],
)
def test_every_feed_filter_narrows_the_stream(two, param, value_of, expected):
    a, b = two
    assert feed() == {a.pk, b.pk}
    assert feed(**{param: value_of(a, b)}) == {(a if expected == "a" else b).pk}


def test_search_finds_nothing_for_an_unknown_word(two):
    assert feed(search="zeppelin") == set()


def test_triage_filters_reviewed_highlighted_and_tag(two, marketing_user):
    a, b = two
    insights.mark_reviewed(user=marketing_user, conversation=a)
    insights.set_highlight(user=marketing_user, conversation=b, highlighted=True)
    insights.set_tags(user=marketing_user, conversation=b, tags="Pricing, competitor X")
    assert feed(reviewed="yes") == {a.pk}
    assert feed(reviewed="no") == {b.pk}
    assert feed(highlighted="yes") == {b.pk}
    assert feed(highlighted="no") == {a.pk}
    assert feed(tag="pricing") == {b.pk}


def test_mark_reviewed_keeps_the_first_reviewer_and_can_be_undone(marketing_user, manager_user):
    conversation = ConversationFactory()
    first = insights.mark_reviewed(user=marketing_user, conversation=conversation)
    again = insights.mark_reviewed(user=manager_user, conversation=conversation)
    assert again.reviewed_by == marketing_user and again.reviewed_at == first.reviewed_at
    insights.mark_reviewed(user=manager_user, conversation=conversation, reviewed=False)
    assert ConversationTriage.objects.get().reviewed_at is None


def test_tags_are_normalised_and_replaced(marketing_user):
    conversation = ConversationFactory()
    insights.set_tags(
        user=marketing_user, conversation=conversation, tags=" Pricing ,pricing, Lead  time "
    )
    triage = insights.set_tags(user=marketing_user, conversation=conversation, tags=["lead time"])
    assert [t.name for t in triage.tags.all()] == ["lead time"]


@pytest.mark.parametrize("role", ["sales", "frontline"])
def test_only_marketing_and_managers_triage(role):
    user = UserFactory(roles=[role])
    conversation = ConversationFactory()
    for call in (
        lambda: insights.mark_reviewed(user=user, conversation=conversation),
        lambda: insights.set_highlight(user=user, conversation=conversation, highlighted=True),
        lambda: insights.set_tags(user=user, conversation=conversation, tags="x"),
        lambda: insights.ask_rep(user=user, conversation=conversation, question="Why was that so?"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_question_lands_in_the_reps_inbox_and_the_answer_comes_back(marketing_user, sales_user):
    conversation = ConversationFactory(author=sales_user)
    question = insights.ask_rep(
        user=marketing_user, conversation=conversation, question="Which competitor did they name?"
    )
    note = Notification.objects.get(user=sales_user, kind="insight.question")
    assert note.body == "Which competitor did they name?"
    assert note.link == reverse("alignment:question-detail", args=[question.pk])
    with pytest.raises(PermissionDenied):
        insights.answer_question(user=marketing_user, question=question, answer="Me")
    insights.answer_question(user=sales_user, question=question, answer="Visma, on price.")
    assert (
        Notification.objects.get(user=marketing_user, kind="insight.answer").body
        == "Visma, on price."
    )


def test_empty_question_is_refused(marketing_user):
    with pytest.raises(ValidationError) as error:
        insights.ask_rep(user=marketing_user, conversation=ConversationFactory(), question=" ok ")
    assert "question" in error.value.message_dict


def test_top_objections_compare_this_month_with_last():
    today = timezone.localdate()
    this_month = timezone.now().replace(day=1, hour=12) if today.day > 1 else timezone.now()
    last_month = this_month.replace(day=1) - dt.timedelta(days=3)
    for _ in range(3):
        ConversationFactory(objections=["price"], occurred_at=this_month)
    ConversationFactory(objections=["timing"], occurred_at=this_month)
    ConversationFactory(objections=["price", "timing"], occurred_at=last_month)
    ConversationFactory(objections=["timing"], occurred_at=last_month)
    rows = {r["tag"]: r for r in top_objections()}
    assert (rows["price"]["this_month"], rows["price"]["last_month"]) == (3, 1)
    assert (rows["timing"]["this_month"], rows["timing"]["last_month"]) == (1, 2)
    assert [r["tag"] for r in top_objections()] == ["price", "timing"]


def test_goals_by_segment_keep_the_latest_two_per_segment():
    manufacturing = AccountFactory(segment="Manufacturing SME")
    for days in range(5):
        ConversationFactory(
            account=manufacturing,
            customer_goal=f"Goal {days}",
            occurred_at=timezone.now() - dt.timedelta(days=days + 1),
        )
    ConversationFactory(account=AccountFactory(segment="Wholesale NL"), customer_goal="Margin")
    segments = {s["segment"]: s for s in goals_by_segment()}
    assert segments["Manufacturing SME"]["count"] == 5
    assert [g["customer_goal"] for g in segments["Manufacturing SME"]["goals"]] == [
        "Goal 0",
        "Goal 1",
    ]
    assert segments["Wholesale NL"]["count"] == 1


def test_theme_reactions_count_forward_and_back():
    theme = ThemeFactory(active=True)
    ConversationFactory(theme=theme, outcome="advanced")
    ConversationFactory(theme=theme, outcome="won")
    ConversationFactory(theme=theme, outcome="setback")
    ConversationFactory(theme=theme, outcome="no_change")
    deleted = ConversationFactory(theme=theme, outcome="won")
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["deleted_at"])
    (row,) = theme_reactions()
    assert (row["used"], row["forward"], row["back"]) == (4, 2, 1)  # the deleted log does not count
    assert row["forward_rate"] == 0.5


@pytest.mark.parametrize(
    ("role", "status", "triage_status"),
    [
        ("sales", 200, 403),
        ("marketing", 200, 302),
        ("manager", 200, 302),
        ("frontline", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_feed_page_role_checks(client, role_users, role, status, triage_status):
    conversation = ConversationFactory()
    client.force_login(role_users[role])
    html = client.get(reverse("alignment:feed"))
    assert html.status_code == status
    if status == 200:
        assert ("Mark reviewed" in html.content.decode()) is (triage_status == 302)
    response = client.post(reverse("alignment:feed-action", args=[conversation.pk, "review"]))
    assert response.status_code == triage_status


def test_feed_page_filters_and_triages_with_htmx(client, marketing_user, two):
    a, b = two
    client.force_login(marketing_user)
    response = client.get(reverse("alignment:feed"), {"objection": "timing"})
    assert list(response.context["conversations"]) == [a]
    assert "Top objections this month" in response.content.decode()
    response = client.post(
        reverse("alignment:feed-action", args=[a.pk, "review"]), HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="reviewed-badge"' in response.content.decode()
    response = client.post(
        reverse("alignment:feed-action", args=[a.pk, "ask"]),
        {
            "question": "What timing did they have in mind?",
            "next": "/alignment/feed/?objection=timing",
        },
    )
    assert response["Location"] == "/alignment/feed/?objection=timing"
    assert Notification.objects.filter(user=a.author, kind="insight.question").exists()


def test_feed_page_has_constant_queries(client, marketing_user, django_assert_max_num_queries):
    for _ in range(6):
        conversation = ConversationFactory(objections=["price"], theme=ThemeFactory(active=True))
        insights.set_tags(user=marketing_user, conversation=conversation, tags="pricing")
        insights.ask_rep(
            user=marketing_user, conversation=conversation, question="Which price did they expect?"
        )
    client.force_login(marketing_user)
    with django_assert_max_num_queries(20):  # summaries computed: one query each + goals
        response = client.get(reverse("alignment:feed"))
    assert len(response.context["conversations"]) == 6
    assert response.context["page_obj"].complete
    with django_assert_max_num_queries(16):  # summaries cached; + the last 30 days first
        client.get(reverse("alignment:feed"), {"objection": "price", "search": "quote"})


def test_feed_pages_older_and_newer_by_position_keeping_the_filters(client, marketing_user):
    now = timezone.now()
    logs = [
        ConversationFactory(objections=["price"], occurred_at=now - dt.timedelta(hours=h))
        for h in range(1, 24)
    ]
    ConversationFactory(objections=["timing"])
    client.force_login(marketing_user)
    first = client.get(reverse("alignment:feed"), {"objection": "price", "page": "3"})
    html = first.content.decode()
    assert [c.pk for c in first.context["conversations"]] == [c.pk for c in logs[:20]]
    assert "Showing 20 conversations, newest first" in html
    assert "Newer" not in html
    older = first.context["page_obj"].next_cursor.encode()
    assert f'href="?objection=price&amp;cursor={older}"' in html  # `page` is dropped
    second = client.get(reverse("alignment:feed"), {"objection": "price", "cursor": older})
    assert [c.pk for c in second.context["conversations"]] == [c.pk for c in logs[20:]]
    newer = second.context["page_obj"].previous_cursor.encode()
    assert f'href="?objection=price&amp;cursor={newer}"' in second.content.decode()
    back = client.get(reverse("alignment:feed"), {"objection": "price", "cursor": newer})
    assert [c.pk for c in back.context["conversations"]] == [c.pk for c in logs[:20]]


def test_an_unreadable_cursor_shows_the_newest_page(client, marketing_user):
    newest = ConversationFactory()
    client.force_login(marketing_user)
    response = client.get(reverse("alignment:feed"), {"cursor": "bm9wZQ"})
    assert response.status_code == 200
    assert list(response.context["conversations"]) == [newest]


def test_a_new_log_is_in_the_feed_at_once_while_the_summaries_may_lag(
    client, marketing_user, monkeypatch
):
    ConversationFactory(objections=["price"])
    client.force_login(marketing_user)
    first = client.get(reverse("alignment:feed"))
    assert "Summaries as of" in first.content.decode()
    fresh = ConversationFactory(objections=["lead time"])
    again = client.get(reverse("alignment:feed"))
    assert fresh in again.context["conversations"]
    assert [row["tag"] for row in again.context["summaries"].objections] == ["price"]
    monkeypatch.setattr(feed_selectors, "SUMMARIES_FRESH_FOR", dt.timedelta(0))
    later = client.get(reverse("alignment:feed"))
    assert {row["tag"] for row in later.context["summaries"].objections} == {"price", "lead time"}


def test_stale_summaries_are_recomputed_by_one_request_at_a_time(monkeypatch):
    ConversationFactory(objections=["price"])
    old = feed_selectors.feed_summaries()
    ConversationFactory(objections=["timing"])
    monkeypatch.setattr(feed_selectors, "SUMMARIES_FRESH_FOR", dt.timedelta(0))
    cache.set(feed_selectors.SUMMARIES_REFRESHING, True)  # another request is at it
    assert feed_selectors.feed_summaries() == old
    cache.delete(feed_selectors.SUMMARIES_REFRESHING)
    assert {r["tag"] for r in feed_selectors.feed_summaries().objections} == {"price", "timing"}


def test_summaries_start_afresh_on_a_new_day(monkeypatch):
    ConversationFactory(objections=["price"])
    midnight = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time.min)
    )
    monkeypatch.setattr(timezone, "now", lambda: midnight - dt.timedelta(minutes=1))
    first = feed_selectors.feed_summaries()
    ConversationFactory(objections=["timing"])
    assert feed_selectors.feed_summaries() == first  # still fresh: from the cache
    monkeypatch.setattr(timezone, "now", lambda: midnight + dt.timedelta(minutes=1))
    assert feed_selectors.feed_summaries().computed_at > first.computed_at


def test_a_deleted_or_erased_conversation_leaves_the_cached_summaries_at_once(
    manager_user, django_capture_on_commit_callbacks
):
    from crm.services.deletion import delete_conversation
    from crm.services.gdpr import erase_contact
    from tests.crm.factories import ContactFactory

    account = AccountFactory(segment="retail")
    gone = ConversationFactory(account=account, customer_goal="Cut the cost of cold storage")
    contact = ContactFactory(account=account, name="Liisa Aalto")
    named = ConversationFactory(account=account, customer_goal="Liisa Aalto wants a pilot")
    named.contacts.add(contact)

    def goals() -> set[str]:
        return {
            goal["customer_goal"]
            for segment in feed_selectors.feed_summaries().goals
            for goal in segment["goals"]
        }

    assert {"Cut the cost of cold storage", "Liisa Aalto wants a pilot"} <= goals()
    with django_capture_on_commit_callbacks(execute=True):
        delete_conversation(conversation=gone, user=manager_user)
    assert "Cut the cost of cold storage" not in goals()
    with django_capture_on_commit_callbacks(execute=True):
        erase_contact(contact=contact, user=manager_user)
    assert not any("Liisa Aalto" in goal for goal in goals())


def test_goals_by_segment_show_the_busiest_segments_with_their_own_latest_goals():
    now = timezone.now()
    for index, segment in enumerate("ABCDEF"):
        account = AccountFactory(segment=segment)
        for n in range(index + 2):
            ConversationFactory(
                account=account,
                customer_goal=f"{segment} goal {n}",
                occurred_at=now - dt.timedelta(hours=n + 1, minutes=index),
            )
    ConversationFactory(account=AccountFactory(segment="F"), customer_goal="")
    segments = goals_by_segment()
    assert [(s["segment"], s["count"]) for s in segments] == [
        ("F", 7),
        ("E", 6),
        ("D", 5),
        ("C", 4),
        ("B", 3),
    ]
    assert [[g["customer_goal"] for g in s["goals"]] for s in segments] == [
        [f"{segment} goal 0", f"{segment} goal 1"] for segment in "FEDCB"
    ]


def test_question_page_is_for_the_rep_the_asker_and_triagers(
    client, marketing_user, sales_user, other_sales_user
):
    question = insights.ask_rep(
        user=marketing_user,
        conversation=ConversationFactory(author=sales_user),
        question="Who decides on the budget there?",
    )
    url = reverse("alignment:question-detail", args=[question.pk])
    client.force_login(other_sales_user)
    assert client.get(url).status_code == 403
    client.force_login(sales_user)
    assert "Who decides on the budget there?" in client.get(url).content.decode()
    client.post(url, {"answer": "The CFO, Liisa Aalto."})
    question.refresh_from_db()
    assert question.answer == "The CFO, Liisa Aalto."


def test_until_a_day_includes_that_whole_day():
    today = ConversationFactory(occurred_at=timezone.now() - dt.timedelta(minutes=5))
    ConversationFactory(occurred_at=timezone.now() + dt.timedelta(days=2))
    assert feed(occurred_before=timezone.localdate().isoformat()) == {today.pk}
    assert feed(occurred_before=(timezone.now() - dt.timedelta(hours=1)).isoformat()) == set()


def test_htmx_card_keeps_the_feed_address_for_later_plain_posts(client, marketing_user):
    conversation = ConversationFactory()
    client.force_login(marketing_user)
    response = client.post(
        reverse("alignment:feed-action", args=[conversation.pk, "highlight"]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/alignment/feed/?objection=price",
    )
    html = response.content.decode()
    assert 'value="/alignment/feed/?objection=price"' in html
    assert "Remove highlight" in html


def test_unknown_action_and_open_redirect_are_refused(client, marketing_user):
    conversation = ConversationFactory()
    client.force_login(marketing_user)
    assert (
        client.post(reverse("alignment:feed-action", args=[conversation.pk, "delete"])).status_code
        == 404
    )
    response = client.post(
        reverse("alignment:feed-action", args=[conversation.pk, "review"]),
        {"next": "//evil.example/"},
    )
    assert response["Location"] == reverse("alignment:feed")
