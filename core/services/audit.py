"""The audit log: one call from every service that creates, changes, deletes or exports."""

from __future__ import annotations

from django.db import models

from core.models import AuditEvent


def record_audit_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Write one audit row; `obj` fills the type, id and label when given."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        label = str(obj)
    else:
        label = ""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=label[:200],
        summary=summary[:300],
        changes=changes or {},
    )


def changed_fields(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs, as JSON-safe strings."""
    return {
        name: [str(before.get(name)), str(after.get(name))]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
