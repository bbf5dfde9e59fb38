from rest_framework import serializers

from ..models import Campaign, CampaignAttachment, CampaignBriefing, Theme, ThemeApproval


class ThemeApprovalSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()

    class Meta:
        model = ThemeApproval
        fields = ["user", "side", "approved_at"]


class ThemeSerializer(serializers.ModelSerializer):
    approvals = ThemeApprovalSerializer(many=True, read_only=True)
    proposed_by = serializers.StringRelatedField()
    conversation_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Theme
        fields = [
            "id",
            "title",
            "insight",
            "talking_points",
            "evidence",
            "segment",
            "status",
            "proposed_by",
            "approvals",
            "conversation_count",
            "created_at",
            "activated_at",
            "retired_at",
        ]
        read_only_fields = ["status", "created_at", "activated_at", "retired_at"]


class ApproveSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=ThemeApproval.Side.choices, required=False)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignAttachment
        fields = ["title", "url"]


class CampaignSerializer(serializers.ModelSerializer):
    themes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Theme.objects.all(), required=False
    )
    attachments = AttachmentSerializer(many=True, required=False)
    acknowledged_by_me = serializers.BooleanField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "offer",
            "channel",
            "segment",
            "starts_on",
            "ends_on",
            "budget",
            "spend",
            "briefing",
            "themes",
            "attachments",
            "published_at",
            "acknowledged_by_me",
        ]
        read_only_fields = ["published_at"]
        # The service enforces the rules (dates, money); the database constraints
        # are its safety net, not the API's validators.
        validators = []


class BriefingSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)
    user = serializers.StringRelatedField()
    before_launch = serializers.BooleanField(read_only=True)

    class Meta:
        model = CampaignBriefing
        fields = ["campaign", "user", "acknowledged_at", "before_launch"]


class RosterLineSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.pk")
    user = serializers.CharField(source="user.__str__")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    before_launch = serializers.BooleanField(allow_null=True)


class PublishResultSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField()
    notified = serializers.IntegerField()


class UsageOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    count = serializers.IntegerField()


class UsageMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()


class UsageReactionSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(source="pk")
    occurred_at = serializers.DateTimeField()
    customer_reaction = serializers.CharField()
    outcome = serializers.CharField()


class ThemeUsageSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    reps = serializers.IntegerField()
    outcomes = UsageOutcomeSerializer(many=True)
    trend = UsageMonthSerializer(many=True)
    reactions = UsageReactionSerializer(many=True)
