"""The CRM pages: logging (with errors that keep the text), account page, lists, follow-ups."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Conversation, FollowUp
from tests.alignment.factories import CampaignFactory, ThemeFactory
from tests.crm.factories import (
    AccountFactory,
    ContactFactory,
    ConversationFactory,
    FollowUpFactory,
    OpportunityFactory,
)

pytestmark = pytest.mark.django_db


def form_data(account, **overrides):
    data = {
        "account": account.pk,
        "channel": "call",
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "customer_goal": "Halve the time their planners spend on morning dispatch.",
        "discussed": "Walked through the spreadsheet they use and the Monday peak.",
        "insight_shared": "",
        "customer_reaction": "",
        "objections": "price, timing",
        "outcome": "advanced",
        "next_step": "Book a demo with both planners next week.",
        "next_step_due": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "action": "complete",
    }
    data.update(overrides)
    return data


def test_the_log_form_shows_active_themes_and_live_campaigns(client_as, sales_user):
    ThemeFactory(title="Empty kilometres", active=True)
    ThemeFactory(title="Still a proposal")
    CampaignFactory(name="Spring route check", live=True)
    response = client_as(sales_user).get(reverse("crm:conversation_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Empty kilometres" in html
    assert "Still a proposal" not in html
    assert "Spring route check" in html


def test_a_vague_log_is_refused_with_field_errors_and_the_text_kept(client_as, sales_user):
    account = AccountFactory(name="Kuljetus Kallio Oy")
    typed = "Soitettu, sovittu jatkosta: ääkköset säilyvät <b>"
    response = client_as(sales_user).post(
        reverse("crm:conversation_create"),
        form_data(account, customer_goal="ok", discussed=typed, next_step=""),
    )
    assert response.status_code == 200
    assert not Conversation.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"customer_goal", "next_step"}
    html = response.content.decode()
    assert "Soitettu, sovittu jatkosta: ääkköset säilyvät &lt;b&gt;" in html
    assert "price, timing" in html
    assert "Kuljetus Kallio Oy" in html  # the chosen account is still chosen


def test_a_complete_log_is_saved_and_appears_on_the_account_page(client_as, sales_user):
    account = AccountFactory()
    contact = ContactFactory(account=account, name="Liisa Laine")
    client = client_as(sales_user)
    response = client.post(
        reverse("crm:conversation_create"), form_data(account, contacts=[contact.pk])
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response.url == conversation.get_absolute_url()
    assert conversation.objections == ["price", "timing"]
    assert list(conversation.contacts.all()) == [contact]
    assert FollowUp.objects.get().owner == sales_user
    page = client.get(account.get_absolute_url()).content.decode()
    assert "Halve the time their planners spend" in page
    assert "Liisa Laine" in page


def test_save_as_draft_accepts_an_unfinished_log(client_as, sales_user):
    account = AccountFactory()
    response = client_as(sales_user).post(
        reverse("crm:conversation_create"),
        form_data(account, customer_goal="", outcome="", next_step="", action="draft"),
    )
    assert response.status_code == 302
    assert Conversation.objects.get().status == Conversation.Status.DRAFT


def test_account_search_as_you_type(client_as, sales_user):
    AccountFactory(name="Van der Berg Logistiek B.V.")
    AccountFactory(name="Bergman Kuljetus Oy")
    AccountFactory(name="Tampereen Sähkö Oy")
    response = client_as(sales_user).get(
        reverse("crm:account_search"), {"account_search": "berg"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Bergman Kuljetus Oy" in html
    assert "Van der Berg Logistiek B.V." in html
    assert "Tampereen" not in html
    assert html.index("Bergman") < html.index("Van der Berg")  # names starting with it first


def test_contacts_are_filtered_by_the_chosen_account(client_as, sales_user):
    account = AccountFactory()
    ContactFactory(account=account, name="Jan de Vries")
    ContactFactory(name="Someone Elsewhere")
    OpportunityFactory(account=account, name="Fleet pilot")
    html = (
        client_as(sales_user)
        .get(reverse("crm:account_options"), {"account": account.pk})
        .content.decode()
    )
    assert "Jan de Vries" in html
    assert "Fleet pilot" in html
    assert "Someone Elsewhere" not in html


def test_only_the_author_can_open_the_edit_page(client_as, sales_user, other_sales_user):
    conversation = ConversationFactory(author=sales_user)
    url = reverse("crm:conversation_edit", args=[conversation.pk])
    assert client_as(other_sales_user).get(url).status_code == 403


def test_editing_shows_history_on_the_detail_page(client_as, sales_user):
    account = AccountFactory()
    client = client_as(sales_user)
    client.post(reverse("crm:conversation_create"), form_data(account))
    conversation = Conversation.objects.get()
    client.post(
        reverse("crm:conversation_edit", args=[conversation.pk]),
        form_data(account, customer_reaction="Asked for two customer references."),
    )
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "Edit history" in html
    assert "Asked for two customer references." in html
    assert html.count('data-testid="history"') == 1


def test_conversation_list_filters_and_searches(client_as, marketing_user):
    ConversationFactory(customer_goal="Reduce warehouse heating costs over the winter months.")
    ConversationFactory(customer_goal="Grow export sales to Germany next year.", outcome="won")
    client = client_as(marketing_user)
    html = client.get(reverse("crm:conversation_list"), {"search": "heating"}).content.decode()
    assert "warehouse heating" in html and "export sales" not in html
    html = client.get(reverse("crm:conversation_list"), {"outcome": "won"}).content.decode()
    assert "export sales" in html and "warehouse heating" not in html


def test_pipeline_groups_opportunities_by_stage(client_as, manager_user):
    OpportunityFactory(name="Depot roll-out", stage="proposal", amount=50000)
    OpportunityFactory(name="Pilot Oulu", stage="proposal", amount=10000)
    response = client_as(manager_user).get(reverse("crm:pipeline"))
    proposal = next(c for c in response.context["columns"] if c.stage == "proposal")
    assert proposal.count == 2
    assert proposal.total == 60000
    assert {o.name for o in proposal.opportunities} == {"Depot roll-out", "Pilot Oulu"}


def test_my_followups_split_overdue_today_and_this_week(client_as, sales_user, other_sales_user):
    today = timezone.localdate()
    FollowUpFactory(owner=sales_user, title="Overdue call back", due=today - dt.timedelta(days=2))
    FollowUpFactory(owner=sales_user, title="Send offer today", due=today)
    FollowUpFactory(owner=other_sales_user, title="Not mine", due=today)
    response = client_as(sales_user).get(reverse("crm:my_followups"))
    agenda = response.context["agenda"]
    assert [f.title for f in agenda.overdue] == ["Overdue call back"]
    assert [f.title for f in agenda.today] == ["Send offer today"]
    assert "Not mine" not in response.content.decode()


def test_marking_a_followup_done_and_undone(client_as, sales_user, other_sales_user):
    followup = FollowUpFactory(owner=sales_user)
    url = reverse("crm:followup_toggle", args=[followup.pk])
    assert client_as(other_sales_user).post(url, {"done": "1"}).status_code == 404
    client = client_as(sales_user)
    client.post(url, {"done": "1"})
    followup.refresh_from_db()
    assert followup.done_at is not None
    client.post(url, {"done": "0"}, HTTP_HX_REQUEST="true")
    followup.refresh_from_db()
    assert followup.done_at is None


def test_opportunity_moved_to_lost_needs_a_reason(client_as, sales_user):
    opportunity = OpportunityFactory(owner=sales_user)
    url = reverse("crm:opportunity_edit", args=[opportunity.pk])
    data = {
        "account": opportunity.account_id,
        "name": opportunity.name,
        "stage": "lost",
        "amount": "24000",
        "source": "marketing",
    }
    response = client_as(sales_user).post(url, data)
    assert response.status_code == 200
    assert "lost_reason" in response.context["form"].errors
    response = client_as(sales_user).post(url, {**data, "lost_reason": "Chose the incumbent."})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.closed_at is not None
    assert opportunity.stage_changes.last().to_stage == "lost"


def test_the_score_panel_guides_while_typing(client_as, sales_user):
    account = AccountFactory()
    client = client_as(sales_user)
    url = reverse("crm:conversation_score")
    vague = client.post(url, {"account": account.pk, "customer_goal": "ok"})
    assert vague.context["score"] == 0
    assert any("placeholder" in hint for hint in vague.context["hints"])
    full = client.post(url, form_data(account))
    assert full.context["score"] > 40
    assert not any("placeholder" in hint for hint in full.context["hints"])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", ["Kirjaa keskustelu", "on täyte, ei muistiinpano", "Tallenna luonnoksena"]),
        ("nl", ["Gesprek vastleggen", "is een opvuller, geen notitie", "Opslaan als concept"]),
    ],
)
def test_the_log_form_and_its_errors_speak_finnish_and_dutch(
    client_as, sales_user, language, expected
):
    html = (
        client_as(sales_user)
        .post(
            reverse("crm:conversation_create"),
            form_data(AccountFactory(), customer_goal="ok"),
            HTTP_ACCEPT_LANGUAGE=language,
        )
        .content.decode()
    )
    for text in expected:
        assert text in html


def test_the_unfiltered_lists_show_everything(client_as, marketing_user):
    ConversationFactory(customer_goal="Cut the energy bill of the drying kilns by a tenth.")
    AccountFactory(name="Rotterdam Koeltransport B.V.")
    client = client_as(marketing_user)
    assert "drying kilns" in client.get(reverse("crm:conversation_list")).content.decode()
    assert "Rotterdam Koeltransport" in client.get(reverse("crm:account_list")).content.decode()


def test_an_invalid_filter_shows_nothing_and_says_why(client_as, marketing_user):
    ConversationFactory()
    response = client_as(marketing_user).get(reverse("crm:conversation_list"), {"outcome": "nope"})
    assert list(response.context["conversations"]) == []
    assert response.context["filter"].errors


def test_the_conversation_list_counts_pages_up_to_a_cap(client_as, marketing_user, monkeypatch):
    from crm.views.common import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 30)
    ConversationFactory.create_batch(40)
    response = client_as(marketing_user).get(reverse("crm:conversation_list"))
    assert response.context["paginator"].count == 30
    assert response.context["paginator"].num_pages == 2
    assert len(response.context["conversations"]) == 25
