"""Shared service levels and the daily breach check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.roles import can

from ..models import ServiceLevel


@transaction.atomic
def save_service_level(*, user, form) -> ServiceLevel:
    """Save a validated ServiceLevelForm on behalf of a marketer or manager."""
    if not can(user, "servicelevel.manage"):
        raise PermissionDenied
    service_level = form.save(commit=False)
    if service_level.created_by_id is None:
        service_level.created_by = user
    service_level.save()
    return service_level
