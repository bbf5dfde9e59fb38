"""The feedback API: rounds, entries (own vs all), actions, with role checks."""

import pytest

from feedback.models import Action, FeedbackEntry, FeedbackRound
from tests.alignment.factories import ThemeFactory

from .factories import make_entry

ROLES = ["sales", "marketing", "manager", "frontline", "outsider", "anonymous"]


@pytest.mark.parametrize(
    ("endpoint", "readers"),
    [
        ("/api/feedback/rounds/", {"sales", "marketing", "manager", "frontline"}),
        ("/api/feedback/entries/", {"sales", "marketing", "manager", "frontline"}),
        ("/api/feedback/actions/", {"marketing", "manager"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_read(api_as, role_users, endpoint, readers, role):
    response = api_as(role_users[role]).get(endpoint)
    expected = 200 if role in readers else (401 if role == "anonymous" else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["sales", "marketing", "frontline"])
def test_only_managers_open_rounds_through_the_api(api_as, role_users, role):
    assert (
        api_as(role_users[role]).post("/api/feedback/rounds/", {"month": "2026-11"}).status_code
        == 403
    )


def test_manager_opens_a_round_once_and_closes_it(api_as, manager_user, frontline_user):
    client = api_as(manager_user)
    first = client.post("/api/feedback/rounds/", {"month": "2026-11"})
    second = client.post("/api/feedback/rounds/", {"month": "2026-11"})
    assert (first.status_code, second.status_code) == (201, 200)
    body = first.json()
    assert body["month"] == "2026-11" and body["status"] == "open"
    assert {"opens_at", "closes_at", "participants"} <= body.keys()
    assert client.post("/api/feedback/rounds/", {"month": "26-11"}).json()["month"]
    closed = client.post(f"/api/feedback/rounds/{body['id']}/close/")
    assert closed.json()["status"] == "closed"
    assert FeedbackRound.objects.get().report is not None


def test_participant_writes_an_entry_and_reads_only_their_own(
    api_as, answering_round, frontline_user, sales_user
):
    theme = ThemeFactory(active=True)
    make_entry(answering_round, sales_user)
    client = api_as(frontline_user)
    response = client.post(
        "/api/feedback/entries/",
        {
            "round": answering_round.pk,
            "kind": "idea",
            "text": "Add the technician's phone number to the visit confirmation.",
            "anonymous": True,
            "category": "delivery",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["author"] is None and created["mine"] is True
    assert created["themes"] == [theme.pk] and created["account"] is None

    listing = client.get("/api/feedback/entries/").json()
    assert [row["id"] for row in listing["results"]] == [created["id"]]


def test_vague_entry_is_refused_with_field_errors(api_as, answering_round, frontline_user):
    response = api_as(frontline_user).post(
        "/api/feedback/entries/", {"round": answering_round.pk, "kind": "bad", "text": "ok"}
    )
    assert response.status_code == 400
    assert "text" in response.json()


def test_entries_to_a_closed_round_are_refused(api_as, previous_round, frontline_user):
    response = api_as(frontline_user).post(
        "/api/feedback/entries/",
        {
            "round": previous_round.pk,
            "kind": "good",
            "text": "The customer loved the new invoice layout.",
        },
    )
    assert response.status_code == 400
    assert "round" in response.json()


def test_marketing_reads_all_entries_and_triages(
    api_as, answering_round, frontline_user, sales_user, marketing_user
):
    make_entry(answering_round, frontline_user, anonymous=True)
    named = make_entry(answering_round, sales_user)
    client = api_as(marketing_user)
    listing = client.get("/api/feedback/entries/", {"month": "2026-11"}).json()
    assert listing["count"] == 2
    assert {row["author"] for row in listing["results"]} == {None, sales_user.pk}
    response = client.post(
        f"/api/feedback/entries/{named.pk}/triage/",
        {"tags": ["Delivery", "invoice"], "category": "billing"},
    )
    assert response.json()["tags"] == ["delivery", "invoice"]
    assert client.get("/api/feedback/entries/", {"tag": "delivery"}).json()["count"] == 1


def test_participant_edits_and_withdraws_own_entry_but_not_others(
    api_as, answering_round, frontline_user, sales_user
):
    mine = make_entry(answering_round, frontline_user, anonymous=True)
    theirs = make_entry(answering_round, sales_user)
    client = api_as(frontline_user)
    response = client.patch(f"/api/feedback/entries/{mine.pk}/", {"kind": "good"})
    assert response.status_code == 200 and response.json()["kind"] == "good"
    assert client.patch(f"/api/feedback/entries/{theirs.pk}/", {"kind": "good"}).status_code == 404
    assert client.delete(f"/api/feedback/entries/{mine.pk}/").status_code == 204
    assert not FeedbackEntry.objects.filter(pk=mine.pk).exists()


def test_manager_cannot_edit_someone_elses_entry(
    api_as, answering_round, frontline_user, manager_user
):
    entry = make_entry(answering_round, frontline_user)
    response = api_as(manager_user).patch(
        f"/api/feedback/entries/{entry.pk}/", {"text": "changed by the boss, not ok"}
    )
    assert response.status_code == 403
    assert api_as(manager_user).delete(f"/api/feedback/entries/{entry.pk}/").status_code == 403


def test_actions_api_owner_defaults_to_caller_and_done_notifies(
    api_as, answering_round, frontline_user, marketing_user
):
    entry = make_entry(answering_round, frontline_user)
    client = api_as(marketing_user)
    response = client.post(
        "/api/feedback/actions/", {"title": "Clearer dates", "entries": [str(entry.pk)]}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == marketing_user.pk and body["status"] == "new"
    assert body["round"] == answering_round.pk

    refused = client.patch(f"/api/feedback/actions/{body['id']}/", {"status": "declined"})
    assert refused.status_code == 400 and "decline_reason" in refused.json()

    done = client.patch(
        f"/api/feedback/actions/{body['id']}/",
        {"status": "done", "outcome": "Done in the template."},
    )
    assert done.json()["status"] == "done" and done.json()["closed_at"]
    assert frontline_user.notifications.filter(kind="feedback.you_said_we_did").count() == 1
    assert Action.objects.get().history.count() >= 2


def test_entry_list_does_not_grow_queries_with_rows(
    api_as, answering_round, crowd, manager_user, django_assert_max_num_queries
):
    for person in crowd:
        make_entry(answering_round, person)
    client = api_as(manager_user)
    with django_assert_max_num_queries(12):
        assert client.get("/api/feedback/entries/").json()["count"] == 6


@pytest.mark.parametrize("role", ["sales", "frontline"])
def test_round_report_is_for_marketing_and_managers(api_as, role_users, open_round, role):
    assert (
        api_as(role_users[role]).get(f"/api/feedback/rounds/{open_round.pk}/report/").status_code
        == 403
    )


def test_round_report_api_hides_small_groups_and_compares(
    api_as, previous_round, open_round, crowd, marketing_user
):
    from tests.feedback.factories import add_participants

    add_participants(open_round, *crowd)
    for person in crowd:
        make_entry(open_round, person, kind="bad", category="delivery")
    make_entry(open_round, crowd[0], kind="idea", category="billing")
    body = api_as(marketing_user).get(f"/api/feedback/rounds/{open_round.pk}/report/").json()
    assert body["month"] == "2026-11"
    assert (body["participants"], body["respondents"], body["entries"]) == (6, 6, 7)
    assert {"key": "idea", "suppressed": True} in body["by_kind"]
    assert {"key": "bad", "suppressed": False, "entries": 6, "respondents": 6} in body["by_kind"]
    assert body["comparison"]["entries"] == 7
