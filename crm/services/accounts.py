"""Accounts and contacts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import can
from core.services.audit import changed_fields, record_audit_event
from crm.models import Account, Contact

ACCOUNT_FIELDS = ("name", "industry", "segment", "country", "website", "business_id", "owner")
CONTACT_FIELDS = ("account", "name", "title", "email", "phone", "consent_basis")


def _require_write(user) -> None:
    if not can(user, "crm.write"):
        raise PermissionDenied(_("You may not change accounts and contacts."))


def _snapshot(instance, fields) -> dict[str, str]:
    return {field: str(getattr(instance, field) or "") for field in fields}


def _apply(instance, fields, data: Mapping[str, Any]) -> None:
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    if not (instance.name or "").strip():
        raise ValidationError({"name": [_("A name is required.")]})
    instance.name = instance.name.strip()


@transaction.atomic
def create_account(*, creator, data: Mapping[str, Any]) -> Account:
    """A new account; the creator owns it unless another owner is given."""
    _require_write(creator)
    account = Account(owner=creator)
    _apply(account, ACCOUNT_FIELDS, data)
    account.save()
    record_audit_event(actor=creator, action="create", obj=account, summary=_("Account created"))
    return account


@transaction.atomic
def update_account(*, account: Account, editor, data: Mapping[str, Any]) -> Account:
    _require_write(editor)
    before = _snapshot(account, ACCOUNT_FIELDS)
    _apply(account, ACCOUNT_FIELDS, data)
    account.save()
    record_audit_event(
        actor=editor,
        action="change",
        obj=account,
        summary=_("Account edited"),
        changes=changed_fields(before, _snapshot(account, ACCOUNT_FIELDS)),
    )
    return account


@transaction.atomic
def create_contact(*, creator, data: Mapping[str, Any]) -> Contact:
    _require_write(creator)
    contact = Contact()
    _apply(contact, CONTACT_FIELDS, data)
    contact.save()
    record_audit_event(actor=creator, action="create", obj=contact, summary=_("Contact created"))
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, editor, data: Mapping[str, Any]) -> Contact:
    _require_write(editor)
    before = _snapshot(contact, CONTACT_FIELDS)
    _apply(contact, CONTACT_FIELDS, data)
    contact.save()
    record_audit_event(
        actor=editor,
        action="change",
        obj=contact,
        summary=_("Contact edited"),
        changes=changed_fields(before, _snapshot(contact, CONTACT_FIELDS)),
    )
    return contact
