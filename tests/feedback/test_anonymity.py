"""An anonymous entry's author is shown or returned to nobody, in any place.

Frida writes only an anonymous entry; each test looks for her (name, username,
id) or the stored key in one place managers and superusers can reach.
"""

import hashlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import Notification
from feedback.models import FeedbackEntry
from feedback.services.actions import change_action_status, create_action
from feedback.services.entries import is_author
from tests.factories import UserFactory

from .factories import add_participants, make_entry


@pytest.fixture
def frida(db):
    return UserFactory(
        username="frida", first_name="Fridolina", last_name="Hämäläinen", roles=["frontline"]
    )


@pytest.fixture
def anonymous_entry(open_round, frida):
    add_participants(open_round, frida)
    return make_entry(
        open_round,
        frida,
        kind="bad",
        text="A customer waited three weeks for a spare part and nobody told them why.",
        anonymous=True,
    )


def leaks(text: str, entry: FeedbackEntry, author) -> list[str]:
    found = [
        marker
        for marker in (author.username, author.first_name, author.last_name, entry.author_key)
        if marker and marker in text
    ]
    return found


@pytest.fixture(params=["manager", "marketing", "superuser"])
def reader(request, manager_user, marketing_user, superuser):
    return {"manager": manager_user, "marketing": marketing_user, "superuser": superuser}[
        request.param
    ]


def test_the_stored_entry_has_no_author_only_a_keyed_hash(anonymous_entry, frida):
    anonymous_entry.refresh_from_db()
    assert anonymous_entry.author_id is None
    assert len(anonymous_entry.author_key) == 64
    plain = [f"{frida.pk}", f"{anonymous_entry.round_id}:{frida.pk}"]
    assert all(hashlib.sha256(p.encode()).hexdigest() != anonymous_entry.author_key for p in plain)
    assert is_author(entry=anonymous_entry, user=frida)
    assert not is_author(entry=anonymous_entry, user=UserFactory(roles=["frontline"]))


def test_the_key_needs_the_server_secret_and_survives_its_rotation(
    anonymous_entry, frida, settings
):
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-secret-" + "y" * 40
    assert not is_author(entry=anonymous_entry, user=frida)
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert is_author(entry=anonymous_entry, user=frida)


@pytest.mark.parametrize(
    "url_name", ["feedback:triage", "feedback:meeting", "feedback:report", "feedback:round"]
)
def test_pages_never_show_the_author(client, anonymous_entry, frida, reader, url_name):
    client.force_login(reader)
    response = client.get(reverse(url_name, args=[anonymous_entry.round.month]))
    html = response.content.decode()
    assert response.status_code == 200
    if url_name == "feedback:triage":
        assert anonymous_entry.text in html  # the entry is there ...
        assert "Anonymous" in html
    assert leaks(html, anonymous_entry, frida) == []  # ... its author is not


def test_action_page_never_shows_the_author(client, anonymous_entry, frida, reader):
    action = create_action(created_by=reader, title="Spare part ETA", entries=[anonymous_entry])
    client.force_login(reader)
    html = client.get(reverse("feedback:action", args=[action.pk])).content.decode()
    assert anonymous_entry.text in html
    assert leaks(html, anonymous_entry, frida) == []


def test_api_never_returns_the_author(api_as, anonymous_entry, frida, reader):
    client = api_as(reader)
    listing = client.get("/api/feedback/entries/").json()
    detail = client.get(f"/api/feedback/entries/{anonymous_entry.pk}/").json()
    (row,) = listing["results"]
    assert row["author"] is None and detail["author"] is None
    assert row["mine"] is False
    assert "author_key" not in detail
    assert leaks(str(listing) + str(detail), anonymous_entry, frida) == []
    # Filtering by author is not offered, so it cannot single anyone out.
    filtered = client.get(f"/api/feedback/entries/?author={frida.pk}").json()
    assert filtered["count"] == 1


def test_admin_never_shows_the_author(client, anonymous_entry, frida, superuser):
    client.force_login(superuser)
    changelist = client.get(reverse("admin:feedback_feedbackentry_changelist")).content.decode()
    change = client.get(
        reverse("admin:feedback_feedbackentry_change", args=[anonymous_entry.pk])
    ).content.decode()
    assert anonymous_entry.text[:40] in changelist
    assert leaks(changelist, anonymous_entry, frida) == []
    assert leaks(change, anonymous_entry, frida) == []


def test_csv_export_has_no_anonymous_author(client, open_round, anonymous_entry, frida, reader):
    named = UserFactory(username="nelli", roles=["frontline"])
    make_entry(open_round, named, kind="good")
    client.force_login(reader)
    response = client.get(reverse("feedback:report-csv", args=[open_round.month]))
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    text = body.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert anonymous_entry.text in text
    assert "nelli" in text  # named authors may be exported
    assert leaks(text, anonymous_entry, frida) == []


def test_notifications_never_name_or_reach_the_anonymous_author(
    anonymous_entry, frida, manager_user
):
    named = UserFactory(username="nelli", first_name="Nelli", roles=["frontline"])
    named_entry = make_entry(anonymous_entry.round, named, kind="bad")
    action = create_action(
        created_by=manager_user,
        title="Spare parts status page",
        entries=[anonymous_entry, named_entry],
    )
    change_action_status(action=action, status="done", outcome="Customers now see the ETA online.")

    assert not Notification.objects.filter(user=frida, kind="feedback.you_said_we_did").exists()
    for notification in Notification.objects.exclude(user=frida):
        assert leaks(notification.subject + notification.body, anonymous_entry, frida) == []
        assert anonymous_entry.text not in notification.body


def test_no_table_links_the_entry_to_its_author(client, open_round, frida, manager_user):
    """Written through the page (history middleware on), then triaged and acted on."""
    add_participants(open_round, frida)
    client.force_login(frida)
    client.post(
        reverse("feedback:answer", args=[open_round.month]),
        {
            "kind": "idea",
            "text": "Offer a video call before every installation visit.",
            "anonymous": "on",
        },
    )
    entry = FeedbackEntry.objects.get()
    client.force_login(manager_user)
    client.post(reverse("feedback:triage-entry", args=[entry.pk]), {"tags": "installation"})
    action = create_action(created_by=manager_user, title="Video calls", entries=[entry])
    change_action_status(action=action, status="done", outcome="Piloted in Espoo.")

    user_model = get_user_model()
    referencing = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if f.is_relation]
        for entry_field in [f for f in fields if f.related_model is FeedbackEntry]:
            rows = model._default_manager.filter(**{entry_field.attname: entry.pk})
            if rows.exists():
                referencing.append(model)
            for user_field in [f for f in fields if f.related_model is user_model]:
                assert not rows.filter(**{user_field.attname: frida.pk}).exists(), model
        # History tables: nothing Frida did may be recorded with her as the user.
        if any(f.name == "history_user" for f in fields):
            assert not model._default_manager.filter(history_user=frida).exists(), model
    assert len(referencing) >= 2  # the tag and action link tables were looked at
    assert not hasattr(FeedbackEntry, "history")  # no simple-history: it would store the user
    entry.refresh_from_db()
    assert entry.author_id is None


def test_the_author_still_finds_their_anonymous_entry_and_its_outcome(
    client, anonymous_entry, frida, manager_user
):
    action = create_action(
        created_by=manager_user, title="Spare part ETA", entries=[anonymous_entry]
    )
    change_action_status(
        action=action, status="done", outcome="The webshop now shows delivery times."
    )

    client.force_login(frida)
    html = client.get(
        reverse("feedback:round", args=[anonymous_entry.round.month])
    ).content.decode()
    assert anonymous_entry.text in html
    assert "You said, we did:" in html
    assert "The webshop now shows delivery times." in html

    other = UserFactory(roles=["frontline"])
    client.force_login(other)
    html = client.get(
        reverse("feedback:round", args=[anonymous_entry.round.month])
    ).content.decode()
    assert anonymous_entry.text not in html


def test_anonymous_author_sees_last_rounds_outcome_on_the_new_round_page(
    client, previous_round, open_round, frida, manager_user
):
    old = make_entry(
        previous_round,
        frida,
        kind="idea",
        text="Put the direct number of the service desk on every invoice we send.",
        anonymous=True,
    )
    action = create_action(created_by=manager_user, title="Number on invoices", entries=[old])
    change_action_status(
        action=action, status="declined", decline_reason="The invoice layout is fixed by the bank."
    )
    assert not Notification.objects.filter(user=frida).exists()

    client.force_login(frida)
    html = client.get(reverse("feedback:round", args=[open_round.month])).content.decode()
    section = html[html.index('data-testid="previous-round"') :]
    assert old.text in section
    assert "We decided not to:" in section
    assert "The invoice layout is fixed by the bank." in section


@pytest.mark.parametrize(
    "model", ["feedbackround", "feedbackentry", "action", "roundreport", "feedbacktag"]
)
def test_admin_pages_open_for_superusers(client, superuser, anonymous_entry, manager_user, model):
    from feedback.reports import build_report

    action = create_action(created_by=manager_user, title="Admin check", entries=[anonymous_entry])
    report = build_report(feedback_round=anonymous_entry.round)
    tag = anonymous_entry.tags.create(name="admin")
    objects = {
        "feedbackround": anonymous_entry.round,
        "feedbackentry": anonymous_entry,
        "action": action,
        "roundreport": report,
        "feedbacktag": tag,
    }
    client.force_login(superuser)
    assert client.get(reverse(f"admin:feedback_{model}_changelist")).status_code == 200
    change = client.get(reverse(f"admin:feedback_{model}_change", args=[objects[model].pk]))
    assert change.status_code == 200
    assert anonymous_entry.author_key not in change.content.decode()
