import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alignment.models import Campaign, CampaignBriefing
from alignment.selectors.campaigns import briefing_roster, live_campaigns
from alignment.services.campaigns import (
    acknowledge_campaign,
    create_campaign,
    publish_campaign,
    update_campaign,
)
from core.models import Notification
from tests.factories import UserFactory

from .factories import CampaignBriefingFactory, CampaignFactory, ThemeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def campaign_data(**overrides):
    return {
        "name": "Koneistamo 2026 -kampanja",
        "offer": "Free production audit with every annual licence signed in March.",
        "channel": Campaign.Channel.PRINT,
        "segment": "Finnish machine shops",
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=30),
        "budget": "12000.00",
        "spend": "0",
        "briefing": "The flyer reaches 800 machine shops on launch day.",
        **overrides,
    }


def test_marketing_creates_a_campaign_with_themes_and_links(marketing_user):
    theme = ThemeFactory(active=True)
    campaign = create_campaign(
        author=marketing_user,
        data=campaign_data(
            themes=[theme],
            attachments=[{"title": "Flyer (PDF)", "url": "https://example.com/flyer.pdf"}],
        ),
    )
    assert list(campaign.themes.all()) == [theme]
    assert [(a.title, a.url) for a in campaign.attachments.all()] == [
        ("Flyer (PDF)", "https://example.com/flyer.pdf")
    ]
    assert campaign.created_by == marketing_user
    assert campaign.published_at is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"),
        ({"budget": "-1"}, "budget"),
        ({"spend": "-0.01"}, "spend"),
        ({"spend": "lots"}, "spend"),
        ({"name": "  "}, "name"),
        ({"offer": ""}, "offer"),
        ({"channel": "telepathy"}, "channel"),
        ({"starts_on": None}, "starts_on"),
        ({"attachments": [{"title": "Deck", "url": "javascript:alert(1)"}]}, "attachments"),
        ({"attachments": [{"title": "", "url": "https://example.com"}]}, "attachments"),
    ],
)
def test_invalid_campaign_is_refused_with_a_field_error(marketing_user, overrides, field):
    with pytest.raises(ValidationError) as error:
        create_campaign(author=marketing_user, data=campaign_data(**overrides))
    assert field in error.value.message_dict
    assert not Campaign.objects.exists()


def test_same_day_campaign_is_valid(marketing_user):
    campaign = create_campaign(author=marketing_user, data=campaign_data(ends_on=TODAY))
    assert campaign.starts_on == campaign.ends_on


def test_retired_theme_cannot_be_attached(marketing_user):
    with pytest.raises(ValidationError) as error:
        create_campaign(
            author=marketing_user, data=campaign_data(themes=[ThemeFactory(retired=True)])
        )
    assert "themes" in error.value.message_dict


@pytest.mark.parametrize("role", ["sales", "frontline"])
def test_only_marketing_and_managers_write_campaigns(role):
    user = UserFactory(roles=[role])
    with pytest.raises(PermissionDenied):
        create_campaign(author=user, data=campaign_data())
    with pytest.raises(PermissionDenied):
        update_campaign(user=user, campaign=CampaignFactory(), data={"name": "Mine"})


def test_update_keeps_rules(marketing_user):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError):
        update_campaign(
            user=marketing_user,
            campaign=campaign,
            data={"ends_on": campaign.starts_on - dt.timedelta(days=1)},
        )
    update_campaign(user=marketing_user, campaign=campaign, data={"spend": "250.50"})
    campaign.refresh_from_db()
    assert str(campaign.spend) == "250.50"


def test_publishing_notifies_every_sales_user_once(
    marketing_user, sales_user, other_sales_user, frontline_user
):
    campaign = CampaignFactory()
    assert publish_campaign(user=marketing_user, campaign=campaign) == 2
    assert publish_campaign(user=marketing_user, campaign=campaign) == 0
    notified = set(
        Notification.objects.filter(kind="campaign.published").values_list(
            "user__username", flat=True
        )
    )
    assert notified == {"alice", "sven"}
    assert campaign.published_at is not None


def test_campaign_without_briefing_cannot_be_published(marketing_user):
    with pytest.raises(ValidationError) as error:
        publish_campaign(user=marketing_user, campaign=CampaignFactory(briefing=""))
    assert "briefing" in error.value.message_dict


def test_acknowledging_twice_is_harmless(sales_user):
    campaign = CampaignFactory(published=True)
    first, created = acknowledge_campaign(user=sales_user, campaign=campaign)
    again, created_again = acknowledge_campaign(user=sales_user, campaign=campaign)
    assert created and not created_again
    assert first.pk == again.pk and first.acknowledged_at == again.acknowledged_at
    assert CampaignBriefing.objects.count() == 1


def test_unpublished_campaign_cannot_be_acknowledged(sales_user):
    with pytest.raises(ValidationError):
        acknowledge_campaign(user=sales_user, campaign=CampaignFactory())


def test_marketing_does_not_acknowledge(marketing_user):
    with pytest.raises(PermissionDenied):
        acknowledge_campaign(user=marketing_user, campaign=CampaignFactory(published=True))


def test_roster_shows_who_read_it_before_and_after_launch(
    sales_user, other_sales_user, frontline_user
):
    campaign = CampaignFactory(published=True)
    early = CampaignBriefingFactory(campaign=campaign, user=sales_user)
    late = CampaignBriefingFactory(campaign=campaign, user=frontline_user)
    CampaignBriefing.objects.filter(pk=late.pk).update(
        acknowledged_at=timezone.now() + dt.timedelta(days=5)
    )
    lines = {line.user.username: line for line in briefing_roster(campaign=campaign)}
    assert lines["alice"].acknowledged_at == early.acknowledged_at
    assert lines["alice"].before_launch is True
    assert lines["frida"].before_launch is False
    assert lines["sven"].acknowledged_at is None and lines["sven"].before_launch is None


def test_live_now_shows_published_running_and_soon_starting_campaigns(sales_user):
    today = timezone.localdate()
    running = CampaignFactory(live=True)
    soon = CampaignFactory(published=True, starts_on=today + dt.timedelta(days=5))
    CampaignFactory(published=True, starts_on=today + dt.timedelta(days=30))
    CampaignFactory(
        live=True, ends_on=today - dt.timedelta(days=1), starts_on=today - dt.timedelta(days=9)
    )
    CampaignFactory(starts_on=today)  # a draft
    assert set(live_campaigns(user=sales_user)) == {running, soon}


def test_unread_briefings_are_reminded_once_near_launch(sales_user, other_sales_user):
    from alignment.services.campaigns import remind_unread_briefings

    today = timezone.localdate()
    soon = CampaignFactory(published=True, starts_on=today + dt.timedelta(days=2))
    CampaignFactory(published=True, starts_on=today + dt.timedelta(days=20))  # too early
    CampaignFactory(starts_on=today)  # draft
    CampaignBriefingFactory(campaign=soon, user=sales_user)
    assert remind_unread_briefings() == 1
    assert remind_unread_briefings() == 0
    reminder = Notification.objects.get(kind="campaign.briefing_reminder")
    assert reminder.user == other_sales_user


def test_changing_a_published_briefing_tells_sales_once_per_version(marketing_user, sales_user):
    campaign = CampaignFactory(published=True)
    update_campaign(user=marketing_user, campaign=campaign, data={"spend": "100"})
    assert not Notification.objects.filter(kind="campaign.updated").exists()
    update_campaign(user=marketing_user, campaign=campaign, data={"briefing": "New: ask about Q3."})
    update_campaign(user=marketing_user, campaign=campaign, data={"briefing": "New: ask about Q3."})
    assert Notification.objects.filter(user=sales_user, kind="campaign.updated").count() == 1
    update_campaign(user=marketing_user, campaign=campaign, data={"offer": "Now 20 % off."})
    assert Notification.objects.filter(user=sales_user, kind="campaign.updated").count() == 2


def test_editing_a_draft_tells_nobody(marketing_user, sales_user):
    campaign = CampaignFactory()
    update_campaign(user=marketing_user, campaign=campaign, data={"briefing": "Changed."})
    assert not Notification.objects.exists()
