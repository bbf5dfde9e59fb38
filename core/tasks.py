"""Core jobs: notification e-mail outbox and the worker heartbeat."""

from celery import shared_task
from celery.signals import worker_ready

from core.services import heartbeat, notifications

TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_notification_email(notification_id: int) -> bool:
    return notifications.send_notification_email(notification_id=notification_id)


@shared_task(acks_late=True)
def flush_notification_outbox() -> int:
    """Re-queue e-mails that never went out; safe to run any number of times."""
    ids = notifications.pending_email_ids()
    for notification_id in ids:
        send_notification_email.delay(notification_id)
    return len(ids)


@shared_task(acks_late=True)
def record_worker_heartbeat() -> None:
    heartbeat.record_worker_heartbeat()


@worker_ready.connect
def _heartbeat_when_worker_starts(**kwargs) -> None:
    # /health/ reports a fresh worker at once instead of after the first beat.
    heartbeat.record_worker_heartbeat()
