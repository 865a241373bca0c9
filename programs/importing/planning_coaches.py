"""Plan an expertcoaches file: read each row, check the file as a whole, ask the database
once, diff against the stored profiles. Writes nothing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from people.enums import RoleKind
from people.models import ExpertcoachProfile, Role, User
from places.geo import Place
from places.geocoding import unknown_postcode_message
from programs.models import ProgramYear, Region

from .cleaning import clean_email, clean_int, clean_postcode, repeats
from .columns import HeaderMap, header_key
from .enums import RowStatus
from .lookups import chunks, geocode, privileged_error, privileged_ids, users_by_email
from .reading import Table
from .rows import CoachWrite, Notes, PersonRow, PlannedChange


def plan_coaches(table: Table, hm: HeaderMap, program: ProgramYear) -> list[PlannedChange]:
    """Every row of an expertcoaches file as a ``PlannedChange``."""
    regions = _Regions.load()
    rows = [_read_coach_row(line, cells, hm, regions) for line, cells in table.rows]
    twice = repeats(
        rows,
        lambda r: r.email if "@" in r.email else "",
        lambda key, others: (
            _("%(email)s staat meer dan eens in het bestand (ook op regel %(lines)s).")
            % {"email": key, "lines": others}
        ),
    )
    facts = _CoachFacts.load(rows, program, regions.names)
    return [_plan_coach_row(row, errors, facts) for row, errors in zip(rows, twice, strict=True)]


# --- reading a row ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Regions:
    """The regions, read once: names for messages, and by folded name for the cells."""

    names: dict[int, str]
    by_key: dict[str, Region]
    known: str  # "Groningen, Utrecht, ..." for the unknown-region message

    @classmethod
    def load(cls) -> _Regions:
        """One query for all regions."""
        regions = list(Region.objects.all())
        return cls(
            names={r.pk: r.name for r in regions},
            by_key={header_key(r.name): r for r in regions},
            known=", ".join(r.name for r in regions),
        )


def _read_coach_row(line: int, cells: list[str], hm: HeaderMap, regions: _Regions) -> PersonRow:
    """One row's cells as a ``PersonRow``, with every problem the row shows on its own."""
    raw = {f: cells[i] for f, i in hm.index.items()}
    errors: list[str] = []
    first = raw.get("first_name", "").strip()[:100]
    last = raw.get("last_name", "").strip()[:150]
    if not first:
        errors.append(_("De voornaam ontbreekt."))
    if not last:
        errors.append(_("De achternaam ontbreekt."))
    if not raw.get("email", "").strip():
        errors.append(_("Het e-mailadres ontbreekt."))
    email = clean_email(raw.get("email", ""), errors, label=_("Het e-mailadres"))
    postcode, pc4 = clean_postcode(raw.get("postcode", ""), errors)
    capacity = clean_int(raw.get("capacity", ""), errors, label=_("De capaciteit"), low=1, high=100)
    max_km = clean_int(
        raw.get("max_travel_km", ""), errors, label=_("De maximale reisafstand"), low=1, high=500
    )
    region_ids = _region_ids(raw, hm, regions, errors)
    return PersonRow(
        line=line,
        email=email or raw.get("email", ""),
        first_name=first,
        last_name=last,
        postcode=postcode,
        pc4=pc4,
        capacity=capacity,
        max_travel_km=max_km,
        region_ids=region_ids,
        errors=tuple(errors),
    )


def _region_ids(
    raw: dict[str, str], hm: HeaderMap, regions: _Regions, errors: list[str]
) -> frozenset[int] | None:
    """The regions named in the cell (separated by ; or ,); None when there is no regions
    column or the cell is empty (the stored regions stay)."""
    if not hm.has("regions") or not raw["regions"].strip():
        return None
    ids: set[int] = set()
    for name in re.split(r"[;,]", raw["regions"]):
        if not name.strip():
            continue
        region = regions.by_key.get(header_key(name))
        if region is None:
            errors.append(
                _("Onbekende regio ‘%(value)s’. Bekende regio's: %(known)s.")
                % {"value": name.strip(), "known": regions.known}
            )
        else:
            ids.add(region.pk)
    return frozenset(ids)


# --- what the database says ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CoachFacts:
    """Everything planning the rows needs from the database, read in bulk."""

    places: dict[str, Place]
    users: dict[str, User]
    privileged: set[int]
    roles: dict[int, Role]  # user id → expertcoach role in this program
    other_roles: dict[int, set[str]]  # user id → their other role kinds in this program
    profiles: dict[int, ExpertcoachProfile]  # user id → expertcoach profile in this program
    region_names: dict[int, str]

    @classmethod
    def load(
        cls, rows: Sequence[PersonRow], program: ProgramYear, region_names: dict[int, str]
    ) -> _CoachFacts:
        """A fixed number of queries whatever the file size (chunked ``IN`` lookups)."""
        places = geocode(r.pc4 for r in rows)
        users = users_by_email(r.email for r in rows if "@" in r.email)
        privileged = privileged_ids(users.values())
        roles: dict[int, Role] = {}
        other_roles: dict[int, set[str]] = defaultdict(set)
        profiles: dict[int, ExpertcoachProfile] = {}
        for chunk in chunks([u.pk for u in users.values()]):
            for role in Role.objects.filter(program=program, user_id__in=chunk):
                if role.kind == RoleKind.EXPERTCOACH:
                    roles[role.user_id] = role
                else:
                    other_roles[role.user_id].add(role.kind)
            for profile in (
                ExpertcoachProfile.objects.filter(role__program=program, role__user_id__in=chunk)
                .select_related("role")
                .prefetch_related("regions")
            ):
                profiles[profile.role.user_id] = profile
        return cls(
            places=places,
            users=users,
            privileged=privileged,
            roles=roles,
            other_roles=other_roles,
            profiles=profiles,
            region_names=region_names,
        )


# --- planning a row -----------------------------------------------------------------------


def _plan_coach_row(row: PersonRow, file_errors: list[str], facts: _CoachFacts) -> PlannedChange:
    """The row's status, messages and write, given what the file and the database say."""
    notes = Notes(errors=[*row.errors, *file_errors])
    if row.pc4 and row.pc4 not in facts.places:
        notes.errors.append(unknown_postcode_message(row.pc4))
    shown = {
        "key": row.email,
        "email": row.email,
        "label": f"{row.first_name} {row.last_name}".strip(),
        "detail": f"{row.postcode} {facts.places[row.pc4].place}"
        if row.pc4 in facts.places
        else "",
    }
    user = facts.users.get(row.email)
    if user is not None:
        notes.errors.extend(_account_errors(row.email, user, facts))
    if notes.errors:
        return notes.planned(line=row.line, status=RowStatus.ERROR, **shown)
    role = facts.roles.get(user.pk) if user else None
    profile = facts.profiles.get(user.pk) if user else None
    if profile is None:
        notes.changes.append(
            _("bestaand account: krijgt de rol expertcoach, geen uitnodiging")
            if user is not None
            else _("krijgt een uitnodiging")
        )
        write = CoachWrite(row=row, user=user, role=role, profile=None)
        return notes.planned(line=row.line, status=RowStatus.NEW, write=write, **shown)
    changed, regions_changed = _profile_changes(row, profile, facts, notes)
    write = CoachWrite(
        row=row,
        user=user,
        role=role,
        profile=profile,
        changed=changed,
        regions_changed=regions_changed,
    )
    status = RowStatus.UPDATED if notes.changes else RowStatus.UNCHANGED
    return notes.planned(line=row.line, status=status, write=write, **shown)


def _account_errors(email: str, user: User, facts: _CoachFacts) -> list[str]:
    """Why this existing account cannot be an expertcoach here (empty when it can)."""
    errors = []
    if not user.is_active:
        errors.append(_("Het account van %(email)s is gedeactiveerd.") % {"email": email})
    if user.pk in facts.privileged and user.pk not in facts.roles:
        errors.append(privileged_error(email))
    if RoleKind.MENTOR in facts.other_roles.get(user.pk, set()):
        errors.append(
            _("%(email)s is in dit programma mentor en kan niet ook expertcoach zijn.")
            % {"email": email}
        )
    return errors


def _profile_changes(
    row: PersonRow, profile: ExpertcoachProfile, facts: _CoachFacts, notes: Notes
) -> tuple[tuple[str, ...], bool]:
    """(profile fields the row changes, whether its regions change), each described in
    ``notes``. An empty capacity, distance or regions cell keeps the stored value."""
    changed: list[str] = []
    if profile.postcode != row.postcode:
        changed.append("postcode")
        notes.changes.append(
            _("postcode: ‘%(old)s’ → ‘%(new)s’") % {"old": profile.postcode, "new": row.postcode}
        )
    if row.capacity is not None and profile.capacity != row.capacity:
        changed.append("capacity")
        notes.changes.append(
            _("capaciteit: %(old)s → %(new)s") % {"old": profile.capacity, "new": row.capacity}
        )
    if row.max_travel_km is not None and profile.max_travel_km != row.max_travel_km:
        changed.append("max_travel_km")
        notes.changes.append(
            _("maximale reisafstand: %(old)s → %(new)s km")
            % {"old": profile.max_travel_km or "—", "new": row.max_travel_km}
        )
    current = {r.pk for r in profile.regions.all()}
    regions_changed = row.region_ids is not None and current != row.region_ids
    if regions_changed:
        names = facts.region_names
        notes.changes.append(
            _("regio's: %(old)s → %(new)s")
            % {
                "old": ", ".join(sorted(names[i] for i in current)) or "—",
                "new": ", ".join(sorted(names[i] for i in row.region_ids)) or "—",
            }
        )
    return tuple(changed), regions_changed
