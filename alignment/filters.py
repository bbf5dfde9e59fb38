"""The insight feed's filters: the CRM's conversation filters plus segment, industry and triage."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from crm.filters import ConversationFilter

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# CRM filters the feed form does not show (ids typed by hand); the rep select replaces `author`.
HIDDEN_ON_PAGE = ("account", "author")


def conversation_authors():
    """Everyone who may log conversations: reps and managers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.SALES, Role.MANAGER])
        .distinct()
        .order_by("first_name", "username")
    )


class InsightFeedFilter(ConversationFilter):
    """theme, campaign, objection, outcome, channel, status, dates and `search` come from crm."""

    segment = django_filters.CharFilter(
        label=_("Segment"), field_name="account__segment", lookup_expr="iexact"
    )
    industry = django_filters.CharFilter(
        label=_("Industry"), field_name="account__industry", lookup_expr="iexact"
    )
    rep = django_filters.ModelChoiceFilter(
        label=_("Rep"), field_name="author", queryset=lambda request: conversation_authors()
    )
    reviewed = django_filters.ChoiceFilter(
        label=_("Reviewed"), choices=YES_NO, method="filter_reviewed"
    )
    highlighted = django_filters.ChoiceFilter(
        label=_("Highlighted"), choices=YES_NO, method="filter_highlighted"
    )
    tag = django_filters.CharFilter(
        label=_("Tag"), field_name="triage__tags__name", lookup_expr="iexact"
    )

    # A bare date means "up to the end of that day" (crm's filter stops at its midnight).
    occurred_before = django_filters.IsoDateTimeFilter(
        field_name="occurred_at",
        method="filter_occurred_before",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, page: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if page:
            for name in HIDDEN_ON_PAGE:
                self.filters.pop(name, None)

    def filter_occurred_before(self, queryset, name, value):
        if len(str(self.data.get("occurred_before", "")).strip()) == len("YYYY-MM-DD"):
            return queryset.filter(occurred_at__lt=value + timedelta(days=1))
        return queryset.filter(occurred_at__lte=value)

    def filter_reviewed(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(triage__reviewed_at__isnull=False)
        return queryset.filter(Q(triage__isnull=True) | Q(triage__reviewed_at__isnull=True))

    def filter_highlighted(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(triage__highlighted=True)
        return queryset.filter(Q(triage__isnull=True) | Q(triage__highlighted=False))
