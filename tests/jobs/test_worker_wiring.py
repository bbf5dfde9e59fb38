"""A real worker on Redis runs Silta's jobs end to end (not eager mode)."""

import pytest

from core.models import Notification, WorkerHeartbeat
from core.services.notifications import notify
from core.tasks import record_worker_heartbeat
from tests.jobs.worker import running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_task_published_to_redis_runs_in_a_real_worker(redis_url, sales_user):
    with running_worker(broker_url=redis_url) as worker:
        record_worker_heartbeat.delay()
        beat = wait_for(
            lambda: WorkerHeartbeat.objects.filter(name="worker").first(), what="the heartbeat"
        )
        assert worker.poll() is None, worker.stdout.read()
    assert beat.beat_at is not None


def test_notification_email_goes_out_once_through_the_worker(redis_url, sales_user):
    with running_worker(broker_url=redis_url):
        notification = notify(user=sales_user, kind="k", subject="Worker", dedupe_key="w1")
        wait_for(
            lambda: Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=False
            ).exists(),
            what="the e-mail to be sent",
        )
        # The same key again: no second row, so nothing more to send.
        assert notify(user=sales_user, kind="k", subject="Worker", dedupe_key="w1") is None
    assert Notification.objects.filter(user=sales_user).count() == 1
