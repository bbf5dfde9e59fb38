"""Theme lists and details."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from crm.models import Conversation

from ..models import Theme, ThemeApproval


def themes_list(*, status: str | None = None, search: str = "") -> QuerySet[Theme]:
    """Themes with approvals and how many conversations used each (a subquery per shown row)."""
    used = (
        Conversation.objects.filter(theme=OuterRef("pk"))
        .order_by()
        .values("theme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    themes = (
        Theme.objects.select_related("proposed_by")
        .prefetch_related(
            Prefetch("approvals", queryset=ThemeApproval.objects.select_related("user"))
        )
        .annotate(conversation_count=Coalesce(Subquery(used), 0))
        .order_by("title", "pk")
    )
    if status:
        themes = themes.filter(status=status)
    if search:
        themes = themes.filter(Q(title__icontains=search) | Q(insight__icontains=search))
    return themes


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(status=Theme.Status.ACTIVE)
