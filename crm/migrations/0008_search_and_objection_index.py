"""One GIN index for full-text search and the objection filter of conversations.

`crm_objection_keys(objections)` is the upper-cased tags of the JSON list, so the
objection filter (whole tags, case-insensitive, as it always matched) becomes a test on
the conversation row: `crm_objection_keys(objections) @> ARRAY[UPPER(%s)]`. With both
columns in one GIN index, `?objection=prijs&search=levertijden` is answered inside the
index (the two posting lists intersected, 6 ms for a combination that matches nothing)
instead of joining 46,000 objection rows to 65,000 search matches. The index serves
search alone as well as the old `crm_conv_search_gin` did, which it replaces.

Built CONCURRENTLY (hence not atomic) so that logging is not blocked while it builds
(about half a minute per million conversations). SQLite keeps filtering through the
objection rows (crm.selectors.conversations_with_objection).
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION crm_objection_keys(tags jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(tags) = 'array'
    THEN ARRAY(SELECT upper(tag) FROM jsonb_array_elements_text(tags) AS tag)
    ELSE '{}'::text[] END
$$
"""
CREATE_INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS crm_conv_search_objection ON crm_conversation
USING gin (search_vector, crm_objection_keys(objections))
"""
DROP_OLD_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS crm_conv_search_gin"

RESTORE_OLD_INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS crm_conv_search_gin ON crm_conversation
USING gin (search_vector)
"""
DROP_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS crm_conv_search_objection"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS crm_objection_keys(jsonb)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in (CREATE_FUNCTION, CREATE_INDEX, DROP_OLD_INDEX):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in (RESTORE_OLD_INDEX, DROP_INDEX, DROP_FUNCTION):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("crm", "0007_objection_upper_and_partial_deleted_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
