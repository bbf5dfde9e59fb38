"""Answering a round and seeing what became of one's own feedback."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin, can
from feedback import selectors
from feedback.forms import EntryForm
from feedback.services import entries as entry_services

from .common import add_service_errors, entry_or_404, round_or_404


class FeedbackHomeView(CapabilityRequiredMixin, TemplateView):
    """The current round for everyone, the list of rounds, and the open button for managers."""

    required_capability = "feedback.answer"
    template_name = "feedback/home.html"

    def get_context_data(self, **kwargs):
        from feedback.forms import OpenRoundForm
        from feedback.months import month_of

        context = super().get_context_data(**kwargs)
        rounds = list(selectors.rounds_overview()[:24])
        context.update(
            current=next((r for r in rounds if r.is_open), None),
            rounds=rounds,
            this_month=month_of(),
            open_form=OpenRoundForm() if can(self.request.user, "feedback.run") else None,
        )
        return context


class RoundView(CapabilityRequiredMixin, TemplateView):
    """A participant's page of one round: answer it, and see last month's outcome."""

    required_capability = "feedback.answer"
    template_name = "feedback/round.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(round_context(self.request, round_or_404(kwargs["month"])))
        return context


def round_context(request, feedback_round, form=None) -> dict:
    user = request.user
    previous = selectors.round_before(feedback_round)
    entries = list(selectors.own_entries(user=user, rounds=[feedback_round, previous]))
    return {
        "feedback_round": feedback_round,
        "accepting": feedback_round.is_open,
        "form": form if form is not None else EntryForm(),
        "my_entries": [e for e in entries if e.round_id == feedback_round.pk],
        "previous_round": previous,
        "previous_entries": [e for e in entries if previous and e.round_id == previous.pk],
    }


class AnswerView(CapabilityRequiredMixin, View):
    """POST one entry; with htmx the answer area comes back ready for the next one."""

    required_capability = "feedback.answer"

    def post(self, request, month):
        feedback_round = round_or_404(month)
        form = EntryForm(request.POST)
        saved = False
        if form.is_valid():
            try:
                entry_services.submit_entry(
                    feedback_round=feedback_round, author=request.user, **form.service_kwargs()
                )
                saved = True
            except ValidationError as exc:
                add_service_errors(form, exc)
        if saved and not request.htmx:
            messages.success(request, _("Thank you! Your entry was saved."))
            return redirect("feedback:round", month=month)
        context = round_context(request, feedback_round, form=EntryForm() if saved else form)
        context["just_saved"] = saved
        template = "feedback/_answer_area.html" if request.htmx else "feedback/round.html"
        return render(request, template, context)


class WithdrawEntryView(CapabilityRequiredMixin, View):
    required_capability = "feedback.answer"

    def post(self, request, month, entry_id):
        entry = entry_or_404(entry_id)
        try:
            entry_services.withdraw_entry(entry=entry, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your entry was withdrawn."))
        return redirect("feedback:round", month=month)
