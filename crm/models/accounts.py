"""Customer companies and the people Silta's users talk to there."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """A customer or prospect company."""

    class Country(models.TextChoices):
        FINLAND = "FI", _("Finland")
        NETHERLANDS = "NL", _("Netherlands")
        BELGIUM = "BE", _("Belgium")
        SWEDEN = "SE", _("Sweden")
        ESTONIA = "EE", _("Estonia")
        GERMANY = "DE", _("Germany")
        OTHER = "XX", _("Other")

    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    segment = models.CharField(_("segment"), max_length=100, blank=True, db_index=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FINLAND
    )
    website = models.URLField(_("website"), blank=True)
    # The company's registration number (Y-tunnus, KvK-nummer); imports match accounts on it.
    business_id = models.CharField(_("business ID"), max_length=40, blank=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            # Search-as-you-type matches names case-insensitively from the start.
            models.Index(Upper("name"), name="crm_account_name_upper"),
            models.Index(fields=["name"], name="crm_account_name"),
            models.Index(fields=["country", "segment"], name="crm_account_country_segment"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:account_detail", args=[self.pk])


class Contact(models.Model):
    """A person at an account."""

    class ConsentBasis(models.TextChoices):
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
        CONSENT = "consent", _("Consent")
        CONTRACT = "contract", _("Contract")

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_basis = models.CharField(
        _("consent basis"),
        max_length=30,
        choices=ConsentBasis.choices,
        default=ConsentBasis.LEGITIMATE_INTEREST,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the person's data was erased on request (GDPR); the row stays, pseudonymised.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["account", "name"], name="crm_contact_account_name"),
            models.Index(fields=["email"], name="crm_contact_email"),
            models.Index(fields=["name"], name="crm_contact_name"),
        ]

    def __str__(self) -> str:
        return self.name
