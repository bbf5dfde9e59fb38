"""Feedback API shapes. An anonymous entry never carries an author, for anyone."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alignment.models import Theme
from crm.models import Account
from feedback.models import Action, Category, FeedbackEntry, FeedbackRound
from feedback.months import MONTH_RE
from feedback.services.entries import is_author


class FeedbackRoundSerializer(serializers.ModelSerializer):
    participants = serializers.IntegerField(source="participant_count", read_only=True)
    respondents = serializers.IntegerField(source="respondent_count", read_only=True)

    class Meta:
        model = FeedbackRound
        fields = [
            "id",
            "month",
            "status",
            "opens_at",
            "closes_at",
            "closed_at",
            "participants",
            "respondents",
        ]
        read_only_fields = ["status", "opens_at", "closes_at", "closed_at"]
        extra_kwargs = {"month": {"required": False, "validators": []}}

    def validate_month(self, value: str) -> str:
        if not MONTH_RE.match(value):
            raise serializers.ValidationError("Give the month as YYYY-MM.")
        return value


class EntryActionSerializer(serializers.ModelSerializer):
    """What became of an entry: the actions behind it and their outcome."""

    class Meta:
        model = Action
        fields = ["id", "title", "status", "outcome", "decline_reason", "closed_at"]
        read_only_fields = fields


class FeedbackEntrySerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=FeedbackRound.objects.all())
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.filter(status="active"), many=True, required=False
    )
    account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False, allow_null=True
    )
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    author = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()
    actions = EntryActionSerializer(many=True, read_only=True)

    class Meta:
        model = FeedbackEntry
        fields = [
            "id",
            "round",
            "kind",
            "text",
            "anonymous",
            "category",
            "account",
            "themes",
            "tags",
            "author",
            "mine",
            "submitted_on",
            "actions",
        ]
        read_only_fields = ["id", "submitted_on"]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_author(self, obj: FeedbackEntry) -> int | None:
        # The FK is NULL for anonymous entries; the check makes the rule explicit.
        return None if obj.anonymous else obj.author_id

    def get_mine(self, obj: FeedbackEntry) -> bool:
        request = self.context.get("request")
        return bool(request) and is_author(entry=obj, user=request.user)


class EntryTriageSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, allow_empty=True
    )
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), many=True, required=False
    )


class ActionSerializer(serializers.ModelSerializer):
    entries = serializers.PrimaryKeyRelatedField(
        queryset=FeedbackEntry.objects.all(), many=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    round = serializers.PrimaryKeyRelatedField(queryset=FeedbackRound.objects.all(), required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you edited; a stale one is refused with 409 (or send If-Match).",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "round",
            "title",
            "description",
            "entries",
            "owner",
            "due",
            "status",
            "outcome",
            "decline_reason",
            "source",
            "created_by",
            "created_at",
            "closed_at",
            "version",
        ]
        read_only_fields = ["source", "created_by", "created_at", "closed_at"]


class BreakdownRowSerializer(serializers.Serializer):
    """One group of a breakdown; `suppressed` groups (under 5 people) carry no counts."""

    key = serializers.CharField()
    suppressed = serializers.BooleanField()
    entries = serializers.IntegerField(required=False)
    respondents = serializers.IntegerField(required=False)


class RoundReportSerializer(serializers.Serializer):
    month = serializers.CharField()
    participants = serializers.IntegerField()
    respondents = serializers.IntegerField()
    participation_rate = serializers.FloatField()
    entries = serializers.IntegerField()
    breakdown_shown = serializers.BooleanField()
    by_kind = BreakdownRowSerializer(many=True)
    by_category = BreakdownRowSerializer(many=True)
    top_themes = BreakdownRowSerializer(many=True)
    actions_opened = serializers.IntegerField()
    actions_closed = serializers.IntegerField()
    actions_closed_rate = serializers.FloatField()
    comparison = serializers.DictField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="Change against the previous round (this minus previous); null for the first.",
    )
