"""Deals in the pipeline, with the stage history that cycle lengths are computed from."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Opportunity(models.Model):
    """A possible deal with an account; `closed_at` is set when it is won or lost."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        QUALIFIED = "qualified", _("Qualified")
        PROPOSAL = "proposal", _("Proposal")
        NEGOTIATION = "negotiation", _("Negotiation")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    class Source(models.TextChoices):
        MARKETING = "marketing", _("Marketing")
        SALES = "sales", _("Sales")
        PARTNER = "partner", _("Partner")
        REFERRAL = "referral", _("Referral")

    CLOSED_STAGES = frozenset({Stage.WON, Stage.LOST})

    account = models.ForeignKey(
        "crm.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.SALES
    )
    campaign = models.ForeignKey(
        "alignment.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    expected_close_on = models.DateField(_("expected close"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    lost_reason = models.TextField(_("lost reason"), blank=True)
    # Optimistic concurrency: every saved edit moves it on; a stale edit is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["stage", "-created_at"], name="crm_opp_stage_created"),
            models.Index(fields=["owner", "stage"], name="crm_opp_owner_stage"),
            models.Index(fields=["source", "created_at"], name="crm_opp_source_created"),
            models.Index(fields=["stage", "closed_at"], name="crm_opp_stage_closed"),
            models.Index(fields=["account", "stage"], name="crm_opp_account_stage"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:opportunity_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.stage in self.CLOSED_STAGES


class OpportunityStageChange(models.Model):
    """One move between stages; the first row records the stage it was created in."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=Opportunity.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Opportunity.Stage.choices)
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["opportunity", "changed_at"], name="crm_stagechange_opp_at"),
            models.Index(fields=["to_stage", "changed_at"], name="crm_stagechange_to_at"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.from_stage or '∅'} → {self.to_stage}"
