from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core import selectors
from core.models import AuditEvent, Notification
from core.roles import HasCapability
from core.services import notifications

from .serializers import (
    AuditEventSerializer,
    MarkReadResultSerializer,
    MarkReadSerializer,
    NotificationSerializer,
)


class TokenView(ObtainAuthToken):
    """Exchange `username` and `password` for `{"token": ...}`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own inbox."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the caller
    filterset_fields = {"read_at": ["isnull"], "kind": ["exact"]}
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.notifications_for(user=self.request.user)

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        payload = MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marked = notifications.mark_read(
            user=request.user, notification_ids=payload.validated_data.get("ids")
        )
        return Response({"marked": marked})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = self.get_object()
        notifications.mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data, status=status.HTTP_200_OK)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for managers."""

    serializer_class = AuditEventSerializer
    permission_classes = [HasCapability.of("audit.read")]
    queryset = AuditEvent.objects.select_related("actor")
    filterset_fields = {
        "action": ["exact"],
        "object_type": ["exact"],
        "actor": ["exact"],
        "at": ["gte", "lte"],
    }
    ordering_fields = ["at"]
