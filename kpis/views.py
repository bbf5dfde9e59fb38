"""KPI pages: the shared dashboard, its CSV export, the rollup and the self-assessment."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from core.jobs import enqueue_on_commit
from core.roles import CapabilityRequiredMixin, can

from . import dashboard, selectors
from .forms import AssessmentAnswerForm, AssessmentRoundForm, DashboardFilterForm, RollupForm
from .instrument import STAGES, STATEMENTS
from .models import AssessmentRound, AssessmentSide, RollupRun
from .services import assessment, rollup
from .tasks import rollup_kpis


class DashboardView(CapabilityRequiredMixin, TemplateView):
    required_capability = "dashboard.view"
    template_name = "kpis/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None, segments=selectors.segment_names())
        period, dimension, dimension_id, until = form.slice()
        data = dashboard.load(
            period=period, dimension=dimension, dimension_id=dimension_id, until=until
        )
        context.update(
            form=form,
            period=period,
            dimension=dimension,
            data=data,
            latest_run=selectors.latest_rollup_run(),
            rollup_form=RollupForm(initial={"since": data.starts[0], "until": until}),
            query_string=self.request.GET.urlencode(),
        )
        return context


class DashboardExportView(CapabilityRequiredMixin, View):
    """The figures behind the dashboard as CSV, one row per snapshot."""

    required_capability = "dashboard.view"

    def get(self, request):
        form = DashboardFilterForm(request.GET or None, segments=selectors.segment_names())
        period, dimension, dimension_id, until = form.slice()
        starts = dashboard.period_starts(period, until)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="silta-kpis-{period}-{until}.csv"'
        writer = csv.writer(response)
        writer.writerow(["metric", "period", "period_start", "dimension", "dimension_id", "value"])
        rows = selectors.snapshots(
            period=period,
            dimension=dimension,
            dimension_id=dimension_id,
            since=starts[0],
            until=starts[-1],
        ).order_by("metric", "period_start")
        for row in rows:
            writer.writerow(
                [
                    row.metric,
                    period,
                    row.period_start.isoformat(),
                    dimension,
                    dimension_id,
                    row.value,
                ]
            )
        return response


class RollupStartView(CapabilityRequiredMixin, FormView):
    """A manager recomputes the KPIs for a date range; progress shows on the run page."""

    required_capability = "kpi.rollup"
    form_class = RollupForm
    template_name = "kpis/rollup_form.html"

    def form_valid(self, form):
        try:
            run = rollup.start_rollup(
                requested_by=self.request.user,
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        enqueue_on_commit(rollup_kpis, run.pk)
        messages.info(self.request, _("The figures are being recomputed."))
        return redirect("kpis:rollup-run", pk=run.pk)


class RollupRunView(CapabilityRequiredMixin, DetailView):
    required_capability = "kpi.rollup"
    model = RollupRun
    context_object_name = "run"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["kpis/includes/rollup_progress.html"]
        return ["kpis/rollup_run.html"]


class AssessmentListView(CapabilityRequiredMixin, TemplateView):
    required_capability = "assessment.answer"
    template_name = "kpis/assessment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = list(selectors.assessment_rounds())
        trend = selectors.assessment_trend()
        answered = set(self.request.user.assessment_responses.values_list("round_id", flat=True))
        context.update(
            rounds=rounds,
            answered=answered,
            trend=trend,
            trend_chart={
                "labels": [row["title"] for row in trend],
                "datasets": [
                    {"label": str(label), "data": [row.get(side) for row in trend]}
                    for side, label in AssessmentSide.choices
                ],
            },
            form=AssessmentRoundForm() if can(self.request.user, "assessment.run") else None,
            stages=STAGES,
        )
        return context


class AssessmentOpenView(CapabilityRequiredMixin, View):
    required_capability = "assessment.run"

    def post(self, request):
        form = AssessmentRoundForm(request.POST)
        if form.is_valid():
            opened = assessment.open_round(opened_by=request.user, title=form.cleaned_data["title"])
            messages.success(
                request, _("The round is open. Sales, marketing and managers can answer now.")
            )
            return redirect("kpis:assessment-detail", pk=opened.pk)
        messages.error(request, _("Give the round a title."))
        return redirect("kpis:assessment-list")


class AssessmentCloseView(CapabilityRequiredMixin, View):
    required_capability = "assessment.run"

    def post(self, request, pk):
        assessment.close_round(
            closed_by=request.user, round_id=get_object_or_404(AssessmentRound, pk=pk).pk
        )
        messages.success(request, _("The round is closed."))
        return redirect("kpis:assessment-detail", pk=pk)


class AssessmentDetailView(CapabilityRequiredMixin, FormView):
    """Answer the round (once) and see its results: stage, sides, areas and next moves."""

    required_capability = "assessment.answer"
    form_class = AssessmentAnswerForm
    template_name = "kpis/assessment_detail.html"

    @cached_property
    def round(self) -> AssessmentRound:
        # Looked up after the capability check, so visitors without it never learn what exists.
        return get_object_or_404(AssessmentRound, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = selectors.assessment_results(assessment_round=self.round)
        context.update(
            round=self.round,
            my_response=selectors.response_of(round_id=self.round.pk, user=self.request.user),
            results=results,
            statement_count=len(STATEMENTS),
            chart={
                "labels": [str(area["label"]) for area in results["areas"]],
                "sales": [area["sales"] for area in results["areas"]],
                "marketing": [area["marketing"] for area in results["areas"]],
                "sales_label": _("Sales"),
                "marketing_label": _("Marketing"),
            },
        )
        return context

    def form_valid(self, form):
        try:
            assessment.submit_response(
                respondent=self.request.user, round_id=self.round.pk, scores=form.scores()
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. Your answers are in."))
        return redirect("kpis:assessment-detail", pk=self.round.pk)
