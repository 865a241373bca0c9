"""Validate every row of an import and work out what committing it would change.

``plan_import`` reads nothing but the file and a fixed number of bulk queries (existing
schools, users, roles, enrollments: chunked ``IN`` lookups, never one query per row), and
writes nothing. The same plan drives the preview page and, recomputed inside the commit
transaction, the commit itself, so what staff saw is what gets written; ``Plan.digest``
detects that the database changed in between.

The rows themselves are planned in ``planning_schools`` and ``planning_coaches``; their
types are in ``rows``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from programs.models import ProgramYear

from .columns import Column, HeaderMap, columns_for, looks_like_header, map_headers
from .enums import ImportKind, RowStatus
from .planning_coaches import plan_coaches
from .planning_schools import plan_schools
from .reading import FileProblem, Table, read_table
from .rows import PlannedChange


@dataclass
class Plan:
    """What an import would do: a file problem, or every row's ``PlannedChange``."""

    kind: str
    program: ProgramYear
    rows: list[PlannedChange] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    header_map: HeaderMap | None = None
    columns: tuple[Column, ...] = ()
    table: Table | None = None

    @property
    def has_errors(self) -> bool:
        """A file problem or any row with an error: nothing may be committed."""
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, rows with warnings and invitations, for the preview and the log."""
        by_status = Counter(r.status for r in self.rows)
        return {
            "rows": len(self.rows),
            "new": by_status[RowStatus.NEW],
            "updated": by_status[RowStatus.UPDATED],
            "unchanged": by_status[RowStatus.UNCHANGED],
            "errors": by_status[RowStatus.ERROR],
            "warnings": sum(1 for r in self.rows if r.warnings),
            "invitations": sum(1 for r in self.rows if r.invites),
        }

    @property
    def digest(self) -> str:
        """A fingerprint of what committing would write (changes when the database does).

        Built from values, not from the translated messages, so switching the interface
        language between preview and commit does not count as a change.
        """
        payload = [len(self.file_errors)] + [
            [r.line, r.status, r.key, len(r.errors), _plain(r.write)] for r in self.rows
        ]
        return hashlib.sha256(
            json.dumps(payload, sort_keys=True, default=str).encode()
        ).hexdigest()[:32]

    def mapping(self) -> list[tuple[str, str]]:
        """(our column, header in the file) for the preview."""
        if self.header_map is None:
            return []
        return [
            (c.header, self.header_map.source[c.field])
            for c in self.columns
            if self.header_map.has(c.field)
        ]


def _plain(value: Any) -> Any:
    """The JSON-able form of a row's write: model instances become their primary key.

    A write exists only for a row without errors, so it holds no translated text.
    """
    if value is None or isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return ["pk", value.pk]
    return value


def parse_upload(content: bytes, kind: str) -> Table:
    """Read an upload of ``kind`` into a table; raises ``FileProblem``. Writes nothing."""
    return read_table(content, is_header=looks_like_header(columns_for(kind)))


def plan_import(*, content: bytes, kind: str, program: ProgramYear, sector: str = "") -> Plan:
    """Parse, validate and diff a file against the database; writes nothing."""
    try:
        parsed: Table | FileProblem = parse_upload(content, kind)
    except FileProblem as problem:
        parsed = problem
    return plan_parsed(parsed, kind=kind, program=program, sector=sector)


def plan_parsed(
    parsed: Table | FileProblem, *, kind: str, program: ProgramYear, sector: str = ""
) -> Plan:
    """Validate an already parsed file (or its file problem) and diff it against the database."""
    columns = columns_for(kind)
    plan = Plan(kind=kind, program=program, columns=columns)
    if isinstance(parsed, FileProblem):
        plan.file_errors.append(parsed.message)
        return plan
    table = parsed
    plan.table = table
    header_map = map_headers(table.headers, columns)
    plan.header_map = header_map
    missing = _missing_columns_error(kind, columns, header_map, table, sector)
    if missing:
        plan.file_errors.append(missing)
        return plan
    if not table.rows:
        plan.file_errors.append(_("Het bestand bevat geen regels onder de kopregel."))
        return plan
    if kind == ImportKind.COACHES:
        plan.rows = plan_coaches(table, header_map, program)
    else:
        plan.rows = plan_schools(table, header_map, program, sector)
    return plan


def _missing_columns_error(
    kind: str, columns: tuple[Column, ...], header_map: HeaderMap, table: Table, sector: str
) -> str:
    """The one file error for required columns the file lacks ("" when none are missing).
    A schools file needs a sector column unless a sector was chosen for the whole file."""
    required = [c for c in columns if c.required]
    if kind == ImportKind.SCHOOLS and not sector:
        required.append(next(c for c in columns if c.field == "sector"))
    missing = [c for c in columns if c in required and not header_map.has(c.field)]
    if not missing:
        return ""
    message = _(
        "Kolom ontbreekt: %(missing)s. Verwachte kolommen: %(expected)s. "
        "Gevonden kolommen: %(found)s."
    ) % {
        "missing": ", ".join(c.header for c in missing),
        "expected": ", ".join(c.header for c in columns),
        "found": ", ".join(table.headers) or "—",
    }
    if kind == ImportKind.SCHOOLS and any(c.field == "sector" for c in missing):
        message += " " + _(
            "Staat de sector niet in het bestand, kies die dan hieronder voor het hele bestand."
        )
    return message
