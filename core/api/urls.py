from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import AuditEventViewSet, NotificationViewSet, TokenView

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("audit", AuditEventViewSet, basename="audit-event")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
