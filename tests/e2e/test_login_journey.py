import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_user_logs_in_sees_home_for_role_and_switches_to_finnish(page, login, sales_user):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    login(page, "alice")
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
    expect(page.get_by_test_id("home-roles")).to_contain_text("Sales")

    page.get_by_label("Language").select_option("fi")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", name="Hei, Alice")).to_be_visible()


def test_keyboard_user_logs_in_without_a_mouse(page, sales_user):
    from tests.factories import TEST_PASSWORD

    page.goto("/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
