from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import DashboardView, KpiSnapshotViewSet

router = DefaultRouter(trailing_slash=True)
router.register("kpis", KpiSnapshotViewSet, basename="kpi")

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    *router.urls,
]
