"""Two devices edit the same conversation: the later save gets a merge prompt, keeps what
was typed, and goes through only when saved again on purpose."""

import pytest
from playwright.sync_api import expect

from crm.models import Conversation
from tests.crm.factories import ConversationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_stale_save_shows_the_merge_prompt_and_keeps_the_text(
    page, phone_page, login, sales_user
):
    conversation = ConversationFactory(author=sales_user)
    edit_url = f"/crm/conversations/{conversation.pk}/edit/"
    login(page, "alice")
    login(phone_page, "alice")
    page.goto(edit_url)  # the laptop opens the form first
    phone_page.goto(edit_url)

    phone_text = "From the car park: their COO wants the pilot to start in March."
    phone_page.get_by_label("What was discussed").fill(phone_text)
    phone_page.get_by_test_id("save-complete").click()
    phone_page.wait_for_url(f"**/crm/conversations/{conversation.pk}/")

    laptop_text = "Back at the desk: the pilot covers the Oulu and Kuopio depots, 40 trucks."
    page.get_by_label("What was discussed").fill(laptop_text)
    page.get_by_test_id("save-complete").click()

    prompt = page.get_by_test_id("edit-conflict")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text(phone_text)
    expect(page.get_by_label("What was discussed")).to_have_value(laptop_text)
    assert Conversation.objects.get(pk=conversation.pk).discussed == phone_text

    page.get_by_test_id("save-complete").click()  # saved again, on purpose
    page.wait_for_url(f"**/crm/conversations/{conversation.pk}/")
    assert Conversation.objects.get(pk=conversation.pk).discussed == laptop_text
