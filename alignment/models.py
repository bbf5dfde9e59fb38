"""Insight themes and campaigns: what marketing and sales build and carry together."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """A jointly developed insight a rep can bring to a customer (seed 003)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    title = models.CharField(_("title"), max_length=200)
    insight = models.TextField(
        _("insight"), help_text=_("The new idea the customer has not heard yet.")
    )
    talking_points = models.TextField(_("talking points"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposed_themes",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("insight theme")
        verbose_name_plural = _("insight themes")

    def __str__(self) -> str:
        return self.title


class ThemeApproval(models.Model):
    """One person's approval; a theme turns active with a marketing and a sales side."""

    class Side(models.TextChoices):
        MARKETING = "marketing", _("Marketing")
        SALES = "sales", _("Sales")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "user"], name="theme_approval_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ✓ {self.user} ({self.side})"


class Campaign(models.Model):
    """A marketing campaign, briefed to sales before it reaches customers (seed 001)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SOCIAL = "social", _("Social media")
        SEARCH = "search", _("Search advertising")
        EVENT = "event", _("Event")
        PRINT = "print", _("Print / flyer")
        WEBINAR = "webinar", _("Webinar")
        CONTENT = "content", _("Content")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    offer = models.TextField(_("offer / proposition"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, default=0)
    spend = models.DecimalField(_("spend (EUR)"), max_digits=12, decimal_places=2, default=0)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="campaigns"
    )
    briefing = models.TextField(_("sales briefing"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_campaigns",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="campaign_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="campaign_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(spend__gte=0), name="campaign_spend_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="campaign_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignBriefing(models.Model):
    """A user has read the campaign's sales briefing (acknowledging twice is harmless)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="briefings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_briefings"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="briefing_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.campaign}"

    @property
    def before_launch(self) -> bool:
        return self.acknowledged_at.date() < self.campaign.starts_on
