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


def test_demo_loads_on_the_first_of_a_month(db, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    first = timezone.make_aware(dt.datetime(2027, 3, 1, 1, 30))
    monkeypatch.setattr(timezone, "now", lambda: first)
    load_demo()
    assert FeedbackRound.objects.get(status="open").month == "2027-03"
    assert FeedbackRound.objects.get(status="closed").month == "2027-02"
