"""Service levels marketing and sales promise each other (seed 002: hand-offs)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceLevel(models.Model):
    """A shared agreement with a measurable target, checked daily for breaches."""

    class Kind(models.TextChoices):
        LEAD_RESPONSE = (
            "lead_response",
            _("Marketing lead gets a first conversation within N hours"),
        )
        QUALIFIED_LEADS = "qualified_leads", _("Marketing delivers N qualified leads a month")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    target = models.PositiveIntegerField(
        _("target"),
        validators=[MinValueValidator(1)],
        help_text=_("Hours for a lead response, leads for a monthly delivery."),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__gt=0), name="service_level_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceLevelBreach(models.Model):
    """One missed promise; `subject_key` (a lead or a month) keeps the daily job idempotent."""

    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.CASCADE, related_name="breaches"
    )
    subject_key = models.CharField(_("subject"), max_length=60)
    summary = models.CharField(_("summary"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    measured = models.DecimalField(
        _("measured"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    period_start = models.DateField(_("period"), null=True, blank=True)
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("service-level breach")
        verbose_name_plural = _("service-level breaches")
        constraints = [
            models.UniqueConstraint(
                fields=["service_level", "subject_key"], name="breach_once_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return self.summary
