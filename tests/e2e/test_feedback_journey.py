"""A frontline user answers on a phone; a manager acts on it; she sees what was done."""

import re
import time

import pytest
from playwright.sync_api import expect

from feedback.models import Action, FeedbackEntry
from feedback.months import month_of
from tests.feedback.factories import FeedbackRoundFactory, add_participants

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMED = "The delivery date in the order confirmation was wrong and the customer called twice."
ANONYMOUS = "Our webshop says in stock for parts that take three weeks to arrive."
OUTCOME = "Order confirmations now show the confirmed delivery date."


def test_frontline_answers_on_a_phone_manager_acts_and_she_sees_the_outcome(
    phone_page, page, login, frontline_user, manager_user
):
    month = month_of()
    add_participants(FeedbackRoundFactory(month=month), frontline_user)

    # 1. Frida answers on her phone: two entries, one of them anonymous.
    login(phone_page, "frida")
    started = time.monotonic()
    phone_page.goto("/feedback/")
    phone_page.get_by_role("link", name="Answer the round").click()
    expect(phone_page).to_have_url(re.compile(rf"/feedback/rounds/{month}/$"))

    phone_page.locator("label", has_text="Bad experience").click()
    phone_page.get_by_label("What happened?").fill(NAMED)
    phone_page.get_by_label("Touchpoint").select_option("delivery")
    phone_page.get_by_role("button", name="Save and add another").click()
    expect(phone_page.get_by_test_id("saved-note")).to_be_visible()

    phone_page.locator("label", has_text="Improvement idea").click()
    phone_page.get_by_label("What happened?").fill(ANONYMOUS)
    phone_page.get_by_label("Send anonymously").check()
    phone_page.get_by_role("button", name="Save and add another").click()
    expect(phone_page.get_by_test_id("my-entries").locator("article")).to_have_count(2)
    assert time.monotonic() - started < 120  # well under two minutes
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert FeedbackEntry.objects.filter(anonymous=True, author__isnull=True).count() == 1

    # 2. Maria turns the named entry into an action and completes it.
    login(page, "maria")
    page.goto(f"/feedback/rounds/{month}/triage/")
    expect(page.get_by_text("Anonymous")).to_be_visible()
    page.get_by_label(NAMED).check()
    page.get_by_test_id("make-action").click()
    page.get_by_label("Title").fill("Show the confirmed delivery date")
    page.get_by_role("button", name="Create action").click()
    expect(page.get_by_test_id("action-status")).to_have_text("New")
    assert Action.objects.get().owner == manager_user

    page.get_by_label("Status").select_option("done")
    page.get_by_label("What we did").fill(OUTCOME)
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Done")

    # 3. Frida sees what became of it, on the round page and in her inbox.
    phone_page.goto(f"/feedback/rounds/{month}/")
    outcome = phone_page.get_by_test_id("outcome")
    expect(outcome).to_contain_text("You said, we did:")
    expect(outcome).to_contain_text(OUTCOME)
    phone_page.goto("/inbox/")
    expect(
        phone_page.get_by_text("You said, we did: Show the confirmed delivery date")
    ).to_be_visible()
