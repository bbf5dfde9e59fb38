from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def check_service_levels() -> int:
    """Daily: record and notify new service-level breaches (idempotent per lead or month)."""
    from .services.service_levels import check_service_levels as check

    return len(check())


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def remind_unread_briefings() -> int:
    """Daily: reps who have not read a briefing shortly before or during a campaign."""
    from .services.campaigns import remind_unread_briefings as remind

    return remind()
