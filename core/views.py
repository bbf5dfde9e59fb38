from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from . import navigation, selectors
from .health import health_report
from .models import AuditEvent
from .roles import CapabilityRequiredMixin
from .services import notifications


@never_cache
def health(request):
    report, status = health_report()
    return JsonResponse(report, status=status)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = [
            item
            for item in navigation.entries_for(self.request.user)
            if item["entry"].url_name != "home"
        ]
        context["latest_notifications"] = selectors.notifications_for(user=self.request.user)[:5]
        return context


class InboxView(LoginRequiredMixin, ListView):
    template_name = "core/inbox.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return selectors.notifications_for(user=self.request.user)


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notification (`id`) or all read, then go back to the inbox or its link."""

    def post(self, request):
        notification_id = request.POST.get("id")
        if notification_id and notification_id.isdigit():
            notifications.mark_read(user=request.user, notification_ids=[int(notification_id)])
            target = request.POST.get("next") or ""
            if target.startswith("/") and not target.startswith("//"):
                return redirect(target)
        else:
            notifications.mark_read(user=request.user)
        return redirect("inbox")


class AuditLogView(CapabilityRequiredMixin, ListView):
    """Managers read who created, changed, deleted, exported or erased what."""

    required_capability = "audit.read"
    template_name = "core/audit.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        actor = self.request.GET.get("actor", "")
        return selectors.audit_events(
            action=self.request.GET.get("action", ""),
            object_type=self.request.GET.get("object_type", ""),
            actor_id=int(actor) if actor.isdigit() else None,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            actions=AuditEvent.Action.choices,
            object_types=selectors.audit_object_types(),
            query_string=params.urlencode(),
        )
        return context
