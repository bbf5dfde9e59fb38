"""The alignment demo goes through the services, so it obeys the same rules."""

import pytest
from django.utils import timezone

from alignment.models import Campaign, ConversationTriage, InsightQuestion, Theme
from core.demo import load_demo
from core.models import Notification
from core.roles import users_with_role

pytestmark = pytest.mark.django_db


def test_demo_has_themes_in_every_state_and_a_live_briefed_campaign(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ctx = load_demo()
    assert set(Theme.objects.values_list("status", flat=True)) == set(Theme.Status.values)
    assert all(
        t.approvals.values("side").distinct().count() == 2
        for t in Theme.objects.filter(status="active")
    )
    assert ctx.shared["themes"][0].status == Theme.Status.ACTIVE
    live = ctx.shared["campaigns"][0]
    assert live.is_live_on(timezone.localdate())
    reps = users_with_role("sales").count()
    assert 0 < live.briefings.filter(user__groups__name="sales").count() < reps
    assert Campaign.objects.filter(published_at__isnull=True).exists()
    # Sales heard about the published campaigns; marketing about the unaware mentions.
    assert Notification.objects.filter(kind="campaign.published").exists()
    assert Notification.objects.filter(kind="campaign.unaware_mention").exists()
    # After the CRM demo committed, part of the feed is triaged and a rep was asked.
    assert ConversationTriage.objects.filter(reviewed_at__isnull=False).exists()
    assert InsightQuestion.objects.exclude(answer="").exists()
