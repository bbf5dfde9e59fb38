"""Campaigns and their sales briefings (seed 001: the flyer nobody told sales about)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .themes import Theme


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

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_live_on(self, day) -> bool:
        return self.is_published and self.starts_on <= day <= self.ends_on


class CampaignAttachment(models.Model):
    """Briefing material for reps, kept as a link (slides, one-pager, price sheet)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)

    class Meta:
        ordering = ["id"]
        verbose_name = _("briefing attachment")
        verbose_name_plural = _("briefing attachments")

    def __str__(self) -> str:
        return self.title


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
        return timezone.localdate(self.acknowledged_at) < self.campaign.starts_on
