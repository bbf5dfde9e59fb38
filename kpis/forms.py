from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Team

from .instrument import SCORE_CHOICES, STATEMENTS
from .models import Dimension, Period


class DashboardFilterForm(forms.Form):
    """Period kind, end date and at most one of team / campaign / segment."""

    period = forms.ChoiceField(
        label=_("Period"), choices=Period.choices, initial=Period.MONTH, required=False
    )
    until = forms.DateField(
        label=_("Up to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False)

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        Campaign = apps.get_model("alignment", "Campaign")
        # Only what the option shows: campaigns carry long briefing texts.
        self.fields["campaign"].queryset = Campaign.objects.only("name").order_by(
            "-starts_on", "name"
        )
        self.fields["segment"].choices = [("", _("All segments"))] + [(s, s) for s in segments]
        self.fields["team"].empty_label = _("All teams")
        self.fields["campaign"].empty_label = _("All campaigns")

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("team", "campaign", "segment") if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(_("Filter by one of team, campaign or segment at a time."))
        return data

    def slice(self) -> tuple[str, str, str, object]:
        """(period, dimension, dimension_id, until) for a valid form; defaults otherwise."""
        valid = self.is_bound and self.is_valid()
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        period = data.get("period") or Period.MONTH
        until = data.get("until") or timezone.localdate()
        if not valid and self.non_field_errors():
            # Two slices at once: show everyone rather than guess which one was meant.
            return period, Dimension.ALL, "", until
        if data.get("team"):
            return period, Dimension.TEAM, str(data["team"].pk), until
        if data.get("campaign"):
            return period, Dimension.CAMPAIGN, str(data["campaign"].pk), until
        if data.get("segment"):
            return period, Dimension.SEGMENT, data["segment"], until
        return period, Dimension.ALL, "", until


class RollupForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class AssessmentRoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: Q1 2027"))


class AssessmentAnswerForm(forms.Form):
    """One 1–5 radio group per statement, in the instrument's order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            self.fields[statement.key] = forms.TypedChoiceField(
                label=statement.text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items()}
