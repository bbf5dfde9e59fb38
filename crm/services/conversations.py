"""Logging and editing conversations: the one place the conversation rules are applied."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from core.services.audit import changed_fields, record_audit_event
from crm.models import Conversation, ConversationObjection
from crm.signals import conversation_logged

from . import rules
from .concurrency import claim_version
from .followups import sync_followup

logger = logging.getLogger(__name__)

# Clocks differ a little between a phone and the server.
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_OBJECTIONS = 10

FIELDS = (
    "account",
    "opportunity",
    "channel",
    "occurred_at",
    "customer_goal",
    "discussed",
    "insight_shared",
    "theme",
    "customer_reaction",
    "objections",
    "campaign",
    "campaign_known_to_rep",
    "outcome",
    "next_step",
    "next_step_due",
)


def clean_objections(raw) -> list[str]:
    """Short tags, trimmed, without case-insensitive repeats; a comma string is accepted."""
    if isinstance(raw, str):
        raw = raw.split(",")
    tags: list[str] = []
    for item in raw or []:
        tag = " ".join(str(item).split())[:60]
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags


def check_conversation(values: Mapping[str, Any], *, status: str) -> dict[str, list[str]]:
    """Every rule for the given target status; returns field -> messages (empty when fine)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    account = values.get("account")
    if account is None:
        add("account", _("Choose the account you talked with."))
    occurred_at = values.get("occurred_at")
    if occurred_at is None:
        add("occurred_at", _("Give the date and time of the conversation."))
    elif occurred_at > timezone.now() + FUTURE_TOLERANCE:
        add("occurred_at", _("A conversation cannot be logged before it has happened."))
    due = values.get("next_step_due")
    if due and occurred_at and due < timezone.localdate(occurred_at):
        add("next_step_due", _("The next step cannot be due before the conversation."))
    if account is not None:
        if any(contact.account_id != account.pk for contact in values.get("contacts") or []):
            add("contacts", _("Choose contacts of the selected account."))
        opportunity = values.get("opportunity")
        if opportunity is not None and opportunity.account_id != account.pk:
            add("opportunity", _("Choose an opportunity of the selected account."))
    if len(values.get("objections") or []) > MAX_OBJECTIONS:
        add("objections", _("Name at most %(count)d objections.") % {"count": MAX_OBJECTIONS})
    if values.get("theme") is not None and values["theme"].status == "proposed":
        add("theme", _("Choose an active theme; this one has not been approved yet."))

    if status == Conversation.Status.COMPLETE:
        for field, message in rules.text_problems(values).items():
            add(field, message)
        required = ["customer_goal", "discussed", "outcome"]
        if values.get("outcome") not in Conversation.CLOSING_OUTCOMES:
            required += ["next_step", "next_step_due"]
        for field in required:
            value = values.get(field)
            if (value.strip() if isinstance(value, str) else value) or field in errors:
                continue
            add(field, rules.required_message(field))
    return errors


def audit_snapshot(conversation: Conversation) -> dict[str, str]:
    """The audited fields of a conversation as strings, for `changed_fields`."""
    snapshot = {field: str(getattr(conversation, field) or "") for field in FIELDS}
    snapshot["status"] = conversation.status
    return snapshot


def _values_of(conversation: Conversation | None, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if conversation is not None:
        values = {field: getattr(conversation, field) for field in FIELDS}
        values["contacts"] = list(conversation.contacts.all())
    for field in (*FIELDS, "contacts"):
        if field in data:
            values[field] = data[field]
    for field in rules.TEXT_FIELDS:
        values[field] = (values.get(field) or "").strip()
    values["objections"] = clean_objections(values.get("objections"))
    values.setdefault("channel", Conversation.Channel.MEETING)
    values.setdefault("campaign_known_to_rep", True)
    values["outcome"] = values.get("outcome") or ""
    if not values.get("campaign"):
        values["campaign_known_to_rep"] = True
    occurred_at = values.get("occurred_at")
    values["occurred_on"] = timezone.localdate(occurred_at) if occurred_at else None
    return values


def _save(
    *, conversation: Conversation, values: dict[str, Any], status: str, user, created: bool
) -> Conversation:
    for field in FIELDS:
        if field in values:
            setattr(conversation, field, values[field])
    conversation.status = status
    conversation.quality_score = rules.quality_score(values)
    # One history record per save, taken after the contacts are set, so it holds them:
    # silence the records simple-history would write for the row and the m2m change.
    conversation.skip_history_when_saving = True
    try:
        conversation.save()
        contact_links = _link_contacts(conversation, values.get("contacts") or [], created=created)
    finally:
        del conversation.skip_history_when_saving
    _record_history(conversation, user=user, created=created, contact_links=contact_links)
    _save_objection_rows(conversation, values["objections"], created=created)
    sync_followup(conversation=conversation, created=created)
    transaction.on_commit(lambda: _announce(conversation, created))
    return conversation


def _link_contacts(conversation: Conversation, contacts: list, *, created: bool) -> list:
    """Make `contacts` the conversation's contacts; returns the link rows for the history."""
    links = Conversation.contacts.through
    if created:
        # A new conversation has no links to compare with: one INSERT.
        return links.objects.bulk_create(
            [
                links(conversation=conversation, contact=contact)
                for contact in dict.fromkeys(contacts)
            ]
        )
    conversation.contacts.set(contacts)
    return list(links.objects.filter(conversation=conversation))


@functools.cache
def _history_models() -> tuple[type[models.Model], type[models.Model]]:
    # Looked up once: simple-history builds a new manager class on every `.history` access.
    record_model = Conversation.history.model
    return record_model, record_model.contacts.model


def _record_history(
    conversation: Conversation, *, user, created: bool, contact_links: list
) -> None:
    """Write the save's single history record with its contacts: two INSERTs."""
    record_model, contacts_model = _history_models()
    record = record_model.objects.create(
        history_date=timezone.now(),
        history_type="+" if created else "~",
        history_user=user,
        **{
            field.attname: getattr(conversation, field.attname)
            for field in record_model.tracked_fields
        },
    )
    contacts_model.objects.bulk_create(
        [
            contacts_model(
                history=record,
                id=link.pk,
                conversation_id=link.conversation_id,
                contact_id=link.contact_id,
            )
            for link in contact_links
        ]
    )


def _save_objection_rows(conversation: Conversation, tags: list[str], *, created: bool) -> None:
    """Keep one ConversationObjection row per tag (a new conversation has none yet)."""
    if not created:
        ConversationObjection.objects.filter(conversation=conversation).exclude(
            tag__in=tags
        ).delete()
        existing = set(conversation.objection_tags.values_list("tag", flat=True))
        tags = [tag for tag in tags if tag not in existing]
    ConversationObjection.objects.bulk_create(
        [ConversationObjection(conversation=conversation, tag=tag) for tag in tags]
    )


def _announce(conversation: Conversation, created: bool) -> None:
    for receiver, result in conversation_logged.send_robust(
        sender=Conversation, conversation=conversation, created=created
    ):
        if isinstance(result, Exception):
            logger.error("conversation_logged receiver %r failed", receiver, exc_info=result)


def _target_status(data: Mapping[str, Any]) -> str:
    status = data.get("status") or Conversation.Status.COMPLETE
    if status not in Conversation.Status.values:
        raise ValidationError({"status": [_("Choose draft or complete.")]})
    return status


@transaction.atomic
def log_conversation(*, author, data: Mapping[str, Any]) -> Conversation:
    """Create a conversation by `author` (never taken from `data`); complete unless status=draft."""
    if not can(author, "conversation.log"):
        raise PermissionDenied(_("You may not log conversations."))
    status = _target_status(data)
    values = _values_of(None, data)
    errors = check_conversation(values, status=status)
    if errors:
        raise ValidationError(errors)
    conversation = _save(
        conversation=Conversation(author=author),
        values=values,
        status=status,
        user=author,
        created=True,
    )
    record_audit_event(
        actor=author, action="create", obj=conversation, summary=_("Conversation logged")
    )
    return conversation


@transaction.atomic
def update_conversation(
    *,
    conversation: Conversation,
    editor,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Conversation:
    """Edit one's own conversation; `data` may be partial, omitted fields keep their values.

    `expected_version` is the version the editor started from: a later save by anyone
    raises `EditConflict` instead of being overwritten.
    """
    if not can(editor, "conversation.log") or conversation.author_id != editor.pk:
        raise PermissionDenied(_("Only the author may edit a conversation."))
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    status = _target_status(data) if "status" in data else conversation.status
    values = _values_of(conversation, data)
    if values.get("theme") is not None and values["theme"].pk == conversation.theme_id:
        values["theme_unchanged"] = True
    errors = check_conversation(values, status=status)
    if values.get("theme_unchanged"):
        errors.pop("theme", None)
    if errors:
        raise ValidationError(errors)
    before = audit_snapshot(conversation)
    claim_version(conversation, expected=expected_version)
    conversation = _save(
        conversation=conversation, values=values, status=status, user=editor, created=False
    )
    record_audit_event(
        actor=editor,
        action="change",
        obj=conversation,
        summary=_("Conversation edited"),
        changes=changed_fields(before, audit_snapshot(conversation)),
    )
    return conversation


def score_preview(data: Mapping[str, Any]) -> tuple[int, dict[str, list[str]]]:
    """The quality score and the problems a draft would have if completed (live guidance)."""
    values = _values_of(None, data)
    return rules.quality_score(values), check_conversation(
        values, status=Conversation.Status.COMPLETE
    )
