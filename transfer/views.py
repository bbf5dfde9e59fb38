"""Import pages (upload, mapping, progress, history, undo) and the streamed export downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.roles import CapabilityRequiredMixin, can

from .forms import MappingForm, UploadForm
from .selectors import run_for, runs_for
from .services import exports, runs


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class ImportListView(CapabilityRequiredMixin, ListView):
    """The import history: every run with its counts, and undo."""

    required_capability = "transfer.import"
    template_name = "transfer/import_list.html"
    context_object_name = "runs"
    paginate_by = 25

    def get_queryset(self):
        return runs_for(user=self.request.user)


class ImportUploadView(CapabilityRequiredMixin, FormView):
    required_capability = "transfer.import"
    template_name = "transfer/upload.html"
    form_class = UploadForm

    def form_valid(self, form):
        try:
            run = runs.start_import(
                user=self.request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                preset=form.cleaned_data["preset"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        return redirect("transfer:mapping", pk=run.pk)


class MappingView(CapabilityRequiredMixin, FormView):
    """Match the file's columns to Silta's fields, then check (dry run) or import."""

    required_capability = "transfer.import"
    template_name = "transfer/mapping.html"
    form_class = MappingForm

    @cached_property
    def run(self):
        # Loaded after the capability check, so a stranger gets 403 before any 404.
        return run_for(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "run": self.run}

    def get_context_data(self, **kwargs):
        return super().get_context_data(run=self.run, **kwargs)

    def form_valid(self, form):
        phase = "import" if "import" in self.request.POST else "check"
        try:
            runs.set_mapping(
                run=self.run,
                user=self.request.user,
                mapping=form.mapping(),
                duplicates=form.cleaned_data["duplicates"],
            )
            runs.queue_run(run=self.run, user=self.request.user, phase=phase)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        return redirect("transfer:run", pk=self.run.pk)


class RunView(CapabilityRequiredMixin, TemplateView):
    """A run's progress (polled by htmx while it runs), its preview and its problems."""

    required_capability = "transfer.import"
    template_name = "transfer/run.html"

    def get(self, request, *args, **kwargs):
        run = run_for(user=request.user, pk=kwargs["pk"])
        if request.htmx:
            if not run.is_active and request.GET.get("polling"):
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"  # finished: show the preview and counts
                return response
            return TemplateResponse(request, "transfer/_progress.html", {"run": run})
        return self.render_to_response(self.get_context_data(run=run))


class RunStartView(CapabilityRequiredMixin, View):
    """POST: import a checked run."""

    required_capability = "transfer.import"

    def post(self, request, pk: int):
        run = run_for(user=request.user, pk=pk)
        try:
            runs.queue_run(run=run, user=request.user, phase="import")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("transfer:run", pk=run.pk)


class RunUndoView(CapabilityRequiredMixin, View):
    required_capability = "transfer.import"

    def post(self, request, pk: int):
        run = run_for(user=request.user, pk=pk)
        try:
            runs.queue_undo(run=run, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("transfer:run", pk=run.pk)


class ExportIndexView(CapabilityRequiredMixin, TemplateView):
    required_capability = "crm.read"
    template_name = "transfer/export.html"

    def get_context_data(self, **kwargs):
        labels = {
            "accounts": _("Accounts"),
            "contacts": _("Contacts"),
            "opportunities": _("Opportunities"),
            "conversations": _("Conversations"),
        }
        lists = [
            (name, labels[name], f"transfer:export-{name}", can(self.request.user, spec.capability))
            for name, spec in exports.LISTS.items()
        ]
        return super().get_context_data(
            lists=lists, query_string=self.request.GET.urlencode(), **kwargs
        )


class ListExportView(CapabilityRequiredMixin, View):
    """A list with its page's filters (the query string), streamed as CSV or XLSX."""

    list_name = ""

    def get(self, request, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        try:
            headers, rows = exports.export_rows(
                user=request.user, name=self.list_name, params=request.GET
            )
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
        stamp = timezone.localdate().isoformat()
        filename = f"silta-{self.list_name}-{stamp}.{fmt}"
        if fmt == "xlsx":
            handle = exports.xlsx_file(headers, rows, title=self.list_name)
            return FileResponse(handle, as_attachment=True, filename=filename)
        response = StreamingHttpResponse(
            exports.csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class AccountExportView(ListExportView):
    required_capability = "crm.read"
    list_name = "accounts"


class ContactExportView(ListExportView):
    required_capability = "crm.read"
    list_name = "contacts"


class OpportunityExportView(ListExportView):
    required_capability = "crm.read"
    list_name = "opportunities"


class ConversationExportView(ListExportView):
    required_capability = "conversation.read"
    list_name = "conversations"


class FullExportView(CapabilityRequiredMixin, View):
    """Everything, as one streamed JSON document, for a manager."""

    required_capability = "transfer.export_all"

    def get(self, request):
        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(
            exports.full_export(user=request.user), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="silta-all-{stamp}.json"'
        return response
