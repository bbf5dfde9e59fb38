import pytest
from django.urls import reverse

from alignment.models import Campaign, Theme
from core.models import Notification

from .factories import CampaignBriefingFactory, CampaignFactory, ServiceLevelFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def page_urls():
    theme = ThemeFactory()
    campaign = CampaignFactory(published=True)
    level = ServiceLevelFactory()
    return {
        "themes": (reverse("alignment:themes"), "theme.propose"),
        "theme-detail": (reverse("alignment:theme-detail", args=[theme.pk]), "theme.propose"),
        "theme-create": (reverse("alignment:theme-create"), "theme.propose"),
        "live": (reverse("alignment:live-now"), "campaign.read"),
        "campaigns": (reverse("alignment:campaigns"), "campaign.manage"),
        "campaign-create": (reverse("alignment:campaign-create"), "campaign.manage"),
        "campaign-edit": (
            reverse("alignment:campaign-edit", args=[campaign.pk]),
            "campaign.manage",
        ),
        "campaign-detail": (
            reverse("alignment:campaign-detail", args=[campaign.pk]),
            "campaign.read",
        ),
        "service-levels": (reverse("alignment:service-levels"), "servicelevel.manage"),
        "service-level-edit": (
            reverse("alignment:service-level-edit", args=[level.pk]),
            "servicelevel.manage",
        ),
    }


@pytest.mark.parametrize(
    "role", ["sales", "marketing", "manager", "frontline", "outsider", "anonymous"]
)
def test_pages_answer_by_capability(client, role_users, role):
    from core.roles import can

    user = role_users[role]
    if user:
        client.force_login(user)
    for name, (url, capability) in page_urls().items():
        response = client.get(url)
        if user is None:
            assert response.status_code == 302, name
        else:
            expected = 200 if can(user, capability) else 403
            assert response.status_code == expected, (name, role)


def test_marketer_creates_campaign_through_the_form_and_sees_date_error(client, marketing_user):
    client.force_login(marketing_user)
    data = {
        "name": "Kevätkampanja",
        "offer": "Free onboarding with an annual licence.",
        "channel": "email",
        "starts_on": "2026-05-10",
        "ends_on": "2026-05-01",
        "budget": "1000",
        "spend": "0",
        "attachments": "Flyer | https://example.com/flyer.pdf",
    }
    response = client.post(reverse("alignment:campaign-create"), data)
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    response = client.post(reverse("alignment:campaign-create"), {**data, "ends_on": "2026-05-31"})
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("alignment:campaign-detail", args=[campaign.pk])
    assert campaign.attachments.get().url == "https://example.com/flyer.pdf"


def test_publish_and_roster_on_the_campaign_page(
    client, marketing_user, sales_user, other_sales_user
):
    campaign = CampaignFactory()
    client.force_login(marketing_user)
    client.post(reverse("alignment:campaign-publish", args=[campaign.pk]))
    assert Notification.objects.filter(kind="campaign.published").count() == 2
    CampaignBriefingFactory(campaign=campaign, user=sales_user)
    html = client.get(reverse("alignment:campaign-detail", args=[campaign.pk])).content.decode()
    assert "1 of 2 have acknowledged it." in html
    assert "before launch" in html and "not yet" in html


def test_rep_acknowledges_from_live_now(client, sales_user):
    campaign = CampaignFactory(live=True, name="Nopeampi tarjous")
    client.force_login(sales_user)
    html = client.get(reverse("alignment:live-now")).content.decode()
    assert "Nopeampi tarjous" in html and "I have read the briefing" in html
    response = client.post(
        reverse("alignment:campaign-acknowledge", args=[campaign.pk]),
        {"next": reverse("alignment:live-now")},
    )
    assert response["Location"] == reverse("alignment:live-now")
    assert campaign.briefings.filter(user=sales_user).exists()
    assert (
        "You have read the briefing" in client.get(reverse("alignment:live-now")).content.decode()
    )


def test_theme_approval_buttons_drive_the_two_sides(client, marketing_user, sales_user):
    theme = ThemeFactory()
    client.force_login(marketing_user)
    client.post(reverse("alignment:theme-approve", args=[theme.pk]))
    client.force_login(sales_user)
    client.post(reverse("alignment:theme-approve", args=[theme.pk]))
    theme.refresh_from_db()
    assert theme.status == Theme.Status.ACTIVE


def test_sales_rep_proposes_a_theme_through_the_form(client, sales_user):
    client.force_login(sales_user)
    response = client.post(
        reverse("alignment:theme-create"),
        {
            "title": "Rush orders eat margin",
            "insight": "Rush orders at list price lose money every time.",
        },
    )
    theme = Theme.objects.get()
    assert response["Location"] == reverse("alignment:theme-detail", args=[theme.pk])
    assert theme.proposed_by == sales_user


def test_other_reps_cannot_edit_someone_elses_proposal(client, other_sales_user, sales_user):
    theme = ThemeFactory(proposed_by=sales_user)
    client.force_login(other_sales_user)
    assert client.get(reverse("alignment:theme-edit", args=[theme.pk])).status_code == 403


def test_service_level_form_refuses_zero_target(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("alignment:service-level-create"),
        {"name": "Leads in a day", "kind": "lead_response", "target": "0", "active": "on"},
    )
    assert response.status_code == 200
    response = client.post(
        reverse("alignment:service-level-create"),
        {"name": "Leads in a day", "kind": "lead_response", "target": "24", "active": "on"},
    )
    assert response.status_code == 302


def test_campaign_page_counts_unaware_mentions(client, marketing_user):
    from .factories import ConversationFactory

    campaign = CampaignFactory(published=True)
    ConversationFactory(campaign=campaign, campaign_known_to_rep=False)
    ConversationFactory(campaign=campaign, campaign_known_to_rep=True)
    client.force_login(marketing_user)
    html = client.get(reverse("alignment:campaign-detail", args=[campaign.pk])).content.decode()
    assert "1 customer mentioned it to a rep who had not heard of it." in html


@pytest.mark.parametrize(
    "url_name",
    [
        "alignment:feed",
        "alignment:live-now",
        "alignment:campaigns",
        "alignment:themes",
        "alignment:mentions",
    ],
)
def test_list_pages_do_not_grow_queries_with_rows(client, marketing_user, url_name):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alignment.services import insights

    from .factories import ConversationFactory

    def add_rows(n):
        for _ in range(n):
            campaign = CampaignFactory(live=True, themes=[ThemeFactory(active=True)])
            conversation = ConversationFactory(
                objections=["price"],
                theme=ThemeFactory(active=True),
                campaign=campaign,
                campaign_known_to_rep=False,
            )
            insights.set_tags(user=marketing_user, conversation=conversation, tags="pricing")
            insights.ask_rep(
                user=marketing_user,
                conversation=conversation,
                question="Which price did they expect?",
            )

    client.force_login(marketing_user)
    counts = []
    for n in (1, 4):
        add_rows(n)
        cache.clear()  # measure cached figures (the feed's summaries) being computed too
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_theme_list_counts_use_and_detail_lists_campaigns(client, sales_user):
    from .factories import ConversationFactory

    theme = ThemeFactory(active=True, title="Hidden cost of manual quoting")
    ConversationFactory(theme=theme)
    ConversationFactory(theme=theme)
    CampaignFactory(published=True, name="Nopeampi tarjous", themes=[theme])
    CampaignFactory(name="Draft idea", themes=[theme])
    client.force_login(sales_user)
    html = client.get(reverse("alignment:themes"), {"q": "manual"}).content.decode()
    assert "used in 2 conversations" in html
    detail = client.get(reverse("alignment:theme-detail", args=[theme.pk])).content.decode()
    assert "Nopeampi tarjous" in detail and "Draft idea" not in detail
