"""The site's search backend: Wagtail's database backend, with a PostgreSQL query
that its full-text indexes can serve.

Wagtail's PostgreSQL backend matches ``title || body @@ query``: a vector built per
row, so neither GIN index (one on ``title``, one on ``body``) is used and every
search reads the whole index table (366 ms at 100,000 ideas). Matching each
column on its own (``title @@ q OR body @@ q``) finds the same rows through a
bitmap OR of the two indexes; the rank, computed for those rows only, is the
backend's own. Sliced (``results[:n]``, what the idea list asks), it ranks only the
first ``n`` matches its queryset's filters keep, so a common word no longer ranks
every idea that has it. SQLite ranks with weighted bm25 and slices as Wagtail does.
Both run the queryset's own SQL, so any of its filters narrows a search.
Settings: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cocreate.search"}}``.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import (
    CharField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as database_backend


class FiltersInSQL:
    """The database backends run the queryset's own SQL, so any filter of it
    narrows a search (language, tag, category slug): none needs a ``FilterField``,
    which Wagtail requires for the search engines that filter on their side."""

    def _get_filters_from_queryset(self, check_only=False):
        return None


#: How much more a word in a title counts than one in the body on SQLite (the
#: weight of ``Idea``'s title, ``index.SearchField("title", boost=3)``).
SQLITE_TITLE_WEIGHT = 3.0


def SearchBackend(params):  # noqa: N802  (Wagtail's factory name)
    if connection.vendor == "postgresql":
        return _postgres_backend_class()(params)
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return _sqlite_backend_class()(params)
    return backend


@functools.cache
def _sqlite_backend_class():
    """SQLite ranks with FTS5's bm25 over the row (autocomplete, body, title) with
    equal weights: a short body then outranks a title. Weighted, the title counts
    as on PostgreSQL."""
    from modelsearch.backends.database.sqlite.query import BM25, SQLiteFTSIndexEntry
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )
    from modelsearch.query import Not, Phrase, PlainText

    class WeightedBM25(BM25):
        def as_sql(self, compiler, connection, function=None, template=None):
            table = SQLiteFTSIndexEntry._meta.db_table
            return f"bm25({table}, 0.0, 1.0, {float(SQLITE_TITLE_WEIGHT)})", []

    class WeightedQueryCompiler(FiltersInSQL, SQLiteSearchQueryCompiler):
        def _build_rank_expression(self, vectors, config):
            # Wagtail's sums bm25 once per vector, the first times the title's
            # length norm (a PostgreSQL notion): short titles won on SQLite.
            if isinstance(self.query, Phrase | PlainText | Not):
                return WeightedBM25()
            return super()._build_rank_expression(vectors, config)

    class WeightedSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = WeightedQueryCompiler

    return WeightedSQLiteSearchBackend


@functools.cache
def _postgres_backend_class():
    # Imported here: the module needs psycopg and django.contrib.postgres.
    from modelsearch.backends.database.postgres.postgres import (
        IndexEntry,
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )
    from modelsearch.query import Phrase, PlainText
    from modelsearch.utils import get_descendants_content_types_pks

    class IndexedQueryCompiler(FiltersInSQL, PostgresSearchQueryCompiler):
        """Matches each indexed column on its own, so its GIN index serves it,
        and reaches the model's rows through their primary key index. Sliced
        (``results[:n]``), it keeps the first ``n`` matches the queryset's filters
        keep and ranks those only (see ``_bounded``)."""

        def search(self, config, start, stop, score_field=None, backend=None):
            query = self.query
            pk = self.queryset.model._meta.pk
            if (
                self.fields is not None
                or not isinstance(query, PlainText | Phrase)
                or not isinstance(pk, IntegerField)
            ):
                return super().search(config, start, stop, score_field, backend)
            search_query = self.build_tsquery(query, config=config)
            of_model = IndexEntry.objects.filter(
                content_type_id__in=get_descendants_content_types_pks(
                    self.queryset.model
                )
            )
            entries = of_model.filter(Q(title=search_query) | Q(body=search_query))
            # The ids as the model's type (entries keep them as text): the join
            # then uses the model's primary key, not a scan of the whole table.
            ids = entries.annotate(
                model_id=Cast("object_id", output_field=type(pk)())
            ).values("model_id")
            if stop is not None:
                return self._bounded(ids, of_model, config, start, stop, score_field)
            queryset = self.queryset.filter(pk__in=ids)
            if not self.order_by_relevance and score_field is None:
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return queryset[start:stop]
            return self._apply_ordering_and_scoring(
                queryset, self._rank(of_model, config), start, stop, score_field
            )

        def _rank(self, of_model, config):
            """The backend's rank (get_index_vectors), on the entry's own columns,
            read by the unique ``(content_type, object_id)`` index."""
            vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
            return Subquery(
                of_model.filter(
                    object_id=Cast(OuterRef("pk"), output_field=CharField())
                )
                .annotate(rank=self._build_rank_expression(vectors, config))
                .values("rank")[:1],
                output_field=FloatField(),
            )

        def _bounded(self, ids, of_model, config, start, stop, score_field):
            """The first ``stop`` matches that the queryset's filters keep, in the
            index's order (the entries' physical order, read until ``stop`` are
            found: a common word stops early, a rare one is read through its GIN
            posting lists), ranked, best first. A search then costs the same
            whatever the number of its matches, and a common word no longer
            ranks every idea that has it before the page's LIMIT. Unranked, the
            same rows in no order: what a bounded count counts."""
            kept = self.queryset.order_by().values("pk")
            candidates = ids.filter(model_id__in=kept)[:stop]
            queryset = self.queryset.filter(pk__in=candidates)
            if not self.order_by_relevance and score_field is None:
                return queryset.order_by()
            rank = self._rank(of_model, config)
            if self.order_by_relevance:
                queryset = queryset.order_by(rank.desc(), "-pk")
            if score_field is not None:
                queryset = queryset.annotate(**{score_field: rank})
            # Unsliced (at most ``stop`` rows already): pages slice it, counts
            # clear its order.
            return queryset[start:] if start else queryset

    class IndexedPostgresSearchBackend(PostgresSearchBackend):
        query_compiler_class = IndexedQueryCompiler

    return IndexedPostgresSearchBackend
