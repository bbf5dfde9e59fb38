"""Daily reminders: one digest per user per day, however often the job runs."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Notification
from crm import tasks
from crm.services.reminders import remind_due_followups, remind_incomplete_conversations
from tests.crm.factories import ConversationFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


def test_due_followups_one_digest_per_user_even_when_run_twice(sales_user, other_sales_user):
    today = timezone.localdate()
    FollowUpFactory(
        owner=sales_user, title="Call back about the pilot", due=today - dt.timedelta(days=1)
    )
    FollowUpFactory(owner=sales_user, title="Send the price sheet", due=today)
    FollowUpFactory(owner=sales_user, title="Not yet", due=today + dt.timedelta(days=3))
    FollowUpFactory(owner=sales_user, title="Done already", due=today, done_at=timezone.now())
    FollowUpFactory(owner=other_sales_user, title="Next week", due=today + dt.timedelta(days=7))

    assert tasks.remind_due_followups.delay().get() == 1
    assert tasks.remind_due_followups.delay().get() == 0

    notes = Notification.objects.filter(kind="crm.followups_due")
    assert notes.count() == 1
    note = notes.get()
    assert note.user == sales_user
    assert "1 overdue, 1 due today" in note.body
    assert "Call back about the pilot" in note.body
    assert "Not yet" not in note.body and "Done already" not in note.body
    assert note.link == "/crm/followups/"


def test_due_followups_remind_again_the_next_day(sales_user):
    FollowUpFactory(owner=sales_user, due=timezone.localdate())
    remind_due_followups()
    remind_due_followups(now=timezone.now() + dt.timedelta(days=1))
    assert Notification.objects.filter(user=sales_user, kind="crm.followups_due").count() == 2


def test_digest_lists_at_most_five_items(sales_user):
    for n in range(8):
        FollowUpFactory(owner=sales_user, title=f"Task {n}", due=timezone.localdate())
    remind_due_followups()
    body = Notification.objects.get().body
    assert body.count("•") == 5
    assert "0 overdue, 8 due today" in body


def test_old_drafts_are_reminded_once_a_day(sales_user, other_sales_user):
    old = ConversationFactory(author=sales_user, status="draft")
    old.__class__.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    ConversationFactory(author=other_sales_user, status="draft")  # only hours old
    ConversationFactory(author=other_sales_user)  # complete

    assert tasks.remind_incomplete_conversations.delay().get() == 1
    assert tasks.remind_incomplete_conversations.delay().get() == 0

    note = Notification.objects.get(kind="crm.drafts_incomplete")
    assert note.user == sales_user
    assert old.account.name in note.body


def test_no_drafts_no_reminder(sales_user):
    ConversationFactory(author=sales_user)
    assert remind_incomplete_conversations() == 0
    assert not Notification.objects.exists()


def test_jobs_are_on_the_default_schedule(db):
    from django_celery_beat.models import PeriodicTask

    from core.schedule import install_default_schedule

    install_default_schedule()
    tasks_scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "crm.tasks.remind_due_followups",
        "crm.tasks.remind_incomplete_conversations",
    } <= tasks_scheduled
