"""Opening and closing rounds, reminding non-respondents, retention."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.services.notifications import notify_many
from feedback.models import FeedbackEntry, FeedbackRound, RoundParticipant
from feedback.months import check_month, month_of, shift_month

logger = logging.getLogger(__name__)


def eligible_participants(*, groups: list[str] | None = None):
    """Active users in the configured groups (default: frontline, sales, marketing)."""
    groups = list(groups or settings.SILTA_FEEDBACK_GROUPS)
    return get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct()


def _closing_time(opens_at: datetime, days: int) -> datetime:
    """Local midnight `days` days after the opening day."""
    closing_day = timezone.localdate(opens_at) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(closing_day, time.min))


def open_round_for_month(
    *,
    month: str | None = None,
    opened_by=None,
    groups: list[str] | None = None,
    now: datetime | None = None,
) -> tuple[FeedbackRound, bool]:
    """The month's round, created with its participants when missing; (round, created).

    Safe to run twice or concurrently: the unique month decides, and the loser
    of a race returns the winner's round.
    """
    now = now or timezone.now()
    month = check_month(month or month_of(now))
    existing = FeedbackRound.objects.filter(month=month).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            feedback_round = FeedbackRound.objects.create(
                month=month,
                opens_at=now,
                closes_at=_closing_time(now, settings.SILTA_FEEDBACK_ROUND_DAYS),
                opened_by=opened_by,
            )
            users = list(eligible_participants(groups=groups))
            RoundParticipant.objects.bulk_create(
                [RoundParticipant(round=feedback_round, user=user) for user in users]
            )
            _invite(feedback_round, user_ids=[user.pk for user in users])
    except IntegrityError:
        return FeedbackRound.objects.get(month=month), False
    logger.info("Opened feedback round %s with %d participants", month, len(users))
    return feedback_round, True


def _round_link(feedback_round: FeedbackRound) -> str:
    return reverse("feedback:round", kwargs={"month": feedback_round.month})


def _invite(feedback_round: FeedbackRound, *, user_ids: list[int]) -> None:
    with override(settings.LANGUAGE_CODE):
        notify_many(
            user_ids=user_ids,
            kind="feedback.round_opened",
            subject=_("The %(month)s feedback round is open") % {"month": feedback_round.month},
            body=_(
                "What went well with customers this month, what went badly, and what should "
                "we improve? Answering takes two minutes."
            ),
            link=_round_link(feedback_round),
            dedupe_key=f"feedback-round-open:{feedback_round.month}",
        )


def close_round(*, round_id: int, now: datetime | None = None) -> bool:
    """Close one open round and build its report; False when it was already closed."""
    from feedback.reports import build_report

    now = now or timezone.now()
    with transaction.atomic():
        claimed = FeedbackRound.objects.filter(
            pk=round_id, status=FeedbackRound.Status.OPEN
        ).update(status=FeedbackRound.Status.CLOSED, closed_at=now)
        if claimed:
            build_report(feedback_round=FeedbackRound.objects.get(pk=round_id))
    return bool(claimed)


def close_due_rounds(*, now: datetime | None = None) -> list[str]:
    """Close every open round whose closing time has passed; the months closed."""
    now = now or timezone.now()
    due = FeedbackRound.objects.filter(status=FeedbackRound.Status.OPEN, closes_at__lte=now)
    closed = []
    for round_id, month in due.values_list("pk", "month"):
        if close_round(round_id=round_id, now=now):
            closed.append(month)
    return closed


def reminder_day(feedback_round: FeedbackRound, today) -> int | None:
    """The configured reminder day that `today` is (opening day = day 1), else None."""
    day_number = (today - timezone.localdate(feedback_round.opens_at)).days + 1
    return day_number if day_number in settings.SILTA_FEEDBACK_REMINDER_DAYS else None


def reminder_dates(feedback_round: FeedbackRound) -> list:
    """The local dates on which this round reminds non-respondents."""
    first = timezone.localdate(feedback_round.opens_at)
    last = timezone.localdate(feedback_round.closes_at - timedelta(microseconds=1))
    dates = (first + timedelta(days=day - 1) for day in settings.SILTA_FEEDBACK_REMINDER_DAYS)
    return sorted(d for d in dates if first <= d <= last)


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind participants without an entry, on the configured days, once a day each."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    open_rounds = FeedbackRound.objects.filter(
        status=FeedbackRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    )
    for feedback_round in open_rounds:
        day = reminder_day(feedback_round, today)
        if day is None:
            continue
        # notify_many skips inactive users itself; one query, however many wait.
        waiting = RoundParticipant.objects.filter(round=feedback_round, answered=False).values_list(
            "user_id", flat=True
        )
        with override(settings.LANGUAGE_CODE):
            reminded = notify_many(
                user_ids=list(waiting),
                kind="feedback.reminder",
                subject=_("Reminder: share your customer experiences for %(month)s")
                % {"month": feedback_round.month},
                body=_("The round closes on %(date)s. It takes two minutes.")
                % {"date": timezone.localdate(feedback_round.closes_at).isoformat()},
                link=_round_link(feedback_round),
                # One key per person per day: a rerun the same day sends nothing.
                dedupe_key=f"feedback-reminder:{feedback_round.month}:{today.isoformat()}",
            )
        sent += len(reminded)
    return sent


def purge_expired_entries(*, now: datetime | None = None) -> int:
    """Delete entries of closed rounds older than SILTA_FEEDBACK_RETENTION_MONTHS.

    Reports keep their aggregate figures; actions stay, without the entry texts.
    """
    months = settings.SILTA_FEEDBACK_RETENTION_MONTHS
    if months <= 0:
        return 0
    cutoff = shift_month(month_of(now or timezone.now()), -months)
    expired = FeedbackEntry.objects.filter(
        round__status=FeedbackRound.Status.CLOSED, round__month__lt=cutoff
    )
    deleted = expired.count()
    expired.delete()
    if deleted:
        logger.info("Retention: deleted %d feedback entries older than %s", deleted, cutoff)
    return deleted


__all__ = [
    "close_due_rounds",
    "close_round",
    "eligible_participants",
    "open_round_for_month",
    "purge_expired_entries",
    "reminder_dates",
    "reminder_day",
    "send_reminders",
]
