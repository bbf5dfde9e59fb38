"""Full-text search for conversations on PostgreSQL: a trigger keeps `search_vector`
current on every write (service, admin, bulk import alike) and a GIN index serves the
`search` filter. The 'simple' configuration because logs are written in English,
Finnish and Dutch. SQLite keeps the column empty and searches with icontains."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION crm_conversation_search_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
      setweight(to_tsvector('simple', coalesce(NEW.customer_goal, '')), 'A')
   || setweight(to_tsvector('simple', coalesce(NEW.discussed, '')), 'A')
   || setweight(to_tsvector('simple', coalesce(NEW.insight_shared, '')), 'B')
   || setweight(to_tsvector('simple', coalesce(NEW.customer_reaction, '')), 'B')
   || setweight(to_tsvector('simple', coalesce(NEW.next_step, '')), 'C')
   || setweight(to_tsvector('simple', coalesce(NEW.objections::text, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER crm_conversation_search_trigger
BEFORE INSERT OR UPDATE OF customer_goal, discussed, insight_shared, customer_reaction,
    next_step, objections
ON crm_conversation FOR EACH ROW EXECUTE FUNCTION crm_conversation_search_update();

CREATE INDEX crm_conv_search_gin ON crm_conversation USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS crm_conv_search_gin;
DROP TRIGGER IF EXISTS crm_conversation_search_trigger ON crm_conversation;
DROP FUNCTION IF EXISTS crm_conversation_search_update();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
