import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import HasCapability

from .. import selectors
from ..metrics.base import period_start
from ..models import Dimension, KpiSnapshot, Period
from .serializers import DashboardQuerySerializer, DashboardSerializer, KpiSnapshotSerializer


class KpiSnapshotFilter(django_filters.FilterSet):
    metric = django_filters.CharFilter(field_name="metric")
    period = django_filters.ChoiceFilter(field_name="period", choices=Period.choices)
    dimension = django_filters.ChoiceFilter(field_name="dimension", choices=Dimension.choices)
    dimension_id = django_filters.CharFilter(field_name="dimension_id")
    since = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = KpiSnapshot
        fields = ["metric", "period", "dimension", "dimension_id", "since", "until"]


class KpiSnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """KPI snapshot rows; `metric` is a key from the shared KPI list (`key:part` for breakdowns).

    Figures exist by day, week and month for everyone, teams, campaigns and segments;
    per person (`dimension=user`) by week and month only, and without breakdowns.
    """

    queryset = KpiSnapshot.objects.order_by(
        "metric", "period", "period_start", "dimension", "dimension_id"
    )
    serializer_class = KpiSnapshotSerializer
    permission_classes = [HasCapability.of("dashboard.view")]
    filterset_class = KpiSnapshotFilter
    search_fields = None
    ordering_fields = ["period_start", "metric"]


class DashboardView(APIView):
    """The shared dashboard's figures for one period and slice, keyed by metric key."""

    permission_classes = [HasCapability.of("dashboard.view")]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, enum=Period.values, description="day, week or month (default month)"
            ),
            OpenApiParameter(
                "period_start", str, description="A date inside the period (YYYY-MM-DD)"
            ),
            OpenApiParameter("dimension", str, enum=Dimension.values),
            OpenApiParameter("dimension_id", str),
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        start = period_start(params["period"], params.get("period_start") or timezone.localdate())
        rows = selectors.snapshots(
            period=params["period"],
            dimension=params["dimension"],
            dimension_id=params["dimension_id"],
            since=start,
            until=start,
        )
        payload = {
            "period": params["period"],
            "period_start": start,
            "dimension": params["dimension"],
            "dimension_id": params["dimension_id"],
            "figures": {row.metric: row.value for row in rows.order_by("metric")},
        }
        return Response(DashboardSerializer(payload).data)
