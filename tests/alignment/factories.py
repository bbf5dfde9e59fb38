"""Factories for alignment rows; other apps' tests may import them."""

import datetime as dt

import factory
from django.utils import timezone

from alignment.models import Campaign, CampaignBriefing, ServiceLevel, Theme, ThemeApproval
from tests.factories import UserFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Hidden cost of manual quoting {n}")
    insight = "Manual quoting costs mid-size manufacturers two working days per order on average."
    talking_points = "Ask how long a quote takes today.\nShow the benchmark."
    segment = "Manufacturing"
    proposed_by = factory.SubFactory(UserFactory, roles=["marketing"])

    class Params:
        active = factory.Trait(
            status=Theme.Status.ACTIVE, activated_at=factory.LazyFunction(timezone.now)
        )
        retired = factory.Trait(
            status=Theme.Status.RETIRED, retired_at=factory.LazyFunction(timezone.now)
        )


class ThemeApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeApproval

    theme = factory.SubFactory(ThemeFactory)
    user = factory.SubFactory(UserFactory, roles=["marketing"])
    side = ThemeApproval.Side.MARKETING


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Spring upgrade offer {n}")
    offer = "Free migration of existing quotes when upgrading before the end of the month."
    channel = Campaign.Channel.EMAIL
    segment = "SME manufacturing"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + dt.timedelta(days=30))
    budget = 5000
    spend = 0
    briefing = "Customers get the e-mail on launch day; ask whether they read it and offer a demo."
    created_by = factory.SubFactory(UserFactory, roles=["marketing"])

    class Params:
        published = factory.Trait(published_at=factory.LazyFunction(timezone.now))
        live = factory.Trait(
            published_at=factory.LazyFunction(timezone.now),
            starts_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=2)),
        )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class CampaignBriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignBriefing

    campaign = factory.SubFactory(CampaignFactory, published=True)
    user = factory.SubFactory(UserFactory, roles=["sales"])


class ServiceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLevel

    name = "Marketing leads contacted within a day"
    kind = ServiceLevel.Kind.LEAD_RESPONSE
    target = 24


# --- CRM rows the feed reads. Kept here (not in tests/crm) so these tests do not
# depend on another app's test helpers; created directly, as the CRM would store them.


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Account"

    name = factory.Sequence(lambda n: f"Konepaja Virtanen {n} Oy")
    industry = "Machinery"
    segment = "Manufacturing SME"
    country = "FI"


class ConversationFactory(factory.django.DjangoModelFactory):
    """A complete conversation; pass `objections=[...]` to also index the objection tags."""

    class Meta:
        model = "crm.Conversation"
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    author = factory.SubFactory(UserFactory, roles=["sales"])
    channel = "meeting"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))
    customer_goal = "Cut the time from drawing to quote from two days to four hours."
    discussed = "Their quoting process, the ERP they use and who signs off prices."
    insight_shared = "Fast quotes win most small orders, more than a lower price does."
    customer_reaction = "Surprised by the benchmark; wants to measure their own quote times."
    outcome = "advanced"
    next_step = "Send the quote-time measurement template."
    next_step_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    status = "complete"
    quality_score = 80

    @factory.post_generation
    def objections(self, create, extracted, **kwargs):
        from crm.models import ConversationObjection

        if create and extracted:
            self.objections = list(extracted)
            self.save(update_fields=["objections"])
            ConversationObjection.objects.bulk_create(
                ConversationObjection(conversation=self, tag=tag) for tag in extracted
            )


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Opportunity"

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Quote automation {n}")
    owner = factory.SubFactory(UserFactory, roles=["sales"])
    source = "marketing"
    amount = 12000
