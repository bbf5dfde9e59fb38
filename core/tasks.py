"""Core jobs: notification e-mail outbox and the worker heartbeat."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready

from core.services import heartbeat, notifications

TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError)


# E-mail jobs: each send is claimed first, so a retry never sends the same e-mail twice.
EMAIL_TASK = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(**EMAIL_TASK)
def send_notification_email(notification_id: int) -> bool:
    return notifications.send_notification_email(notification_id=notification_id)


@shared_task(**EMAIL_TASK)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications; a retry skips the ones already sent."""
    sent, failure = 0, None
    for notification_id in notification_ids:
        try:
            sent += notifications.send_notification_email(notification_id=notification_id)
        except SoftTimeLimitExceeded:
            raise  # the rest stay unsent and the outbox sweep picks them up
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the rest of the batch
            # One failing address must not hold back the others; the first error decides
            # whether the task retries (transient) or leaves it to the outbox sweep.
            failure = failure or exc
    if failure is not None:
        raise failure
    return sent


@shared_task(acks_late=True)
def flush_notification_outbox() -> int:
    """Re-queue e-mails that never went out; safe to run any number of times."""
    ids = notifications.pending_email_ids()
    batch = notifications.EMAIL_BATCH_SIZE
    for start in range(0, len(ids), batch):
        send_notification_emails.delay(ids[start : start + batch])
    return len(ids)


@shared_task(acks_late=True)
def record_worker_heartbeat() -> None:
    heartbeat.record_worker_heartbeat()


@worker_ready.connect
def _heartbeat_when_worker_starts(**kwargs) -> None:
    # /health/ reports a fresh worker at once instead of after the first beat.
    heartbeat.record_worker_heartbeat()
