"""The daily service-level check runs in a real worker on Redis (wiring, not logic)."""

import datetime as dt

import pytest
from django.utils import timezone

from alignment.models import ServiceLevelBreach
from alignment.tasks import check_service_levels
from crm.models import Opportunity
from tests.jobs.worker import running_worker, wait_for

from .factories import OpportunityFactory, ServiceLevelFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_service_level_job_records_a_breach_through_the_worker(redis_url, manager_user):
    ServiceLevelFactory(target=24)
    lead = OpportunityFactory()
    Opportunity.objects.filter(pk=lead.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=30)
    )
    with running_worker(broker_url=redis_url):
        check_service_levels.delay()
        breach = wait_for(
            lambda: ServiceLevelBreach.objects.filter(subject_key=f"opportunity:{lead.pk}").first(),
            what="the breach",
        )
    assert breach.service_level.target == 24
    assert ServiceLevelBreach.objects.count() == 1
