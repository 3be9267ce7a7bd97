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
from collections.abc import Iterable, Sequence

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
