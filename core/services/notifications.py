"""The one way Silta tells a user something: an inbox row, then an e-mail."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.jobs import enqueue_on_commit
from core.models import Notification

logger = logging.getLogger(__name__)

# An e-mail claim older than this is taken to belong to a worker that died.
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=10)


def notify(
    *, user, kind: str, subject: str, body: str = "", link: str = "", dedupe_key: str
) -> Notification | None:
    """Put a message in the user's inbox and queue its e-mail, once per dedupe key.

    Returns the new notification, or None when this key was already used for
    the user (a retried job, a second run the same day).
    """
    if not user.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                subject=subject[:200],
                body=body,
                link=link,
                dedupe_key=dedupe_key[:200],
            )
    except IntegrityError:
        return None
    from core.tasks import send_notification_email

    enqueue_on_commit(send_notification_email, notification.pk)
    return notification


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
