"""Trigram name search on PostgreSQL: the pg_trgm extension and a GIN trigram index on
PersonName.search_key. Both exist only on PostgreSQL; on SQLite this migration does nothing,
and search falls back to plain matching (cases.search.name_matches).

The index is created with SQL rather than declared on the model, so that the model state (and
makemigrations) stays the same on every database.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "personname_search_key_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_personname "
            "USING gin (search_key gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_entry_number_named_constraint"),
    ]

    operations = [
        # CreateExtension does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
