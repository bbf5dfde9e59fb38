"""Reads for the import pages and API."""

from __future__ import annotations

from django.db.models import QuerySet

from core.roles import can

from .models import ImportRun


def runs_for(*, user) -> QuerySet[ImportRun]:
    """A manager sees every import; anyone else their own. The file itself is not loaded."""
    runs = ImportRun.objects.select_related("created_by").defer("content", "preview", "problems")
    if can(user, "crm.manage"):
        return runs
    return runs.filter(created_by=user)


def run_for(*, user, pk: int) -> ImportRun:
    """One run with its preview (404 when the user may not see it)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(runs_for(user=user).defer(None).defer("content"), pk=pk)
