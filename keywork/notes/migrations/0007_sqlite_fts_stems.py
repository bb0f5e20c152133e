from django.db import migrations

# SQLite's search table stems the notes' words as PostgreSQL's English configuration does
# ("prescriptions" finds "prescription"): FTS5's porter tokenizer over unicode61. A table's
# tokenizer is fixed when it is made, so it is made again and every note that is not void
# is put back in it, as search.index_note puts it.
STEMMED = "porter unicode61 remove_diacritics 2"
WHOLE_WORDS = "unicode61 remove_diacritics 2"


def remake(connection, tokenize):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS notes_filenote_fts")
        cursor.execute(
            "CREATE VIRTUAL TABLE notes_filenote_fts USING fts5("
            f"subject, text, tokenize='{tokenize}')"
        )
        cursor.execute(
            "INSERT INTO notes_filenote_fts(rowid, subject, text) "
            "SELECT id, subject, text FROM notes_filenote WHERE voided_at IS NULL"
        )


def stem(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        remake(schema_editor.connection, STEMMED)


def unstem(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        remake(schema_editor.connection, WHOLE_WORDS)


class Migration(migrations.Migration):
    dependencies = [("notes", "0006_draft_keeps_every_field")]
    operations = [migrations.RunPython(stem, unstem)]
