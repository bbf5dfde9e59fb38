from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.roles import CapabilityRequiredMixin, can

from ..forms import ThemeForm
from ..models import Theme
from ..selectors import usage
from ..selectors.themes import themes_list
from ..services import themes as theme_services
from .common import ObjectFromUrlMixin, form_errors_from


class ThemeListView(CapabilityRequiredMixin, ListView):
    required_capability = "theme.propose"
    template_name = "alignment/theme_list.html"
    context_object_name = "themes"
    paginate_by = 30

    def get_queryset(self):
        self.status = self.request.GET.get("status", "")
        if self.status not in Theme.Status.values:
            self.status = ""
        return themes_list(status=self.status or None, search=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.status
        context["statuses"] = Theme.Status.choices
        context["q"] = self.request.GET.get("q", "")
        context["query_string"] = f"status={self.status}&q={context['q']}"
        return context


class ThemeDetailView(CapabilityRequiredMixin, TemplateView):
    required_capability = "theme.propose"
    template_name = "alignment/theme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = get_object_or_404(themes_list(), pk=kwargs["pk"])
        user = self.request.user
        approvals = list(theme.approvals.all())
        context.update(
            theme=theme,
            approvals=approvals,
            approved_by_me=any(a.user_id == user.pk for a in approvals),
            sides_covered={a.side for a in approvals},
            can_approve=bool(theme_services.approval_sides_of(user))
            and theme.status == Theme.Status.PROPOSED,
            can_edit=theme_services.can_edit_theme(user=user, theme=theme),
            can_retire=can(user, "theme.manage") and theme.status != Theme.Status.RETIRED,
            campaigns=theme.campaigns.filter(published_at__isnull=False).order_by("-starts_on"),
            usage=usage.theme_usage(theme=theme) if can(user, "conversation.read") else None,
        )
        if context["usage"]:
            trend = context["usage"]["trend"]
            context["usage_chart"] = {
                "labels": [row["month"] for row in trend],
                "datasets": [{"label": _("Conversations"), "values": [r["count"] for r in trend]}],
            }
        return context


class ThemeFormView(CapabilityRequiredMixin, ObjectFromUrlMixin, FormView):
    required_capability = "theme.propose"
    template_name = "alignment/theme_form.html"
    form_class = ThemeForm
    object_model = Theme
    object_name = "theme"

    def check_object_permission(self, user, obj) -> None:
        if not theme_services.can_edit_theme(user=user, theme=obj):
            raise PermissionDenied

    def get_initial(self):
        if self.theme is None:
            return {}
        return {f: getattr(self.theme, f) for f in theme_services.THEME_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(theme=self.theme, **kwargs)

    def form_valid(self, form):
        try:
            if self.theme is None:
                theme = theme_services.propose_theme(
                    author=self.request.user, data=form.cleaned_data
                )
                messages.success(
                    self.request,
                    _("Theme proposed. It becomes active once marketing and sales approve it."),
                )
            else:
                theme = theme_services.update_theme(
                    user=self.request.user, theme=self.theme, data=form.cleaned_data
                )
                messages.success(self.request, _("Theme saved."))
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        return redirect("alignment:theme-detail", pk=theme.pk)


class ThemeApproveView(CapabilityRequiredMixin, View):
    required_capability = "theme.propose"

    def post(self, request, pk):
        theme = get_object_or_404(Theme, pk=pk)
        try:
            theme_services.approve_theme(user=request.user, theme=theme)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            theme.refresh_from_db()
            if theme.status == Theme.Status.ACTIVE:
                messages.success(request, _("Approved. Both sides agree: the theme is active."))
            else:
                messages.success(request, _("Approved. The other side still needs to approve."))
        return redirect("alignment:theme-detail", pk=pk)


class ThemeRetireView(CapabilityRequiredMixin, View):
    required_capability = "theme.manage"

    def post(self, request, pk):
        theme = get_object_or_404(Theme, pk=pk)
        theme_services.retire_theme(user=request.user, theme=theme)
        messages.success(request, _("Theme retired."))
        return redirect("alignment:theme-detail", pk=pk)
