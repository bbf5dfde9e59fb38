from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.roles import HasCapability

from ..models import Campaign, Theme
from ..selectors.campaigns import briefing_roster, campaigns_for
from ..selectors.themes import themes_list
from ..selectors.usage import theme_usage
from ..services import campaigns as campaign_services
from ..services import themes as theme_services
from . import serializers as s


def permissions_for(view, default: list) -> list:
    """The action's own capability when it has one, else the viewset's permissions.

    A method the route does not serve (GET on a POST action) has no `action`; the
    route's action still decides, so the caller learns 403 before 405.
    """
    action = getattr(view, "action", None)
    if action is None:
        mapped = set((getattr(view, "action_map", None) or {}).values())
        action = mapped.pop() if len(mapped) == 1 else None
    capability = view.action_capabilities.get(action)
    return [HasCapability.of(capability)()] if capability else default


class ThemeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Insight themes: anyone who may propose reads and proposes; two sides approve."""

    serializer_class = s.ThemeSerializer
    queryset = Theme.objects.none()
    permission_classes = [HasCapability.of("theme.propose")]
    filterset_fields = ["status", "segment"]
    search_fields = ["title", "insight", "talking_points"]
    ordering_fields = ["title", "created_at", "activated_at"]

    # Actions that need another capability than the viewset's (read by the role-matrix test too).
    action_capabilities = {"retire": "theme.manage", "usage": "conversation.read"}

    def get_permissions(self):
        return permissions_for(self, super().get_permissions())

    def get_queryset(self):
        return themes_list()

    def perform_create(self, serializer):
        serializer.instance = theme_services.propose_theme(
            author=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = theme_services.update_theme(
            user=self.request.user, theme=serializer.instance, data=serializer.validated_data
        )

    @extend_schema(request=s.ApproveSerializer, responses=s.ThemeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        payload = s.ApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        theme = self.get_object()
        theme_services.approve_theme(
            user=request.user, theme=theme, side=payload.validated_data.get("side")
        )
        return Response(self.get_serializer(themes_list().get(pk=theme.pk)).data)

    @extend_schema(request=None, responses=s.ThemeUsageSerializer)
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
    )
    def usage(self, request, pk=None):
        """Conversations that used the theme: outcomes, customer reactions, trend by month."""
        return Response(s.ThemeUsageSerializer(theme_usage(theme=self.get_object())).data)

    @extend_schema(request=None, responses=s.ThemeSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        theme = theme_services.retire_theme(user=request.user, theme=self.get_object())
        return Response(self.get_serializer(themes_list().get(pk=theme.pk)).data)


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns: marketing writes and publishes, everyone briefed reads and acknowledges."""

    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.none()
    permission_classes = [HasCapability.of("campaign.read", write="campaign.manage")]
    filterset_fields = ["channel", "segment"]
    search_fields = ["name", "offer", "briefing"]
    ordering_fields = ["starts_on", "ends_on", "name"]

    action_capabilities = {
        "acknowledge": "campaign.acknowledge",
        "acknowledgements": "campaign.manage",
    }

    def get_permissions(self):
        return permissions_for(self, super().get_permissions())

    def get_queryset(self):
        return campaigns_for(user=self.request.user)

    def _data(self, serializer) -> dict:
        data = dict(serializer.validated_data)
        if "attachments" in data:
            data["attachments"] = [dict(a) for a in data["attachments"]]
        return data

    def perform_create(self, serializer):
        campaign = campaign_services.create_campaign(
            author=self.request.user, data=self._data(serializer)
        )
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    def perform_update(self, serializer):
        campaign = campaign_services.update_campaign(
            user=self.request.user, campaign=serializer.instance, data=self._data(serializer)
        )
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    @extend_schema(request=None, responses=s.PublishResultSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        campaign = self.get_object()
        notified = campaign_services.publish_campaign(user=request.user, campaign=campaign)
        campaign.refresh_from_db()
        return Response({"published_at": campaign.published_at, "notified": notified})

    @extend_schema(
        request=None,
        responses={200: s.BriefingSerializer, 201: s.BriefingSerializer},
        description="Record that the caller has read the briefing; acknowledging twice is harmless.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        campaign = get_object_or_404(campaigns_for(user=request.user), pk=pk)
        briefing, created = campaign_services.acknowledge_campaign(
            user=request.user, campaign=campaign
        )
        return Response(
            s.BriefingSerializer(briefing).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=s.RosterLineSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
    )
    def acknowledgements(self, request, pk=None):
        campaign = self.get_object()
        return Response(s.RosterLineSerializer(briefing_roster(campaign=campaign), many=True).data)
