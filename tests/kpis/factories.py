"""Factories for KPI tests; other apps may import them."""

from datetime import date

import factory
from django.apps import apps
from django.utils import timezone

from kpis.instrument import STATEMENTS
from kpis.models import AssessmentRound, KpiSnapshot
from kpis.services.assessment import submit_response


class KpiSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiSnapshot

    metric = "revenue_won"
    period = "month"
    period_start = date(2026, 1, 1)
    dimension = "all"
    dimension_id = ""
    value = 0
    computed_at = factory.LazyFunction(timezone.now)


class AssessmentRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    title = factory.Sequence(lambda n: f"Round {n}")
    opened_at = factory.LazyFunction(timezone.now)


def answer(user, assessment_round, *, scores: dict | None = None, default: int = 3):
    """Submit a full set of answers: `default` everywhere except the given statement scores."""
    all_scores = {statement.key: default for statement in STATEMENTS}
    all_scores.update(scores or {})
    return submit_response(respondent=user, round_id=assessment_round.pk, scores=all_scores)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = apps.get_model("alignment", "Campaign")

    name = factory.Sequence(lambda n: f"Campaign {n}")
    offer = "Kevään energiakatselmus teollisuudelle"
    channel = "email"
    segment = "manufacturing"
    starts_on = date(2026, 3, 10)
    ends_on = date(2026, 4, 30)
    spend = 0
    published_at = factory.LazyFunction(timezone.now)
