"""Reads for pages, API and jobs; every list brings its related rows along."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from feedback.models import Action, FeedbackEntry, FeedbackRound, RoundParticipant
from feedback.reports import MIN_GROUP
from feedback.services.entries import own_entries_q


def rounds_overview() -> QuerySet[FeedbackRound]:
    """All rounds, newest first, with participation counted in the database."""
    return FeedbackRound.objects.annotate(
        participant_count=Count("memberships", distinct=True),
        respondent_count=Count("memberships", filter=Q(memberships__answered=True), distinct=True),
    ).order_by("-month")


def current_round() -> FeedbackRound | None:
    return FeedbackRound.objects.filter(status=FeedbackRound.Status.OPEN).order_by("-month").first()


def round_before(feedback_round: FeedbackRound) -> FeedbackRound | None:
    return FeedbackRound.objects.filter(month__lt=feedback_round.month).order_by("-month").first()


def _with_related(entries: QuerySet[FeedbackEntry]) -> QuerySet[FeedbackEntry]:
    return entries.select_related("round", "author", "account").prefetch_related(
        "themes",
        "tags",
        Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("pk")),
    )


def own_entries(*, user, rounds: list[FeedbackRound]) -> QuerySet[FeedbackEntry]:
    """The user's entries in these rounds, named and anonymous, with their actions."""
    round_ids = [r.pk for r in rounds if r is not None]
    if not round_ids:
        return FeedbackEntry.objects.none()
    return _with_related(
        FeedbackEntry.objects.filter(own_entries_q(user=user, round_ids=round_ids)).filter(
            round_id__in=round_ids
        )
    )


def own_entries_everywhere(*, user) -> QuerySet[FeedbackEntry]:
    """The user's entries in every round they took part in (for the API)."""
    round_ids = list(RoundParticipant.objects.filter(user=user).values_list("round_id", flat=True))
    return FeedbackEntry.objects.filter(own_entries_q(user=user, round_ids=round_ids))


def round_entries(
    *,
    feedback_round: FeedbackRound,
    search: str = "",
    kind: str = "",
    category: str | None = None,
    tag: str = "",
    theme: int | None = None,
) -> QuerySet[FeedbackEntry]:
    """A round's entries for triage, grouped by kind and touchpoint."""
    entries = FeedbackEntry.objects.filter(round=feedback_round)
    if search:
        entries = search_entries(entries, search)
    if kind:
        entries = entries.filter(kind=kind)
    if category is not None:
        entries = entries.filter(category=category)
    if tag:
        entries = entries.filter(tags__name=tag)
    if theme:
        entries = entries.filter(themes=theme)
    kind_order = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(FeedbackEntry.Kind.values)),
        default=Value(9),
    )
    return _with_related(
        entries.distinct()
        .annotate(kind_order=kind_order)
        .order_by("kind_order", "category", "-submitted_on", "id")
    )


def search_entries(entries: QuerySet[FeedbackEntry], search: str) -> QuerySet[FeedbackEntry]:
    if connection.vendor == "postgresql":
        return entries.annotate(_doc=SearchVector("text", config="simple")).filter(
            Q(_doc=SearchQuery(search, config="simple")) | Q(text__icontains=search)
        )
    return entries.filter(text__icontains=search)


def actions_list(
    *, status: str = "", owner=None, feedback_round: FeedbackRound | None = None, search: str = ""
) -> QuerySet[Action]:
    actions = Action.objects.select_related("owner", "round").annotate(
        entry_count=Count("entries", distinct=True)
    )
    if status == "open":
        actions = actions.exclude(status__in=Action.CLOSED_STATUSES)
    elif status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    if feedback_round is not None:
        actions = actions.filter(round=feedback_round)
    if search:
        actions = actions.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return actions.order_by("-created_at", "-id")


def action_detail(pk: int) -> Action:
    return (
        Action.objects.select_related("owner", "round", "created_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=FeedbackEntry.objects.select_related("author").prefetch_related("themes"),
            )
        )
        .get(pk=pk)
    )


def open_actions_of(feedback_round: FeedbackRound | None) -> QuerySet[Action]:
    if feedback_round is None:
        return Action.objects.none()
    return (
        Action.objects.filter(round=feedback_round)
        .exclude(status__in=Action.CLOSED_STATUSES)
        .select_related("owner")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("due", "pk")
    )


def participation(feedback_round: FeedbackRound) -> dict:
    """Live participation: totals and per role group, groups under MIN_GROUP hidden."""
    memberships = RoundParticipant.objects.filter(round=feedback_round)
    totals = memberships.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    groups = []
    rows = (
        memberships.values("user__groups__name")
        .annotate(invited=Count("id", distinct=True))
        .annotate(answered=Count("id", filter=Q(answered=True), distinct=True))
        .order_by("user__groups__name")
    )
    for row in rows:
        name = row["user__groups__name"]
        if not name:
            continue
        shown = row["invited"] >= MIN_GROUP
        groups.append(
            {
                "name": name,
                "shown": shown,
                "invited": row["invited"] if shown else None,
                "answered": row["answered"] if shown else None,
                "rate": row["answered"] / row["invited"] if shown and row["invited"] else None,
            }
        )
    invited = totals["invited"]
    return {
        "invited": invited,
        "answered": totals["answered"],
        "waiting": invited - totals["answered"],
        "rate": totals["answered"] / invited if invited else 0.0,
        "groups": groups,
    }
