"""A rep logs a conversation: the vague version is refused, nothing typed is lost,
the complete version lands on the account's timeline."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.alignment.factories import CampaignFactory, ThemeFactory
from tests.crm.factories import AccountFactory, ContactFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_vague_log_refused_then_completed_and_found_on_the_account(page, login, sales_user):
    account = AccountFactory(name="Kallion Konepaja Oy")
    ContactFactory(account=account, name="Riikka Kallio")
    AccountFactory(name="Tampereen Valimo Oy")
    ThemeFactory(title="Hidden cost of manual quoting", active=True)
    CampaignFactory(name="Faster quotes spring offer", live=True)

    login(page, "alice")
    page.goto("/crm/log/")
    expect(page.get_by_test_id("active-themes")).to_contain_text("Hidden cost of manual quoting")
    expect(page.get_by_test_id("live-campaigns")).to_contain_text("Faster quotes spring offer")

    page.get_by_role("searchbox", name="Account").fill("kallio")
    page.get_by_label("Kallion Konepaja Oy").check()
    expect(page.get_by_label("Riikka Kallio")).to_be_visible()  # contacts of that account
    page.get_by_label("Riikka Kallio").check()

    vague = "Soitettu."
    page.get_by_label("Customer's goal or problem").fill("ok")
    page.get_by_label("What was discussed").fill(vague)
    page.get_by_label("Objections").fill("price, timing")
    page.get_by_test_id("save-complete").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    form = page.get_by_test_id("conversation-form")
    expect(form.get_by_text("is a placeholder, not a note")).to_have_count(2)
    expect(form.get_by_text("Choose how the conversation ended.")).to_be_visible()
    expect(page.get_by_test_id("score-value")).to_have_text("5/100")  # objections only
    # Everything typed survived the failed submit.
    expect(page.get_by_label("Customer's goal or problem")).to_have_value("ok")
    expect(page.get_by_label("What was discussed")).to_have_value(vague)
    expect(page.get_by_label("Objections")).to_have_value("price, timing")
    expect(page.get_by_label("Kallion Konepaja Oy")).to_be_checked()
    expect(page.get_by_label("Riikka Kallio")).to_be_checked()

    page.get_by_label("Customer's goal or problem").fill(
        "Riikka wants quotes out within a day; slow quotes lose them small orders."
    )
    page.get_by_label("What was discussed").fill(
        "How a quote moves from sales to engineering to finance, and where it waits."
    )
    page.get_by_label("Outcome").select_option("advanced")
    page.get_by_label("Next step", exact=True).fill(
        "Send the quoting benchmark and book a workshop with engineering."
    )
    due = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("Next step due").fill(due.isoformat())
    expect(page.get_by_test_id("score-value")).not_to_have_text("5/100")  # guidance follows typing
    page.get_by_test_id("save-complete").click()

    expect(page.get_by_text("Conversation logged.")).to_be_visible()
    expect(page.get_by_test_id("conversation-fields")).to_contain_text("Riikka wants quotes out")

    page.get_by_role("link", name="Kallion Konepaja Oy").first.click()
    expect(page.get_by_test_id("account-timeline")).to_contain_text("Riikka wants quotes out")
    expect(page.get_by_test_id("account-timeline")).to_contain_text("Riikka Kallio")


def test_the_log_form_fits_a_phone(phone_page, login, sales_user):
    login(phone_page, "alice")
    phone_page.goto("/crm/log/")
    expect(phone_page.get_by_test_id("save-complete")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
