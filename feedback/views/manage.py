"""Running rounds (managers) and reading them (marketing and managers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin
from feedback import selectors
from feedback.forms import ActionForm, OpenRoundForm, TriageForm
from feedback.models import Action, Category, FeedbackEntry
from feedback.services import actions as action_services
from feedback.services import entries as entry_services
from feedback.services import rounds as round_services

from .common import add_service_errors, entry_or_404, round_or_404


class OpenRoundView(CapabilityRequiredMixin, View):
    required_capability = "feedback.run"

    def post(self, request):
        form = OpenRoundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the month as YYYY-MM, e.g. 2026-11."))
            return redirect("feedback:home")
        feedback_round, created = round_services.open_round_for_month(
            month=form.cleaned_data["month"] or None,
            opened_by=request.user,
            groups=form.cleaned_data["groups"] or None,
        )
        if created:
            messages.success(request, _("The round %(month)s is open.") % {"month": feedback_round})
        else:
            messages.info(
                request, _("The round %(month)s already exists.") % {"month": feedback_round}
            )
        return redirect("feedback:participation", month=feedback_round.month)


class CloseRoundView(CapabilityRequiredMixin, View):
    required_capability = "feedback.run"

    def post(self, request, month):
        feedback_round = round_or_404(month)
        if round_services.close_round(round_id=feedback_round.pk):
            messages.success(request, _("The round is closed and its report is ready."))
        return redirect("feedback:report", month=month)


class ParticipationView(CapabilityRequiredMixin, TemplateView):
    """Live participation; the figures refresh themselves through htmx polling."""

    required_capability = "feedback.run"
    template_name = "feedback/participation.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["feedback/_participation.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback_round = round_or_404(kwargs["month"])
        context.update(
            feedback_round=feedback_round,
            participation=selectors.participation(feedback_round),
            reminder_dates=round_services.reminder_dates(feedback_round),
        )
        return context


class TriageView(CapabilityRequiredMixin, TemplateView):
    """Every entry of a round, grouped by kind and touchpoint, searchable and filterable."""

    required_capability = "feedback.manage"
    template_name = "feedback/triage.html"
    paginate_by = 200

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback_round = round_or_404(kwargs["month"])
        params = self.request.GET
        category = params.get("category")
        theme = params.get("theme", "")
        entries = selectors.round_entries(
            feedback_round=feedback_round,
            search=params.get("q", "").strip(),
            kind=params.get("kind", "") if params.get("kind") in FeedbackEntry.Kind.values else "",
            category=_category_filter(category),
            tag=params.get("tag", "").strip(),
            theme=int(theme) if theme.isdigit() else None,
        )
        page = Paginator(entries, self.paginate_by).get_page(params.get("page"))
        query = params.copy()
        query.pop("page", None)
        context.update(
            feedback_round=feedback_round,
            entries=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
            kinds=FeedbackEntry.Kind.choices,
            categories=Category.choices,
            params=params,
            triage_form=TriageForm(),
        )
        return context


def _category_filter(value: str | None) -> str | None:
    """`none` asks for uncategorised entries; an unknown value means no filter."""
    if value == "none":
        return ""
    return value if value in Category.values else None


class TriageEntryView(CapabilityRequiredMixin, View):
    """POST tags, themes and touchpoint for one entry; htmx swaps the entry card."""

    required_capability = "feedback.manage"

    def post(self, request, entry_id):
        entry = entry_or_404(entry_id)
        form = TriageForm(request.POST)
        if form.is_valid():
            entry_services.triage_entry(
                entry=entry,
                tags=form.cleaned_data["tags"],
                themes=form.cleaned_data["themes"],
                category=form.cleaned_data["category"],
            )
        if not request.htmx:
            messages.success(request, _("Entry updated."))
            return redirect("feedback:triage", month=entry.round.month)
        fresh = selectors.round_entries(feedback_round=entry.round).get(pk=entry.pk)
        return render(request, "feedback/_triage_entry.html", {"entry": fresh, "saved": True})


class MeetingView(CapabilityRequiredMixin, TemplateView):
    """The monthly meeting: agenda by touchpoint, last round's open actions, decisions."""

    required_capability = "feedback.manage"
    template_name = "feedback/meeting.html"

    def post(self, request, month):
        feedback_round = round_or_404(month)
        form = self._decision_form(feedback_round, request.POST)
        if form.is_valid():
            try:
                action_services.create_action(
                    created_by=request.user,
                    feedback_round=feedback_round,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    owner=form.cleaned_data["owner"],
                    due=form.cleaned_data["due"],
                    entries=form.cleaned_data["entries"],
                    source=Action.Source.MEETING,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Decision recorded as an action."))
                return redirect("feedback:meeting", month=month)
        return self.render_to_response(self.get_context_data(month=month, decision_form=form))

    @staticmethod
    def _decision_form(feedback_round, data=None):
        return ActionForm(data, entry_queryset=FeedbackEntry.objects.filter(round=feedback_round))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback_round = round_or_404(kwargs["month"])
        entries = list(selectors.round_entries(feedback_round=feedback_round))
        labels = dict(Category.choices)
        agenda: dict[str, dict] = {}
        for entry in sorted(entries, key=lambda e: (e.category or "~", e.kind)):
            item = agenda.setdefault(
                entry.category,
                {"label": labels.get(entry.category, _("Uncategorised")), "entries": []},
            )
            item["entries"].append(entry)
        previous = selectors.round_before(feedback_round)
        context.update(
            feedback_round=feedback_round,
            agenda=list(agenda.values()),
            previous_round=previous,
            previous_actions=selectors.open_actions_of(previous),
            round_actions=selectors.actions_list(feedback_round=feedback_round),
            statuses=Action.Status.choices,
            decision_form=kwargs.get("decision_form") or self._decision_form(feedback_round),
        )
        return context
