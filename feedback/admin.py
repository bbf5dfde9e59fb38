"""Admin for feedback. Entries are read-only and never show who wrote an anonymous one."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, FeedbackEntry, FeedbackRound, FeedbackTag, RoundReport


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(admin.ModelAdmin):
    list_display = ("month", "status", "opens_at", "closes_at")
    list_filter = ("status",)
    readonly_fields = ("month", "opened_by", "closed_at", "created_at")
    exclude = ("participants",)


@admin.register(FeedbackEntry)
class FeedbackEntryAdmin(admin.ModelAdmin):
    """Read-only: `author_key` is never shown and `author` only for named entries."""

    list_display = ("short_text", "round", "kind", "category", "anonymous", "submitted_on")
    list_filter = ("kind", "category", "anonymous", "round")
    search_fields = ("text",)
    fields = ("round", "kind", "category", "text", "anonymous", "named_author", "themes", "tags")
    readonly_fields = fields

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:80]

    @admin.display(description=_("author"))
    def named_author(self, obj):
        return "—" if obj.anonymous or obj.author is None else str(obj.author)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "round", "owner", "status", "due")
    list_filter = ("status", "source")
    search_fields = ("title",)
    raw_id_fields = ("owner", "created_by", "entries")
    readonly_fields = ("created_by", "closed_at")


@admin.register(RoundReport)
class RoundReportAdmin(admin.ModelAdmin):
    list_display = ("round", "participants", "respondents", "participation_rate", "entries")
    readonly_fields = (
        "round",
        "participants",
        "respondents",
        "participation_rate",
        "entries",
        "breakdown",
    )


admin.site.register(FeedbackTag)
