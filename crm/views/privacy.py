"""Data protection pages: what Silta holds about a contact, its JSON export, and erasure."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin

from ..models import Contact
from ..services import gdpr


class ContactMixin(CapabilityRequiredMixin):
    required_capability = "gdpr.manage"

    def get_contact(self) -> Contact:
        return get_object_or_404(Contact.objects.select_related("account"), pk=self.kwargs["pk"])


class ContactPrivacyView(ContactMixin, TemplateView):
    """What Silta holds about the person, with the export and erase buttons."""

    template_name = "crm/contact_privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = self.get_contact()
        context.update(
            contact=contact,
            conversations=list(gdpr.conversations_about(contact).select_related("account")[:50]),
        )
        return context


class ContactExportView(ContactMixin, TemplateView):
    """The JSON file of everything about the contact (audited as an export)."""

    def get(self, request, *args, **kwargs):
        contact = self.get_contact()
        data = gdpr.export_contact(contact=contact, user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
        return response


class ContactEraseView(ContactMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        contact = self.get_contact()
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Tick the confirmation box to erase this person's data."))
            return redirect("crm:contact_privacy", pk=contact.pk)
        try:
            gdpr.erase_contact(contact=contact, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("crm:contact_privacy", pk=contact.pk)
        messages.success(
            request, _("The person's data was erased; the conversations stay, anonymised.")
        )
        return redirect(contact.account)
