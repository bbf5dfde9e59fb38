"""Indexes for the name filters on PostgreSQL: search-as-you-type on account names
(istartswith and icontains) and the contact e-mail lookup (iexact).

icontains needs trigram indexes (pg_trgm). Creating the extension needs rights the
database user may lack in production; then these two indexes are skipped with a
warning and the filters still work, just without an index."""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)

ALWAYS = [
    "CREATE INDEX IF NOT EXISTS crm_account_name_prefix "
    "ON crm_account (UPPER(name::text) varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS crm_contact_email_upper ON crm_contact (UPPER(email::text))",
]
TRIGRAM = [
    "CREATE INDEX IF NOT EXISTS crm_account_name_trgm "
    "ON crm_account USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS crm_contact_name_trgm "
    "ON crm_contact USING gin (UPPER(name::text) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS crm_account_name_prefix",
    "DROP INDEX IF EXISTS crm_contact_email_upper",
    "DROP INDEX IF EXISTS crm_account_name_trgm",
    "DROP INDEX IF EXISTS crm_contact_name_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in ALWAYS:
        schema_editor.execute(sql)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        have_trigram = cursor.fetchone() is not None
    if not have_trigram:
        try:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("SAVEPOINT crm_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT crm_trgm")
            have_trigram = True
        except Exception:  # noqa: BLE001 - missing rights: go on without the indexes
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("ROLLBACK TO SAVEPOINT crm_trgm")
            logger.warning("pg_trgm unavailable: name 'contains' filters run without an index")
    if have_trigram:
        for sql in TRIGRAM:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_imported_notes_and_business_id")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
