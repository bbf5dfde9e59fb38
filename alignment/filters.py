"""Filters of the insight feed: the conversation filters plus segment, industry and triage."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from crm.models import Conversation

from .models import Campaign, Theme

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SEARCH_FIELDS = ("customer_goal", "discussed", "insight_shared", "customer_reaction", "next_step")


def search_conversations(queryset, value: str):
    """Full text on PostgreSQL (crm keeps `search_vector` by trigger), icontains elsewhere."""
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return queryset.filter(
            search_vector=SearchQuery(value, config="simple", search_type="websearch")
        )
    match = Q()
    for word in value.split():
        match &= Q(*[Q(**{f"{f}__icontains": word}) for f in SEARCH_FIELDS], _connector=Q.OR)
    return queryset.filter(match)


def conversation_authors():
    """Everyone who may log conversations: reps and managers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.SALES, Role.MANAGER])
        .distinct()
        .order_by("first_name", "username")
    )


class InsightFeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    theme = django_filters.ModelChoiceFilter(label=_("Theme"), queryset=Theme.objects.all())
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.filter(published_at__isnull=False)
    )
    objection = django_filters.CharFilter(label=_("Objection"), method="filter_objection")
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Conversation.Outcome.choices)
    segment = django_filters.CharFilter(
        label=_("Segment"), field_name="account__segment", lookup_expr="iexact"
    )
    industry = django_filters.CharFilter(
        label=_("Industry"), field_name="account__industry", lookup_expr="iexact"
    )
    rep = django_filters.ModelChoiceFilter(
        label=_("Rep"), field_name="author", queryset=lambda request: conversation_authors()
    )
    occurred_after = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte"
    )
    occurred_before = django_filters.DateFilter(
        label=_("To"), field_name="occurred_at", lookup_expr="date__lte"
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

    class Meta:
        model = Conversation
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search_conversations(queryset, value)

    def filter_objection(self, queryset, name, value):
        value = " ".join(value.split())
        return queryset.filter(objection_tags__tag__iexact=value) if value else queryset

    def filter_reviewed(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(triage__reviewed_at__isnull=False)
        return queryset.filter(Q(triage__isnull=True) | Q(triage__reviewed_at__isnull=True))

    def filter_highlighted(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(triage__highlighted=True)
        return queryset.filter(Q(triage__isnull=True) | Q(triage__highlighted=False))
