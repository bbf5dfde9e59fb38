"""Round reports: figures aggregated in the database, small groups suppressed.

A breakdown row (a kind, a touchpoint, a theme) is shown only when at least
`MIN_GROUP` different people stand behind it. Named and anonymous entries of
one person cannot be linked, so the number of people is bounded from below by
max(named authors, anonymous authors) — the bound errs toward hiding.
"""

from __future__ import annotations

from django.db.models import Count, Q

from feedback.models import Action, FeedbackEntry, FeedbackRound, RoundParticipant, RoundReport

MIN_GROUP = 5
TOP_THEMES = 5


def _people(row: dict) -> int:
    return max(row["named"], row["anonymous_authors"])


def _grouped(entries, field: str) -> list[dict]:
    rows = (
        entries.values(field)
        .annotate(
            entries=Count("id", distinct=True),
            named=Count("author", distinct=True),
            anonymous_authors=Count("author_key", distinct=True, filter=Q(anonymous=True)),
        )
        .order_by("-entries", field)
    )
    result = []
    for row in rows:
        key = row[field]
        if key is None:
            continue
        if _people(row) < MIN_GROUP:
            result.append({"key": key, "suppressed": True})
        else:
            result.append(
                {
                    "key": key,
                    "suppressed": False,
                    "entries": row["entries"],
                    "respondents": _people(row),
                }
            )
    return result


def round_figures(feedback_round: FeedbackRound) -> dict:
    """Participation and breakdowns of one round, computed now."""
    members = RoundParticipant.objects.filter(round=feedback_round).aggregate(
        participants=Count("id"), respondents=Count("id", filter=Q(answered=True))
    )
    entries = FeedbackEntry.objects.filter(round=feedback_round)
    total = entries.count()
    participants, respondents = members["participants"], members["respondents"]
    figures = {
        "participants": participants,
        "respondents": respondents,
        "participation_rate": round(respondents / participants, 4) if participants else 0.0,
        "entries": total,
        "breakdown_shown": respondents >= MIN_GROUP,
        "by_kind": [],
        "by_category": [],
        "top_themes": [],
    }
    if respondents >= MIN_GROUP:
        figures["by_kind"] = _grouped(entries, "kind")
        figures["by_category"] = _grouped(entries, "category")
        themes = _grouped(entries.filter(themes__isnull=False), "themes__title")
        figures["top_themes"] = [row for row in themes if not row["suppressed"]][:TOP_THEMES]
    return figures


def build_report(*, feedback_round: FeedbackRound) -> RoundReport:
    """Store the round's figures (idempotent: rebuilding overwrites)."""
    figures = round_figures(feedback_round)
    report, _created = RoundReport.objects.update_or_create(
        round=feedback_round,
        defaults={
            "participants": figures["participants"],
            "respondents": figures["respondents"],
            "participation_rate": figures["participation_rate"],
            "entries": figures["entries"],
            "breakdown": {
                key: figures[key]
                for key in ("breakdown_shown", "by_kind", "by_category", "top_themes")
            },
        },
    )
    return report


def figures_for(feedback_round: FeedbackRound) -> dict:
    """The stored report of a closed round, or live figures of an open one."""
    report = RoundReport.objects.filter(round=feedback_round).first()
    if report is None:
        figures = round_figures(feedback_round)
    else:
        figures = {
            "participants": report.participants,
            "respondents": report.respondents,
            "participation_rate": report.participation_rate,
            "entries": report.entries,
            "breakdown_shown": report.breakdown.get("breakdown_shown", False),
            "by_kind": report.breakdown.get("by_kind", []),
            "by_category": report.breakdown.get("by_category", []),
            "top_themes": report.breakdown.get("top_themes", []),
        }
    figures.update(action_counts(feedback_round))
    return figures


def action_counts(feedback_round: FeedbackRound) -> dict:
    counts = Action.objects.filter(round=feedback_round).aggregate(
        actions_opened=Count("id"),
        actions_closed=Count("id", filter=Q(status__in=Action.CLOSED_STATUSES)),
        actions_done=Count("id", filter=Q(status=Action.Status.DONE)),
    )
    opened = counts["actions_opened"]
    counts["actions_closed_rate"] = round(counts["actions_closed"] / opened, 4) if opened else 0.0
    return counts


def previous_round(feedback_round: FeedbackRound) -> FeedbackRound | None:
    return FeedbackRound.objects.filter(month__lt=feedback_round.month).order_by("-month").first()


def comparison(current: dict, previous: dict | None) -> dict | None:
    """Change against the previous round for the headline figures."""
    if previous is None:
        return None
    keys = ("participation_rate", "respondents", "entries", "actions_opened", "actions_closed")
    return {key: round(current[key] - previous[key], 4) for key in keys}


def trend(*, until: FeedbackRound, limit: int = 12) -> list[dict]:
    """Headline figures of up to `limit` rounds ending with `until`, oldest first."""
    rounds = list(
        FeedbackRound.objects.filter(month__lte=until.month)
        .select_related("report")
        .annotate(
            actions_opened=Count("actions", distinct=True),
            actions_closed=Count(
                "actions", filter=Q(actions__status__in=Action.CLOSED_STATUSES), distinct=True
            ),
        )
        .order_by("-month")[:limit]
    )
    points = []
    for item in reversed(rounds):
        report = getattr(item, "report", None)
        if report is None:
            live = round_figures(item)
            rate, entries = live["participation_rate"], live["entries"]
        else:
            rate, entries = report.participation_rate, report.entries
        points.append(
            {
                "month": item.month,
                "participation_rate": rate,
                "entries": entries,
                "actions_opened": item.actions_opened,
                "actions_closed": item.actions_closed,
            }
        )
    return points
