from django.core import mail

from core.models import Notification
from core.services.notifications import notify, pending_email_ids, send_notification_email
from core.tasks import flush_notification_outbox


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
