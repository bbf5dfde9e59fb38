"""The one way Silta tells a user something: an inbox row, then an e-mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.jobs import enqueue_on_commit
from core.models import Notification

logger = logging.getLogger(__name__)

# An e-mail claim older than this is taken to belong to a worker that died.
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=10)

# Users per INSERT in notify_many (SQLite allows 999 parameters per statement).
NOTIFY_BATCH_SIZE = 500
# Notifications per e-mail task: small enough to finish well inside the task time limit.
EMAIL_BATCH_SIZE = 100


def notify(
    *, user, kind: str, subject: str, body: str = "", link: str = "", dedupe_key: str
) -> Notification | None:
    """Put a message in the user's inbox and queue its e-mail, once per dedupe key.

    Returns the new notification, or None when this key was already used for
    the user (a retried job, a second run the same day).
    """
    now = timezone.now()
    values = _values(kind=kind, subject=subject, body=body, link=link, dedupe_key=dedupe_key)
    created = _insert_notifications(user_ids=[user.pk], values=values, created_at=now)
    if not created:
        return None
    from core.tasks import send_notification_email

    enqueue_on_commit(send_notification_email, created[0])
    # The row as inserted, without reading it back.
    fields = ["id", "user_id", "kind", "subject", "body", "link", "dedupe_key", "created_at"]
    notification = Notification.from_db(
        connection.alias, fields, [created[0], user.pk, *values, now]
    )
    notification.user = user
    return notification


def notify_many(
    *,
    user_ids: Iterable[int],
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
) -> list[int]:
    """`notify()` for many users at once: one INSERT per batch, one e-mail task per batch.

    Inactive users are skipped and a user who already has this dedupe key gets
    nothing, so a rerun or a partial previous run only notifies the rest.
    Returns the ids of the notifications created now.
    """
    ids = list(dict.fromkeys(user_ids))
    values = _values(kind=kind, subject=subject, body=body, link=link, dedupe_key=dedupe_key)
    now = timezone.now()
    created: list[int] = []
    for start in range(0, len(ids), NOTIFY_BATCH_SIZE):
        created += _insert_notifications(
            user_ids=ids[start : start + NOTIFY_BATCH_SIZE], values=values, created_at=now
        )
    from core.tasks import send_notification_emails

    for start in range(0, len(created), EMAIL_BATCH_SIZE):
        enqueue_on_commit(send_notification_emails, created[start : start + EMAIL_BATCH_SIZE])
    return created


def _values(*, kind: str, subject: str, body: str, link: str, dedupe_key: str) -> list[str]:
    return [kind, subject[:200], body, link, dedupe_key[:200]]


def _insert_notifications(*, user_ids: list[int], values: list[str], created_at) -> list[int]:
    """Insert one notification per active user unless the (user, dedupe key) row exists.

    ON CONFLICT DO NOTHING decides under concurrency: a row is returned only to
    the statement that inserted it, so two runs at once never both e-mail it.
    """
    if not user_ids:
        return []
    notification = Notification._meta
    user = get_user_model()._meta
    quote = connection.ops.quote_name
    columns = ["user", "kind", "subject", "body", "link", "dedupe_key", "created_at"]
    sql = (
        f"INSERT INTO {quote(notification.db_table)} "
        f"({', '.join(quote(notification.get_field(name).column) for name in columns)}) "
        f"SELECT {quote(user.pk.column)}, {', '.join(['%s'] * (len(columns) - 1))} "
        f"FROM {quote(user.db_table)} "
        f"WHERE {quote(user.get_field('is_active').column)} "
        f"AND {quote(user.pk.column)} IN ({', '.join(['%s'] * len(user_ids))}) "
        f"ON CONFLICT ({quote(notification.get_field('user').column)}, "
        f"{quote(notification.get_field('dedupe_key').column)}) DO NOTHING "
        f"RETURNING {quote(notification.pk.column)}"
    )
    moment = connection.ops.adapt_datetimefield_value(created_at)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, moment, *user_ids])
        return [row[0] for row in cursor.fetchall()]


def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification unless it was sent already; True when sent now."""
    now = timezone.now()
    claimable = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
    claimed = Notification.objects.filter(
        claimable, pk=notification_id, emailed_at__isnull=True
    ).update(email_claimed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if not notification.user.email:
        Notification.objects.filter(pk=notification_id).update(emailed_at=now)
        return False
    link = notification.link
    if link.startswith("/"):
        link = settings.SILTA_BASE_URL.rstrip("/") + link
    try:
        send_mail(
            subject=f"[Silta] {notification.subject}",
            message="\n\n".join(filter(None, [notification.body, link])),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except Exception:
        # Release the claim so the retry (or the outbox sweep) can send it.
        Notification.objects.filter(pk=notification_id).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def pending_email_ids(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Notifications whose e-mail never went out (broker or SMTP was down)."""
    now = timezone.now()
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=now - older_than)
        .filter(
            Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
        )
        .values_list("pk", flat=True)[:1000]
    )


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def mark_unread(*, user, notification_id: int) -> int:
    return Notification.objects.filter(user=user, pk=notification_id).update(read_at=None)
