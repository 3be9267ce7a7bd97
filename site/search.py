"""The site's search backend: Wagtail's database backend, with a PostgreSQL query
that its full-text indexes can serve.

Wagtail's PostgreSQL backend matches ``title || body @@ query``: a vector built per
row, so neither GIN index (one on ``title``, one on ``body``) is used and every
search reads the whole index table (366 ms at 100,000 ideas). Matching each
column on its own (``title @@ q OR body @@ q``) finds the same rows through a
bitmap OR of the two indexes; the rank, computed for those rows only, is the
backend's own. SQLite and the other databases keep Wagtail's backend as is.
Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cocreate.search"}}``.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Q
from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802  (Wagtail's factory name)
    if connection.vendor == "postgresql":
        return _postgres_backend_class()(params)
    return database_backend(params)


@functools.cache
def _postgres_backend_class():
    # Imported here: the module needs psycopg and django.contrib.postgres.
    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )
    from modelsearch.query import MatchAll, Not, Phrase, PlainText

    class IndexedQueryCompiler(PostgresSearchQueryCompiler):
        """Matches each indexed column on its own, so its GIN index serves it."""

        def search(self, config, start, stop, score_field=None, backend=None):
            query = self.query
            if (
                self.fields is not None
                or isinstance(query, MatchAll | Not)
                or not isinstance(query, PlainText | Phrase)
            ):
                return super().search(config, start, stop, score_field, backend)
            search_query = self.build_tsquery(query, config=config)
            vectors = self.get_search_vectors(search_query)
            rank_expression = self._build_rank_expression(vectors, config)
            queryset = self.queryset.filter(
                Q(index_entries__title=search_query)
                | Q(index_entries__body=search_query)
            )
            return self._apply_ordering_and_scoring(
                queryset, rank_expression, start, stop, score_field
            )

    class IndexedPostgresSearchBackend(PostgresSearchBackend):
        query_compiler_class = IndexedQueryCompiler

    return IndexedPostgresSearchBackend
