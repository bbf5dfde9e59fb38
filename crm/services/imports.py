"""Bringing records from another CRM: the same rules as the forms, saved in bulk.

The `transfer` app parses files and maps columns; everything that decides whether a
row is acceptable, and how it is stored, lives here beside the services it reuses.
Historical notes are the one exception to the structured-notes rules: they were
written elsewhere, so they are kept as `imported`, complete, without follow-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from crm.models import Account, Contact, Conversation, Opportunity, OpportunityStageChange

from . import accounts as account_rules
from . import opportunities as opportunity_rules
from . import rules
from .conversations import _values_of, check_conversation

BATCH_SIZE = 2000

# Relations are checked by the importer (it resolves them); everything else by the model.
_RELATIONS = {"account", "owner", "campaign", "author", "theme", "opportunity"}


def _field_errors(instance, extra: Iterable[str] = ()) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        instance.clean_fields(exclude=[*_RELATIONS, *extra])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def check_account(account: Account) -> dict[str, list[str]]:
    """The account form's rules for an unsaved or changed account (field -> messages)."""
    errors = _field_errors(account)
    try:
        account_rules._apply(account, (), {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def check_contact(contact: Contact) -> dict[str, list[str]]:
    errors = _field_errors(contact)
    try:
        account_rules._apply(contact, (), {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def check_opportunity(opportunity: Opportunity) -> dict[str, list[str]]:
    opportunity.currency = (opportunity.currency or "EUR").upper()
    errors = _field_errors(opportunity, extra=("stage_changed_at", "closed_at"))
    try:
        opportunity_rules._check(opportunity)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def check_historical_note(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Only what any conversation needs (account, a past date, matching contacts)."""
    return check_conversation(_values_of(None, values), status=Conversation.Status.DRAFT)


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("You may not import these records."))


@transaction.atomic
def bulk_create_accounts(*, creator, accounts: Sequence[Account]) -> list[Account]:
    """Checked accounts in batches; the caller sets owners (a sales rep owns what they import)."""
    _require(creator, "crm.write")
    return Account.objects.bulk_create(accounts, batch_size=BATCH_SIZE)


@transaction.atomic
def bulk_create_contacts(*, creator, contacts: Sequence[Contact]) -> list[Contact]:
    _require(creator, "crm.write")
    return Contact.objects.bulk_create(contacts, batch_size=BATCH_SIZE)


@transaction.atomic
def bulk_create_opportunities(
    *, creator, opportunities: Sequence[Opportunity]
) -> list[Opportunity]:
    """Opportunities with their first stage recorded, as `create_opportunity` does one by one."""
    _require(creator, "crm.write")
    now = timezone.now()
    for opportunity in opportunities:
        opportunity_rules._apply_stage(opportunity, previous="", user=creator)
        opportunity.stage_changed_at = opportunity.stage_changed_at or now
    created = Opportunity.objects.bulk_create(opportunities, batch_size=BATCH_SIZE)
    OpportunityStageChange.objects.bulk_create(
        [
            OpportunityStageChange(
                opportunity=opportunity,
                from_stage="",
                to_stage=opportunity.stage,
                changed_at=opportunity.stage_changed_at,
                changed_by=creator,
            )
            for opportunity in created
        ],
        batch_size=BATCH_SIZE,
    )
    return created


@transaction.atomic
def import_historical_notes(*, author, rows: Sequence[Mapping[str, Any]]) -> list[Conversation]:
    """Notes from another CRM as complete, `imported` conversations: no rules, no follow-ups.

    Each row has `account`, `occurred_at` and the note as `discussed` (optionally
    `channel`, `customer_goal`, `opportunity`, `contacts`). Refuses everything if one
    row lacks what every conversation needs.
    """
    _require(author, "conversation.log")
    conversations: list[Conversation] = []
    contacts_of: list[list[Contact]] = []
    for number, row in enumerate(rows, start=1):
        values = _values_of(None, row)
        errors = check_conversation(values, status=Conversation.Status.DRAFT)
        if errors:
            raise ValidationError(
                {
                    field: [f"{number}: {message}" for message in msgs]
                    for field, msgs in errors.items()
                }
            )
        conversation = Conversation(
            author=author,
            status=Conversation.Status.COMPLETE,
            imported=True,
            quality_score=rules.quality_score(values),
        )
        for field in ("account", "opportunity", "channel", "occurred_at", *rules.TEXT_FIELDS):
            if field in values:
                setattr(conversation, field, values[field])
        conversations.append(conversation)
        contacts_of.append(list(values.get("contacts") or []))
    created = Conversation.objects.bulk_create(conversations, batch_size=BATCH_SIZE)
    links = [
        Conversation.contacts.through(conversation_id=conversation.pk, contact_id=contact.pk)
        for conversation, contacts in zip(created, contacts_of, strict=True)
        for contact in contacts
    ]
    Conversation.contacts.through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return created
