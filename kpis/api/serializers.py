from django.utils.translation import gettext as _
from rest_framework import serializers

from ..metrics.base import kept
from ..models import Dimension, KpiSnapshot, Period


class KpiSnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = KpiSnapshot
        fields = [
            "metric",
            "period",
            "period_start",
            "dimension",
            "dimension_id",
            "value",
            "computed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "computed_at": {
                "help_text": "When a rollup last set this value. A rollup that finds the same "
                "value leaves the figure as it is, so an older time does not mean an "
                "outdated figure; the latest rollup run is on the dashboard."
            }
        }


class DashboardQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=Period.choices, default=Period.MONTH)
    period_start = serializers.DateField(
        required=False, help_text="Any day inside the period; defaults to the current period."
    )
    dimension = serializers.ChoiceField(choices=Dimension.choices, default=Dimension.ALL)
    dimension_id = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["dimension"] != Dimension.ALL and not attrs.get("dimension_id"):
            raise serializers.ValidationError(
                {"dimension_id": ["Required unless the dimension is all."]}
            )
        if not kept(period=attrs["period"], dimension=attrs["dimension"], breakdown=False):
            raise serializers.ValidationError(
                {"period": [_("Figures per person are kept by week and month, not by day.")]}
            )
        if attrs["dimension"] == Dimension.ALL:
            attrs["dimension_id"] = ""
        return attrs


class DashboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_start = serializers.DateField()
    dimension = serializers.CharField()
    dimension_id = serializers.CharField()
    figures = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=4),
        help_text="Value per metric key (rates 0–1, money in EUR, hours or days as the key says).",
    )
