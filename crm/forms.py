"""Page forms. They parse input only; the rules are in crm.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alignment.models import Campaign, Theme

from .models import Account, Contact, Conversation, Opportunity


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def put_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's field-keyed errors beside the fields they concern."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class VersionedFormMixin:
    """A hidden `version`: the record's version when the page was loaded (stale saves conflict)."""

    def _init_version(self) -> None:
        self.fields["version"] = forms.IntegerField(
            required=False, min_value=1, widget=forms.HiddenInput
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class ConversationForm(VersionedFormMixin, forms.ModelForm):
    """The log form; contacts and opportunities are limited to the chosen account."""

    account = forms.ModelChoiceField(
        queryset=Account.objects.all(), label=_("Account"), widget=forms.HiddenInput
    )
    objections = forms.CharField(
        label=_("Objections"),
        required=False,
        help_text=_("Short tags, separated by commas, e.g. price, timing, existing supplier."),
    )

    class Meta:
        model = Conversation
        fields = [
            "account",
            "contacts",
            "opportunity",
            "channel",
            "occurred_at",
            "customer_goal",
            "discussed",
            "insight_shared",
            "theme",
            "customer_reaction",
            "objections",
            "campaign",
            "campaign_known_to_rep",
            "outcome",
            "next_step",
            "next_step_due",
        ]
        widgets = {
            "contacts": forms.CheckboxSelectMultiple,
            "occurred_at": DateTimeLocalInput(),
            "next_step_due": DateInput(),
            "customer_goal": forms.Textarea(attrs={"rows": 3}),
            "discussed": forms.Textarea(attrs={"rows": 4}),
            "insight_shared": forms.Textarea(attrs={"rows": 2}),
            "customer_reaction": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "next_step": _("Who does what, e.g. “I send the pilot offer with two price options”."),
            "campaign": _("Did the customer mention one of our campaigns?"),
            "campaign_known_to_rep": _("Untick if you heard of the campaign from the customer."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_version()
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["outcome"].required = False
        self.fields["channel"].required = True
        self.fields["outcome"].choices = [("", _("— choose —")), *Conversation.Outcome.choices]
        account_id = self._account_id()
        self.fields["contacts"].queryset = (
            Contact.objects.filter(account_id=account_id).order_by("name")
            if account_id
            else Contact.objects.none()
        )
        self.fields["opportunity"].queryset = (
            Opportunity.objects.filter(account_id=account_id).order_by("-created_at")
            if account_id
            else Opportunity.objects.none()
        )
        current_theme = self.instance.theme_id if self.instance.pk else None
        self.fields["theme"].queryset = Theme.objects.filter(
            status=Theme.Status.ACTIVE
        ) | Theme.objects.filter(pk=current_theme)
        current_campaign = self.instance.campaign_id if self.instance.pk else None
        today = timezone.localdate()
        self.fields["campaign"].queryset = (
            Campaign.objects.filter(published_at__isnull=False, ends_on__gte=today.replace(day=1))
            | Campaign.objects.filter(pk=current_campaign)
        ).order_by("name")
        if self.instance.pk:
            self.initial["objections"] = ", ".join(self.instance.objections or [])

    def _account_id(self):
        raw = self.data.get(self.add_prefix("account")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("account") or (
                self.instance.account_id if self.instance.pk else None
            )
        if isinstance(raw, Account):
            return raw.pk
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def selected_account(self) -> Account | None:
        account_id = self._account_id()
        return Account.objects.filter(pk=account_id).first() if account_id else None

    def _post_clean(self):
        # The service validates and saves; the model's own full_clean is not wanted here.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["contacts"] = list(data.get("contacts") or [])
        return data


class AccountForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Account
        fields = ["name", "industry", "segment", "country", "website"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "consent_basis"]


class OpportunityForm(VersionedFormMixin, forms.ModelForm):
    account = forms.ModelChoiceField(queryset=Account.objects.all(), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_version()

    class Meta:
        model = Opportunity
        fields = [
            "account",
            "name",
            "stage",
            "amount",
            "source",
            "campaign",
            "expected_close_on",
            "lost_reason",
        ]
        widgets = {
            "expected_close_on": DateInput(),
            "lost_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"lost_reason": _("Required when the stage is Lost.")}

    def _post_clean(self):
        pass
