"""Theme lists and details."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..models import Theme, ThemeApproval


def themes_list(*, status: str | None = None, search: str = "") -> QuerySet[Theme]:
    themes = Theme.objects.select_related("proposed_by").prefetch_related(
        Prefetch("approvals", queryset=ThemeApproval.objects.select_related("user"))
    )
    if status:
        themes = themes.filter(status=status)
    if search:
        themes = themes.filter(title__icontains=search) | themes.filter(insight__icontains=search)
    return themes


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(status=Theme.Status.ACTIVE)
