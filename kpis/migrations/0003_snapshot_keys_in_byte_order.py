"""Snapshot key columns compare byte by byte on PostgreSQL (collation "C").

The keys are machine names (`objections_top:price`, `month`, `segment`, ids), not
prose: a linguistic collation only slowed every comparison the rollup makes in the
unique index, its joins and its sorts. SQLite compares bytes already.
"""

from django.db import migrations

COLUMNS = {"metric": 120, "period": 10, "dimension": 10, "dimension_id": 120}


def _alter(collation: str):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        changes = ", ".join(
            f'ALTER COLUMN {name} TYPE varchar({length}) COLLATE "{collation}"'
            for name, length in COLUMNS.items()
        )
        schema_editor.execute(f"ALTER TABLE kpis_kpisnapshot {changes}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0002_drop_redundant_metric_index"),
    ]

    operations = [
        migrations.RunPython(_alter("C"), _alter("default")),
    ]
