from django.contrib import admin

from .models import AssessmentAnswer, AssessmentResponse, AssessmentRound, KpiSnapshot, RollupRun


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    """Figures are written by the rollup only; the admin lets staff look, not edit."""

    list_display = (
        "metric",
        "period",
        "period_start",
        "dimension",
        "dimension_id",
        "value",
        "computed_at",
    )
    list_filter = ("period", "dimension")
    search_fields = ("metric",)
    date_hierarchy = "period_start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RollupRun)
class RollupRunAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "since",
        "until",
        "status",
        "metrics_done",
        "metrics_total",
        "requested_by",
    )
    list_filter = ("status",)
    raw_id_fields = ("requested_by",)


class AssessmentAnswerInline(admin.TabularInline):
    model = AssessmentAnswer
    extra = 0
    readonly_fields = ("statement", "area", "score")
    can_delete = False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "opened_at", "closed_at")
    list_filter = ("status",)


@admin.register(AssessmentResponse)
class AssessmentResponseAdmin(admin.ModelAdmin):
    list_display = ("round", "respondent", "side", "total", "submitted_at")
    list_filter = ("side", "round")
    raw_id_fields = ("respondent",)
    inlines = [AssessmentAnswerInline]
