from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from core.roles import CapabilityRequiredMixin

from ..forms import ServiceLevelForm
from ..models import ServiceLevel
from ..selectors.service_levels import recent_breaches, service_levels_with_status
from ..services import service_levels as sl_services
from .common import ObjectFromUrlMixin


class ServiceLevelListView(CapabilityRequiredMixin, ListView):
    required_capability = "servicelevel.manage"
    template_name = "alignment/service_levels.html"
    context_object_name = "breaches"
    paginate_by = 30

    def get_queryset(self):
        return recent_breaches()

    def get_context_data(self, **kwargs):
        return super().get_context_data(service_levels=service_levels_with_status(), **kwargs)


class ServiceLevelFormView(CapabilityRequiredMixin, ObjectFromUrlMixin, FormView):
    required_capability = "servicelevel.manage"
    template_name = "alignment/service_level_form.html"
    form_class = ServiceLevelForm
    object_model = ServiceLevel
    object_name = "service_level"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.service_level}

    def get_context_data(self, **kwargs):
        return super().get_context_data(service_level=self.service_level, **kwargs)

    def form_valid(self, form):
        sl_services.save_service_level(user=self.request.user, form=form)
        messages.success(self.request, _("Service level saved."))
        return redirect("alignment:service-levels")
