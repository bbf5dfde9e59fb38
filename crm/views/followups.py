"""My follow-ups: overdue, today, this week."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin

from .. import selectors
from ..services import followups as followup_services


class MyFollowUpsView(CapabilityRequiredMixin, TemplateView):
    required_capability = "conversation.log"
    template_name = "crm/my_followups.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            agenda=selectors.followup_agenda(user=self.request.user, today=today),
            today=today,
            drafts=list(selectors.drafts_of(user=self.request.user)[:20]),
        )
        return context


class FollowUpToggleView(CapabilityRequiredMixin, View):
    """POST: mark one of the caller's follow-ups done (or open again with done=0)."""

    required_capability = "conversation.log"

    def post(self, request, pk):
        followup = get_object_or_404(selectors.followups_for(user=request.user), pk=pk)
        followup_services.set_followup_done(
            followup=followup, user=request.user, done=request.POST.get("done") != "0"
        )
        if request.htmx:
            followup.refresh_from_db()
            return render(request, "crm/partials/followup_item.html", {"followup": followup})
        return redirect("crm:my_followups")
