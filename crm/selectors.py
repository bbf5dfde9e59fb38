"""CRM reads with the joins they need; used by pages, API, jobs and other apps.

Other apps (alignment's insight feed, kpis) should start from `conversations_qs()`
and filter with `crm.filters.ConversationFilter` or `search_conversations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)

from core.roles import can

from .models import (
    Account,
    Contact,
    Conversation,
    ConversationObjection,
    FollowUp,
    Opportunity,
    OpportunityStageChange,
)


def conversations_qs() -> QuerySet[Conversation]:
    """Conversations with everything a list or card shows, in a fixed number of queries."""
    return (
        Conversation.objects.select_related("account", "author", "theme", "campaign", "opportunity")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name")))
        .defer("search_vector")
    )


def conversations_for(*, user) -> QuerySet[Conversation]:
    """Everyone who may read conversations reads all of them (marketing too); others none."""
    if not can(user, "conversation.read"):
        return Conversation.objects.none()
    return conversations_qs()


def conversation_records_for(*, user) -> QuerySet[Conversation]:
    """The API's shape: account name, author and contact ids; other relations as keys only."""
    if not can(user, "conversation.read"):
        return Conversation.objects.none()
    return (
        Conversation.objects.select_related("account", "author")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.only("pk").order_by("name", "pk"))
        )
        .defer("search_vector")
    )


def search_conversations(queryset: QuerySet[Conversation], text: str) -> QuerySet[Conversation]:
    """Full text: PostgreSQL's indexed search vector; elsewhere every word in some field."""
    text = (text or "").strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return queryset.filter(
            search_vector=SearchQuery(text, config="simple", search_type="websearch")
        )
    for word in text.split():
        word = word.strip("\"'")
        if not word or word.lower() == "or":
            continue
        queryset = queryset.filter(
            Q(customer_goal__icontains=word)
            | Q(discussed__icontains=word)
            | Q(insight_shared__icontains=word)
            | Q(customer_reaction__icontains=word)
            | Q(next_step__icontains=word)
        )
    return queryset


class _NamesObjection(Func):
    """`crm_objection_keys(objections) @> ARRAY[UPPER(tag)]`, served by the GIN index
    crm_conv_search_objection (migration 0008); PostgreSQL only."""

    output_field = BooleanField()

    def __init__(self, tag: str):
        super().__init__(F("objections"), Value(tag, output_field=CharField()))

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        tag, tag_params = compiler.compile(self.source_expressions[1])
        return f"crm_objection_keys({column}) @> ARRAY[UPPER({tag})]", (*column_params, *tag_params)


def conversations_with_objection(
    queryset: QuerySet[Conversation], tag: str
) -> QuerySet[Conversation]:
    """Conversations naming the objection tag, whole tag and case-insensitively.

    On PostgreSQL the test is on the conversation row, in the same GIN index as the
    full-text search; elsewhere through the objection rows.
    """
    tag = " ".join((tag or "").split())
    if not tag:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(_NamesObjection(tag))
    return queryset.filter(
        Exists(ConversationObjection.objects.filter(conversation=OuterRef("pk"), tag__iexact=tag))
    )


def account_timeline(*, account: Account) -> QuerySet[Conversation]:
    return conversations_qs().filter(account=account).order_by("-occurred_at", "-pk")


def accounts_qs() -> QuerySet[Account]:
    return Account.objects.select_related("owner")


def search_accounts(*, text: str, limit: int = 10) -> list[Account]:
    """Search-as-you-type: names starting with the text first, then names containing it."""
    text = (text or "").strip()
    if not text:
        return []
    starting = list(Account.objects.filter(name__istartswith=text).order_by("name")[:limit])
    if len(starting) < limit:
        starting += list(
            Account.objects.filter(name__icontains=text)
            .exclude(pk__in=[a.pk for a in starting])
            .order_by("name")[: limit - len(starting)]
        )
    return starting


def contacts_qs() -> QuerySet[Contact]:
    return Contact.objects.select_related("account")


def opportunities_qs() -> QuerySet[Opportunity]:
    return Opportunity.objects.select_related("account", "owner", "campaign")


def opportunity_stage_history(*, opportunity: Opportunity) -> QuerySet[OpportunityStageChange]:
    return opportunity.stage_changes.select_related("changed_by")


@dataclass
class PipelineColumn:
    stage: str
    label: str
    count: int = 0
    total: Decimal = Decimal("0")
    opportunities: list[Opportunity] = field(default_factory=list)


def pipeline(*, owner=None, per_stage: int = 25) -> list[PipelineColumn]:
    """Opportunities by stage with counts and sums from the database; a fixed number of queries."""
    base = Opportunity.objects.all()
    if owner is not None:
        base = base.filter(owner=owner)
    totals = {
        row["stage"]: row
        for row in base.values("stage").annotate(count=Count("pk"), total=Sum("amount"))
    }
    columns = []
    for stage, label in Opportunity.Stage.choices:
        row = totals.get(stage, {})
        columns.append(
            PipelineColumn(
                stage=stage,
                label=label,
                count=row.get("count", 0),
                total=row.get("total") or Decimal("0"),
            )
        )
    # One query for the cards of every column: the newest per stage via a window rank.
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    ranked = (
        opportunities_qs()
        .filter(pk__in=base.values("pk"))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("stage")], order_by=F("created_at").desc())
        )
        .filter(rank__lte=per_stage)
        .order_by("stage", "rank")
    )
    by_stage = {column.stage: column for column in columns}
    for opportunity in ranked:
        by_stage[opportunity.stage].opportunities.append(opportunity)
    return columns


@dataclass
class FollowUpAgenda:
    overdue: list[FollowUp]
    today: list[FollowUp]
    this_week: list[FollowUp]
    later: list[FollowUp]
    done_recently: list[FollowUp]


def followups_for(*, user) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(owner=user).select_related("account", "conversation")


def followup_agenda(*, user, today: date, later_limit: int = 50) -> FollowUpAgenda:
    """The caller's open follow-ups split into overdue / today / this week / later."""
    week_end = today + timedelta(days=6 - today.weekday())
    open_items = list(
        followups_for(user=user)
        .filter(done_at__isnull=True, due__lte=week_end)
        .order_by("due", "pk")
    )
    later = list(
        followups_for(user=user)
        .filter(done_at__isnull=True, due__gt=week_end)
        .order_by("due", "pk")[:later_limit]
    )
    done = list(
        followups_for(user=user).filter(done_at__isnull=False).order_by("-done_at", "-pk")[:10]
    )
    return FollowUpAgenda(
        overdue=[f for f in open_items if f.due < today],
        today=[f for f in open_items if f.due == today],
        this_week=[f for f in open_items if f.due > today],
        later=later,
        done_recently=done,
    )


def drafts_of(*, user) -> QuerySet[Conversation]:
    return conversations_qs().filter(author=user, status=Conversation.Status.DRAFT)


@dataclass
class HistoryChange:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    user: object
    kind: str
    changes: list[HistoryChange]


_HISTORY_SKIP = {"updated_at", "stage_changed_at", "search_vector"}


def history_entries(*, instance, limit: int = 20) -> list[HistoryEntry]:
    """The edit history of a conversation or opportunity, newest first, with what changed."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(instance)
    entries = []
    contact_ids: set[int] = set()
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=_HISTORY_SKIP)
            for change in delta.changes:
                try:
                    label = model._meta.get_field(change.field).verbose_name
                except Exception:  # noqa: BLE001 - a history-only field keeps its name
                    label = change.field
                old, new = change.old, change.new
                if isinstance(new, list) and change.field == "contacts":
                    old = [row.get("contact") for row in old or []]
                    new = [row.get("contact") for row in new or []]
                    contact_ids.update(filter(None, [*old, *new]))
                changes.append(HistoryChange(field=str(label), old=old, new=new))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                changes=changes,
            )
        )
    if contact_ids:
        names = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "name"))
        for entry in entries:
            for change in entry.changes:
                if isinstance(change.new, list) and change.field == str(
                    model._meta.get_field("contacts").verbose_name
                ):
                    change.old = ", ".join(names.get(pk, "?") for pk in change.old)
                    change.new = ", ".join(names.get(pk, "?") for pk in change.new)
    return entries


def conversation_history(*, conversation: Conversation) -> list[HistoryEntry]:
    return history_entries(instance=conversation)
