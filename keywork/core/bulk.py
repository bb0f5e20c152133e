"""Inserting many rows while holding the database's write lock as briefly as can be.

SQLite lets one writer in at a time. A 30,000-row import written with the ORM's
`bulk_create` held that lock for about 16 s, most of it spent in Python turning each
value into an SQL parameter, and every other write waited (and, past the busy timeout,
failed). Here the parameters are made first, outside any transaction (`prepare`); the
transaction then only reserves the new rows' keys and sends the rows (`insert`), in a
few statements per table. The result is the same rows `bulk_create` would write: each
field's own `pre_save` and `get_db_prep_save` make the values.

Keys are reserved, not left to the database, so that the rows that point at the new
rows (a person's episodes, the audit of each) can be sent in the same quick way: inside
a write transaction no one else can insert, so the next keys after the largest used
are ours.

PostgreSQL has no such lock (a writer holds only the rows it writes), and there
`bulk_create` is the quicker way (it sends each column as one array), so on PostgreSQL
`insert` is `bulk_create` of the same objects.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model

BATCH = 2000


@dataclass
class Prepared:
    """Rows of one model, with every value ready for the database but the key and
    whatever `insert` is told to fill in."""

    model: type[Model]
    objs: Sequence[Model]
    columns: list[str]
    rows: list[list[Any]]  # on SQLite only
    database: str


def prepare(model: type[Model], objs: Sequence[Model]) -> Prepared:
    """Every concrete field's database value for each object, but the primary key."""
    database = router.db_for_write(model)
    connection = connections[database]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = []
    if connection.vendor == "sqlite":
        rows = [
            [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            for obj in objs
        ]
    return Prepared(model, objs, [field.column for field in fields], rows, database)


def _reserved_keys(prepared: Prepared, count: int) -> list[int]:
    connection = connections[prepared.database]
    meta = prepared.model._meta
    table, key = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        # The caller's transaction has written already, so it holds the write lock:
        # nothing else inserts until it ends. AUTOINCREMENT never reuses a key, so
        # start after the largest ever handed out, not only the largest still there.
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT max(coalesce((SELECT max({connection.ops.quote_name(key)}) "  # noqa: S608
            f"FROM {quoted}), 0), coalesce((SELECT seq FROM sqlite_sequence "
            "WHERE name = %s), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert(
    prepared: Prepared,
    *,
    fill: Mapping[str, Sequence[Any]] | None = None,
    with_keys: bool = True,
) -> list[int]:
    """Sends the prepared rows, each with its value of every column in `fill` (by row)
    put in first. Returns the new rows' keys in order (none when `with_keys` is False:
    the database then numbers the rows itself). Run inside a transaction that has
    written already (on SQLite, so that it holds the write lock)."""
    count = len(prepared.objs)
    if not count:
        return []
    connection = connections[prepared.database]
    if connection.vendor != "sqlite":
        for column, column_values in (fill or {}).items():
            attname = next(
                f.attname for f in prepared.model._meta.concrete_fields if f.column == column
            )
            for obj, value in zip(prepared.objs, column_values, strict=True):
                setattr(obj, attname, value)
        made = prepared.model._default_manager.bulk_create(prepared.objs, batch_size=BATCH)
        return [obj.pk for obj in made] if with_keys else []
    columns = list(prepared.columns)
    rows = prepared.rows
    if fill:
        where = [columns.index(column) for column in fill]
        values = list(fill.values())
        rows = [list(row) for row in rows]
        for i, row in enumerate(rows):
            for place, column_values in zip(where, values, strict=True):
                row[place] = column_values[i]
    keys: list[int] = []
    if with_keys:
        keys = _reserved_keys(prepared, count)
        columns = [prepared.model._meta.pk.column, *columns]
        rows = [[key, *row] for key, row in zip(keys, rows, strict=True)]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(prepared.model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) VALUES "
    )
    one_row = f"({', '.join(['%s'] * len(columns))})"
    # Many rows to a statement (one round trip each), within what the database takes
    # in parameters to one statement (SQLite from 3.32: 32,766; PostgreSQL: 65,535).
    per_statement = max(1, min(BATCH, 30_000 // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, count, per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                head + ", ".join([one_row] * len(batch)),
                [value for row in batch for value in row],
            )
    return keys
