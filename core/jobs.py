"""Queueing Celery work without letting a broker outage break a user's save."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` after the surrounding transaction commits.

    If the broker is unreachable the error is logged and swallowed: every job
    derives its work from database state, so the periodic sweep catches up.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure must not reach the user
            logger.warning(
                "Could not queue %s; the periodic sweep will catch up", task.name, exc_info=True
            )

    transaction.on_commit(send)
