"""Factories for feedback rows; other apps' tests may import them.

Entries go through `submit_entry` (`make_entry`) so the anonymity rules hold in
every test exactly as in the product.
"""

import datetime as dt

import factory
from django.utils import timezone

from feedback.models import Action, FeedbackRound, RoundParticipant
from feedback.services.entries import submit_entry
from tests.factories import UserFactory

TEXTS = {
    "good": "The customer praised how quickly support solved the invoicing problem last week.",
    "bad": "The delivery date in the order confirmation was wrong and the customer had to call twice.",
    "idea": "Send the installation checklist by e-mail two days before the technician arrives.",
}


class FeedbackRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRound

    month = factory.Sequence(lambda n: f"{2020 + n // 12:04d}-{n % 12 + 1:02d}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda r: r.opens_at + dt.timedelta(days=10))
    status = FeedbackRound.Status.OPEN

    class Params:
        closed = factory.Trait(
            status=FeedbackRound.Status.CLOSED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
        )


def add_participants(feedback_round, *users):
    for user in users:
        RoundParticipant.objects.get_or_create(round=feedback_round, user=user)


def make_entry(feedback_round, author, *, kind="bad", text=None, anonymous=False, **kwargs):
    """An entry written through the service (the round must be open)."""
    reopened = False
    if not feedback_round.is_open:
        # Closed rounds take no entries; open it for the write, then close it again.
        FeedbackRound.objects.filter(pk=feedback_round.pk).update(status="open")
        feedback_round.status = "open"
        reopened = True
    closes_at = feedback_round.closes_at
    if closes_at <= timezone.now():
        feedback_round.closes_at = timezone.now() + dt.timedelta(days=1)
    entry = submit_entry(
        feedback_round=feedback_round,
        author=author,
        kind=kind,
        text=text or TEXTS[kind],
        anonymous=anonymous,
        **kwargs,
    )
    if reopened:
        FeedbackRound.objects.filter(pk=feedback_round.pk).update(status="closed")
        feedback_round.status = "closed"
    feedback_round.closes_at = closes_at
    return entry


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    round = factory.SubFactory(FeedbackRoundFactory)
    title = factory.Sequence(lambda n: f"Fix the order confirmation template {n}")
    owner = factory.SubFactory(UserFactory, roles=["manager"])
    created_by = factory.SelfAttribute("owner")

    @factory.post_generation
    def entries(self, create, extracted, **kwargs):
        if create and extracted:
            self.entries.set(extracted)
