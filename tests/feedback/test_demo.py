from core.demo import load_demo
from core.models import Notification
from feedback.models import Action, FeedbackRound


def test_demo_has_an_open_round_and_a_reported_closed_one(db):
    load_demo()
    current = FeedbackRound.objects.get(status="open")
    previous = FeedbackRound.objects.get(status="closed")
    assert previous.month < current.month
    assert set(current.entries.values_list("kind", flat=True)) == {"good", "bad", "idea"}
    assert current.entries.filter(anonymous=True).exists()
    assert current.entries.filter(anonymous=False).exists()
    assert previous.report.breakdown["breakdown_shown"] is True
    done = Action.objects.get(round=previous, status="done")
    assert (
        Notification.objects.filter(
            kind="feedback.you_said_we_did", link__contains=previous.month
        ).count()
        >= 1
    )
    assert done.outcome
