"""Rows the seed writes by the hundred thousand: through PostgreSQL's COPY, or
``bulk_create`` on the other databases (SQLite for ``make demo``).

The rows are plain tuples, read as they are written, so a brand's million
supports are never model instances, nor all in memory at once. No signal is
sent (``bulk_create`` sends none either): the seed sets what the receivers
would (counters, trending days, the search index, the points) in bulk.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import JSONField, Max, Model
from django.utils import timezone

#: Rows built into instances at a time where there is no COPY.
ROWS_PER_INSERT = 2000


def write_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Insert ``rows``, each the values of ``fields`` (names of the model's
    fields, ``author`` or ``author_id`` alike) in order; how many were written.
    JSON fields take their Python value."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        names = [field.attname for field in columns]
        written = 0
        rows = iter(rows)
        while batch := list(itertools.islice(rows, ROWS_PER_INSERT)):
            model.objects.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in batch],
                batch_size=500,
            )
            written += len(batch)
        return written
    # COPY writes what it is given: the other fields get what an instance
    # would hold (the database knows none of the model's defaults).
    defaults = [
        field
        for field in meta.concrete_fields
        if field not in columns and not field.primary_key and not field.has_db_default()
    ]
    now = timezone.now()
    filled = tuple(
        now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in defaults
    )
    columns += defaults
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    table = connection.ops.quote_name(meta.db_table)
    as_json = [i for i, field in enumerate(columns) if isinstance(field, JSONField)]
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,  # noqa: S608 - our names
    ):
        for row in rows:
            if filled:
                row = (*row, *filled)
            if as_json:
                row = list(row)
                for i in as_json:
                    row[i] = json.dumps(row[i], cls=columns[i].encoder)
            copy.write_row(row)
            written += 1
    return written


def reserve_ids(model: type[Model], count: int) -> int:
    """The first of ``count`` primary keys that no row has, for rows written
    next with ``write_rows`` that point at each other (a reply at its comment)
    without being read back. On PostgreSQL the sequence moves past them."""
    table = model._meta.db_table
    column = model._meta.pk.column
    if connection.vendor != "postgresql":
        return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    if count <= 0:
        return 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, column, table, column, count],
        )
        (last,) = cursor.fetchone()
    return last - count + 1


@contextmanager
def loading(
    *models: type[Model], write: Callable[[str], object] | None = None
) -> Iterator[None]:
    """Rows are loaded into these models' tables by the hundred thousand: on
    PostgreSQL, their secondary indexes and foreign keys are set aside meanwhile
    and rebuilt after, from their own definitions (one sort per index and one
    join per key, instead of updating 18 indexes and queueing a check per row:
    a brand's ledger spent most of its time there, and the commit in the
    checks). Indexes that a constraint uses (primary keys, unique fields) stay.
    Inside the caller's transaction, so a seed that fails leaves them as they
    were. Elsewhere, nothing is set aside. ``write`` hears how long the
    rebuild took."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = ANY(%s::regclass[]) ORDER BY oid",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint "
            "WHERE conindid = indexrelid) ORDER BY indexrelid",
            [tables],
        )
        indexes = cursor.fetchall()
        _check_pending_keys(cursor)
        for name, table, _definition in keys:
            name = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Memory for the sorts that build the indexes, for this transaction.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        _check_pending_keys(cursor)
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, table, definition in keys:
            name = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    if write is not None:
        write(
            f"  {len(indexes)} indexes and {len(keys)} foreign keys of "
            f"{', '.join(tables)} rebuilt: {time.monotonic() - started:.1f} s"
        )


def _check_pending_keys(cursor) -> None:
    """Check the deferred foreign keys of the rows written so far: a table whose
    rows wait for their check can neither lose nor gain a key (PostgreSQL: "it
    has pending trigger events"). They are deferred again after."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
