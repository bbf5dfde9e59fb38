import re

import pytest
from playwright.sync_api import expect

from alignment.models import ConversationTriage, InsightQuestion
from tests.alignment.factories import AccountFactory, ConversationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_marketer_filters_by_objection_reviews_and_asks_the_rep(
    page, login, marketing_user, sales_user, other_sales_user
):
    wanted = ConversationFactory(
        author=sales_user,
        account=AccountFactory(name="Konepaja Heikkinen Oy"),
        objections=["price too high"],
    )
    ConversationFactory(
        author=other_sales_user,
        account=AccountFactory(name="Groothandel De Boer BV", segment="Wholesale NL"),
        objections=["already have a supplier"],
    )

    login(page, "bob")
    page.get_by_role("link", name="Insight feed").first.click()
    expect(page.get_by_role("heading", name="Insight feed")).to_be_visible()
    expect(page.get_by_test_id("feed-item")).to_have_count(2)

    page.get_by_label("Objection").fill("price too high")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"objection=price\+too\+high"))
    item = page.get_by_test_id("feed-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Konepaja Heikkinen Oy")

    item.get_by_role("button", name="Mark reviewed").click()
    expect(item.get_by_test_id("reviewed-badge")).to_be_visible()

    page.get_by_test_id("feed-item").get_by_text("Ask the rep").click()
    page.get_by_label("Your question to Alice").fill(
        "Which price did they compare us with, and from whom?"
    )
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_test_id("feed-item")).to_contain_text("Question sent to")

    triage = ConversationTriage.objects.get(conversation=wanted)
    assert triage.reviewed_by == marketing_user
    assert InsightQuestion.objects.get().asked_to == sales_user

    page.context.clear_cookies()
    login(page, "alice")
    page.get_by_test_id("inbox-link").click()
    inbox = page.get_by_test_id("inbox-list")
    expect(inbox).to_contain_text("asks about your conversation with Konepaja Heikkinen Oy")
    expect(inbox).to_contain_text("Which price did they compare us with, and from whom?")

    inbox.get_by_role("button", name="Open").first.click()
    page.get_by_label("Your answer").fill("Lemonsoft's offer, about 15 % cheaper per user.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Answer sent.")).to_be_visible()


def test_marketer_pages_to_older_and_newer_conversations_keeping_the_filter(
    page, login, marketing_user
):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    for hours in range(1, 23):
        ConversationFactory(
            account=AccountFactory(name=f"Tilaaja {hours:02d} Oy"),
            objections=["price too high"],
            occurred_at=now - dt.timedelta(hours=hours),
        )
    ConversationFactory(objections=["timing"])

    login(page, "bob")
    page.goto("/alignment/feed/")
    page.get_by_label("Objection").fill("price too high")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("feed-item")).to_have_count(20)
    expect(page.get_by_test_id("feed-count")).to_contain_text("Showing 20 conversations")

    page.get_by_role("link", name="Older").click()
    expect(page).to_have_url(re.compile(r"objection=price\+too\+high.*cursor="))
    expect(page.get_by_test_id("feed-item")).to_have_count(2)
    expect(page.get_by_test_id("feed-item").last).to_contain_text("Tilaaja 22 Oy")

    page.get_by_role("link", name="Newer").click()
    expect(page.get_by_test_id("feed-item")).to_have_count(20)
    expect(page.get_by_test_id("feed-item").first).to_contain_text("Tilaaja 01 Oy")
