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


def make_account(name: str, *, segment: str = "", industry: str = ""):
    Account = apps.get_model("crm", "Account")
    return Account.objects.create(name=name, segment=segment, industry=industry)


def make_conversation(*, author, account, occurred_at, objections=(), **fields):
    """A conversation with objection tags, written straight to the tables (no service rules)."""
    Conversation = apps.get_model("crm", "Conversation")
    Objection = apps.get_model("crm", "ConversationObjection")
    conversation = Conversation.objects.create(
        author=author,
        account=account,
        occurred_at=occurred_at,
        customer_goal="Halutaan pienentää energiakuluja tuotantolinjalla",
        discussed="Kävimme läpi nykyisen sopimuksen ja kulutusprofiilin",
        objections=list(objections),
        **fields,
    )
    Objection.objects.bulk_create(Objection(conversation=conversation, tag=t) for t in objections)
    return conversation


def make_opportunity(*, owner, account, created_at, history=(), **fields):
    """An opportunity created at `created_at`; `history` is the stages it moved through."""
    Opportunity = apps.get_model("crm", "Opportunity")
    Change = apps.get_model("crm", "OpportunityStageChange")
    opportunity = Opportunity.objects.create(
        owner=owner, account=account, name=f"{account.name} deal", **fields
    )
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=created_at)
    previous = ""
    for stage in history:
        Change.objects.create(
            opportunity=opportunity, from_stage=previous, to_stage=stage, changed_at=created_at
        )
        previous = stage
    opportunity.refresh_from_db()
    return opportunity
