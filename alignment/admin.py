from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Campaign,
    CampaignAttachment,
    CampaignBriefing,
    ConversationTriage,
    InsightQuestion,
    InsightTag,
    ServiceLevel,
    ServiceLevelBreach,
    Theme,
    ThemeApproval,
)


class ThemeApprovalInline(admin.TabularInline):
    model = ThemeApproval
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["approved_at"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "segment", "status", "proposed_by", "created_at"]
    list_filter = ["status", "segment"]
    search_fields = ["title", "insight"]
    raw_id_fields = ["proposed_by"]
    # Status follows the two-sided approval in the service; admins do not flip it by hand.
    readonly_fields = ["status", "activated_at", "retired_at"]
    inlines = [ThemeApprovalInline]


class AttachmentInline(admin.TabularInline):
    model = CampaignAttachment
    extra = 0


class BriefingInline(admin.TabularInline):
    model = CampaignBriefing
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["acknowledged_at"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "channel", "segment", "starts_on", "ends_on", "budget", "spend"]
    list_filter = ["channel"]
    search_fields = ["name", "offer"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["created_by"]
    filter_horizontal = ["themes"]
    inlines = [AttachmentInline, BriefingInline]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "target", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["created_by"]


@admin.register(ServiceLevelBreach)
class ServiceLevelBreachAdmin(admin.ModelAdmin):
    list_display = ["summary", "service_level", "detected_at"]
    list_filter = ["service_level"]
    readonly_fields = ["detected_at"]


@admin.register(InsightTag)
class InsightTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ConversationTriage)
class ConversationTriageAdmin(admin.ModelAdmin):
    list_display = ["conversation", "reviewed_at", "reviewed_by", "highlighted"]
    list_filter = ["highlighted"]
    raw_id_fields = ["conversation", "reviewed_by"]
    filter_horizontal = ["tags"]


@admin.register(InsightQuestion)
class InsightQuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "asked_by", "asked_to", "asked_at", "answered_at"]
    raw_id_fields = ["conversation", "asked_by", "asked_to"]
