import datetime as dt

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Notification
from core.services import notifications
from core.services.notifications import (
    notify,
    notify_many,
    pending_email_ids,
    send_notification_email,
)
from core.tasks import flush_notification_outbox, send_notification_emails
from tests.concurrency import run_at_once
from tests.factories import UserFactory


def test_notify_writes_the_inbox_and_emails_once(sales_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            user=sales_user,
            kind="followup",
            subject="Call Kone back",
            body="You promised a proposal.",
            link="/crm/followups/",
            dedupe_key="followup:1:2026-11-23",
        )
    assert notification is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sales_user.email]
    assert "/crm/followups/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_same_dedupe_key_never_notifies_twice(sales_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=sales_user, kind="k", subject="Once", dedupe_key="same")
        second = notify(user=sales_user, kind="k", subject="Once", dedupe_key="same")
    assert first is not None and second is None
    assert Notification.objects.filter(user=sales_user).count() == 1
    assert len(mail.outbox) == 1


def test_retried_email_task_does_not_send_again(sales_user):
    notification = notify(user=sales_user, kind="k", subject="Hi", dedupe_key="x")
    assert send_notification_email(notification_id=notification.pk) is True
    assert send_notification_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_outbox_sweep_sends_what_the_broker_lost(sales_user):
    # notify() outside on_commit execution: the queueing never happened.
    notification = notify(user=sales_user, kind="k", subject="Lost", dedupe_key="lost")
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at.replace(year=2025)
    )
    assert pending_email_ids() == [notification.pk]
    assert flush_notification_outbox() == 1
    assert len(mail.outbox) == 1
    assert pending_email_ids() == []


def test_inactive_users_are_not_notified(sales_user):
    sales_user.is_active = False
    sales_user.save()
    assert notify(user=sales_user, kind="k", subject="x", dedupe_key="y") is None


def test_inbox_api_lists_only_the_callers_notifications(api_as, sales_user, marketing_user):
    notify(user=sales_user, kind="k", subject="For Alice", dedupe_key="a")
    notify(user=marketing_user, kind="k", subject="For Bob", dedupe_key="b")
    subjects = [
        n["subject"] for n in api_as(sales_user).get("/api/notifications/").json()["results"]
    ]
    assert subjects == ["For Alice"]


def test_cannot_read_or_mark_someone_elses_notification(api_as, sales_user, marketing_user):
    theirs = notify(user=marketing_user, kind="k", subject="Private", dedupe_key="p")
    client = api_as(sales_user)
    assert client.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/api/notifications/mark-read/", {"ids": [theirs.pk]}, format="json")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_through_the_api(api_as, sales_user):
    first = notify(user=sales_user, kind="k", subject="One", dedupe_key="1")
    notify(user=sales_user, kind="k", subject="Two", dedupe_key="2")
    client = api_as(sales_user)
    assert client.post(f"/api/notifications/{first.pk}/read/").json()["read"] is True
    assert client.get("/api/notifications/?read_at__isnull=true").json()["count"] == 1
    assert client.post("/api/notifications/mark-read/", {}, format="json").json() == {"marked": 1}


def test_unread_badge_and_inbox_page(client, sales_user):
    notify(user=sales_user, kind="k", subject="Campaign live: Winter offer", dedupe_key="c")
    client.force_login(sales_user)
    home = client.get("/").content.decode()
    assert 'data-testid="unread-badge">1<' in home
    inbox = client.get("/inbox/").content.decode()
    assert "Campaign live: Winter offer" in inbox
    client.post("/inbox/read/")
    assert 'data-testid="unread-badge"' not in client.get("/").content.decode()


# --- notify_many: the bulk twin of notify() for fan-out jobs ---------------------------


def many(user_ids, key="round:2026-11"):
    return notify_many(
        user_ids=user_ids, kind="k", subject="Round open", link="/feedback/", dedupe_key=key
    )


def test_notify_many_writes_one_row_per_active_user_and_emails_each_once(
    db, django_capture_on_commit_callbacks
):
    active = UserFactory.create_batch(3)
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = many([u.pk for u in [*active, gone]])
    assert len(created) == 3
    rows = Notification.objects.filter(pk__in=created)
    assert {n.user_id for n in rows} == {u.pk for u in active}
    assert all(n.emailed_at is not None for n in rows)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in active)


def test_notify_many_again_with_the_same_key_sends_nothing(db, django_capture_on_commit_callbacks):
    users = UserFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        many([u.pk for u in users])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert many([u.pk for u in users]) == []
    assert callbacks == []  # no e-mail task queued
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_notify_many_after_a_partial_run_notifies_only_the_rest(
    db, django_capture_on_commit_callbacks
):
    done, rest = UserFactory(), UserFactory.create_batch(2)
    notify(user=done, kind="k", subject="Round open", dedupe_key="round:2026-11")
    with django_capture_on_commit_callbacks(execute=True):
        created = many([done.pk] + [u.pk for u in rest])
    assert set(Notification.objects.filter(pk__in=created).values_list("user", flat=True)) == {
        u.pk for u in rest
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in rest)


def test_notify_many_queues_one_email_task_per_batch(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(notifications, "EMAIL_BATCH_SIZE", 2)
    users = UserFactory.create_batch(5)
    with django_capture_on_commit_callbacks() as callbacks:
        many([u.pk for u in users])
    assert len(callbacks) == 3  # 2 + 2 + 1


def test_notify_many_inserts_in_batches_whatever_the_number_of_users(db, monkeypatch):
    monkeypatch.setattr(notifications, "NOTIFY_BATCH_SIZE", 3)
    users = UserFactory.create_batch(7)
    with CaptureQueriesContext(connection) as queries:
        created = many([u.pk for u in users])
    assert len(created) == 7
    assert len(queries) == 3


def test_batch_email_task_sends_each_once_and_a_retry_sends_nothing_more(db):
    users = UserFactory.create_batch(3)
    created = many([u.pk for u in users])
    assert send_notification_emails.delay(created).get() == 3
    assert send_notification_emails.delay(created).get() == 0
    assert len(mail.outbox) == 3


def test_one_failing_email_does_not_hold_back_the_rest_of_the_batch(db, monkeypatch):
    users = UserFactory.create_batch(3)
    created = many([u.pk for u in users])
    real_send = notifications.send_mail
    refused = users[0].email

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == [refused]:
            raise ConnectionRefusedError("SMTP down for this one")
        return real_send(**kwargs)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    with pytest.raises(Retry):  # a transient error: the task is retried
        send_notification_emails.apply(args=[created], throw=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users[1:])
    # The failed one is left for the retry or the outbox sweep, unclaimed.
    assert pending_email_ids(older_than=dt.timedelta(0)) == [
        Notification.objects.get(user=users[0]).pk
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_fan_outs_create_each_notification_once_on_postgresql(postgres):
    users = UserFactory.create_batch(40)
    ids = [u.pk for u in users]
    results = run_at_once(lambda: many(ids), times=4)
    assert sorted(pk for created in results for pk in created) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )
    assert Notification.objects.count() == 40


def test_notify_returns_the_row_it_inserted(sales_user):
    from core.services.notifications import notify

    returned = notify(
        user=sales_user, kind="test.kind", subject="S" * 250, body="b", dedupe_key="k-1"
    )
    stored = Notification.objects.get(pk=returned.pk)
    assert (returned.user, returned.kind, returned.subject, returned.dedupe_key) == (
        stored.user,
        stored.kind,
        stored.subject,
        stored.dedupe_key,
    )
    assert len(stored.subject) == 200 and stored.read_at is None
    assert notify(user=sales_user, kind="test.kind", subject="again", dedupe_key="k-1") is None
