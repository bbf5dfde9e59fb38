"""Celery entry points for the feedback jobs; each calls one service and is idempotent."""

from celery import shared_task

from feedback.services import rounds


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def open_monthly_feedback_round() -> str:
    """The 1st of each month: open the month's round (a second run finds it)."""
    feedback_round, _created = rounds.open_round_for_month()
    return feedback_round.month


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_feedback_reminders() -> int:
    """Daily: remind participants without an entry on the configured days, once a day."""
    return rounds.send_reminders()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def close_feedback_rounds() -> list[str]:
    """Close rounds whose time is up and build their reports."""
    return rounds.close_due_rounds()


@shared_task(acks_late=True)
def purge_expired_feedback() -> int:
    """Delete entries older than SILTA_FEEDBACK_RETENTION_MONTHS."""
    return rounds.purge_expired_entries()
