"""Each app's privacy functions in one registry, and the two flows that run them.

Every app that holds personal data registers, in its own ``privacy.py`` (imported from its
``AppConfig.ready()``), what it holds about a person and how that is erased, much like
pretix's data shredders::

    register("webinars", export=export_user, erase=erase_user, order=60)

* ``export(user)`` returns that app's data about ``user`` as JSON-ready sections, e.g.
  ``{"webinars": {"registrations": [...]}}``; section names are unique across apps.
* ``erase(user)`` removes or blanks that data and returns counts (``{"calendar": 1}``),
  again with names unique across apps.

:func:`export_user_data` (the "Mijn gegevens" download and page) and :func:`erase_user`
(self-service erasure, and anonymising a program year) iterate the registry: they never
look at another app's models, and an app adds its data by registering.

This module imports no app, so every layer of ``pyproject.toml`` may register here: like
``mentoring.inputs`` it sits outside the layers (docs/privacy.md, "The registry").
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

Export = Callable[[Any], dict[str, Any]]
Erase = Callable[[Any], dict[str, int]]

#: Rows read per query by :func:`rows`. There is no cap: everything is read, in chunks.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Entry:
    app_label: str
    export: Export | None = None
    erase: Erase | None = None
    #: Position of the app's sections in the export; erasure runs in the reverse order,
    #: so the account (people, first in the export) is erased last.
    order: int = 50


_ENTRIES: dict[str, Entry] = {}


def register(
    app_label: str, *, export: Export | None = None, erase: Erase | None = None, order: int = 50
) -> Entry:
    """Add an app's functions (registering the same app again replaces them: ``ready()``
    may run twice)."""
    if export is None and erase is None:
        raise ValueError(f"privacy registry {app_label!r}: give an export or an erase function")
    entry = Entry(app_label=app_label, export=export, erase=erase, order=order)
    _ENTRIES[app_label] = entry
    return entry


def entries() -> list[Entry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.app_label))


def export_user_data(user) -> dict[str, Any]:
    """Everything the platform holds about ``user``: every registered app's sections."""
    data: dict[str, Any] = {"generated_at": timezone.now().isoformat()}
    for entry in entries():
        if entry.export is None:
            continue
        for key, value in entry.export(user).items():
            if key in data:
                raise ValueError(f"privacy export: {entry.app_label!r} repeats section {key!r}")
            data[key] = value
    return data


@transaction.atomic
def erase_user(*, user) -> dict[str, int]:
    """Erase a person: every registered app removes who they are and what they wrote.

    Foundation staff accounts are not erased this way (an administrator removes them).
    All or nothing: one transaction.
    """
    if user.is_staff:
        raise ValidationError(
            _("Een account van een medewerker van de stichting wordt door de beheerder verwijderd.")
        )
    counts: dict[str, int] = {}
    for entry in reversed(entries()):
        if entry.erase is None:
            continue
        for key, value in entry.erase(user).items():
            if key in counts:
                raise ValueError(f"privacy erase: {entry.app_label!r} repeats count {key!r}")
            counts[key] = value
    return counts


# ---------------------------------------------------------------- helpers for the exports


def plain(value: Any) -> Any:
    """A database value as JSON: dates as ISO text, decimals and UUIDs as text."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def iter_rows(queryset, fields: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Rows of ``queryset`` as ``{name: value}`` for ``fields`` (name -> lookup), all of
    them: read by primary key in chunks of :data:`CHUNK_SIZE`, so a long history neither
    loads at once nor is cut off."""
    lookups = list(dict.fromkeys(fields.values()))
    last = None
    while True:
        chunk = queryset.order_by("pk")
        if last is not None:
            chunk = chunk.filter(pk__gt=last)
        batch = list(chunk.values("pk", *lookups)[:CHUNK_SIZE])
        for row in batch:
            yield {name: plain(row[lookup]) for name, lookup in fields.items()}
        if len(batch) < CHUNK_SIZE:
            return
        last = batch[-1]["pk"]


def rows(queryset, fields: dict[str, str] | list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """:func:`iter_rows` as a list; ``fields`` may be plain field names."""
    if not isinstance(fields, dict):
        fields = {name: name for name in fields}
    return list(iter_rows(queryset, fields))
