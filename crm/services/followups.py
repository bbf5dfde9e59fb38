"""Follow-ups: the next steps reps promised, kept in step with their conversations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Conversation, FollowUp


def sync_followup(*, conversation: Conversation, created: bool = False) -> FollowUp | None:
    """Create or update the author's follow-up from a complete conversation's next step.

    A next step that is removed (or an outcome that closes the matter) deletes the open
    follow-up; one already done stays as a record. `created`: the conversation was just
    inserted, so it has no follow-up to look up.
    """
    wanted = (
        conversation.status == Conversation.Status.COMPLETE
        and conversation.next_step
        and conversation.next_step_due
        and conversation.outcome not in Conversation.CLOSING_OUTCOMES
    )
    existing = None if created else FollowUp.objects.filter(conversation=conversation).first()
    if not wanted:
        if existing is not None and existing.done_at is None:
            existing.delete()
        return None
    if existing is None:
        return FollowUp.objects.create(
            conversation=conversation,
            owner_id=conversation.author_id,
            account_id=conversation.account_id,
            title=conversation.next_step,
            due=conversation.next_step_due,
        )
    if existing.due != conversation.next_step_due or existing.title != conversation.next_step:
        # A changed promise is a new promise: it is open again.
        if existing.due != conversation.next_step_due:
            existing.done_at = None
        existing.title = conversation.next_step
        existing.due = conversation.next_step_due
        existing.account_id = conversation.account_id
        existing.save()
    return existing


@transaction.atomic
def set_followup_done(*, followup: FollowUp, user, done: bool) -> FollowUp:
    """Mark the caller's own follow-up done or open again."""
    if followup.owner_id != user.pk:
        raise PermissionDenied(_("This follow-up belongs to someone else."))
    followup.done_at = timezone.now() if done else None
    followup.save(update_fields=["done_at", "updated_at"])
    return followup
