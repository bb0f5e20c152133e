"""Rows straight into a model's table, for the scale generator (`manage.py seed_scale`).

The ORM's bulk_create builds a model instance per row and, on PostgreSQL, an INSERT
that the server must parse; at ten million file notes that is most of an hour. Here
each row is a dict of the fields that vary, its id is given here (so rows can point at
each other before they are written), and rows go in by COPY on PostgreSQL and by
executemany on SQLite. Fields not given take the model's defaults, worked out once."""

import datetime
import json
import queue
import re
import threading

from django.db import connection
from django.utils import timezone


def copy_text(value) -> str:
    """One value as PostgreSQL's COPY text format writes it."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if hasattr(value, "adapted"):  # psycopg's Jsonb
        return copy_text(json.dumps(value.obj))
    return str(value)


class RowWriter:
    """Buffers rows for one model's table and writes them a block at a time."""

    def __init__(self, model, sink: "CopySink | None" = None, flush_at: int = 20_000, **fixed):
        self.sink = sink
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        template = model(**fixed)
        now = timezone.now()
        self.defaults = {}
        for field in self.fields:
            value = getattr(template, field.attname)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = value or now
            self.defaults[field.attname] = field.get_db_prep_save(value, connection)
        self.postgres = connection.vendor == "postgresql"
        self.attnames = [f.attname for f in self.fields]
        if self.postgres:  # a row is the defaults' text with the given values put in
            self.default_text = [copy_text(self.defaults[a]) for a in self.attnames]
            self.column_at = {a: n for n, a in enumerate(self.attnames)}
        self.field_named = {f.attname: f for f in self.fields}
        self.flush_at = flush_at
        self.rows: list = []
        self.written = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1

    def add(self, **values) -> int:
        """Queues a row and gives back the id it will have."""
        pk = self.next_id
        self.next_id += 1
        if self.postgres:
            text = self.default_text.copy()
            column_at = self.column_at
            for name, value in values.items():
                text[column_at[name]] = copy_text(value)
            self.rows.append(f"{pk}\t" + "\t".join(text) + "\n")
        else:
            row = dict(self.defaults)
            for name, value in values.items():
                row[name] = self.field_named[name].get_db_prep_save(value, connection)
            self.rows.append((pk, *[row[a] for a in self.attnames]))
        if len(self.rows) >= self.flush_at:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(["id", *[connection.ops.quote_name(f.column) for f in self.fields]])
        if self.postgres:
            statement, data = f"COPY {self.table} ({columns}) FROM STDIN", "".join(self.rows)
            if self.sink:
                self.sink.put(statement, data)
            else:
                with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                    copy.write(data)
        else:
            marks = ", ".join(["%s"] * (len(self.fields) + 1))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})",  # noqa: S608
                    self.rows,
                )
        self.written += len(self.rows)
        self.rows = []

    def finish(self) -> None:
        """Writes what is left and moves the table's id sequence past the given ids."""
        self.flush()
        if self.sink:
            self.sink.drain()
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {self.table}))"
                )


class CopySink:
    """COPY from a thread of its own, on a connection of its own (PostgreSQL).

    The server parses one block while Python makes the next, so the generator uses both
    cores. Blocks go in the order they were given, each committed as it goes: a row is
    written after the rows it points at. The connection runs `session_sql` first."""

    def __init__(self, session_sql: list[str]):
        import psycopg

        params = connection.get_connection_params()
        keep = ("dbname", "user", "password", "host", "port", "options")
        self.connection = psycopg.connect(
            **{k: v for k, v in params.items() if k in keep}, autocommit=True
        )
        for statement in session_sql:
            self.connection.execute(statement)
        self.blocks: queue.Queue = queue.Queue(maxsize=4)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while (block := self.blocks.get()) is not None:
            statement, data = block
            try:
                if self.failure is None:
                    with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
                        copy.write(data)
            except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
                self.failure = error
            finally:
                self.blocks.task_done()
        self.blocks.task_done()

    def put(self, statement: str, data: str) -> None:
        self.raise_failure()
        self.blocks.put((statement, data))

    def drain(self) -> None:
        self.blocks.join()
        self.raise_failure()

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def close(self) -> None:
        self.blocks.put(None)
        self.thread.join()
        self.connection.close()
        self.raise_failure()


class SearchVectors:
    """PostgreSQL's search vector for text made of known fragments, built here.

    The generator writes notes from a fixed set of sentences; PostgreSQL parses each
    fragment once, and a note's vector is its fragments' lexemes with their positions
    moved along. It is exactly what `setweight(to_tsvector(subject), 'A') ||
    setweight(to_tsvector(text), 'B')` gives (the tests compare them), without the
    server parsing ten million notes."""

    def __init__(self):
        self.parsed: dict[str, tuple[list[tuple[str, list[int]]], int]] = {}
        self.pieces: dict[tuple[str, int, str], str] = {}

    def parse(self, fragment: str):
        if fragment not in self.parsed:
            with connection.cursor() as cursor:
                # The marker's position, less one, is how many positions the fragment takes.
                cursor.execute(
                    "SELECT to_tsvector('english', %s)::text, "
                    "to_tsvector('english', %s || ' qqqmarkerqqq')::text",
                    [fragment, fragment],
                )
                vector, marked = cursor.fetchone()
            lexemes = []
            for item in vector.split(" ") if vector else []:
                word, _, positions = item.rpartition(":")
                lexemes.append((word, [int(p) for p in positions.split(",")]))
            span = int(re.search(r"'qqqmarkerqqq':(\d+)", marked).group(1))
            self.parsed[fragment] = (lexemes, span - 1)
        return self.parsed[fragment]

    def piece(self, fragment: str, offset: int, weight: str) -> str:
        key = (fragment, offset, weight)
        if key not in self.pieces:
            lexemes, _ = self.parse(fragment)
            self.pieces[key] = " ".join(
                f"{word}:" + ",".join(f"{p + offset}{weight}" for p in positions)
                for word, positions in lexemes
            )
        return self.pieces[key]

    def vector(self, subject: str, fragments: list[str]) -> str:
        """The vector of a subject (weight A) and a text of fragments joined by spaces."""
        lexemes, _ = self.parse(subject)
        parts = [self.piece(subject, 0, "A")]
        offset = max((max(p) for _, p in lexemes), default=0)
        for fragment in fragments:
            parts.append(self.piece(fragment, offset, "B"))
            offset += self.parse(fragment)[1]
        return " ".join(p for p in parts if p)
