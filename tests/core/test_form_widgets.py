"""The project's faster select template writes exactly the markup Django's own writes."""

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting


class Filters(forms.Form):
    segment = forms.ChoiceField(
        choices=[("", "All"), ("retail", "Retail & wholesale"), ("energy", "Energy")],
        initial="retail",
    )
    themes = forms.MultipleChoiceField(
        choices=[("1", "Pricing"), ("2", "Lead times")], initial=["2"], required=False
    )
    campaign = forms.ChoiceField(
        choices=[("Spring", [("7", "Spring <fair>")]), ("9", "Autumn")],
        widget=forms.Select(attrs={"class": "form-select", "data-x": "1"}),
    )


def test_selects_render_as_django_renders_them_option_for_option():
    for name in ("segment", "themes", "campaign"):
        ours = Filters(renderer=TemplatesSetting())[name].as_widget()
        djangos = Filters(renderer=DjangoTemplates())[name].as_widget()
        assert ours == djangos, name
    assert "selected" in Filters(renderer=TemplatesSetting())["segment"].as_widget()
    assert "&lt;fair&gt;" in Filters(renderer=TemplatesSetting())["campaign"].as_widget()


def test_the_project_renders_forms_with_its_own_widget_templates(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
    assert isinstance(get_default_renderer(), TemplatesSetting)
