"""`/api/insights/`: the insight feed with its filters and triage, for integrations."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import KeysetPagination
from core.roles import HasCapability
from crm.models import Conversation

from ..filters import InsightFeedFilter
from ..selectors.feed import feed_conversations
from ..services import insights


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    asked_by = serializers.CharField(source="asked_by.__str__", read_only=True)
    question = serializers.CharField()
    asked_at = serializers.DateTimeField(read_only=True)
    answer = serializers.CharField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)


class InsightSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    segment = serializers.CharField(source="account.segment", read_only=True)
    industry = serializers.CharField(source="account.industry", read_only=True)
    reviewed_at = serializers.SerializerMethodField()
    highlighted = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    questions = QuestionSerializer(source="insight_questions", many=True, read_only=True)
    # Plain strings: the choice sets are documented once, on crm's conversations endpoint.
    channel = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "account",
            "account_name",
            "segment",
            "industry",
            "author",
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
            "status",
            "reviewed_at",
            "highlighted",
            "tags",
            "questions",
        ]

    @staticmethod
    def _triage(obj):
        return getattr(obj, "triage", None)

    def get_reviewed_at(self, obj) -> str | None:
        triage = self._triage(obj)
        return triage.reviewed_at.isoformat() if triage and triage.reviewed_at else None

    def get_highlighted(self, obj) -> bool:
        triage = self._triage(obj)
        return bool(triage and triage.highlighted)

    def get_tags(self, obj) -> list[str]:
        triage = self._triage(obj)
        return [t.name for t in triage.tags.all()] if triage else []


class TriageSerializer(serializers.Serializer):
    reviewed = serializers.BooleanField(required=False)
    highlighted = serializers.BooleanField(required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=50
    )


class AskSerializer(serializers.Serializer):
    question = serializers.CharField()


class InsightViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conversations as the insight feed shows them; marketing and managers triage them.

    Paged like `/api/conversations/`: follow `next` (a cursor); `?page=N` for counted pages."""

    serializer_class = InsightSerializer
    queryset = Conversation.objects.none()
    permission_classes = [HasCapability.of("conversation.read", write="insight.triage")]
    pagination_class = KeysetPagination
    filterset_class = InsightFeedFilter
    search_fields: list[str] = []  # `search` is the full-text filter of the filterset
    ordering_fields = ["occurred_at"]

    def get_queryset(self):
        return feed_conversations(user=self.request.user)

    @extend_schema(request=TriageSerializer, responses=InsightSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        payload = TriageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = get_object_or_404(Conversation, pk=pk)
        data, user = payload.validated_data, request.user
        if "reviewed" in data:
            insights.mark_reviewed(user=user, conversation=conversation, reviewed=data["reviewed"])
        if "highlighted" in data:
            insights.set_highlight(
                user=user, conversation=conversation, highlighted=data["highlighted"]
            )
        if "tags" in data:
            insights.set_tags(user=user, conversation=conversation, tags=data["tags"])
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=AskSerializer, responses={201: QuestionSerializer})
    @action(detail=True, methods=["post"])
    def ask(self, request, pk=None):
        payload = AskSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = get_object_or_404(Conversation.objects.select_related("author"), pk=pk)
        question = insights.ask_rep(
            user=request.user,
            conversation=conversation,
            question=payload.validated_data["question"],
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)
