"""CRM jobs: thin wrappers around crm.services.reminders (idempotent by dedupe key)."""

from celery import shared_task
from django.db import OperationalError

from crm.services import deletion, reminders

TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError, OperationalError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def remind_due_followups() -> int:
    return reminders.remind_due_followups()


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def remind_incomplete_conversations() -> int:
    return reminders.remind_incomplete_conversations()


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def purge_deleted_conversations() -> int:
    return deletion.purge_deleted_conversations()
