"""The round report page with its chart, and the CSV export (never an anonymous author)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.roles import CapabilityRequiredMixin
from feedback import reports, selectors
from feedback.models import Category, FeedbackEntry

from .common import round_or_404


class ReportView(CapabilityRequiredMixin, TemplateView):
    required_capability = "feedback.manage"
    template_name = "feedback/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback_round = round_or_404(kwargs["month"])
        figures = reports.figures_for(feedback_round)
        previous = reports.previous_round(feedback_round)
        previous_figures = reports.figures_for(previous) if previous else None
        trend = reports.trend(until=feedback_round)
        kind_labels, category_labels = dict(FeedbackEntry.Kind.choices), dict(Category.choices)
        for row in figures["by_kind"]:
            row["label"] = kind_labels.get(row["key"], row["key"])
        for row in figures["by_category"]:
            row["label"] = category_labels.get(row["key"], _("Uncategorised"))
        context.update(
            feedback_round=feedback_round,
            figures=figures,
            previous_round=previous,
            previous_figures=previous_figures,
            change=reports.comparison(figures, previous_figures),
            trend=trend,
            min_group=reports.MIN_GROUP,
            chart_data={
                "kinds": [r for r in figures["by_kind"] if not r["suppressed"]],
                "trend": trend,
            },
        )
        return context


# Spreadsheet programs run cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class ReportCsvView(CapabilityRequiredMixin, View):
    """One row per entry; the author column is empty for anonymous entries."""

    required_capability = "feedback.manage"

    def get(self, request, month):
        feedback_round = round_or_404(month)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="feedback-{month}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "round",
                "submitted_on",
                "kind",
                "touchpoint",
                "text",
                "anonymous",
                "author",
                "themes",
                "tags",
                "actions",
            ]
        )
        for entry in selectors.round_entries(feedback_round=feedback_round):
            author = "" if entry.anonymous or entry.author is None else entry.author.username
            writer.writerow(
                csv_cell(value)
                for value in [
                    feedback_round.month,
                    entry.submitted_on.isoformat(),
                    entry.kind,
                    entry.category,
                    entry.text,
                    "yes" if entry.anonymous else "no",
                    author,
                    "; ".join(theme.title for theme in entry.themes.all()),
                    "; ".join(tag.name for tag in entry.tags.all()),
                    "; ".join(f"{a.title} [{a.status}]" for a in entry.actions.all()),
                ]
            )
        return response
