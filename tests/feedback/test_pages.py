"""Feedback pages: who may open them, answering on the page, triage, participation."""

import pytest
from django.urls import reverse

from feedback.models import Action, FeedbackEntry, RoundParticipant
from tests.alignment.factories import ThemeFactory
from tests.factories import UserFactory

from .factories import ActionFactory, add_participants, make_entry

ANSWER = {"sales", "marketing", "manager", "frontline"}
MANAGE = {"marketing", "manager"}
RUN = {"manager"}


def page_urls(month: str, action_pk: int) -> list[tuple[str, set]]:
    return [
        (reverse("feedback:home"), ANSWER),
        (reverse("feedback:round", args=[month]), ANSWER),
        (reverse("feedback:triage", args=[month]), MANAGE),
        (reverse("feedback:meeting", args=[month]), MANAGE),
        (reverse("feedback:report", args=[month]), MANAGE),
        (reverse("feedback:report-csv", args=[month]), MANAGE),
        (reverse("feedback:actions"), MANAGE),
        (reverse("feedback:action", args=[action_pk]), MANAGE),
        (reverse("feedback:participation", args=[month]), RUN),
    ]


@pytest.mark.parametrize(
    "role", ["sales", "marketing", "manager", "frontline", "outsider", "anonymous"]
)
def test_role_checks_on_every_page(client, role_users, open_round, role):
    action = ActionFactory(round=open_round)
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    for url, allowed in page_urls(open_round.month, action.pk):
        status = client.get(url).status_code
        if role == "anonymous":
            assert status == 302, url
        else:
            assert status == (200 if role in allowed else 403), (url, status)


@pytest.mark.parametrize("role", ["sales", "marketing", "frontline"])
def test_only_managers_close_rounds(client, role_users, open_round, role):
    client.force_login(role_users[role])
    assert client.post(reverse("feedback:close-round", args=[open_round.month])).status_code == 403
    open_round.refresh_from_db()
    assert open_round.is_open


@pytest.mark.parametrize("role", ["sales", "frontline"])
def test_answerers_cannot_triage_or_make_actions(
    client, role_users, open_round, frontline_user, role
):
    entry = make_entry(open_round, frontline_user)
    client.force_login(role_users[role])
    assert (
        client.post(reverse("feedback:triage-entry", args=[entry.pk]), {"tags": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("feedback:action-create"), {"round": open_round.month, "title": "x"}
        ).status_code
        == 403
    )
    assert not Action.objects.exists()


def test_answering_with_htmx_saves_and_offers_the_next_entry(
    client, answering_round, frontline_user
):
    client.force_login(frontline_user)
    url = reverse("feedback:answer", args=[answering_round.month])
    response = client.post(
        url,
        {"kind": "good", "text": "A customer thanked us for calling back within the hour."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="answer-area"' in html and "<html" not in html
    assert 'data-testid="saved-note"' in html
    assert "A customer thanked us for calling back within the hour." in html
    entry = FeedbackEntry.objects.get()
    assert entry.author == frontline_user and not entry.anonymous
    assert RoundParticipant.objects.get(round=answering_round, user=frontline_user).answered


def test_answer_errors_are_shown_on_the_field(client, answering_round, frontline_user):
    client.force_login(frontline_user)
    response = client.post(
        reverse("feedback:answer", args=[answering_round.month]),
        {"kind": "bad", "text": "meh"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Please write at least 4 words" in html
    assert not FeedbackEntry.objects.exists()


def test_answer_without_htmx_redirects_back_to_the_round(client, answering_round, frontline_user):
    client.force_login(frontline_user)
    response = client.post(
        reverse("feedback:answer", args=[answering_round.month]),
        {
            "kind": "idea",
            "text": "Print the invoice number on the parcel label too.",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    assert FeedbackEntry.objects.get().anonymous


def test_account_is_found_by_name(client, answering_round, frontline_user):
    from crm.models import Account

    account = Account.objects.create(name="Kesko Oyj")
    Account.objects.create(name="Valio Oy")
    client.force_login(frontline_user)
    url = reverse("feedback:answer", args=[answering_round.month])
    text = "The buyer asked for a single monthly invoice instead of many."
    client.post(url, {"kind": "idea", "text": text, "account": "kesko"})
    assert FeedbackEntry.objects.get().account == account
    response = client.post(
        url, {"kind": "idea", "text": text, "account": "Oy"}, HTTP_HX_REQUEST="true"
    )
    assert "No single customer account matches" in response.content.decode()


def test_participant_withdraws_own_entry(client, answering_round, frontline_user, sales_user):
    mine = make_entry(answering_round, frontline_user)
    theirs = make_entry(answering_round, sales_user)
    client.force_login(frontline_user)
    assert (
        client.post(
            reverse("feedback:withdraw", args=[answering_round.month, theirs.pk])
        ).status_code
        == 403
    )
    client.post(reverse("feedback:withdraw", args=[answering_round.month, mine.pk]))
    assert list(FeedbackEntry.objects.all()) == [theirs]


def test_triage_groups_searches_tags_and_links_themes(client, open_round, crowd, marketing_user):
    theme = ThemeFactory(active=True, title="Proactive delivery updates")
    make_entry(
        open_round,
        crowd[0],
        kind="bad",
        category="delivery",
        text="The truck came a day late without any notice to the customer.",
    )
    make_entry(
        open_round,
        crowd[1],
        kind="good",
        category="support",
        text="Support fixed the login problem during the first call.",
    )
    entry = FeedbackEntry.objects.get(kind="bad")
    client.force_login(marketing_user)
    url = reverse("feedback:triage", args=[open_round.month])

    html = client.get(url).content.decode()
    assert html.index("login problem") < html.index("truck")  # good before bad
    assert "Delivery and installation" in html and "Customer service and support" in html
    assert "truck" not in client.get(url, {"q": "login"}).content.decode()

    response = client.post(
        reverse("feedback:triage-entry", args=[entry.pk]),
        {"tags": "late delivery, logistics", "themes": [theme.pk], "category": "delivery"},
        HTTP_HX_REQUEST="true",
    )
    assert "#late delivery" in response.content.decode()
    assert list(entry.themes.all()) == [theme]
    assert "truck" in client.get(url, {"tag": "logistics"}).content.decode()
    by_theme = client.get(url, {"theme": theme.pk}).content.decode()
    assert "truck" in by_theme and "login problem" not in by_theme


def test_triage_page_queries_do_not_grow_with_entries(
    client, open_round, crowd, manager_user, django_assert_max_num_queries
):
    for person in crowd:
        make_entry(open_round, person)
    client.force_login(manager_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("feedback:triage", args=[open_round.month]))
    for person in crowd:
        make_entry(open_round, person, kind="idea")
    with django_assert_max_num_queries(20):
        client.get(reverse("feedback:triage", args=[open_round.month]))


def test_participation_is_live_and_hides_small_groups(client, open_round, crowd, manager_user):
    sales = [UserFactory(roles=["sales"]) for _ in range(2)]
    add_participants(open_round, *crowd, *sales)
    for person in crowd[:3]:
        make_entry(open_round, person)
    client.force_login(manager_user)
    url = reverse("feedback:participation", args=[open_round.month])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 30s"' in html
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "fewer than 5 people" in partial  # the two sales people
    assert ">3<" in partial and ">5<" in partial  # answered, not yet
    for person in crowd:
        assert person.username not in partial


def test_home_lists_rounds_and_offers_managers_the_open_button(
    client, open_round, manager_user, frontline_user
):
    client.force_login(frontline_user)
    html = client.get(reverse("feedback:home")).content.decode()
    assert "Answer the round" in html
    assert reverse("feedback:open-round") not in html
    client.force_login(manager_user)
    assert reverse("feedback:open-round") in client.get(reverse("feedback:home")).content.decode()


def test_menu_entries_follow_capabilities(client, frontline_user, marketing_user):
    client.force_login(frontline_user)
    html = client.get("/").content.decode()
    assert reverse("feedback:home") in html and reverse("feedback:actions") not in html
    client.force_login(marketing_user)
    assert reverse("feedback:actions") in client.get("/").content.decode()


@pytest.mark.parametrize("url_name", ["feedback:round", "feedback:report", "feedback:meeting"])
def test_round_pages_do_not_grow_queries_with_entries(
    client, open_round, crowd, manager_user, django_assert_max_num_queries, url_name
):
    def fill():
        for person in crowd:
            entry = make_entry(open_round, person, kind="idea")
            ActionFactory(round=open_round, owner=manager_user, entries=[entry])

    client.force_login(manager_user)
    fill()
    with django_assert_max_num_queries(30) as first:
        assert client.get(reverse(url_name, args=[open_round.month])).status_code == 200
    fill()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse(url_name, args=[open_round.month]))


def test_action_list_does_not_grow_queries(
    client, open_round, manager_user, django_assert_max_num_queries
):
    for _ in range(3):
        ActionFactory(round=open_round, owner=manager_user)
    client.force_login(manager_user)
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("feedback:actions"))
    for _ in range(5):
        ActionFactory(round=open_round, owner=UserFactory(roles=["marketing"]))
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(reverse("feedback:actions")).content.decode()
    assert html.count('href="/feedback/actions/') >= 8


def test_unknown_rounds_and_entries_answer_404_after_the_role_check(
    client, manager_user, frontline_user
):
    client.force_login(frontline_user)
    assert client.get("/feedback/rounds/not-a-month/triage/").status_code == 403
    client.force_login(manager_user)
    assert client.get("/feedback/rounds/not-a-month/triage/").status_code == 404
    assert client.get("/feedback/rounds/2031-01/report/").status_code == 404
    assert client.post("/feedback/entries/not-a-uuid/triage/").status_code == 404


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", ["Avoinna", "Lähetä nimettömänä", "Huono kokemus"]),
        ("nl", ["Anoniem versturen", "Slechte ervaring"]),
    ],
)
def test_round_page_speaks_finnish_and_dutch(
    client, answering_round, frontline_user, language, words
):
    client.force_login(frontline_user)
    client.cookies["django_language"] = language
    html = client.get(reverse("feedback:round", args=[answering_round.month])).content.decode()
    for word in words:
        assert word in html


def test_triage_pages_through_large_rounds(client, open_round, crowd, manager_user, monkeypatch):
    from feedback.views.manage import TriageView

    monkeypatch.setattr(TriageView, "paginate_by", 4)
    for person in crowd:
        make_entry(open_round, person)
    client.force_login(manager_user)
    url = reverse("feedback:triage", args=[open_round.month])
    first = client.get(url, {"kind": "bad"}).content.decode()
    second = client.get(url, {"kind": "bad", "page": 2}).content.decode()
    assert first.count('data-testid="triage-entry"') == 4
    assert second.count('data-testid="triage-entry"') == 2
    assert "?kind=bad&amp;page=2" in first
