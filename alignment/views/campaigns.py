from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.roles import CapabilityRequiredMixin, can

from ..forms import CampaignForm
from ..models import Campaign
from ..selectors.campaigns import briefing_roster, campaigns_for, live_campaigns
from ..selectors.feed import unaware_mentions
from ..services import campaigns as campaign_services
from .common import ObjectFromUrlMixin, form_errors_from


class CampaignListView(CapabilityRequiredMixin, ListView):
    required_capability = "campaign.manage"
    template_name = "alignment/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 30

    def get_queryset(self):
        return campaigns_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class CampaignDetailView(CapabilityRequiredMixin, TemplateView):
    required_capability = "campaign.read"
    template_name = "alignment/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = get_object_or_404(campaigns_for(user=user), pk=kwargs["pk"])
        manage = can(user, "campaign.manage")
        roster = briefing_roster(campaign=campaign) if manage else []
        context.update(
            campaign=campaign,
            can_manage=manage,
            can_acknowledge=can(user, "campaign.acknowledge") and campaign.is_published,
            roster=roster,
            acknowledged_total=sum(1 for line in roster if line.acknowledged_at),
            unaware_mentions=unaware_mentions().filter(campaign=campaign).count() if manage else 0,
            today=timezone.localdate(),
        )
        return context


class CampaignFormView(CapabilityRequiredMixin, ObjectFromUrlMixin, FormView):
    required_capability = "campaign.manage"
    template_name = "alignment/campaign_form.html"
    form_class = CampaignForm
    object_model = Campaign
    object_name = "campaign"

    def get_initial(self):
        if self.campaign is None:
            return {"spend": 0, "budget": 0}
        initial = {f: getattr(self.campaign, f) for f in campaign_services.CAMPAIGN_FIELDS}
        initial["themes"] = list(self.campaign.themes.all())
        initial["attachments"] = CampaignForm.attachments_text(self.campaign)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        try:
            if self.campaign is None:
                campaign = campaign_services.create_campaign(author=user, data=form.cleaned_data)
            else:
                campaign = campaign_services.update_campaign(
                    user=user, campaign=self.campaign, data=form.cleaned_data
                )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Campaign saved."))
        return redirect("alignment:campaign-detail", pk=campaign.pk)


class CampaignPublishView(CapabilityRequiredMixin, View):
    required_capability = "campaign.manage"

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        try:
            sent = campaign_services.publish_campaign(user=request.user, campaign=campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Published. %(count)d sales users were notified.") % {"count": sent}
            )
        return redirect("alignment:campaign-detail", pk=pk)


class CampaignAcknowledgeView(CapabilityRequiredMixin, View):
    required_capability = "campaign.acknowledge"

    def post(self, request, pk):
        campaign = get_object_or_404(campaigns_for(user=request.user), pk=pk)
        try:
            campaign_services.acknowledge_campaign(user=request.user, campaign=campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Thanks: you have read the briefing for %(name)s.") % {"name": campaign.name},
            )
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)
        return redirect("alignment:campaign-detail", pk=pk)


class LiveNowView(CapabilityRequiredMixin, TemplateView):
    """What reps need today: running offers, what to say, whom it is for."""

    required_capability = "campaign.read"
    template_name = "alignment/live_now.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        campaigns = list(live_campaigns(user=self.request.user, on=today))
        context.update(
            today=today,
            live=[c for c in campaigns if c.starts_on <= today],
            upcoming=[c for c in campaigns if c.starts_on > today],
            can_acknowledge=can(self.request.user, "campaign.acknowledge"),
        )
        return context
