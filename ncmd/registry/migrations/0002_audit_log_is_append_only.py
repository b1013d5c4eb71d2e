"""Database triggers that refuse any UPDATE or DELETE of an audit event.

The application already refuses both; the triggers make the same true for anyone with a database
connection but no superuser rights to drop them."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER registry_auditevent_no_update BEFORE UPDATE ON registry_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;""",
    """CREATE TRIGGER registry_auditevent_no_delete BEFORE DELETE ON registry_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS registry_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS registry_auditevent_no_delete;",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION registry_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events cannot be changed or deleted'; END;
       $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER registry_auditevent_append_only BEFORE UPDATE OR DELETE ON registry_auditevent
       FOR EACH ROW EXECUTE FUNCTION registry_auditevent_refuse();""",
    """CREATE TRIGGER registry_auditevent_no_truncate BEFORE TRUNCATE ON registry_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION registry_auditevent_refuse();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS registry_auditevent_no_truncate ON registry_auditevent;",
    "DROP TRIGGER IF EXISTS registry_auditevent_append_only ON registry_auditevent;",
    "DROP FUNCTION IF EXISTS registry_auditevent_refuse();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    for statement in statements or []:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(
        schema_editor.connection.vendor
    )
    for statement in statements or []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
