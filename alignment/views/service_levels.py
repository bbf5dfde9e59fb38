from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from core.roles import CapabilityRequiredMixin

from ..forms import ServiceLevelForm
from ..models import ServiceLevel
from ..selectors.service_levels import recent_breaches, service_levels_with_status
from ..services import service_levels as sl_services


class ServiceLevelListView(CapabilityRequiredMixin, ListView):
    required_capability = "servicelevel.manage"
    template_name = "alignment/service_levels.html"
    context_object_name = "breaches"
    paginate_by = 30

    def get_queryset(self):
        return recent_breaches()

    def get_context_data(self, **kwargs):
        return super().get_context_data(service_levels=service_levels_with_status(), **kwargs)


class ServiceLevelFormView(CapabilityRequiredMixin, FormView):
    required_capability = "servicelevel.manage"
    template_name = "alignment/service_level_form.html"
    form_class = ServiceLevelForm
    service_level = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.service_level = get_object_or_404(ServiceLevel, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.service_level}

    def get_context_data(self, **kwargs):
        return super().get_context_data(service_level=self.service_level, **kwargs)

    def form_valid(self, form):
        sl_services.save_service_level(user=self.request.user, form=form)
        messages.success(self.request, _("Service level saved."))
        return redirect("alignment:service-levels")
