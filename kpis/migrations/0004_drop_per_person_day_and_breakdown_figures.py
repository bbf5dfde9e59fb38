"""Per-person figures are kept by week and month only, without breakdowns (kpis.metrics.base.kept).

The rollup no longer writes per-person day figures nor per-person breakdowns; the ones
written before would linger outside the ranges later rollups cover, so they go now.
Nothing to restore on the way back: the rollup does not produce them any more.
"""

from django.db import migrations
from django.db.models import Q


def drop_figures_no_longer_kept(apps, schema_editor):
    KpiSnapshot = apps.get_model("kpis", "KpiSnapshot")
    KpiSnapshot.objects.filter(
        Q(period="day") | Q(metric__contains=":"), dimension="user"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0003_snapshot_keys_in_byte_order"),
    ]

    operations = [
        migrations.RunPython(drop_figures_no_longer_kept, migrations.RunPython.noop),
    ]
