"""Page forms; the rules themselves live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Campaign, ServiceLevel, Theme


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    insight = forms.CharField(
        label=_("Insight"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The new idea the customer has not heard yet, in a few sentences."),
    )
    talking_points = forms.CharField(
        label=_("Talking points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One point a line: what the rep says, and which question opens it."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Figures, cases or sources that back the insight."),
    )
    segment = forms.CharField(label=_("Segment"), max_length=100, required=False)


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    offer = forms.CharField(
        label=_("Offer / proposition"), widget=forms.Textarea(attrs={"rows": 3})
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Campaign.Channel.choices)
    segment = forms.CharField(
        label=_("Segment"),
        max_length=100,
        required=False,
        help_text=_("Whom it is for, in the words reps use."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    budget = forms.DecimalField(label=_("Budget (EUR)"), max_digits=12, decimal_places=2)
    spend = forms.DecimalField(
        label=_("Spend so far (EUR)"), max_digits=12, decimal_places=2, initial=0
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.exclude(status=Theme.Status.RETIRED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    briefing = forms.CharField(
        label=_("Sales briefing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What reps should say, to whom, and what the customer will have seen."),
    )
    attachments = forms.CharField(
        label=_("Attachments (links)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: title | https://link"),
    )

    def clean_attachments(self) -> list[dict]:
        items = []
        for line in self.cleaned_data["attachments"].splitlines():
            if not line.strip():
                continue
            title, sep, url = line.rpartition("|")
            if not sep:
                raise ValidationError(_("Write each attachment as: title | https://link"))
            items.append({"title": title.strip(), "url": url.strip()})
        return items

    @staticmethod
    def attachments_text(campaign: Campaign) -> str:
        return "\n".join(f"{a.title} | {a.url}" for a in campaign.attachments.all())


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["name", "kind", "target", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
