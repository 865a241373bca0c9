"""Search people by what staff type: "Pieter Dekker", "dekker", "pieter@bedrijf"."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model, Q


def _word(model: type[Model], fields: Sequence[str], word: str) -> Q:
    """``word`` in at least one of ``fields`` of ``model``. The fields behind a relation
    become one ``relation IN (subquery)`` per relation, nested along the path, so the
    database scans each related table once instead of joining every list row to it (a
    national program's pair list: 60 ms with the joins, a few ms with the subqueries)."""
    direct: list[str] = []
    related: dict[str, list[str]] = {}
    for field in fields:
        head, separator, rest = field.partition("__")
        if separator:
            related.setdefault(head, []).append(rest)
        else:
            direct.append(field)
    condition = Q()
    for field in direct:
        condition |= Q(**{f"{field}__icontains": word})
    if direct and related:
        # OR'ed with subqueries, a plain condition makes the database scan every row, as an
        # IN (subquery) cannot be part of a bitmap OR. As a subquery of its own it can use
        # the columns' trigram indexes (the outbox: to_email and subject).
        condition = Q(pk__in=model._default_manager.filter(condition).values("pk"))
    for head, rests in related.items():
        target = model._meta.get_field(head).related_model
        assert isinstance(target, type)
        inner = target._default_manager.filter(_word(target, rests, word))
        condition |= Q(**{f"{head}__in": inner})
    return condition


def words_query(query: str, fields: Sequence[str], model: type[Model]) -> Q:
    """Every word of ``query`` must occur (case-insensitive) in at least one of ``fields``
    (paths from ``model``, the model of the list being searched).

    So a full name finds the person whose first and last name are separate columns, and
    "van dijk" finds "Anna van Dijk". An empty query matches everything.
    """
    condition = Q()
    for word in query.split()[:8]:
        condition &= _word(model, fields, word)
    return condition


# --- Trigram indexes: what makes a "contains" search fast on PostgreSQL ---------------------


def trigram_indexes(table: str, columns: Sequence[str]):
    """A migration operation: on PostgreSQL, a pg_trgm GIN index on ``UPPER(column)`` per
    column (the expression Django's ``icontains`` filters on), so a search for "jan" in
    20,000 names is an index lookup instead of upper-casing every row. Elsewhere nothing.

    pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. If
    the account may not, the indexes are skipped with a warning and search still works.
    """
    from django.db import migrations

    names = [f"{table}_{column}_trgm" for column in columns]

    def forwards(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        from django.db import DatabaseError, transaction

        try:
            with transaction.atomic(using=connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:  # pragma: no cover - depends on the server's rights
            import warnings

            warnings.warn(f"pg_trgm not available, searches stay unindexed: {error}", stacklevel=2)
            return
        for name, column in zip(names, columns, strict=True):
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in names:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
