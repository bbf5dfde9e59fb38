"""Forms for answering, triage, actions and the monthly meeting."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from alignment.models import Theme
from core.roles import CAPABILITIES
from crm.models import Account
from feedback.models import Action, Category, FeedbackEntry


def active_themes():
    return Theme.objects.filter(status="active").order_by("title")


def action_owners():
    """People who can manage actions (they move them along), i.e. hold feedback.manage."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=CAPABILITIES["feedback.manage"])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class EntryForm(forms.Form):
    """One entry; short enough to answer on a phone."""

    kind = forms.ChoiceField(
        label=_("What kind of experience?"),
        choices=FeedbackEntry.Kind.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _(
                    "E.g. the customer could not find the delivery date in the order confirmation."
                ),
            }
        ),
        help_text=_("A few sentences others can act on."),
    )
    category = forms.ChoiceField(
        label=_("Touchpoint"),
        choices=[("", _("— not sure —")), *Category.choices],
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_("Nobody, managers included, can see who wrote an anonymous entry."),
    )
    account = forms.CharField(
        label=_("Customer account"),
        required=False,
        max_length=200,
        help_text=_("The company's name, if the experience is about one customer."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Related themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = active_themes()

    def clean_account(self):
        """The account whose name matches exactly, or the only one containing the text."""
        name = " ".join(self.cleaned_data.get("account", "").split())
        if not name:
            return None
        exact = list(Account.objects.filter(name__iexact=name)[:2])
        matches = exact or list(Account.objects.filter(name__icontains=name)[:2])
        if len(matches) != 1:
            raise forms.ValidationError(
                _("No single customer account matches “%(name)s”; type more of its name.")
                % {"name": name}
            )
        return matches[0]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "category": data.get("category") or "",
            "anonymous": data.get("anonymous", False),
            "themes": list(data.get("themes") or []),
            "account": data.get("account"),
        }


class TriageForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Touchpoint"), choices=[("", _("— none —")), *Category.choices], required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, e.g. delivery, invoice"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.exclude(status="retired").order_by("title")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    entries = forms.ModelMultipleChoiceField(
        label=_("Entries"),
        queryset=FeedbackEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, entry_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = action_owners()
        self.fields["owner"].help_text = _("Leave empty to own it yourself.")
        if entry_queryset is not None:
            self.fields["entries"].queryset = entry_queryset
        else:
            del self.fields["entries"]
            # Editing: the version the editor started from, so a stale save shows a merge prompt.
            self.fields["version"] = forms.IntegerField(
                required=False, min_value=1, widget=forms.HiddenInput
            )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    outcome = forms.CharField(
        label=_("What we did"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown to the people who gave the feedback."),
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class OpenRoundForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("YYYY-MM; empty means this month."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Who is asked"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from core.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = Role.choices
        self.fields["groups"].initial = list(settings.SILTA_FEEDBACK_GROUPS)
