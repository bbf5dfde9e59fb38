"""The pipeline by stage and the opportunity pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin

from .. import selectors
from ..forms import OpportunityForm, put_service_errors
from ..models import Account, Opportunity
from ..services import opportunities as opportunity_services
from ..services.concurrency import EditConflict
from .common import conflict_context


class PipelineView(CapabilityRequiredMixin, TemplateView):
    required_capability = "crm.read"
    template_name = "crm/pipeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = bool(self.request.GET.get("mine"))
        context.update(
            columns=selectors.pipeline(owner=self.request.user if mine else None), mine=mine
        )
        return context


class OpportunityDetailView(CapabilityRequiredMixin, TemplateView):
    required_capability = "crm.read"
    template_name = "crm/opportunity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opportunity = get_object_or_404(selectors.opportunities_qs(), pk=kwargs["pk"])
        context.update(
            opportunity=opportunity,
            stage_changes=list(selectors.opportunity_stage_history(opportunity=opportunity)),
            history=selectors.history_entries(instance=opportunity),
            conversations=list(selectors.conversations_qs().filter(opportunity=opportunity)[:20]),
            may_edit=opportunity_services.may_edit_opportunity(self.request.user, opportunity),
        )
        return context


class OpportunityFormView(CapabilityRequiredMixin, TemplateView):
    """New opportunity (`?account=`) or edit one (pk): owner or manager."""

    required_capability = "crm.write"
    template_name = "crm/opportunity_form.html"

    def get_instance(self):
        if "pk" not in self.kwargs:
            return None
        opportunity = get_object_or_404(Opportunity, pk=self.kwargs["pk"])
        if not opportunity_services.may_edit_opportunity(self.request.user, opportunity):
            raise PermissionDenied
        return opportunity

    def _render(self, form, instance, conflict=None):
        account = instance.account if instance else form.initial.get("account_obj")
        if account is None and form.is_bound:
            account = Account.objects.filter(pk=form.data.get("account") or 0).first()
        return self.render_to_response(
            self.get_context_data(
                form=form, opportunity=instance, account=account, conflict=conflict
            )
        )

    def get(self, request, *args, **kwargs):
        instance = self.get_instance()
        initial = {}
        if instance is None:
            account = get_object_or_404(Account, pk=request.GET.get("account") or 0)
            initial = {"account": account.pk, "account_obj": account}
        return self._render(OpportunityForm(instance=instance, initial=initial), instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = OpportunityForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                if instance is None:
                    opportunity = opportunity_services.create_opportunity(
                        owner=request.user, data=form.cleaned_data
                    )
                else:
                    opportunity = opportunity_services.update_opportunity(
                        opportunity=instance,
                        editor=request.user,
                        data=form.cleaned_data,
                        expected_version=form.expected_version(),
                    )
            except EditConflict as error:
                conflict = conflict_context(form, error, opportunity_services.FIELDS)
                return self._render(form, instance, conflict)
            except ValidationError as error:
                put_service_errors(form, error)
            else:
                messages.success(request, _("Opportunity saved."))
                return redirect(opportunity)
        return self._render(form, instance)
