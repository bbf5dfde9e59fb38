import datetime as dt

from django.utils import timezone

from feedback.models import FeedbackEntry, RoundReport
from feedback.reports import build_report
from feedback.services.rounds import purge_expired_entries
from feedback.tasks import purge_expired_feedback

from .factories import FeedbackRoundFactory, make_entry


def test_entries_older_than_the_retention_period_are_deleted_reports_stay(
    db, frontline_user, settings
):
    settings.SILTA_FEEDBACK_RETENTION_MONTHS = 12
    now = timezone.make_aware(dt.datetime(2026, 11, 5, 12, 0))
    old = FeedbackRoundFactory(month="2025-10", closed=True)
    kept = FeedbackRoundFactory(month="2025-11", closed=True)
    make_entry(old, frontline_user)
    make_entry(kept, frontline_user)
    build_report(feedback_round=old)

    assert purge_expired_entries(now=now) == 1
    assert purge_expired_entries(now=now) == 0
    assert list(FeedbackEntry.objects.values_list("round__month", flat=True)) == ["2025-11"]
    assert RoundReport.objects.get(round=old).entries == 1


def test_zero_months_keeps_everything(db, frontline_user, settings):
    settings.SILTA_FEEDBACK_RETENTION_MONTHS = 0
    make_entry(FeedbackRoundFactory(month="2001-01", closed=True), frontline_user)
    assert purge_expired_feedback.delay().get() == 0
    assert FeedbackEntry.objects.count() == 1
