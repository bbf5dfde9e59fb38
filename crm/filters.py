"""Filter sets shared by the API and the pages, so both filter the same way."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from alignment.models import Campaign, Theme

from .models import Account, Contact, Conversation, Opportunity
from .selectors import conversations_with_objection, search_conversations


class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number in the database's range (a float or 10**30 is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        kwargs.setdefault("widget", forms.NumberInput)
        super().__init__(*args, **kwargs)


class ConversationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"))
    author = IdFilter(field_name="author_id", label=_("Author"))
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), label=_("Theme"))
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("Campaign")
    )
    objection = django_filters.CharFilter(method="filter_objection", label=_("Objection"))
    outcome = django_filters.ChoiceFilter(choices=Conversation.Outcome.choices, label=_("Outcome"))
    channel = django_filters.ChoiceFilter(choices=Conversation.Channel.choices, label=_("Channel"))
    status = django_filters.ChoiceFilter(choices=Conversation.Status.choices, label=_("Status"))
    occurred_after = django_filters.IsoDateTimeFilter(
        field_name="occurred_at",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_before = django_filters.IsoDateTimeFilter(
        field_name="occurred_at",
        lookup_expr="lte",
        label=_("Before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Conversation
        fields: list[str] = []

    @staticmethod
    def filters_are_correlated(params) -> bool:
        """Full-text search together with an objection: words and tags come in one
        language, so the database cannot guess how rare their matches are (see
        core.keyset.keyset_page, `collect_then_sort`)."""
        return all((params.get(name) or "").strip() for name in ("search", "objection"))

    def filter_search(self, queryset, name, value):
        return search_conversations(queryset, value)

    def filter_objection(self, queryset, name, value):
        return conversations_with_objection(queryset, value)


class AccountFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))
    country = django_filters.ChoiceFilter(choices=Account.Country.choices, label=_("Country"))
    segment = django_filters.CharFilter(label=_("Segment"))
    owner = IdFilter(field_name="owner_id", label=_("Owner"))

    class Meta:
        model = Account
        fields: list[str] = []


class ContactFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))
    email = django_filters.CharFilter(lookup_expr="iexact", label=_("E-mail"))

    class Meta:
        model = Contact
        fields: list[str] = []


class OpportunityFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    owner = IdFilter(field_name="owner_id", label=_("Owner"))
    stage = django_filters.ChoiceFilter(choices=Opportunity.Stage.choices, label=_("Stage"))
    source = django_filters.ChoiceFilter(choices=Opportunity.Source.choices, label=_("Source"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))

    class Meta:
        model = Opportunity
        fields: list[str] = []
