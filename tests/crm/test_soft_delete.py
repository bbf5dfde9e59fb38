"""Soft delete: the author or a manager deletes; hidden everywhere; a manager restores for 30 days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditEvent
from core.schedule import registered_jobs
from crm.models import Conversation, ConversationObjection, FollowUp
from crm.services import deletion
from crm.services.followups import sync_followup
from kpis.models import KpiSnapshot
from kpis.services.rollup import rollup_kpis
from tests.crm.factories import ConversationFactory

pytestmark = pytest.mark.django_db


def _logged(author, **kwargs):
    conversation = ConversationFactory(author=author, **kwargs)
    ConversationObjection.objects.create(conversation=conversation, tag="training effort")
    sync_followup(conversation=conversation)
    return conversation


def test_the_author_deletes_from_the_page_and_it_disappears_everywhere(
    client_as, api_as, sales_user, marketing_user
):
    conversation = _logged(sales_user)
    client = client_as(sales_user)
    assert "/delete/" in client.get(conversation.get_absolute_url()).content.decode()
    response = client.post(f"/crm/conversations/{conversation.pk}/delete/")
    assert response.status_code == 302
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert Conversation.all_objects.get(pk=conversation.pk).deleted_by == sales_user
    # Lists, detail pages, API, the feed's objection counts, the rep's follow-ups.
    assert conversation.customer_goal not in client.get("/crm/conversations/").content.decode()
    assert client.get(conversation.get_absolute_url()).status_code == 404
    reader = api_as(marketing_user)
    assert reader.get("/api/conversations/").json()["count"] == 0
    assert reader.get(f"/api/conversations/{conversation.pk}/").status_code == 404
    assert not ConversationObjection.objects.filter(conversation_id=conversation.pk).exists()
    assert not FollowUp.objects.filter(conversation_id=conversation.pk).exists()
    assert not conversation.account.conversations.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(conversation.pk)).exists()


def test_kpis_do_not_count_deleted_conversations(sales_user):
    kept = _logged(sales_user)
    gone = _logged(sales_user)
    deletion.delete_conversation(conversation=gone, user=sales_user)
    day = timezone.localdate(kept.occurred_at)
    rollup_kpis(since=day, until=day)
    snapshot = KpiSnapshot.objects.get(
        metric="conversations_logged", period="day", period_start=day, dimension="all"
    )
    assert snapshot.value == 1
    objections = KpiSnapshot.objects.filter(
        metric="objections_top", period="day", period_start=day, dimension="all"
    )
    assert sum(row.value for row in objections) == 1


def test_another_rep_may_not_delete_but_a_manager_may(
    client_as, api_as, sales_user, other_sales_user, manager_user
):
    conversation = _logged(sales_user)
    assert (
        client_as(other_sales_user)
        .post(f"/crm/conversations/{conversation.pk}/delete/")
        .status_code
        == 403
    )
    assert (
        api_as(other_sales_user).delete(f"/api/conversations/{conversation.pk}/").status_code == 403
    )
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert api_as(manager_user).delete(f"/api/conversations/{conversation.pk}/").status_code == 204
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_a_manager_restores_from_recently_deleted(client_as, sales_user, manager_user):
    conversation = _logged(sales_user)
    deletion.delete_conversation(conversation=conversation, user=sales_user)
    client = client_as(manager_user)
    page = client.get("/crm/conversations/deleted/")
    assert page.status_code == 200
    assert conversation in page.context["conversations"]
    response = client.post(f"/crm/conversations/{conversation.pk}/restore/")
    assert response.status_code == 302
    restored = Conversation.objects.get(pk=conversation.pk)
    assert restored.deleted_at is None
    assert list(restored.objection_tags.values_list("tag", flat=True)) == ["training effort"]
    assert FollowUp.objects.filter(conversation=restored, done_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="restore", actor=manager_user).exists()
    # History is intact and still readable.
    assert restored.history.exists()


def test_reps_cannot_see_recently_deleted_or_restore(client_as, api_as, sales_user):
    conversation = _logged(sales_user)
    deletion.delete_conversation(conversation=conversation, user=sales_user)
    assert client_as(sales_user).get("/crm/conversations/deleted/").status_code == 403
    response = api_as(sales_user).post(f"/api/conversations/{conversation.pk}/restore/")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        deletion.restore_conversation(conversation=conversation, user=sales_user)


def test_restore_through_the_api(api_as, sales_user, manager_user):
    conversation = _logged(sales_user)
    deletion.delete_conversation(conversation=conversation, user=sales_user)
    response = api_as(manager_user).post(f"/api/conversations/{conversation.pk}/restore/")
    assert response.status_code == 200
    assert response.json()["id"] == conversation.pk


def test_after_30_days_it_cannot_be_restored_and_the_nightly_job_purges_it(
    sales_user, manager_user
):
    old = _logged(sales_user)
    recent = _logged(sales_user)
    deletion.delete_conversation(conversation=old, user=sales_user)
    deletion.delete_conversation(conversation=recent, user=sales_user)
    Conversation.all_objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=31)
    )
    assert old not in deletion.recently_deleted()
    with pytest.raises(Exception, match="no longer be restored"):
        deletion.restore_conversation(conversation=old, user=manager_user)
    from crm.tasks import purge_deleted_conversations

    assert purge_deleted_conversations() == 1
    assert not Conversation.all_objects.filter(pk=old.pk).exists()
    assert Conversation.all_objects.filter(pk=recent.pk).exists()
    assert purge_deleted_conversations() == 0  # idempotent
    assert "crm.tasks.purge_deleted_conversations" in {job.task for job in registered_jobs()}


def test_a_deleted_conversation_cannot_be_edited(api_as, sales_user):
    conversation = _logged(sales_user)
    deletion.delete_conversation(conversation=conversation, user=sales_user)
    response = api_as(sales_user).patch(
        f"/api/conversations/{conversation.pk}/", {"channel": "call"}
    )
    assert response.status_code == 404


def test_create_is_audited(api_as, sales_user):
    from tests.crm.factories import AccountFactory

    account = AccountFactory()
    response = api_as(sales_user).post(
        "/api/conversations/",
        {
            "account": account.pk,
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "status": "draft",
        },
    )
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(
        action="create", object_type="crm.conversation", object_id=str(response.json()["id"])
    ).exists()
