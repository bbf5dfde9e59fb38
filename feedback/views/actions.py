"""Actions: list, create from entries, detail with status changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.roles import CapabilityRequiredMixin
from crm.services.concurrency import EditConflict
from crm.views.common import edit_conflict_context
from feedback import selectors
from feedback.forms import ActionForm, ActionStatusForm
from feedback.models import Action, FeedbackEntry
from feedback.services import actions as action_services

from .common import add_service_errors, round_or_404


class ActionListView(CapabilityRequiredMixin, ListView):
    required_capability = "feedback.manage"
    template_name = "feedback/action_list.html"
    context_object_name = "actions"
    paginate_by = 30

    def get_queryset(self):
        params = self.request.GET
        return selectors.actions_list(
            status=params.get("status", ""),
            owner=self.request.user if params.get("mine") else None,
            search=params.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            statuses=Action.Status.choices, params=self.request.GET, query_string=query.urlencode()
        )
        return context


class ActionCreateView(CapabilityRequiredMixin, TemplateView):
    """`?entries=<id>&entries=<id>` preselects the entries the action comes from."""

    required_capability = "feedback.manage"
    template_name = "feedback/action_form.html"

    def _entries(self, ids):
        entries = FeedbackEntry.objects.filter(pk__in=ids).select_related("round")
        rounds = {entry.round for entry in entries}
        if len(rounds) != 1:
            raise Http404(_("Choose entries from one round."))
        feedback_round = rounds.pop()
        return feedback_round, FeedbackEntry.objects.filter(round=feedback_round)

    def get(self, request, *args, **kwargs):
        ids = [value for value in request.GET.getlist("entries") if value]
        try:
            feedback_round, queryset = self._entries(ids)
        except (Http404, ValidationError):
            messages.error(request, _("Choose one or more entries first."))
            return redirect("feedback:home")
        form = ActionForm(entry_queryset=queryset, initial={"entries": ids})
        return self.render_to_response({"form": form, "feedback_round": feedback_round})

    def post(self, request, *args, **kwargs):
        feedback_round = round_or_404(request.POST.get("round", ""))
        form = ActionForm(
            request.POST, entry_queryset=FeedbackEntry.objects.filter(round=feedback_round)
        )
        if form.is_valid():
            try:
                action = action_services.create_action(
                    created_by=request.user, feedback_round=feedback_round, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Action created."))
                return redirect("feedback:action", pk=action.pk)
        return self.render_to_response({"form": form, "feedback_round": feedback_round})


ACTION_EDIT_FIELDS = ("title", "description", "owner", "due")


class ActionMixin(CapabilityRequiredMixin):
    required_capability = "feedback.manage"

    def get_action(self) -> Action:
        try:
            return selectors.action_detail(self.kwargs["pk"])
        except Action.DoesNotExist as exc:
            raise Http404 from exc


class ActionDetailView(ActionMixin, TemplateView):
    template_name = "feedback/action_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = kwargs.get("action") or self.get_action()
        context.update(
            action=action,
            status_form=kwargs.get("status_form")
            or ActionStatusForm(initial={"status": action.status, "outcome": action.outcome}),
            edit_form=kwargs.get("edit_form")
            or ActionForm(
                initial={
                    "title": action.title,
                    "description": action.description,
                    "owner": action.owner_id,
                    "due": action.due,
                    "version": action.version,
                }
            ),
            conflict=kwargs.get("conflict"),
        )
        return context


class ActionEditView(ActionDetailView):
    def post(self, request, pk):
        action = self.get_action()
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                action_services.update_action(
                    action=action,
                    title=form.cleaned_data["title"],
                    owner=form.cleaned_data["owner"] or action.owner,
                    due=form.cleaned_data["due"],
                    description=form.cleaned_data["description"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except EditConflict as conflict:
                context = edit_conflict_context(form, conflict.current, ACTION_EDIT_FIELDS)
                return self.render_to_response(
                    self.get_context_data(action=conflict.current, edit_form=form, conflict=context)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Action updated."))
                return redirect("feedback:action", pk=pk)
        return self.render_to_response(self.get_context_data(action=action, edit_form=form))


class ActionStatusView(ActionDetailView):
    def post(self, request, pk):
        action = self.get_action()
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                action_services.change_action_status(action=action, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Status updated."))
                return redirect(_safe_next(request) or reverse("feedback:action", args=[pk]))
        return self.render_to_response(self.get_context_data(action=action, status_form=form))


def _safe_next(request) -> str:
    """The `next` field when it points back into this site (the meeting page)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""
