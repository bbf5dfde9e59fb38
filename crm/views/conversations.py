"""Logging, listing and reading conversations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from alignment.selectors.campaigns import live_campaigns
from alignment.selectors.themes import active_themes
from core.roles import CapabilityRequiredMixin

from .. import selectors
from ..filters import ConversationFilter
from ..forms import ConversationForm, put_service_errors
from ..models import Account, Conversation
from ..services import conversations as conversation_services
from ..services.concurrency import EditConflict
from ..services.deletion import may_delete_conversation
from .common import CappedPaginator, conflict_context, query_string_without_page


class ConversationFormView(CapabilityRequiredMixin, TemplateView):
    """Log a new conversation, or edit one's own (pk given). Two buttons: complete or draft."""

    required_capability = "conversation.log"
    template_name = "crm/conversation_form.html"

    def get_instance(self) -> Conversation | None:
        if "pk" not in self.kwargs:
            return None
        conversation = get_object_or_404(Conversation, pk=self.kwargs["pk"])
        if conversation.author_id != self.request.user.pk:
            raise PermissionDenied(_("Only the author may edit a conversation."))
        return conversation

    def render_form(self, form, instance, conflict=None):
        user = self.request.user
        context = self.get_context_data(
            form=form,
            conflict=conflict,
            conversation=instance,
            selected_account=form.selected_account(),
            themes=list(active_themes().order_by("title")[:12]),
            campaigns=list(live_campaigns(user=user)[:8]),
        )
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        instance = self.get_instance()
        initial = {}
        if instance is None:
            initial = {
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
                "account": request.GET.get("account") or None,
            }
        return self.render_form(ConversationForm(instance=instance, initial=initial), instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = ConversationForm(request.POST, instance=instance)
        if form.is_valid():
            data = form.service_data()
            data["status"] = (
                Conversation.Status.DRAFT
                if request.POST.get("action") == "draft"
                else Conversation.Status.COMPLETE
            )
            try:
                if instance is None:
                    conversation = conversation_services.log_conversation(
                        author=request.user, data=data
                    )
                else:
                    conversation = conversation_services.update_conversation(
                        conversation=instance,
                        editor=request.user,
                        data=data,
                        expected_version=form.expected_version(),
                    )
            except EditConflict as error:
                fields = (*conversation_services.FIELDS, "contacts")
                return self.render_form(form, instance, conflict_context(form, error, fields))
            except ValidationError as error:
                put_service_errors(form, error)
            else:
                if conversation.is_complete:
                    messages.success(
                        request,
                        _("Conversation logged. Quality score %(score)d / 100.")
                        % {"score": conversation.quality_score},
                    )
                else:
                    messages.info(request, _("Saved as a draft. Complete it while you remember."))
                return redirect(conversation)
        return self.render_form(form, instance)


class AccountSearchView(CapabilityRequiredMixin, TemplateView):
    """htmx: accounts matching what the rep has typed, as radio buttons for the log form."""

    required_capability = "crm.read"
    template_name = "crm/partials/account_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("account_search", "")
        results = selectors.search_accounts(text=text)
        selected = self.request.GET.get("account")
        if selected and selected.isdigit() and all(a.pk != int(selected) for a in results):
            results = list(Account.objects.filter(pk=int(selected))) + results
        context.update(
            results=results,
            text=text,
            selected=int(selected) if selected and selected.isdigit() else None,
        )
        return context


class AccountOptionsView(CapabilityRequiredMixin, TemplateView):
    """htmx: the contacts and opportunities of the chosen account for the log form."""

    required_capability = "crm.read"
    template_name = "crm/partials/account_options.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ConversationForm(initial={"account": self.request.GET.get("account")})
        context["form"] = form
        return context


class ConversationListView(CapabilityRequiredMixin, ListView):
    required_capability = "conversation.read"
    template_name = "crm/conversation_list.html"
    context_object_name = "conversations"
    paginate_by = 25
    paginator_class = CappedPaginator

    def get_queryset(self):
        queryset = selectors.conversations_for(user=self.request.user)
        if self.request.GET.get("mine"):
            queryset = queryset.filter(author=self.request.user)
        self.filterset = ConversationFilter(self.request.GET, queryset=queryset)
        queryset = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        return queryset.order_by("-occurred_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter=self.filterset, query_string=query_string_without_page(self.request))
        return context


class ConversationDetailView(CapabilityRequiredMixin, TemplateView):
    required_capability = "conversation.read"
    template_name = "crm/conversation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conversation = get_object_or_404(
            selectors.conversations_for(user=self.request.user), pk=kwargs["pk"]
        )
        context.update(
            conversation=conversation,
            history=selectors.conversation_history(conversation=conversation),
            may_edit=conversation.author_id == self.request.user.pk,
            may_delete=may_delete_conversation(self.request.user, conversation),
        )
        return context


class ConversationScoreView(CapabilityRequiredMixin, TemplateView):
    """htmx: the quality score the log would get and what would complete it (guidance)."""

    required_capability = "conversation.log"
    template_name = "crm/partials/score.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ConversationForm(request.POST)
        form.is_valid()  # partial input is expected; the valid fields are enough here
        data = {k: v for k, v in form.cleaned_data.items() if k != "contacts"}
        score, problems = conversation_services.score_preview(data)
        hints = [
            message
            for field, messages in problems.items()
            if field not in {"account", "occurred_at", "contacts", "opportunity"}
            for message in messages
        ]
        if not data.get("theme"):
            hints.append(_("Link the insight to a theme, so marketing sees which themes work."))
        if not data.get("objections"):
            hints.append(_("Name the customer's objections, if they had any."))
        return self.render_to_response(self.get_context_data(score=score, hints=hints))
