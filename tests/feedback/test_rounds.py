"""Opening and closing rounds: one per month, whatever runs it and however often."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.schedule import registered_jobs
from feedback import tasks
from feedback.models import FeedbackRound, RoundParticipant, RoundReport
from feedback.months import month_of
from feedback.services.rounds import close_due_rounds, open_round_for_month
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import FeedbackRoundFactory, add_participants, make_entry


def test_round_invites_active_users_of_the_configured_groups(db, settings):
    settings.SILTA_FEEDBACK_GROUPS = ["frontline", "sales"]
    frontline = UserFactory(roles=["frontline"])
    seller = UserFactory(roles=["sales"])
    UserFactory(roles=["marketing"])
    UserFactory(roles=["frontline"], is_active=False)
    both = UserFactory(roles=["frontline", "sales"])

    feedback_round, created = open_round_for_month(month="2026-11")

    assert created
    assert set(feedback_round.participants.all()) == {frontline, seller, both}
    assert feedback_round.status == "open"
    assert Notification.objects.filter(kind="feedback.round_opened").count() == 3


def test_invitations_are_emailed_once_each_after_the_round_is_saved(
    crowd, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_round_for_month(month="2026-11")
    with django_capture_on_commit_callbacks(execute=True):
        open_round_for_month(month="2026-11")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in crowd)
    assert "2026-11" in mail.outbox[0].subject


def test_round_stays_open_for_the_configured_number_of_days(db, settings):
    settings.SILTA_FEEDBACK_ROUND_DAYS = 7
    now = timezone.make_aware(dt.datetime(2026, 11, 1, 6, 0))
    feedback_round, _ = open_round_for_month(now=now)
    assert feedback_round.month == "2026-11"
    assert timezone.localdate(feedback_round.closes_at) == dt.date(2026, 11, 8)


def test_opening_twice_gives_the_same_round_and_invites_once(db, frontline_user):
    first, created_first = open_round_for_month()
    second, created_second = open_round_for_month()
    assert tasks.open_monthly_feedback_round.delay().get() == month_of()
    tasks.open_monthly_feedback_round.delay()

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert FeedbackRound.objects.count() == 1
    assert RoundParticipant.objects.filter(round=first, user=frontline_user).count() == 1
    invitations = Notification.objects.filter(user=frontline_user, kind="feedback.round_opened")
    assert invitations.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_create_exactly_one_round_on_postgresql(postgres):
    users = [UserFactory(roles=["frontline"]) for _ in range(3)]
    results = run_at_once(lambda: open_round_for_month(month="2027-01"), times=6)
    assert len(results) == 6
    assert sum(created for _round, created in results) == 1
    assert len({r.pk for r, _created in results}) == 1
    assert FeedbackRound.objects.filter(month="2027-01").count() == 1
    assert RoundParticipant.objects.filter(round__month="2027-01").count() == len(users)


def test_bad_month_is_refused_with_a_field_error(db):
    with pytest.raises(ValidationError) as exc:
        open_round_for_month(month="2026-13")
    assert "month" in exc.value.message_dict


def test_management_command_opens_once(db, frontline_user):
    out = StringIO()
    call_command("open_feedback_round", "--month", "2026-12", stdout=out)
    call_command("open_feedback_round", "--month", "2026-12", stdout=out)
    assert "Opened round 2026-12 (1 participants)" in out.getvalue()
    assert "Already open or closed: round 2026-12" in out.getvalue()
    assert FeedbackRound.objects.filter(month="2026-12").count() == 1


def test_manager_button_opens_the_round_once(client, manager_user, frontline_user):
    client.force_login(manager_user)
    for _ in range(2):
        response = client.post(reverse("feedback:open-round"), {"month": "2026-11"})
        assert response.status_code == 302
    feedback_round = FeedbackRound.objects.get(month="2026-11")
    assert feedback_round.opened_by == manager_user
    assert response["Location"] == reverse("feedback:participation", args=["2026-11"])


@pytest.mark.parametrize("role", ["sales", "marketing", "frontline"])
def test_only_managers_open_rounds(client, role_users, role):
    client.force_login(role_users[role])
    response = client.post(reverse("feedback:open-round"), {"month": "2026-11"})
    assert response.status_code == 403
    assert not FeedbackRound.objects.exists()


def test_close_job_closes_due_rounds_and_builds_their_report(db, frontline_user):
    due = FeedbackRoundFactory(month="2026-10")
    FeedbackRound.objects.filter(pk=due.pk).update(closes_at=timezone.now() - dt.timedelta(hours=1))
    add_participants(due, frontline_user)
    make_entry(due, frontline_user)
    not_yet = FeedbackRoundFactory(month="2026-11")

    assert tasks.close_feedback_rounds.delay().get() == ["2026-10"]
    assert close_due_rounds() == []  # a second run finds nothing to do

    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert due.status == "closed" and due.closed_at is not None
    assert not_yet.status == "open"
    report = RoundReport.objects.get(round=due)
    assert (report.participants, report.respondents, report.entries) == (1, 1, 1)
    assert report.participation_rate == 1.0


def test_jobs_are_registered_for_beat():
    jobs = {job.task: job for job in registered_jobs()}
    opener = jobs["feedback.tasks.open_monthly_feedback_round"]
    assert opener.crontab["day_of_month"] == "1"
    assert "feedback.tasks.send_feedback_reminders" in jobs
    assert "feedback.tasks.close_feedback_rounds" in jobs
    assert "feedback.tasks.purge_expired_feedback" in jobs


def test_closed_round_takes_no_entries(previous_round, frontline_user):
    from feedback.services.entries import submit_entry

    with pytest.raises(ValidationError) as exc:
        submit_entry(
            feedback_round=previous_round,
            author=frontline_user,
            kind="good",
            text="The customer liked the new self-service portal a lot.",
        )
    assert "round" in exc.value.message_dict
