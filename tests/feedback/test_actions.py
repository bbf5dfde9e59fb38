"""Actions: the status path, decline reasons, and "you said, we did"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from feedback.models import Action
from feedback.services.actions import change_action_status, create_action
from tests.factories import UserFactory

from .factories import make_entry


@pytest.fixture
def entries(answering_round, frontline_user, sales_user):
    return [
        make_entry(answering_round, frontline_user, kind="bad"),
        make_entry(answering_round, sales_user, kind="idea"),
    ]


def test_action_from_several_entries_is_owned_by_its_creator(entries, marketing_user):
    action = create_action(created_by=marketing_user, title="Fix the confirmation", entries=entries)
    assert action.owner == marketing_user
    assert action.status == "new"
    assert set(action.entries.all()) == set(entries)
    assert action.round == entries[0].round


def test_entries_must_come_from_one_round(entries, previous_round, marketing_user):
    old = make_entry(previous_round, UserFactory(roles=["sales"]))
    with pytest.raises(ValidationError) as exc:
        create_action(created_by=marketing_user, title="Mixed", entries=[entries[0], old])
    assert "entries" in exc.value.message_dict


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["planned", "in_progress", "done"], True),
        (["in_progress", "planned", "done"], True),
        (["done", "planned"], False),
        (["declined", "in_progress"], False),
    ],
)
def test_status_path(entries, manager_user, path, allowed):
    action = create_action(created_by=manager_user, title="Path", entries=entries)
    try:
        for status in path:
            action = change_action_status(action=action, status=status, decline_reason="No budget")
    except ValidationError as exc:
        assert not allowed
        assert "status" in exc.message_dict
    else:
        assert allowed
        assert action.status == path[-1]


def test_declining_needs_a_reason(entries, manager_user):
    action = create_action(created_by=manager_user, title="Free coffee", entries=entries)
    with pytest.raises(ValidationError) as exc:
        change_action_status(action=action, status="declined")
    assert "decline_reason" in exc.value.message_dict
    action.refresh_from_db()
    assert action.status == "new"


def test_done_tells_each_named_author_once(entries, manager_user, frontline_user, sales_user):
    extra = make_entry(entries[0].round, frontline_user, kind="good")
    action = create_action(
        created_by=manager_user, title="Delivery dates", entries=[*entries, extra]
    )
    change_action_status(action=action, status="in_progress")
    assert not Notification.objects.filter(kind="feedback.you_said_we_did").exists()

    change_action_status(action=action, status="done", outcome="The confirmation shows the date.")

    told = Notification.objects.filter(kind="feedback.you_said_we_did")
    assert sorted(n.user.username for n in told) == sorted(
        [frontline_user.username, sales_user.username]
    )
    note = told.get(user=frontline_user)
    assert note.subject == "You said, we did: Delivery dates"
    assert note.body == "The confirmation shows the date."
    assert note.link == reverse("feedback:round", args=[entries[0].round.month])


def test_declined_tells_authors_why(entries, manager_user, frontline_user):
    action = create_action(created_by=manager_user, title="Weekend support", entries=entries[:1])
    change_action_status(action=action, status="declined", decline_reason="Too few weekend calls.")
    note = Notification.objects.get(kind="feedback.you_said_we_did", user=frontline_user)
    assert "Too few weekend calls." in note.body


def test_named_author_sees_the_outcome_on_the_next_rounds_page(
    client, previous_round, open_round, frontline_user, manager_user
):
    entry = make_entry(
        previous_round,
        frontline_user,
        kind="idea",
        text="Call customers a week after delivery to ask how it went.",
    )
    action = create_action(created_by=manager_user, title="Follow-up calls", entries=[entry])
    change_action_status(
        action=action, status="done", outcome="Service desk calls every new customer."
    )

    client.force_login(frontline_user)
    html = client.get(reverse("feedback:round", args=[open_round.month])).content.decode()
    assert "What you said last time, and what we did" in html
    assert entry.text in html
    assert "Service desk calls every new customer." in html


def test_manager_turns_entries_into_an_action_and_completes_it_on_pages(
    client, entries, manager_user, frontline_user
):
    client.force_login(manager_user)
    month = entries[0].round.month
    form = client.get(reverse("feedback:action-create"), {"entries": [str(entries[0].pk)]})
    assert form.status_code == 200
    response = client.post(
        reverse("feedback:action-create"),
        {"round": month, "title": "Clearer delivery dates", "entries": [str(entries[0].pk)]},
    )
    action = Action.objects.get()
    assert response["Location"] == reverse("feedback:action", args=[action.pk])
    assert action.owner == manager_user

    response = client.post(
        reverse("feedback:action-status", args=[action.pk]), {"status": "declined"}
    )
    assert response.status_code == 200
    assert "Say why the action is declined" in response.content.decode()

    client.post(
        reverse("feedback:action-status", args=[action.pk]),
        {"status": "done", "outcome": "Dates are now in every confirmation."},
    )
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    assert Notification.objects.filter(
        user=frontline_user, kind="feedback.you_said_we_did"
    ).exists()


def test_meeting_decision_becomes_an_action(client, entries, marketing_user, manager_user):
    client.force_login(marketing_user)
    month = entries[0].round.month
    response = client.post(
        reverse("feedback:meeting", args=[month]),
        {
            "title": "Brief sales on the new delivery promise",
            "owner": manager_user.pk,
            "due": "2026-12-15",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.source, action.owner, str(action.due)) == ("meeting", manager_user, "2026-12-15")


def test_meeting_shows_last_rounds_open_actions(client, previous_round, open_round, manager_user):
    done = create_action(
        created_by=manager_user, title="Finished thing", feedback_round=previous_round
    )
    change_action_status(action=done, status="done")
    create_action(created_by=manager_user, title="Still going thing", feedback_round=previous_round)
    client.force_login(manager_user)
    html = client.get(reverse("feedback:meeting", args=[open_round.month])).content.decode()
    assert "Still going thing" in html
    assert "Finished thing" not in html


def test_action_history_is_kept(entries, manager_user):
    action = create_action(created_by=manager_user, title="History", entries=entries)
    change_action_status(action=action, status="planned")
    assert [h.status for h in action.history.order_by("history_id")] == ["new", "planned"]


def test_meeting_moves_last_rounds_actions_along_and_returns_to_the_meeting(
    client, previous_round, open_round, manager_user
):
    action = create_action(
        created_by=manager_user, title="Still going", feedback_round=previous_round
    )
    meeting = reverse("feedback:meeting", args=[open_round.month])
    client.force_login(manager_user)
    assert (
        f'action="{reverse("feedback:action-status", args=[action.pk])}"'
        in client.get(meeting).content.decode()
    )

    response = client.post(
        reverse("feedback:action-status", args=[action.pk]),
        {"status": "in_progress", "next": meeting},
    )
    assert response["Location"] == meeting
    response = client.post(
        reverse("feedback:action-status", args=[action.pk]),
        {"status": "planned", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("feedback:action", args=[action.pk])
    action.refresh_from_db()
    assert action.status == "planned"
