import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment.models import ServiceLevel, ServiceLevelBreach
from alignment.services.service_levels import check_service_levels
from alignment.tasks import check_service_levels as check_task
from core.models import Notification
from core.schedule import registered_jobs
from crm.models import Opportunity, OpportunityStageChange

from .factories import ConversationFactory, OpportunityFactory, ServiceLevelFactory

pytestmark = pytest.mark.django_db


def lead(hours_ago: float, **kwargs):
    opportunity = OpportunityFactory(**kwargs)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=hours_ago)
    )
    opportunity.refresh_from_db()
    return opportunity


def test_lead_without_a_conversation_in_time_is_a_breach_once(manager_user, marketing_user):
    ServiceLevelFactory(target=24)
    waiting = lead(30)
    lead(10)  # still within the promise
    lead(40, source="sales")  # not a marketing lead
    answered = lead(50)
    ConversationFactory(
        account=answered.account, occurred_at=answered.created_at + dt.timedelta(hours=3)
    )
    late = lead(60)
    ConversationFactory(
        opportunity=late, account=late.account, occurred_at=late.created_at + dt.timedelta(hours=30)
    )

    breaches = check_service_levels()
    assert {b.subject_key for b in breaches} == {
        f"opportunity:{waiting.pk}",
        f"opportunity:{late.pk}",
    }
    assert check_service_levels() == []  # the daily job is idempotent
    assert ServiceLevelBreach.objects.count() == 2
    owner_notes = Notification.objects.filter(user=waiting.owner, kind="servicelevel.breach")
    assert owner_notes.count() == 1 and "no conversation after" in owner_notes.get().body
    assert Notification.objects.filter(user=manager_user, kind="servicelevel.breach").count() == 2


def test_paused_service_levels_are_not_checked():
    ServiceLevelFactory(target=24, active=False)
    lead(30)
    assert check_service_levels() == []


def test_monthly_qualified_leads_breach_for_the_month_that_ended(marketing_user):
    ServiceLevelFactory(kind=ServiceLevel.Kind.QUALIFIED_LEADS, target=2, name="Two a month")
    today = timezone.localdate()
    last_month = timezone.make_aware(
        dt.datetime.combine((today.replace(day=1) - dt.timedelta(days=5)), dt.time(12))
    )
    qualified = OpportunityFactory()
    OpportunityStageChange.objects.create(
        opportunity=qualified, to_stage="qualified", changed_at=last_month
    )
    OpportunityStageChange.objects.create(
        opportunity=qualified, from_stage="qualified", to_stage="proposal", changed_at=last_month
    )
    from_sales = OpportunityFactory(source="sales")
    OpportunityStageChange.objects.create(
        opportunity=from_sales, to_stage="qualified", changed_at=last_month
    )

    (breach,) = check_service_levels()
    assert breach.measured == 1
    assert breach.subject_key == f"month:{last_month:%Y-%m}"
    assert "delivered 1 of 2" in breach.summary
    assert Notification.objects.filter(user=marketing_user, kind="servicelevel.breach").exists()
    assert check_service_levels() == []


def test_monthly_target_met_is_no_breach():
    ServiceLevelFactory(kind=ServiceLevel.Kind.QUALIFIED_LEADS, target=1)
    last_month = timezone.now().replace(day=1) - dt.timedelta(days=3)
    OpportunityStageChange.objects.create(
        opportunity=OpportunityFactory(), to_stage="won", changed_at=last_month
    )
    assert check_service_levels() == []


def test_daily_job_is_registered_and_runs_the_check():
    job = next(j for j in registered_jobs() if j.task == "alignment.tasks.check_service_levels")
    assert job.crontab["hour"] == "6"
    ServiceLevelFactory(target=1)
    lead(5)
    assert check_task.delay().get() == 1


def test_service_level_page_lists_breaches_and_the_current_state(client, manager_user):
    ServiceLevelFactory(target=24, name="Leads within a day")
    lead(30, name="Kone Lehtinen")
    check_service_levels()
    client.force_login(manager_user)
    html = client.get(reverse("alignment:service-levels")).content.decode()
    assert "Leads within a day" in html and "Kone Lehtinen" in html
    assert "Right now: 1 lead is late." in html
