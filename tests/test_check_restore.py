"""Backups hold the database and KEYWORK_PRIVATE_DIR together (README.md, "Backing up
and restoring"), and `manage.py check_restore` says whether a restored copy holds both:
every attachment and import has its file, unchanged, and every file there has its row.

The round trips back up the test database as the README does (pg_dump -Fc on
PostgreSQL, sqlite3's online backup on SQLite) with the private folder, restore both
somewhere new, and compare every table and every file; the command is run on the copy
in a process of its own, as an administrator would run it."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from keywork.imports.models import ImportJob
from keywork.imports.tests.test_import import as_csv, rows, upload
from keywork.notes.models import Attachment, FileNote
from keywork.notes.tests.test_attachments import PDF, PNG, attach
from keywork.notes.tests.test_file_notes import write

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def stored(world, client_for, episode):
    """Two attachments on a file note and one import's spreadsheet, with their files."""
    client = client_for("worker")
    write(client, episode)
    note = FileNote.objects.get()
    assert attach(client, note, "letter.pdf", PDF).status_code == 302
    assert attach(client, note, "photo.png", PNG).status_code == 302
    assert upload(client_for("admin"), as_csv(rows(world, 2))).status_code == 302
    assert Attachment.objects.count() == 2 and ImportJob.objects.count() == 1
    return Path(settings.KEYWORK_PRIVATE_DIR)


def check_restore() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("check_restore", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_it_finds_nothing_wrong_when_every_row_has_its_file_and_every_file_its_row(stored):
    out, error = check_restore()
    assert error is None, out
    assert "3 rows name a file; 3 files are in" in out
    assert "Every row has its file (sizes and checksums match) and every file its row." in out


def test_it_names_the_row_whose_file_is_missing(stored):
    attachment = Attachment.objects.get(original_name="letter.pdf")
    (stored / "attachments" / attachment.stored_name).unlink()
    job = ImportJob.objects.get()
    (stored / "imports" / job.stored_name).unlink()
    out, error = check_restore()
    assert error is not None
    assert str(error) == f"3 rows name a file; 1 files are in {stored}. 2 problems (listed above)."
    assert (
        f"attachment {attachment.pk} of file note {attachment.note_id}: "
        f"its file attachments/{attachment.stored_name} is missing"
    ) in out
    assert f"import {job.pk}: its file imports/{job.stored_name} is missing" in out
    assert "letter.pdf" not in out  # a file's name can say who it is about


def test_it_names_the_row_whose_file_has_changed_even_at_the_same_size(stored):
    attachment = Attachment.objects.get(original_name="photo.png")
    path = stored / "attachments" / attachment.stored_name
    content = path.read_bytes()
    path.write_bytes(content[:-1] + b"\x01")
    out, error = check_restore()
    assert error is not None
    assert f"its file attachments/{attachment.stored_name} has changed (its SHA-256 differs)" in out
    # Quicker, and blind to a change that keeps the size; a shorter file it does see.
    call_command("check_restore", "--sizes-only", stdout=StringIO())
    path.write_bytes(content[:-1])
    with pytest.raises(CommandError):
        call_command("check_restore", "--sizes-only", stdout=(out := StringIO()))
    assert f"has {len(content) - 1} bytes, not {len(content)}" in out.getvalue()


def test_it_names_a_file_no_row_names(stored):
    stray = stored / "attachments" / uuid.uuid4().hex
    stray.write_bytes(PDF)
    (stored / "elsewhere").mkdir()
    (stored / "elsewhere" / "notes.txt").write_text("left here by hand")
    out, error = check_restore()
    assert error is not None
    assert f"attachments/{stray.name}: no row names this file" in out
    assert "elsewhere/notes.txt: no row names this file" in out
    assert "5 files are in" in str(error)


# --- Round trips: back up, delete, restore, check ------------------------------------


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def table_checksums(cursor, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's rows and a checksum of their content, whatever order they come in."""
    checksums = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        lines = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
        checksums[table] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return checksums


def file_checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def back_up_and_delete_the_files(private_dir: Path, backups: Path) -> Path:
    archive = shutil.make_archive(str(backups / "private"), "gztar", root_dir=private_dir)
    shutil.rmtree(private_dir)
    return Path(archive)


def restore_the_files(archive: Path, private_dir: Path) -> None:
    shutil.unpack_archive(archive, private_dir)


def check_restore_in_a_process_of_its_own(env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | env
    return subprocess.run(
        [sys.executable, "manage.py", "check_restore"],
        cwd=ROOT,
        env={**env, "KEYWORK_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_restored(before_tables, after_tables, before_files, private_dir, env):
    assert after_tables == before_tables
    assert sum(count for count, _ in after_tables.values()) > 0
    restored_files = file_checksums(private_dir)
    assert restored_files == before_files
    for attachment in Attachment.objects.all():
        assert restored_files[f"attachments/{attachment.stored_name}"] == attachment.sha256
    result = check_restore_in_a_process_of_its_own(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 rows name a file; 3 files are in" in result.stdout
    # The copy is checked, not the original: take a file away from it and it says so.
    (private_dir / "imports" / ImportJob.objects.get().stored_name).unlink()
    result = check_restore_in_a_process_of_its_own(env)
    assert result.returncode == 1
    assert f"import {ImportJob.objects.get().pk}: its file" in result.stdout


needs_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the PostgreSQL round trip (make test-postgres runs it)",
)
needs_sqlite = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the SQLite round trip (make test-sqlite runs it)",
)


# Committed rows, for pg_dump and the backup API to see. Afterwards the tables are
# emptied (with CASCADE: auditlog's own table, unused, refers to the content types) and
# the migrations' own rows (the default outcomes framework) are put back.
COMMITTED = pytest.mark.django_db(
    transaction=True,
    serialized_rollback=True,
    available_apps=[config.name for config in django_apps.get_app_configs()],
)


@needs_postgres
@COMMITTED
def test_it_restores_a_postgresql_dump_and_the_files_to_the_same_tables_and_files(stored, tmp_path):
    db = connection.settings_dict
    client_env = {"PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    client_env |= {"PGUSER": db["USER"] or "postgres", "PGPASSWORD": db["PASSWORD"] or ""}
    pg = {**os.environ, **client_env}
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before_tables = table_checksums(cursor, tables)
    before_files = file_checksums(stored)

    backups = tmp_path / "backups"
    backups.mkdir()
    dump = backups / "keywork.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), db["NAME"]], env=pg, check=True
    )
    archive = back_up_and_delete_the_files(stored, backups)

    scratch = f"keywork_restore_{uuid.uuid4().hex[:12]}"
    subprocess.run(["createdb", scratch], env=pg, check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch, str(dump)],
            env=pg,
            check=True,
        )
        restored = tmp_path / "restored-private"
        restore_the_files(archive, restored)

        # Read as Django's own connection reads the original: in UTC, with its loaders.
        args = _psycopg_args(client_env)
        with (
            psycopg.connect(
                dbname=scratch,
                options="-c TimeZone=UTC",
                context=connection.connection.adapters,
                **args,
            ) as copy,
            copy.cursor() as cursor,
        ):
            after_tables = table_checksums(cursor, tables)
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        env = {
            "DATABASE_URL": f"postgres://{client_env['PGUSER']}{password}@"
            f"{client_env['PGHOST']}:{client_env['PGPORT']}/{scratch}",
            "KEYWORK_PRIVATE_DIR": str(restored),
        }
        assert_restored(before_tables, after_tables, before_files, restored, env)
    finally:
        subprocess.run(["dropdb", "--force", "--if-exists", scratch], env=pg, check=False)


def _psycopg_args(client_env: dict[str, str]) -> dict[str, str]:
    return {
        "host": client_env["PGHOST"],
        "port": client_env["PGPORT"],
        "user": client_env["PGUSER"],
        "password": client_env["PGPASSWORD"],
    }


@needs_sqlite
@COMMITTED
def test_it_restores_a_sqlite_backup_and_the_files_to_the_same_tables_and_files(stored, tmp_path):
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before_tables = table_checksums(cursor, tables)
    before_files = file_checksums(stored)

    backups = tmp_path / "backups"
    backups.mkdir()
    # sqlite3's online backup (the sqlite3 shell's .backup): a consistent copy while
    # Keywork keeps running.
    connection.ensure_connection()
    with sqlite3.connect(backups / "keywork.sqlite3") as backup:
        connection.connection.backup(backup)
    backup.close()
    archive = back_up_and_delete_the_files(stored, backups)

    var = tmp_path / "restored-var"
    var.mkdir()
    shutil.copyfile(backups / "keywork.sqlite3", var / "keywork.sqlite3")
    restored = tmp_path / "restored-private"
    restore_the_files(archive, restored)

    # Read as Django reads it (its converters for dates and times), like the original.
    detect_types = connection.get_connection_params()["detect_types"]
    copy = sqlite3.connect(var / "keywork.sqlite3", detect_types=detect_types)
    try:
        after_tables = table_checksums(copy.cursor(), tables)
    finally:
        copy.close()
    env = {"KEYWORK_VAR_DIR": str(var), "KEYWORK_PRIVATE_DIR": str(restored)}
    assert_restored(before_tables, after_tables, before_files, restored, env)
