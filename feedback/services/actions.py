"""Actions taken on feedback, and telling authors what became of their entries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.services.notifications import notify
from crm.services.concurrency import claim_version
from feedback.models import Action, FeedbackEntry, FeedbackRound

S = Action.Status
# Where an action may go from each status; done and declined are final.
TRANSITIONS: dict[str, set[str]] = {
    S.NEW: {S.PLANNED, S.IN_PROGRESS, S.DONE, S.DECLINED},
    S.PLANNED: {S.NEW, S.IN_PROGRESS, S.DONE, S.DECLINED},
    S.IN_PROGRESS: {S.PLANNED, S.DONE, S.DECLINED},
    S.DONE: set(),
    S.DECLINED: set(),
}


@transaction.atomic
def create_action(
    *,
    created_by,
    title: str,
    entries: Iterable[FeedbackEntry] = (),
    feedback_round: FeedbackRound | None = None,
    owner=None,
    due: date | None = None,
    description: str = "",
    source: str = Action.Source.TRIAGE,
) -> Action:
    """Turn one or more entries (or a meeting decision) into an action; owner defaults to creator."""
    entries = list(entries)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("Give the action a title.")]
    if feedback_round is None and entries:
        feedback_round = entries[0].round
    if feedback_round is None:
        errors["entries"] = [_("Choose at least one entry.")]
    elif any(entry.round_id != feedback_round.pk for entry in entries):
        errors["entries"] = [_("All entries must come from the same round.")]
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        round=feedback_round,
        title=title[:200],
        description=description.strip(),
        owner=owner or created_by,
        created_by=created_by,
        due=due,
        source=source,
    )
    action.entries.set(entries)
    return action


@transaction.atomic
def update_action(
    *,
    action: Action,
    title: str,
    owner,
    due: date | None,
    description: str = "",
    entries: Iterable[FeedbackEntry] | None = None,
    expected_version: int | None = None,
) -> Action:
    """Edit an action; a save by someone else after `expected_version` raises EditConflict."""
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": [_("Give the action a title.")]})
    if entries is not None:
        entries = list(entries)
        if any(entry.round_id != action.round_id for entry in entries):
            raise ValidationError({"entries": [_("All entries must come from the same round.")]})
    action = Action.objects.select_for_update().get(pk=action.pk)
    claim_version(action, expected=expected_version)
    if entries is not None:
        action.entries.set(entries)
    action.title, action.owner, action.due = title[:200], owner, due
    action.description = description.strip()
    action.save(update_fields=["title", "owner", "due", "description", "version"])
    return action


@transaction.atomic
def change_action_status(
    *, action: Action, status: str, outcome: str = "", decline_reason: str = ""
) -> Action:
    """Move an action along new → planned → in progress → done / declined (with a reason)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status == action.status:
        if outcome and outcome.strip() != action.outcome:
            claim_version(action, expected=None)
            action.outcome = outcome.strip()
            action.save(update_fields=["outcome", "version"])
        return action
    if status not in TRANSITIONS.get(action.status, set()):
        raise ValidationError(
            {
                "status": [
                    _("An action cannot go from %(old)s to %(new)s.")
                    % {"old": action.get_status_display(), "new": status}
                ]
            }
        )
    decline_reason = (decline_reason or "").strip()
    if status == S.DECLINED and not decline_reason:
        raise ValidationError(
            {"decline_reason": [_("Say why the action is declined; the authors will read it.")]}
        )
    action.status = status
    if outcome:
        action.outcome = outcome.strip()
    if status == S.DECLINED:
        action.decline_reason = decline_reason
    if status in Action.CLOSED_STATUSES:
        action.closed_at = timezone.now()
    claim_version(action, expected=None)
    action.save()
    if action.is_closed:
        tell_authors(action=action)
    return action


def tell_authors(*, action: Action) -> int:
    """ "You said, we did": notify the named authors behind the action, once each.

    Anonymous authors are never looked up; they see the outcome on their own
    round page, which recognises their entries by the keyed hash.
    """
    authors = (
        get_user_model()
        .objects.filter(
            feedback_entries__actions=action, feedback_entries__anonymous=False, is_active=True
        )
        .distinct()
    )
    with override(settings.LANGUAGE_CODE):
        if action.status == S.DONE:
            subject = _("You said, we did: %(title)s") % {"title": action.title}
            body = action.outcome or _("The action on your feedback is done.")
        else:
            subject = _("You said, we answered: %(title)s") % {"title": action.title}
            body = _("We decided not to do this: %(reason)s") % {"reason": action.decline_reason}
        link = reverse("feedback:round", kwargs={"month": action.round.month})
        sent = 0
        for author in authors:
            created = notify(
                user=author,
                kind="feedback.you_said_we_did",
                subject=subject,
                body=body,
                link=link,
                dedupe_key=f"feedback-action-closed:{action.pk}",
            )
            sent += created is not None
    return sent
