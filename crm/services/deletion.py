"""Soft delete of conversations: hidden at once, restorable by a manager, purged after 30 days."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from core.services.audit import record_audit_event
from crm.models import Conversation, ConversationObjection, FollowUp
from crm.signals import announce_withdrawn

from .conversations import clean_objections
from .followups import sync_followup

RESTORE_DAYS = 30


def may_delete_conversation(user, conversation: Conversation) -> bool:
    """The author (who may log conversations) or a manager."""
    if can(user, "crm.manage"):
        return True
    return can(user, "conversation.log") and conversation.author_id == user.pk


def may_restore_conversations(user) -> bool:
    return can(user, "crm.manage")


def restore_deadline(conversation: Conversation):
    return conversation.deleted_at + timedelta(days=RESTORE_DAYS)


def recently_deleted() -> QuerySet[Conversation]:
    """Deleted conversations still restorable, newest deletion first."""
    since = timezone.now() - timedelta(days=RESTORE_DAYS)
    return (
        Conversation.all_objects.filter(deleted_at__gte=since)
        .select_related("account", "author", "deleted_by")
        .order_by("-deleted_at", "-pk")
    )


@transaction.atomic
def delete_conversation(*, conversation: Conversation, user) -> Conversation:
    """Hide a conversation everywhere; its objection tags and open follow-up go with it."""
    if not may_delete_conversation(user, conversation):
        raise PermissionDenied(_("Only the author or a manager may delete a conversation."))
    now = timezone.now()
    moved = Conversation.all_objects.filter(pk=conversation.pk, deleted_at__isnull=True).update(
        deleted_at=now, deleted_by=user, version=F("version") + 1
    )
    if not moved:
        raise ValidationError({"non_field_errors": [_("This conversation is already deleted.")]})
    # Derived rows are rebuilt on restore; a follow-up already done stays as a record.
    ConversationObjection.objects.filter(conversation_id=conversation.pk).delete()
    FollowUp.objects.filter(conversation_id=conversation.pk, done_at__isnull=True).delete()
    conversation.refresh_from_db()
    record_audit_event(
        actor=user, action="delete", obj=conversation, summary=_("Conversation deleted")
    )
    announce_withdrawn([conversation.pk])
    return conversation


@transaction.atomic
def restore_conversation(*, conversation: Conversation, user) -> Conversation:
    """Bring a deleted conversation back (managers, within 30 days)."""
    if not may_restore_conversations(user):
        raise PermissionDenied(_("Only a manager may restore a conversation."))
    since = timezone.now() - timedelta(days=RESTORE_DAYS)
    moved = Conversation.all_objects.filter(pk=conversation.pk, deleted_at__gte=since).update(
        deleted_at=None, deleted_by=None, version=F("version") + 1
    )
    if not moved:
        raise ValidationError(
            {"non_field_errors": [_("This conversation can no longer be restored.")]}
        )
    conversation = Conversation.objects.get(pk=conversation.pk)
    ConversationObjection.objects.bulk_create(
        [
            ConversationObjection(conversation=conversation, tag=tag)
            for tag in clean_objections(conversation.objections)
        ],
        ignore_conflicts=True,
    )
    sync_followup(conversation=conversation)
    record_audit_event(
        actor=user, action="restore", obj=conversation, summary=_("Conversation restored")
    )
    announce_withdrawn([conversation.pk])
    return conversation


def purge_deleted_conversations(*, now=None) -> int:
    """Delete for good the conversations deleted more than 30 days ago; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=RESTORE_DAYS)
    expired = Conversation.all_objects.filter(deleted_at__lt=cutoff)
    purged = 0
    for pk in list(expired.values_list("pk", flat=True)[:10000]):
        with transaction.atomic():
            rows = Conversation.all_objects.filter(pk=pk, deleted_at__lt=cutoff)
            label = str(rows.first() or "")
            if rows.delete()[0]:
                purged += 1
                record_audit_event(
                    actor=None,
                    action="delete",
                    object_type="crm.conversation",
                    object_id=pk,
                    summary=_("Purged 30 days after deletion: %(label)s") % {"label": label},
                )
    return purged
