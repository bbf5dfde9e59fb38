"""Opportunities move through stages; every move is recorded for cycle-length metrics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import can
from core.services.audit import changed_fields, record_audit_event
from crm.models import Opportunity, OpportunityStageChange

from .concurrency import claim_version

FIELDS = (
    "account",
    "name",
    "stage",
    "amount",
    "currency",
    "source",
    "campaign",
    "expected_close_on",
    "lost_reason",
)


def _snapshot(opportunity: Opportunity) -> dict[str, str]:
    return {field: str(getattr(opportunity, field) or "") for field in FIELDS}


def _check(opportunity: Opportunity) -> None:
    errors: dict[str, list[str]] = {}
    if opportunity.stage == Opportunity.Stage.LOST and not (opportunity.lost_reason or "").strip():
        errors["lost_reason"] = [_("Say why the opportunity was lost.")]
    if opportunity.amount is not None and opportunity.amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if not (opportunity.name or "").strip():
        errors["name"] = [_("Give the opportunity a name.")]
    if errors:
        raise ValidationError(errors)


def _apply_stage(opportunity: Opportunity, *, previous: str, user=None) -> None:
    """Stamp a stage move: closed_at set on won/lost, cleared when reopened. (`user` is unused.)"""
    now = timezone.now()
    if opportunity.stage == previous and opportunity.pk:
        return
    opportunity.stage_changed_at = now
    if opportunity.stage in Opportunity.CLOSED_STAGES:
        opportunity.closed_at = now
    else:
        opportunity.closed_at = None
    if opportunity.stage != Opportunity.Stage.LOST:
        opportunity.lost_reason = ""


@transaction.atomic
def create_opportunity(*, owner, data: Mapping[str, Any]) -> Opportunity:
    """A new opportunity owned by `owner`; the first stage is recorded as history."""
    if not can(owner, "crm.write"):
        raise PermissionDenied(_("You may not create opportunities."))
    opportunity = Opportunity(owner=owner)
    for field in FIELDS:
        if field in data:
            setattr(opportunity, field, data[field])
    opportunity.currency = (opportunity.currency or "EUR").upper()
    _check(opportunity)
    _apply_stage(opportunity, previous="")
    opportunity._history_user = owner
    opportunity.save()
    OpportunityStageChange.objects.create(
        opportunity=opportunity,
        from_stage="",
        to_stage=opportunity.stage,
        changed_at=opportunity.stage_changed_at or timezone.now(),
        changed_by=owner,
    )
    record_audit_event(
        actor=owner, action="create", obj=opportunity, summary=_("Opportunity created")
    )
    return opportunity


def may_edit_opportunity(user, opportunity: Opportunity) -> bool:
    return can(user, "crm.write") and (opportunity.owner_id == user.pk or can(user, "crm.manage"))


@transaction.atomic
def update_opportunity(
    *,
    opportunity: Opportunity,
    editor,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Opportunity:
    """Edit (or move) an opportunity; its owner or a manager may. Won/lost sets `closed_at`.

    A save by someone else after `expected_version` raises `EditConflict`.
    """
    if not may_edit_opportunity(editor, opportunity):
        raise PermissionDenied(_("Only the owner or a manager may edit this opportunity."))
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    previous = opportunity.stage
    before = _snapshot(opportunity)
    for field in FIELDS:
        if field in data:
            setattr(opportunity, field, data[field])
    opportunity.currency = (opportunity.currency or "EUR").upper()
    _check(opportunity)
    _apply_stage(opportunity, previous=previous)
    claim_version(opportunity, expected=expected_version)
    opportunity._history_user = editor
    opportunity.save()
    record_audit_event(
        actor=editor,
        action="change",
        obj=opportunity,
        summary=_("Opportunity edited"),
        changes=changed_fields(before, _snapshot(opportunity)),
    )
    if opportunity.stage != previous:
        OpportunityStageChange.objects.create(
            opportunity=opportunity,
            from_stage=previous,
            to_stage=opportunity.stage,
            changed_at=opportunity.stage_changed_at,
            changed_by=editor,
        )
    return opportunity
