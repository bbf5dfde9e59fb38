"""Account list, account page (contacts, opportunities, timeline) and their forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.roles import CapabilityRequiredMixin

from .. import selectors
from ..filters import AccountFilter
from ..forms import AccountForm, ContactForm, put_service_errors
from ..models import Account
from ..services import accounts as account_services
from .common import query_string_without_page


class AccountListView(CapabilityRequiredMixin, ListView):
    required_capability = "crm.read"
    template_name = "crm/account_list.html"
    context_object_name = "accounts"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = AccountFilter(self.request.GET, queryset=selectors.accounts_qs())
        queryset = self.filterset.qs if self.filterset.is_valid() else selectors.accounts_qs()
        return queryset.order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter=self.filterset, query_string=query_string_without_page(self.request))
        return context


class AccountDetailView(CapabilityRequiredMixin, TemplateView):
    required_capability = "crm.read"
    template_name = "crm/account_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = get_object_or_404(selectors.accounts_qs(), pk=kwargs["pk"])
        timeline = Paginator(selectors.account_timeline(account=account), 20)
        page = timeline.get_page(self.request.GET.get("page"))
        context.update(
            account=account,
            contacts=list(account.contacts.order_by("name")),
            opportunities=list(selectors.opportunities_qs().filter(account=account)),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            timeline=page.object_list,
            contact_form=ContactForm(),
        )
        return context


class AccountFormView(CapabilityRequiredMixin, TemplateView):
    """Create an account, or edit one (pk given)."""

    required_capability = "crm.write"
    template_name = "crm/account_form.html"

    def get_instance(self):
        return get_object_or_404(Account, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, *args, **kwargs):
        instance = self.get_instance()
        return self.render_to_response(
            self.get_context_data(form=AccountForm(instance=instance), account=instance)
        )

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = AccountForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                if instance is None:
                    account = account_services.create_account(
                        creator=request.user, data=form.cleaned_data
                    )
                else:
                    account = account_services.update_account(
                        account=instance, editor=request.user, data=form.cleaned_data
                    )
            except ValidationError as error:
                put_service_errors(form, error)
            else:
                messages.success(request, _("Account saved."))
                return redirect(account)
        return self.render_to_response(self.get_context_data(form=form, account=instance))


class ContactCreateView(CapabilityRequiredMixin, TemplateView):
    """Add a contact to an account (the form sits on the account page)."""

    required_capability = "crm.write"
    template_name = "crm/contact_form.html"

    def get(self, request, *args, **kwargs):
        account = get_object_or_404(Account, pk=kwargs["pk"])
        return self.render_to_response(self.get_context_data(form=ContactForm(), account=account))

    def post(self, request, *args, **kwargs):
        account = get_object_or_404(Account, pk=kwargs["pk"])
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                account_services.create_contact(
                    creator=request.user, data={**form.cleaned_data, "account": account}
                )
            except ValidationError as error:
                put_service_errors(form, error)
            else:
                messages.success(request, _("Contact added."))
                return redirect(account)
        return self.render_to_response(self.get_context_data(form=form, account=account))
