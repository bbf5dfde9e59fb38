import pytest

from alignment.models import Campaign, CampaignBriefing, Theme

from .factories import CampaignBriefingFactory, CampaignFactory, ThemeApprovalFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CAMPAIGN = {
    "name": "Voorjaarsactie MKB",
    "offer": "Gratis implementatie bij een jaarcontract voor 1 april.",
    "channel": "email",
    "segment": "Dutch SME wholesale",
    "starts_on": "2026-04-01",
    "ends_on": "2026-04-30",
    "budget": "8000.00",
    "spend": "1200.00",
    "briefing": "Mailing goes to 3,000 wholesalers; expect questions about the free implementation.",
    "themes": [],
}


def test_two_sided_approval_through_the_api(api_as, marketing_user, sales_user):
    theme = ThemeFactory()
    first = api_as(marketing_user).post(f"/api/themes/{theme.pk}/approve/")
    assert first.status_code == 200 and first.json()["status"] == "proposed"
    again = api_as(marketing_user).post(f"/api/themes/{theme.pk}/approve/")
    assert again.json()["status"] == "proposed"
    second = api_as(sales_user).post(f"/api/themes/{theme.pk}/approve/")
    assert second.json()["status"] == "active"
    assert {a["side"] for a in second.json()["approvals"]} == {"marketing", "sales"}


def test_api_refuses_the_wrong_side_with_a_field_error(api_as, sales_user):
    theme = ThemeFactory()
    response = api_as(sales_user).post(f"/api/themes/{theme.pk}/approve/", {"side": "marketing"})
    assert response.status_code == 400
    assert "side" in response.json()


def test_status_cannot_be_written_by_clients(api_as, sales_user):
    response = api_as(sales_user).post(
        "/api/themes/",
        {
            "title": "Energy prices",
            "insight": "Energy now costs more than labour in drying.",
            "status": "active",
        },
    )
    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
    assert Theme.objects.get().proposed_by == sales_user


def test_theme_list_filters_by_status_and_searches(api_as, sales_user):
    ThemeFactory(title="Downtime costs", active=True)
    ThemeFactory(title="Energy prices")
    body = api_as(sales_user).get("/api/themes/", {"status": "active"}).json()
    assert [t["title"] for t in body["results"]] == ["Downtime costs"]
    body = api_as(sales_user).get("/api/themes/", {"search": "energy"}).json()
    assert [t["title"] for t in body["results"]] == ["Energy prices"]
    assert body["results"][0]["conversation_count"] == 0


@pytest.mark.parametrize(
    ("role", "read", "write", "retire"),
    [
        ("sales", 200, 201, 403),
        ("marketing", 200, 201, 200),
        ("manager", 200, 201, 200),
        ("frontline", 403, 403, 403),
        ("outsider", 403, 403, 403),
        ("anonymous", 401, 401, 401),
    ],
)
def test_theme_api_role_checks(api_as, role_users, role, read, write, retire):
    client = api_as(role_users[role])
    theme = ThemeFactory()
    assert client.get("/api/themes/").status_code == read
    data = {"title": "Quote speed", "insight": "Customers buy from whoever answers first today."}
    assert client.post("/api/themes/", data).status_code == write
    assert client.post(f"/api/themes/{theme.pk}/retire/").status_code == retire


def test_marketing_creates_and_publishes_a_campaign(api_as, marketing_user, sales_user):
    theme = ThemeFactory(active=True)
    client = api_as(marketing_user)
    response = client.post(
        "/api/campaigns/",
        {
            **CAMPAIGN,
            "themes": [theme.pk],
            "attachments": [{"title": "Deck", "url": "https://example.com/deck"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["themes"] == [theme.pk] and body["published_at"] is None
    assert body["attachments"] == [{"title": "Deck", "url": "https://example.com/deck"}]
    published = client.post(f"/api/campaigns/{body['id']}/publish/")
    assert published.json()["notified"] == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-03-31"}, "ends_on"),
        ({"spend": "-5"}, "spend"),
        ({"budget": "-1"}, "budget"),
    ],
)
def test_campaign_validation_errors_are_keyed_by_field(api_as, marketing_user, overrides, field):
    response = api_as(marketing_user).post("/api/campaigns/", {**CAMPAIGN, **overrides})
    assert response.status_code == 400
    assert field in response.json()
    assert not Campaign.objects.exists()


def test_acknowledge_is_idempotent_over_the_api(api_as, sales_user):
    campaign = CampaignFactory(published=True)
    client = api_as(sales_user)
    first = client.post(f"/api/campaigns/{campaign.pk}/acknowledge/")
    second = client.post(f"/api/campaigns/{campaign.pk}/acknowledge/")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["acknowledged_at"] == second.json()["acknowledged_at"]
    assert CampaignBriefing.objects.filter(campaign=campaign).count() == 1
    assert client.get(f"/api/campaigns/{campaign.pk}/").json()["acknowledged_by_me"] is True


def test_draft_campaigns_are_hidden_from_sales(api_as, sales_user, marketing_user):
    draft = CampaignFactory()
    CampaignFactory(published=True)
    assert api_as(sales_user).get("/api/campaigns/").json()["count"] == 1
    assert api_as(sales_user).post(f"/api/campaigns/{draft.pk}/acknowledge/").status_code == 404
    assert api_as(marketing_user).get("/api/campaigns/").json()["count"] == 2


@pytest.mark.parametrize(
    ("role", "read", "write", "acknowledge", "roster"),
    [
        ("sales", 200, 403, 201, 403),
        ("marketing", 200, 201, 403, 200),
        ("manager", 200, 201, 201, 200),
        ("frontline", 200, 403, 201, 403),
        ("outsider", 403, 403, 403, 403),
        ("anonymous", 401, 401, 401, 401),
    ],
)
def test_campaign_api_role_checks(api_as, role_users, role, read, write, acknowledge, roster):
    client = api_as(role_users[role])
    campaign = CampaignFactory(published=True)
    assert client.get("/api/campaigns/").status_code == read
    assert client.post("/api/campaigns/", CAMPAIGN).status_code == write
    assert client.post(f"/api/campaigns/{campaign.pk}/acknowledge/").status_code == acknowledge
    assert client.get(f"/api/campaigns/{campaign.pk}/acknowledgements/").status_code == roster


def test_roster_endpoint_lists_who_has_and_has_not(
    api_as, marketing_user, sales_user, other_sales_user
):
    campaign = CampaignFactory(published=True)
    CampaignBriefingFactory(campaign=campaign, user=sales_user)
    lines = api_as(marketing_user).get(f"/api/campaigns/{campaign.pk}/acknowledgements/").json()
    by_user = {line["user_id"]: line for line in lines}
    assert by_user[sales_user.pk]["before_launch"] is True
    assert by_user[other_sales_user.pk]["acknowledged_at"] is None


def test_campaign_list_has_constant_queries(api_as, marketing_user, django_assert_max_num_queries):
    for _ in range(5):
        campaign = CampaignFactory(published=True, themes=[ThemeFactory()])
        CampaignBriefingFactory(campaign=campaign)
    client = api_as(marketing_user)
    with django_assert_max_num_queries(8):
        assert client.get("/api/campaigns/").json()["count"] == 5


def test_theme_list_has_constant_queries(api_as, marketing_user, django_assert_max_num_queries):
    for _ in range(5):
        ThemeApprovalFactory()
    with django_assert_max_num_queries(6):
        assert api_as(marketing_user).get("/api/themes/").json()["count"] == 5


def test_theme_usage_endpoint(api_as, marketing_user, frontline_user):
    from .factories import ConversationFactory

    theme = ThemeFactory(active=True)
    ConversationFactory(theme=theme, outcome="won", customer_reaction="Signed after the demo.")
    body = api_as(marketing_user).get(f"/api/themes/{theme.pk}/usage/").json()
    assert body["total"] == 1
    assert body["outcomes"] == [{"outcome": "won", "count": 1}]
    assert body["reactions"][0]["customer_reaction"] == "Signed after the demo."
    assert api_as(frontline_user).get(f"/api/themes/{theme.pk}/usage/").status_code == 403
