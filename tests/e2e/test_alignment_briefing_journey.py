import pytest
from playwright.sync_api import expect

from tests.alignment.factories import CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rep_reads_the_briefing_on_a_phone_and_marketing_sees_it(
    phone_page, page, login, sales_user, other_sales_user, marketing_user
):
    campaign = CampaignFactory(published=True, name="Nopeampi tarjous")

    login(phone_page, "alice")
    phone_page.goto("/alignment/live/")
    card = phone_page.get_by_test_id("upcoming-campaigns")
    expect(card).to_contain_text("Nopeampi tarjous")
    card.get_by_role("button", name="I have read the briefing").click()
    expect(phone_page.get_by_text("You have read the briefing").first).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    login(page, "bob")
    page.goto(f"/alignment/campaigns/{campaign.pk}/")
    roster = page.get_by_test_id("briefing-roster")
    expect(roster).to_contain_text("1 of 2 have acknowledged it.")
    expect(roster.locator("li", has_text="Alice")).to_contain_text("before launch")
    expect(roster.locator("li", has_text="Sven")).to_contain_text("not yet")
