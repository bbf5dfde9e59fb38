"""Sixty monthly feedback rounds with participants, entries and actions; inbox rows."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings

from bench import corpus
from bench.loader import next_id
from bench.world import World
from core.models import Notification
from feedback.anonymity import author_key
from feedback.models import (
    Action,
    Category,
    FeedbackEntry,
    FeedbackRound,
    RoundParticipant,
)

ROUNDS = 60


def _month_start(world: World, months_back: int) -> datetime:
    year, month = world.now.year, world.now.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return datetime(year, month, 1, 8, 0, tzinfo=world.tz)


def build_feedback(world: World) -> None:
    rng = world.rng
    groups = set(settings.SILTA_FEEDBACK_GROUPS)
    eligible = sorted(
        u
        for role, users in world.users_by_role.items()
        if role in groups
        for u in users
        if u not in world.inactive_users
    )
    owners = world.users_by_role["marketing"] + world.users_by_role["manager"]
    categories = Category.values
    first_round = next_id(FeedbackRound)
    first_action = next_id(Action)
    rounds, participants, entries, entry_themes, actions, action_entries = [], [], [], [], [], []
    action_id = first_action
    for index in range(ROUNDS):
        round_id = first_round + index
        opens = _month_start(world, ROUNDS - 1 - index)
        closes = datetime.combine(
            opens.date() + timedelta(days=settings.SILTA_FEEDBACK_ROUND_DAYS), time.min, world.tz
        )
        is_open = closes > world.now
        rounds.append(
            (
                round_id,
                f"{opens:%Y-%m}",
                opens,
                closes,
                "open" if is_open else "closed",
                rng.choice(world.users_by_role["manager"]),
                None if is_open else closes,
                opens,
            )
        )
        round_entries = []
        answer_share = rng.uniform(0.45, 0.75) * (0.5 if is_open else 1)
        for user in eligible:
            answered = rng.random() < answer_share
            participants.append((round_id, user, answered))
            if not answered:
                continue
            language = world.user_language.get(user, "fi")
            for _ in range(rng.choice((1, 1, 2, 3))):
                kind = rng.choice(("good", "bad", "bad", "idea"))
                detail = rng.choice(corpus.FEEDBACK_DETAILS[language]).format(
                    n=rng.randrange(3, 40)
                )
                anonymous = rng.random() < 0.3
                entry_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                entries.append(
                    (
                        entry_id,
                        round_id,
                        kind,
                        f"{corpus.FEEDBACK_TEXTS[kind][language]} {detail}",
                        rng.choice(categories),
                        _account(world) if rng.random() < 0.3 else None,
                        anonymous,
                        None if anonymous else user,
                        author_key(round_id=round_id, user_id=user) if anonymous else "",
                        (opens + timedelta(days=rng.randrange(0, 9))).date(),
                    )
                )
                round_entries.append(entry_id)
                if world.all_themes and rng.random() < 0.2:
                    entry_themes.append((entry_id, rng.choice(world.all_themes)))
        if is_open or not round_entries:
            continue
        age_days = (world.now - closes).days
        for _ in range(rng.randrange(4, 10)):
            status = (
                rng.choice(("done", "done", "done", "declined", "in_progress"))
                if age_days > 90
                else rng.choice(("new", "planned", "in_progress", "done"))
            )
            created = closes + timedelta(days=rng.randrange(1, 10))
            closed = created + timedelta(days=rng.randrange(5, 60))
            closed_status = status in ("done", "declined")
            actions.append(
                (
                    action_id,
                    round_id,
                    rng.choice(corpus.ACTION_TITLES),
                    "Agreed in the monthly meeting of sales, marketing and customer service.",
                    rng.choice(owners),
                    rng.choice(owners),
                    (created + timedelta(days=30)).date(),
                    status,
                    "Done and told to the team in the weekly meeting." if status == "done" else "",
                    "Not possible with the current contract." if status == "declined" else "",
                    "meeting",
                    created,
                    closed if closed_status and closed < world.now else None,
                )
            )
            for entry in rng.sample(round_entries, k=min(len(round_entries), rng.randrange(1, 4))):
                action_entries.append((action_id, entry))
            action_id += 1
    loader = world.loader
    loader.copy(
        FeedbackRound,
        ["id", "month", "opens_at", "closes_at", "status", "opened_by", "closed_at", "created_at"],
        rounds,
    )
    loader.copy(RoundParticipant, ["round", "user", "answered"], participants)
    entry_fields = [
        "id",
        "round",
        "kind",
        "text",
        "category",
        "account",
        "anonymous",
        "author",
        "author_key",
        "submitted_on",
    ]
    loader.copy(FeedbackEntry, entry_fields, entries)
    loader.copy(FeedbackEntry.themes.through, ["feedbackentry", "theme"], entry_themes)
    action_fields = [
        "id",
        "round",
        "title",
        "description",
        "owner",
        "created_by",
        "due",
        "status",
        "outcome",
        "decline_reason",
        "source",
        "created_at",
        "closed_at",
    ]
    loader.copy(Action, action_fields, actions)
    loader.copy(Action.entries.through, ["action", "feedbackentry"], action_entries)
    _build_reports(world, [r[0] for r in rounds if r[4] == "closed"])


def _account(world: World) -> int:
    return world.first_account + int(world.rng.random() * len(world.account_language))


def _build_reports(world: World, round_ids: list[int]) -> None:
    """Closed rounds have their report, built by the feedback app's own code."""
    try:
        from feedback.reports import build_report
    except ImportError as exc:
        world.loader.log(f"round reports skipped: {exc}")
        return
    for feedback_round in FeedbackRound.objects.filter(pk__in=round_ids):
        build_report(feedback_round=feedback_round)
    world.loader.log(f"feedback round reports: {len(round_ids)}")


def build_notifications(world: World) -> None:
    """Each user's inbox holds the round invitations of the last 20 months."""
    rows = []
    for user in sorted(world.user_language):
        for back in range(20):
            opens = _month_start(world, back)
            month = f"{opens:%Y-%m}"
            read = opens + timedelta(days=2) if back > 0 else None
            rows.append(
                (
                    user,
                    "feedback.round_opened",
                    f"The {month} feedback round is open",
                    "What went well with customers this month, what went badly?",
                    f"/feedback/{month}/",
                    f"feedback-round-open:{month}",
                    opens,
                    read,
                    opens,
                    opens,
                )
            )
    world.loader.copy(
        Notification,
        [
            "user",
            "kind",
            "subject",
            "body",
            "link",
            "dedupe_key",
            "created_at",
            "read_at",
            "email_claimed_at",
            "emailed_at",
        ],
        rows,
    )
