"""An import queued from the service runs in a real worker on Redis, once."""

import pytest

from crm.models import Account
from tests.jobs.worker import running_worker, wait_for
from transfer.models import ImportRun
from transfer.services import runs
from transfer.tasks import execute_import_run

from .files import HUBSPOT_COMPANIES, csv_upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_import_runs_in_a_worker_and_a_second_delivery_does_nothing(redis_url, sales_user):
    run = runs.start_import(
        user=sales_user, upload=csv_upload(HUBSPOT_COMPANIES[:4]), kind="accounts", preset="hubspot"
    )
    with running_worker(broker_url=redis_url):
        runs.queue_run(run=run, user=sales_user, phase="import")
        wait_for(
            lambda: ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.DONE).exists(),
            what="the import to finish",
        )
    assert Account.objects.count() == 3
    # acks_late may deliver twice: the run is no longer queued, so nothing is imported again.
    assert execute_import_run.apply(args=[run.pk]).get() == "skipped"
    assert Account.objects.count() == 3
