"""Search people by what staff type: "Pieter Dekker", "dekker", "pieter@bedrijf"."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q


def words_query(query: str, fields: Sequence[str]) -> Q:
    """Every word of ``query`` must occur (case-insensitive) in at least one of ``fields``.

    So a full name finds the person whose first and last name are separate columns, and
    "van dijk" finds "Anna van Dijk". An empty query matches everything.
    """
    condition = Q()
    for word in query.split()[:8]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition
