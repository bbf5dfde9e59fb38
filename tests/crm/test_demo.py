"""The demo loads through the services, so it obeys the conversation rules."""

import pytest

from core.demo import load_demo
from crm.models import Account, Conversation, FollowUp, Opportunity

pytestmark = pytest.mark.django_db


def test_demo_has_finnish_and_dutch_customers_and_real_logs():
    ctx = load_demo()
    assert set(Account.objects.values_list("country", flat=True)) == {"FI", "NL"}
    assert ctx.shared["accounts"]
    assert Conversation.objects.filter(status="complete").count() >= 10
    assert Conversation.objects.filter(status="draft").exists()
    assert (
        Conversation.objects.filter(campaign__isnull=False, campaign_known_to_rep=False).count()
        >= 2
    )
    assert Conversation.objects.filter(theme__isnull=False).exists()
    assert FollowUp.objects.filter(done_at__isnull=True).exists()
    won = Opportunity.objects.filter(stage="won")
    assert won.exists() and all(o.closed_at for o in won)
    assert all(o.lost_reason for o in Opportunity.objects.filter(stage="lost"))
