from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Account, Contact, Conversation, FollowUp, Opportunity, OpportunityStageChange


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "industry", "segment", "country", "owner"]
    list_filter = ["country", "segment"]
    search_fields = ["name"]
    raw_id_fields = ["owner"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "account", "email"]
    search_fields = ["name", "email", "account__name"]
    raw_id_fields = ["account"]


class StageChangeInline(admin.TabularInline):
    model = OpportunityStageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_at", "changed_by"]


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "owner", "stage", "amount", "source", "closed_at"]
    list_filter = ["stage", "source"]
    search_fields = ["name", "account__name"]
    raw_id_fields = ["account", "owner", "campaign"]
    inlines = [StageChangeInline]


@admin.register(Conversation)
class ConversationAdmin(SimpleHistoryAdmin):
    """Read-mostly: conversations are written through the service, which enforces the rules."""

    list_display = ["account", "author", "channel", "occurred_at", "outcome", "status"]
    list_filter = ["status", "channel", "outcome"]
    search_fields = ["account__name", "customer_goal", "discussed"]
    raw_id_fields = ["account", "author", "opportunity", "theme", "campaign", "contacts"]
    readonly_fields = ["status", "quality_score"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "account", "due", "done_at"]
    raw_id_fields = ["owner", "account", "conversation"]
