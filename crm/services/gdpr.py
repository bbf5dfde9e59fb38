"""Data protection: export everything Silta holds about a contact, or erase the person.

Erasure pseudonymises rather than deletes: the contact row, the conversations and the
business facts stay (pipeline and KPIs remain true), but the name, e-mail and phone are
replaced wherever they were written down — in conversation texts, their history rows,
follow-ups, notifications and the audit log.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent, Notification
from core.roles import can
from core.services.audit import record_audit_event
from crm.models import Contact, Conversation, FollowUp
from crm.signals import announce_withdrawn

TEXT_FIELDS = ("customer_goal", "discussed", "insight_shared", "customer_reaction", "next_step")
CONTACT_FIELDS = ("name", "title", "email", "phone", "consent_basis", "created_at", "erased_at")
MIN_TERM_LENGTH = 3


def pseudonym(contact: Contact) -> str:
    # Stored data, not interface text: the same in every language.
    return f"Erased contact #{contact.pk}"


def _require(user) -> None:
    if not can(user, "gdpr.manage"):
        raise PermissionDenied(_("Only a manager may export or erase personal data."))


def _terms(contact: Contact) -> list[str]:
    """What identifies the person in free text: full name, e-mail, phone."""
    terms = [
        (contact.name or "").strip(),
        (contact.email or "").strip(),
        (contact.phone or "").strip(),
    ]
    return [term for term in terms if len(term) >= MIN_TERM_LENGTH]


def _mentions(terms: list[str], prefix: str = "") -> Q:
    query = Q()
    for term in terms:
        for field in TEXT_FIELDS:
            query |= Q(**{f"{prefix}{field}__icontains": term})
    return query


def conversations_about(contact: Contact) -> QuerySet[Conversation]:
    """Conversations that list the contact, or name them in their text (same account)."""
    query = Q(contacts=contact)
    mentions = _mentions(_terms(contact))
    if mentions:
        query |= Q(account_id=contact.account_id) & mentions
    ids = Conversation.all_objects.filter(query).values("pk")
    return Conversation.all_objects.filter(pk__in=ids).select_related("author").order_by("pk")


def _conversation_data(conversation) -> dict[str, Any]:
    data = {
        "id": conversation.pk,
        "occurred_at": conversation.occurred_at,
        "channel": conversation.channel,
        "author": str(conversation.author),
        "outcome": conversation.outcome,
        "next_step_due": conversation.next_step_due,
        "deleted_at": conversation.deleted_at,
    }
    data.update({field: getattr(conversation, field) for field in TEXT_FIELDS})
    return data


def export_contact(*, contact: Contact, user) -> dict[str, Any]:
    """Everything Silta holds about the person, as a JSON-ready dict; the export is audited."""
    _require(user)
    conversations = list(conversations_about(contact))
    ids = [conversation.pk for conversation in conversations]
    history = (
        Conversation.history.model.objects.filter(id__in=ids)
        .select_related("history_user")
        .order_by("id", "history_date")
    )
    followups = FollowUp.objects.filter(conversation_id__in=ids).select_related("owner")
    record_audit_event(
        actor=user, action="export", obj=contact, summary=_("Personal data exported")
    )
    return {
        "contact": {
            "id": contact.pk,
            "account": {"id": contact.account_id, "name": contact.account.name},
            **{field: getattr(contact, field) for field in CONTACT_FIELDS},
        },
        "conversations": [_conversation_data(conversation) for conversation in conversations],
        "followups": [
            {
                "id": followup.pk,
                "conversation": followup.conversation_id,
                "owner": str(followup.owner),
                "title": followup.title,
                "due": followup.due,
                "done_at": followup.done_at,
            }
            for followup in followups
        ],
        "history": [
            {
                "conversation": row.id,
                "history_id": row.history_id,
                "history_date": row.history_date,
                "history_type": row.history_type,
                "history_user": str(row.history_user) if row.history_user else None,
                **{field: getattr(row, field) for field in TEXT_FIELDS},
            }
            for row in history
        ],
        "exported_at": timezone.now(),
        "exported_by": str(user),
    }


def _scrub(text: str, pattern: re.Pattern, replacement: str) -> str:
    return pattern.sub(replacement, text) if text else text


@transaction.atomic
def erase_contact(*, contact: Contact, user) -> Contact:
    """Remove the person's personal data everywhere Silta wrote it; keep the business facts."""
    _require(user)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.erased_at is not None:
        raise ValidationError({"non_field_errors": [_("This contact was erased already.")]})
    terms = _terms(contact)
    replacement = pseudonym(contact)
    pattern = (
        re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
        if terms
        else None
    )
    conversation_ids = list(conversations_about(contact).values_list("pk", flat=True))
    counts = {"conversations": 0, "history_rows": 0, "followups": 0}
    if pattern is not None:
        for model, key, filters, fields in (
            (Conversation, "conversations", {"pk__in": conversation_ids}, TEXT_FIELDS),
            (Conversation.history.model, "history_rows", {"id__in": conversation_ids}, TEXT_FIELDS),
            (FollowUp, "followups", {"conversation_id__in": conversation_ids}, ("title",)),
        ):
            manager = model._base_manager
            for row in manager.filter(**filters).only("pk", *fields):
                changed = {f: _scrub(getattr(row, f), pattern, replacement) for f in fields}
                changed = {f: v for f, v in changed.items() if v != getattr(row, f)}
                if changed:
                    if model is Conversation:
                        changed["version"] = F("version") + 1
                    manager.filter(pk=row.pk).update(**changed)
                    counts[key] += 1
        for notification in Notification.objects.filter(
            Q(subject__iregex=pattern.pattern) | Q(body__iregex=pattern.pattern)
        ):
            Notification.objects.filter(pk=notification.pk).update(
                subject=_scrub(notification.subject, pattern, replacement),
                body=_scrub(notification.body, pattern, replacement),
            )
    # Earlier audit rows named the person (labels, changed values): keep the facts only.
    AuditEvent.objects.filter(object_type="crm.contact", object_id=str(contact.pk)).update(
        object_repr=replacement, changes={}
    )
    if pattern is not None:
        for event in AuditEvent.objects.filter(
            object_type="crm.conversation", object_id__in=[str(pk) for pk in conversation_ids]
        ).exclude(changes={}):
            scrubbed = {
                name: [_scrub(str(value), pattern, replacement) for value in values]
                for name, values in event.changes.items()
            }
            AuditEvent.objects.filter(pk=event.pk).update(changes=scrubbed)
    contact.name, contact.title, contact.email, contact.phone = replacement, "", "", ""
    contact.erased_at = timezone.now()
    contact.save(update_fields=["name", "title", "email", "phone", "erased_at"])
    announce_withdrawn(conversation_ids)
    record_audit_event(
        actor=user,
        action="erase",
        obj=contact,
        summary=_("Personal data erased"),
        changes={key: ["", str(value)] for key, value in counts.items()},
    )
    return contact
