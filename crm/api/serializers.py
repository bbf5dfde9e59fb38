"""API shapes of the CRM (design.md, API ★). Rules live in crm.services, not here."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alignment.models import Campaign, Theme
from core.api.fields import PrimaryKeysRelatedField

from ..models import Account, Contact, Conversation, FollowUp, Opportunity, OpportunityStageChange


class AccountSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Account
        fields = ["id", "name", "industry", "segment", "country", "website", "owner", "created_at"]
        read_only_fields = ["created_at"]


class ContactSerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())

    class Meta:
        model = Contact
        fields = ["id", "account", "name", "title", "email", "phone", "consent_basis", "created_at"]
        read_only_fields = ["created_at"]


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpportunityStageChange
        fields = ["from_stage", "to_stage", "changed_at", "changed_by"]


class OpportunitySerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you edited; a stale one is refused with 409 (or send If-Match).",
    )

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "account",
            "name",
            "owner",
            "stage",
            "amount",
            "currency",
            "source",
            "campaign",
            "expected_close_on",
            "lost_reason",
            "created_at",
            "stage_changed_at",
            "closed_at",
            "version",
        ]
        read_only_fields = ["created_at", "stage_changed_at", "closed_at"]


class ConversationSerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    account_name = serializers.CharField(source="account.name", read_only=True)
    contacts = PrimaryKeysRelatedField(many=True, queryset=Contact.objects.all(), required=False)
    opportunity = serializers.PrimaryKeyRelatedField(
        queryset=Opportunity.objects.all(), required=False, allow_null=True
    )
    theme = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), required=False, allow_null=True
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = serializers.CharField(source="author.__str__", read_only=True)
    objections = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=20
    )
    status = serializers.ChoiceField(
        choices=Conversation.Status.choices, default=Conversation.Status.COMPLETE
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you edited; a stale one is refused with 409 (or send If-Match).",
    )

    class Meta:
        model = Conversation
        fields = [
            "id",
            "account",
            "account_name",
            "contacts",
            "opportunity",
            "author",
            "author_name",
            "channel",
            "occurred_at",
            "customer_goal",
            "discussed",
            "insight_shared",
            "theme",
            "customer_reaction",
            "objections",
            "campaign",
            "campaign_known_to_rep",
            "outcome",
            "next_step",
            "next_step_due",
            "status",
            "quality_score",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["quality_score", "created_at", "updated_at"]


class FollowUpSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(
        required=False, write_only=True, help_text="true marks it done, false opens it again"
    )
    is_done = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "conversation",
            "account",
            "title",
            "due",
            "done_at",
            "done",
            "is_done",
            "created_at",
        ]
        read_only_fields = ["conversation", "account", "title", "due", "done_at", "created_at"]

    @extend_schema_field(serializers.BooleanField)
    def get_is_done(self, obj) -> bool:
        return obj.done_at is not None
