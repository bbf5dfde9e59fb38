"""The rollup queued from the dashboard runs in a real Celery worker on Redis."""

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import KpiSnapshot, RollupRun
from tests.jobs.worker import running_worker, wait_for
from tests.kpis.factories import CampaignFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_manager_queues_a_rollup_and_a_worker_completes_it(redis_url, client_as, manager_user):
    CampaignFactory(starts_on=date(2026, 3, 5), spend=750)
    with running_worker(broker_url=redis_url) as worker:
        response = client_as(manager_user).post(
            reverse("kpis:rollup"), {"since": "2026-03-01", "until": "2026-03-31"}
        )
        run = RollupRun.objects.get()
        assert response["Location"] == reverse("kpis:rollup-run", args=[run.pk])
        wait_for(
            lambda: RollupRun.objects.filter(pk=run.pk, status=RollupRun.Status.DONE).exists(),
            what="the rollup run to finish",
        )
        assert worker.poll() is None
    assert (
        KpiSnapshot.objects.get(
            metric="marketing_spend", period="month", period_start=date(2026, 3, 1), dimension="all"
        ).value
        == 750
    )
