import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment.selectors.usage import theme_usage
from core.models import Notification
from core.roles import users_with_role
from crm.signals import conversation_logged
from tests.factories import UserFactory

from .factories import CampaignFactory, ConversationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def announce(conversation, created=True):
    conversation_logged.send(sender=type(conversation), conversation=conversation, created=created)


def test_unaware_mention_notifies_every_marketer_at_once(marketing_user, sales_user):
    other_marketer = UserFactory(roles=["marketing"])
    campaign = CampaignFactory(published=True, name="Nopeampi tarjous")
    conversation = ConversationFactory(campaign=campaign, campaign_known_to_rep=False)
    announce(conversation)
    notes = Notification.objects.filter(kind="campaign.unaware_mention")
    everyone_in_marketing = set(users_with_role("marketing"))
    assert {marketing_user, other_marketer} <= everyone_in_marketing
    assert {n.user for n in notes} == everyone_in_marketing
    assert "Nopeampi tarjous" in notes.first().subject
    assert not Notification.objects.filter(
        user=sales_user, kind="campaign.unaware_mention"
    ).exists()


def test_saving_the_same_conversation_again_does_not_notify_twice(marketing_user):
    conversation = ConversationFactory(
        campaign=CampaignFactory(published=True), campaign_known_to_rep=False
    )
    announce(conversation)
    announce(conversation, created=False)
    notes = Notification.objects.filter(kind="campaign.unaware_mention")
    assert notes.count() == users_with_role("marketing").count() == 2


@pytest.mark.parametrize("known", [True, None])
def test_known_campaign_or_no_campaign_is_not_an_unaware_mention(marketing_user, known):
    campaign = CampaignFactory(published=True) if known else None
    announce(ConversationFactory(campaign=campaign, campaign_known_to_rep=bool(known)))
    assert not Notification.objects.filter(kind="campaign.unaware_mention").exists()


def test_an_edit_that_adds_an_unknown_campaign_notifies(marketing_user):
    conversation = ConversationFactory()
    announce(conversation)
    conversation.campaign = CampaignFactory(published=True)
    conversation.campaign_known_to_rep = False
    conversation.save()
    announce(conversation, created=False)
    notes = Notification.objects.filter(kind="campaign.unaware_mention")
    assert notes.count() == users_with_role("marketing").count() == 2


def test_crm_service_triggers_the_notification_after_commit(
    marketing_user, sales_user, django_capture_on_commit_callbacks
):
    from crm.services.conversations import log_conversation

    campaign = CampaignFactory(published=True)
    conversation = ConversationFactory.build()
    conversation.account.save()
    with django_capture_on_commit_callbacks(execute=True):
        log_conversation(
            author=sales_user,
            data={
                "account": conversation.account,
                "occurred_at": timezone.now() - dt.timedelta(hours=1),
                "customer_goal": "Halve the time they spend on quoting machined parts.",
                "campaign": campaign,
                "campaign_known_to_rep": False,
                "status": "draft",
            },
        )
    assert Notification.objects.filter(
        user=marketing_user, kind="campaign.unaware_mention"
    ).exists()


def test_mentions_page_lists_them_for_marketing(client, marketing_user, sales_user):
    campaign = CampaignFactory(published=True, name="Energiaviikot")
    mention = ConversationFactory(campaign=campaign, campaign_known_to_rep=False)
    ConversationFactory(campaign=campaign, campaign_known_to_rep=True)
    client.force_login(marketing_user)
    response = client.get(reverse("alignment:mentions"))
    assert list(response.context["mentions"]) == [mention]
    assert response.context["by_campaign"][0]["n"] == 1
    client.force_login(sales_user)
    assert client.get(reverse("alignment:mentions")).status_code == 403


def test_theme_usage_counts_outcomes_reactions_and_months(sales_user):
    theme = ThemeFactory(active=True)
    now = timezone.now()
    last_month = now.replace(day=1) - dt.timedelta(days=2)
    ConversationFactory(theme=theme, outcome="advanced", occurred_at=now - dt.timedelta(hours=1))
    ConversationFactory(theme=theme, outcome="advanced", occurred_at=last_month)
    ConversationFactory(
        theme=theme, outcome="lost", occurred_at=last_month, customer_reaction="Not convinced."
    )
    ConversationFactory(outcome="won")  # another theme's conversation
    usage = theme_usage(theme=theme)
    assert usage["total"] == 3
    assert {r["outcome"]: r["count"] for r in usage["outcomes"]} == {"advanced": 2, "lost": 1}
    assert [r["count"] for r in usage["trend"]] == [2, 1]
    assert usage["trend"][-1]["month"] == timezone.localtime(now).strftime("%Y-%m")
    reactions = [c.customer_reaction for c in usage["reactions"]]
    assert len(reactions) == 3 and reactions[1] == "Not convinced."  # newest first


def test_theme_page_shows_usage(client, sales_user):
    theme = ThemeFactory(active=True)
    ConversationFactory(theme=theme, customer_reaction="They asked for the benchmark data.")
    client.force_login(sales_user)
    html = client.get(reverse("alignment:theme-detail", args=[theme.pk])).content.decode()
    assert "They asked for the benchmark data." in html
    assert 'id="theme-trend"' in html
