"""The follow-up reminder through a real worker on Redis (wiring, not logic)."""

import pytest
from django.utils import timezone

from core.models import Notification
from crm.tasks import remind_due_followups
from tests.crm.factories import FollowUpFactory
from tests.jobs.worker import running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_remind_due_followups_runs_in_a_real_worker(redis_url, sales_user):
    FollowUpFactory(owner=sales_user, due=timezone.localdate())
    with running_worker(broker_url=redis_url):
        remind_due_followups.delay()
        remind_due_followups.delay()
        wait_for(
            lambda: Notification.objects.filter(kind="crm.followups_due").exists(),
            what="the follow-up digest",
        )
    assert Notification.objects.filter(user=sales_user, kind="crm.followups_due").count() == 1
