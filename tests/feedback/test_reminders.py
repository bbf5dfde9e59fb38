"""Reminders: only to participants without an entry, on the configured days, once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Notification, WorkerHeartbeat
from core.services.notifications import notify
from core.tasks import record_worker_heartbeat
from feedback import tasks
from feedback.models import FeedbackRound
from feedback.services.rounds import send_reminders
from tests.factories import UserFactory
from tests.jobs.worker import running_worker, wait_for

from .factories import FeedbackRoundFactory, add_participants, make_entry


def local(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, 0))


@pytest.fixture
def round_opened_on_the_first(db, settings):
    settings.SILTA_FEEDBACK_REMINDER_DAYS = [3, 7]
    return FeedbackRoundFactory(month="2026-11", opens_at=local(1, 6), closes_at=local(11, 0))


def reminded(user) -> int:
    return Notification.objects.filter(user=user, kind="feedback.reminder").count()


def test_only_participants_without_an_entry_are_reminded(
    round_opened_on_the_first, frontline_user, sales_user, marketing_user, outsider
):
    feedback_round = round_opened_on_the_first
    add_participants(feedback_round, frontline_user, sales_user, marketing_user)
    make_entry(feedback_round, sales_user)
    make_entry(feedback_round, marketing_user, anonymous=True)  # anonymous still counts

    assert send_reminders(now=local(3)) == 1

    assert reminded(frontline_user) == 1
    assert reminded(sales_user) == reminded(marketing_user) == reminded(outsider) == 0
    reminder = Notification.objects.get(kind="feedback.reminder")
    assert reminder.link == "/feedback/rounds/2026-11/"


def test_reminders_go_out_only_on_the_configured_days(round_opened_on_the_first, frontline_user):
    add_participants(round_opened_on_the_first, frontline_user)
    sent_per_day = {day: send_reminders(now=local(day)) for day in range(1, 11)}
    assert {day for day, sent in sent_per_day.items() if sent} == {3, 7}
    assert reminded(frontline_user) == 2


def test_running_twice_a_day_reminds_once(round_opened_on_the_first, frontline_user):
    add_participants(round_opened_on_the_first, frontline_user)
    assert send_reminders(now=local(3, 9)) == 1
    assert send_reminders(now=local(3, 15)) == 0
    assert reminded(frontline_user) == 1


def test_each_waiting_participant_is_emailed_once_and_a_rerun_emails_nobody(
    round_opened_on_the_first, crowd, django_capture_on_commit_callbacks
):
    add_participants(round_opened_on_the_first, *crowd)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=local(3, 9)) == len(crowd)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in crowd)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_reminders(now=local(3, 15)) == 0
    assert callbacks == []
    assert len(mail.outbox) == len(crowd)


def test_a_partial_previous_run_reminds_only_the_rest(
    round_opened_on_the_first, crowd, django_capture_on_commit_callbacks
):
    add_participants(round_opened_on_the_first, *crowd)
    already, rest = crowd[:2], crowd[2:]
    # An earlier run that died after reminding two people today.
    for user in already:
        notify(
            user=user,
            kind="feedback.reminder",
            subject="Reminder",
            dedupe_key="feedback-reminder:2026-11:2026-11-03",
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=local(3, 15)) == len(rest)
    assert [reminded(user) for user in crowd] == [1] * len(crowd)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in rest)


def test_reminder_queries_do_not_grow_with_the_number_of_participants(db, settings):
    settings.SILTA_FEEDBACK_REMINDER_DAYS = [3]

    def queries_to_remind(count: int, month: str) -> int:
        FeedbackRound.objects.update(status="closed")
        feedback_round = FeedbackRoundFactory(
            month=month, opens_at=local(1, 6), closes_at=local(11, 0)
        )
        add_participants(feedback_round, *UserFactory.create_batch(count, roles=["frontline"]))
        with CaptureQueriesContext(connection) as queries:
            assert send_reminders(now=local(3)) == count
        return len(queries)

    assert queries_to_remind(5, "2026-10") == queries_to_remind(50, "2026-11")


def test_inactive_participants_and_closed_rounds_get_no_reminder(
    round_opened_on_the_first, frontline_user
):
    gone = UserFactory(roles=["frontline"], is_active=False)
    add_participants(round_opened_on_the_first, frontline_user, gone)
    FeedbackRound.objects.update(status="closed")
    assert send_reminders(now=local(3)) == 0
    FeedbackRound.objects.update(status="open")
    assert send_reminders(now=local(3)) == 1
    assert reminded(gone) == 0


def test_withdrawing_the_only_entry_makes_one_a_non_respondent_again(db, frontline_user, settings):
    from feedback.services.entries import withdraw_entry

    settings.SILTA_FEEDBACK_REMINDER_DAYS = [1]
    feedback_round = FeedbackRoundFactory(month="2026-11", opens_at=timezone.now())
    add_participants(feedback_round, frontline_user)
    entry = make_entry(feedback_round, frontline_user, anonymous=True)
    assert send_reminders() == 0
    withdraw_entry(entry=entry, user=frontline_user)
    assert send_reminders() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_through_a_real_worker_on_redis(redis_url, settings):
    settings.SILTA_FEEDBACK_REMINDER_DAYS = [1]
    waiting = UserFactory(roles=["frontline"])
    answered = UserFactory(roles=["frontline"])
    feedback_round = FeedbackRoundFactory(month="2026-11", opens_at=timezone.now())
    add_participants(feedback_round, waiting, answered)
    make_entry(feedback_round, answered)

    # The worker process reads the reminder days from its environment.
    with running_worker(broker_url=redis_url, extra_env={"SILTA_FEEDBACK_REMINDER_DAYS": "1"}):
        tasks.send_feedback_reminders.delay()
        wait_for(lambda: reminded(waiting) == 1, what="the reminder")
        wait_for(
            lambda: Notification.objects.filter(user=waiting, emailed_at__isnull=False).exists(),
            what="the reminder e-mail (the batch e-mail task)",
        )
        tasks.send_feedback_reminders.delay()  # a retry the same day
        # The solo worker runs its queue in order: once the heartbeat is in, the retry ran.
        marker = timezone.now()
        record_worker_heartbeat.delay()
        wait_for(
            lambda: WorkerHeartbeat.objects.filter(beat_at__gt=marker).exists(),
            what="the retry to finish",
        )
    assert reminded(waiting) == 1
    assert reminded(answered) == 0


def test_managers_see_the_reminder_dates(client, round_opened_on_the_first, manager_user):
    from django.urls import reverse

    from feedback.services.rounds import reminder_dates

    assert reminder_dates(round_opened_on_the_first) == [dt.date(2026, 11, 3), dt.date(2026, 11, 7)]
    client.force_login(manager_user)
    html = client.get(reverse("feedback:participation", args=["2026-11"])).content.decode()
    assert 'data-testid="reminder-dates"' in html and "Nov. 3, 2026" in html
