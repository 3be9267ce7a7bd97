"""The seed's ideas in the search index.

On PostgreSQL one ``INSERT … SELECT`` computes every entry in the database:
Wagtail's backend (``add_bulk``) builds one vector expression per idea in Python
and averages the title lengths again after each slice, which took minutes at a
brand's 100,000 ideas. The entries are the ones it writes, column for column
(tests/site/seed_demo/test_scale.py compares them); the title norms are set by
the backend itself, as it sets them after each of its inserts. Elsewhere
(SQLite) the backend indexes the ideas in slices.
"""

from __future__ import annotations

from django.db import connection
from wagtail.search.backends import get_search_backend

from ideas.models import Idea

#: Ideas added to the search index at a time by the backend.
INDEX_SLICE = 2000


def index_ideas(first: int, last: int) -> None:
    """Index the ideas with ids from ``first`` to ``last``."""
    backend = get_search_backend()
    ideas = Idea.objects.filter(pk__gte=first, pk__lte=last).order_by("pk")
    if connection.vendor != "postgresql":
        # In slices: a brand's ideas are not loaded at once to be indexed.
        ids = list(ideas.values_list("pk", flat=True))
        for start in range(0, len(ids), INDEX_SLICE):
            chunk = ids[start : start + INDEX_SLICE]
            backend.add_bulk(Idea, list(Idea.objects.filter(pk__in=chunk)))
        return
    _insert_entries(backend, first, last)
    # The backend's own insert of one of them sets the title norm of every new
    # entry (its average title length over the whole index).
    newest = ideas.last()
    if newest is not None:
        backend.add_bulk(Idea, [newest])


def _insert_entries(backend, first: int, last: int) -> None:
    """What ``ObjectIndexer`` computes per idea, as SQL over the idea table:
    each search field a weighted vector of its stripped text, the title's in
    ``title``, the others' in ``body``, the autocomplete fields' in
    ``autocomplete`` (with the backend's autocomplete configuration)."""
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.backends.database.postgres.postgres import IndexEntry
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.index import AutocompleteField, SearchField

    quote = connection.ops.quote_name

    def text(field) -> str:
        column = quote(Idea._meta.get_field(field.field_name).column)
        # Python's str.strip(): every kind of white space at either end.
        return f"regexp_replace(COALESCE({column}, ''), '^\\s+|\\s+$', '', 'g')"

    def vector(fields, weights, config) -> str:
        if not fields:
            return "to_tsvector('')"
        configured = "" if config is None else f"'{config}'::regconfig, "
        return " || ".join(
            f"setweight(to_tsvector({configured}{text(field)}), '{weight}')"
            for field, weight in zip(fields, weights, strict=True)
        )

    def plain(fields) -> str:
        return " || ' ' || ".join(text(f) for f in fields) if fields else "''"

    search_fields = Idea.get_search_fields()
    titles = [
        f
        for f in search_fields
        if isinstance(f, SearchField) and f.field_name == "title"
    ]
    bodies = [
        f
        for f in search_fields
        if isinstance(f, SearchField) and f.field_name != "title"
    ]
    autocomplete = [f for f in search_fields if isinstance(f, AutocompleteField)]
    content_type = ContentType.objects.get_for_model(Idea).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {quote(IndexEntry._meta.db_table)} (content_type_id,
                object_id, title, autocomplete, body, title_norm, title_text,
                body_text)
            SELECT %s, {quote(Idea._meta.pk.column)}::text,
                {vector(titles, [get_weight(f.boost) for f in titles], backend.config)},
                {
                vector(
                    autocomplete, ["D"] * len(autocomplete), backend.autocomplete_config
                )
            },
                {vector(bodies, [get_weight(f.boost) for f in bodies], backend.config)},
                1.0, {plain(titles)}, {plain(bodies)}
            FROM {quote(Idea._meta.db_table)}
            WHERE {quote(Idea._meta.pk.column)} BETWEEN %s AND %s
            ON CONFLICT (content_type_id, object_id) DO UPDATE SET
                title = EXCLUDED.title, title_norm = 1.0,
                autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,
                title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
            """,  # noqa: S608 - names and weights from the models
            [content_type, first, last],
        )
