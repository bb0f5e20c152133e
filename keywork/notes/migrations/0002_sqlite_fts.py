from django.db import migrations

# SQLite has no tsvector: it keeps the notes' words in an FTS5 table of its own, kept in
# step by the notes services. PostgreSQL uses the GIN-indexed search_vector column.
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS notes_filenote_fts USING fts5("
    "subject, text, tokenize='unicode61 remove_diacritics 2')"
)
DROP = "DROP TABLE IF EXISTS notes_filenote_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
