"""Insight themes: built by marketing and sales together (seed 003)."""

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
