from django.db import migrations


def store_uncompressed(apps, schema_editor):
    # Posting lists are mostly float weights, which compress poorly; reading them without
    # PostgreSQL's TOAST decompression saves several milliseconds per broad query term.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_termpostings ALTER COLUMN data SET STORAGE EXTERNAL"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_posting_lists")]

    operations = [migrations.RunPython(store_uncompressed, migrations.RunPython.noop)]
