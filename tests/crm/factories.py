"""Factories for CRM rows; other apps' tests may import them.

`ConversationFactory` builds a complete, substantial log straight in the database
(bypassing the service) for list and selector tests; use the service to test rules.
"""

import datetime as dt

import factory
from django.utils import timezone

from crm.models import Account, Contact, Conversation, FollowUp, Opportunity
from tests.factories import UserFactory


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Pohjola Logistiikka {n} Oy")
    industry = "Logistics"
    segment = "Mid-market"
    country = Account.Country.FINLAND
    owner = factory.SubFactory(UserFactory, roles=["sales"])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Matti Virtanen {n}")
    title = "Head of Operations"
    email = factory.Sequence(lambda n: f"matti{n}@example.fi")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Route planning pilot {n}")
    owner = factory.SubFactory(UserFactory, roles=["sales"])
    stage = Opportunity.Stage.QUALIFIED
    amount = 24000
    source = Opportunity.Source.MARKETING


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    author = factory.SubFactory(UserFactory, roles=["sales"])
    channel = Conversation.Channel.MEETING
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    customer_goal = "Cut empty kilometres on the Tampere routes by a fifth before the summer peak."
    discussed = "Their dispatch is planned in spreadsheets; two planners spend every morning on it."
    insight_shared = "Peers who plan dynamically save about 12 % fuel within one quarter."
    customer_reaction = "Interested, but worried about the planners' learning curve."
    objections = factory.LazyFunction(lambda: ["training effort"])
    outcome = Conversation.Outcome.ADVANCED
    next_step = "Send the pilot proposal with two price options to the COO."
    next_step_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    status = Conversation.Status.COMPLETE
    quality_score = 80

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(UserFactory, roles=["sales"])
    account = factory.SubFactory(AccountFactory)
    title = "Send the pilot proposal with two price options."
    due = factory.LazyFunction(timezone.localdate)


def complete_log(account, **overrides) -> dict:
    """Service input for a complete, substantial conversation log."""
    data = {
        "account": account,
        "channel": Conversation.Channel.MEETING,
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "customer_goal": "They want to cut empty kilometres on the Tampere routes by a fifth.",
        "discussed": "Dispatch is planned in spreadsheets by two planners every single morning.",
        "insight_shared": "Peers planning routes dynamically save about twelve percent fuel.",
        "customer_reaction": "Interested, though worried about the learning curve.",
        "objections": ["training effort"],
        "outcome": Conversation.Outcome.ADVANCED,
        "next_step": "Send the pilot proposal with two price options to the COO.",
        "next_step_due": timezone.localdate() + dt.timedelta(days=7),
        "status": Conversation.Status.COMPLETE,
    }
    data.update(overrides)
    return data
