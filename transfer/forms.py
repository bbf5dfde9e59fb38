from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import FIELDS
from .models import ImportRun


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV or XLSX file whose first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    kind = forms.ChoiceField(label=_("The file contains"), choices=ImportRun.Kind.choices)
    preset = forms.ChoiceField(
        label=_("Exported from"),
        choices=ImportRun.Preset.choices,
        help_text=_("HubSpot and Pipedrive exports are mapped for you; you can still change it."),
    )


class MappingForm(forms.Form):
    """One choice of column per field Silta can fill, plus what to do with existing records."""

    duplicates = forms.ChoiceField(
        label=_("When a record already exists"),
        choices=ImportRun.Duplicates.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, run: ImportRun, **kwargs):
        kwargs["initial"] = {
            **run.mapping,
            "duplicates": run.duplicates,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        columns = [("", _("— not in the file —")), *((h, h) for h in run.headers if h)]
        for target in FIELDS[run.kind]:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label, choices=columns, required=False
            )
        self.fields["duplicates"] = self.fields.pop("duplicates")

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "duplicates" and v}
