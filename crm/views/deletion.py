"""Deleting a conversation (soft), and the managers' "Recently deleted" page to restore one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.roles import CapabilityRequiredMixin

from ..models import Conversation
from ..services import deletion


class ConversationDeleteView(CapabilityRequiredMixin, TemplateView):
    """Confirm, then hide the conversation; a manager can bring it back for 30 days."""

    required_capability = "conversation.log"
    template_name = "crm/conversation_confirm_delete.html"

    def get_conversation(self) -> Conversation:
        conversation = get_object_or_404(
            Conversation.objects.select_related("account"), pk=self.kwargs["pk"]
        )
        if not deletion.may_delete_conversation(self.request.user, conversation):
            raise PermissionDenied(_("Only the author or a manager may delete a conversation."))
        return conversation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(conversation=self.get_conversation(), days=deletion.RESTORE_DAYS)
        return context

    def post(self, request, *args, **kwargs):
        deletion.delete_conversation(conversation=self.get_conversation(), user=request.user)
        messages.success(
            request,
            _("Conversation deleted. A manager can restore it within %(days)d days.")
            % {"days": deletion.RESTORE_DAYS},
        )
        return redirect("crm:conversation_list")


class RecentlyDeletedView(CapabilityRequiredMixin, ListView):
    """Conversations deleted in the last 30 days, newest first, each with a restore button."""

    required_capability = "crm.manage"
    template_name = "crm/recently_deleted.html"
    context_object_name = "conversations"
    paginate_by = 25

    def get_queryset(self):
        return deletion.recently_deleted()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = deletion.RESTORE_DAYS
        return context


class ConversationRestoreView(CapabilityRequiredMixin, TemplateView):
    required_capability = "crm.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        conversation = get_object_or_404(Conversation.all_objects, pk=kwargs["pk"])
        try:
            conversation = deletion.restore_conversation(
                conversation=conversation, user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("crm:recently_deleted")
        messages.success(request, _("Conversation restored."))
        return redirect(conversation)
