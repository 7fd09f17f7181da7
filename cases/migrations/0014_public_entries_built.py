"""The public record's first entries: every case published today gets its public entry, through
the same publication service as any later publication (cases.services.publication), and a
trigram index on the entries' search documents on PostgreSQL.

On an empty database (a new installation, the tests) nothing is published and the service is
not called, so later changes to the models cannot break this migration there.
"""

from django.db import migrations

INDEX = "publicentry_search_document_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_publicentry "
            "USING gin (search_document gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def build_entries(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    published = list(
        Case.objects.filter(
            publication_state="published",
            consent__consent_to_publish=True,
            consent__withdrawn_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if not published:
        return
    from cases.services.publication import publish_entries

    publish_entries(published, reason="public record introduced")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_public_record"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.RunPython(build_entries, migrations.RunPython.noop, elidable=False),
    ]
