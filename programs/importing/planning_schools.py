"""Plan a schools file: read each row, check the file as a whole, ask the database once, diff.

The steps, in order: ``_read_school_row`` (cells → ``SchoolRow``, no database),
``_file_errors`` (a school or schoolleider twice in the file), ``_SchoolFacts.load`` (a fixed
number of bulk queries whatever the file size) and ``_plan_school_row`` (a ``PlannedChange``
per row). Writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.enums import RoleKind
from people.models import Role, SchoolleiderProfile, User
from places.geo import Place, canonical_province
from places.geocoding import unknown_postcode_message
from programs.models import Enrollment, ProgramYear, Region, School

from .cleaning import (
    PHASE_WORDS,
    SECTOR_WORDS,
    clean_email,
    clean_int,
    clean_postcode,
    repeats,
    split_code,
    tidy_name,
)
from .columns import HeaderMap, header_key
from .enums import RowStatus
from .lookups import (
    chunks,
    geocode,
    privileged_error,
    privileged_ids,
    schools_shared_elsewhere,
    users_by_email,
)
from .reading import Table
from .rows import (
    LeaderAction,
    LeaderWrite,
    Notes,
    Person,
    PlannedChange,
    SchoolRow,
    SchoolValues,
    SchoolWrite,
)

SCHOOL_FIELD_LABELS = {
    "name": gettext_lazy("naam"),
    "sector": gettext_lazy("sector"),
    "postcode": gettext_lazy("postcode"),
    "street": gettext_lazy("straat"),
    "house_number": gettext_lazy("huisnummer"),
    "place": gettext_lazy("plaats"),
    "municipality": gettext_lazy("gemeente"),
    "province": gettext_lazy("provincie"),
    "region_id": gettext_lazy("regio"),
    "phase": gettext_lazy("fase"),
    "joined_year": gettext_lazy("jaar van deelname"),
}


def plan_schools(
    table: Table, hm: HeaderMap, program: ProgramYear, sector_choice: str
) -> list[PlannedChange]:
    """Every row of a schools file as a ``PlannedChange``; ``sector_choice`` (if any) is
    the sector chosen on the form for the whole file."""
    reading = _Reading.start(hm, sector_choice)
    rows = [_read_school_row(line, cells, reading) for line, cells in table.rows]
    extra = _file_errors(rows)
    facts = _SchoolFacts.load(rows, program)
    return [_plan_school_row(row, errors, facts) for row, errors in zip(rows, extra, strict=True)]


# --- reading a row ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """What reading every row needs: the header map, and labels translated once (gettext is
    measurable over 6,000 rows)."""

    hm: HeaderMap
    sector_choice: str
    email_label: str
    year_label: str
    max_year: int

    @classmethod
    def start(cls, hm: HeaderMap, sector_choice: str) -> _Reading:
        """The context for reading one file's rows."""
        return cls(
            hm=hm,
            sector_choice=sector_choice,
            email_label=_("Het e-mailadres van de schoolleider"),
            year_label=_("Jaar van deelname"),
            max_year=timezone.now().year + 1,
        )


def _read_school_row(line: int, cells: list[str], reading: _Reading) -> SchoolRow:
    """One row's cells as a ``SchoolRow``, with every problem the row shows on its own."""
    raw = {f: cells[i] for f, i in reading.hm.index.items()}
    errors: list[str] = []
    brin, vestiging = split_code(raw.get("brin", ""), raw.get("vestiging", ""), errors)
    values = _school_values(raw, reading, errors)
    leader = _leader(raw, reading, errors)
    return SchoolRow(
        line=line,
        key=f"{brin}{vestiging}" if brin and vestiging else (raw.get("brin", "") or "—"),
        brin=brin,
        vestiging=vestiging,
        values=values,
        leader=leader,
        errors=tuple(errors),
    )


def _school_values(raw: dict[str, str], reading: _Reading, errors: list[str]) -> SchoolValues:
    """The school's fields from the row. Street and number only when the file has them
    (DUO's address export does), so a file without them leaves a stored address alone."""
    hm = reading.hm
    name = _school_name(raw, errors)
    sector = _sector(raw, reading.sector_choice, errors)
    postcode, pc4 = clean_postcode(raw.get("postcode", ""), errors)
    province = _province(raw, errors)
    phase = _phase(raw, hm, errors)
    joined_year = (
        clean_int(
            raw["joined_year"], errors, label=reading.year_label, low=2000, high=reading.max_year
        )
        if hm.has("joined_year")
        else None
    )
    return SchoolValues(
        name=name,
        sector=sector,
        postcode=postcode,
        pc4=pc4,
        place=tidy_name(raw.get("place", "").strip())[:100],
        municipality=tidy_name(raw.get("municipality", "").strip())[:100],
        province=province,
        street=tidy_name(raw.get("street", "").strip())[:120] if hm.has("street") else None,
        house_number=(
            " ".join(raw.get("house_number", "").split())[:20] if hm.has("house_number") else None
        ),
        phase=phase,
        joined_year=joined_year,
    )


def _school_name(raw: dict[str, str], errors: list[str]) -> str:
    """The school's name; required, at most 255 characters."""
    name = raw.get("name", "").strip()
    if not name:
        errors.append(_("De naam van de school ontbreekt."))
    elif len(name) > 255:
        errors.append(_("De naam van de school is langer dan 255 tekens."))
    return name


def _sector(raw: dict[str, str], sector_choice: str, errors: list[str]) -> str:
    """The sector chosen for the whole file, else the row's (po, vo, mbo, hbo or a synonym)."""
    if sector_choice:
        return sector_choice
    sector = SECTOR_WORDS.get(header_key(raw.get("sector", "")), "")
    if not raw.get("sector", "").strip():
        errors.append(_("De sector ontbreekt (po, vo, mbo of hbo)."))
    elif not sector:
        errors.append(
            _("Onbekende sector ‘%(value)s’: kies po, vo, mbo of hbo.") % {"value": raw["sector"]}
        )
    return sector


def _province(raw: dict[str, str], errors: list[str]) -> str:
    """The province as we spell it ("Friesland" → "Fryslân"); "" when empty or unknown."""
    province = raw.get("province", "").strip()
    if not province:
        return ""
    try:
        return canonical_province(province)
    except ValueError:
        errors.append(_("Onbekende provincie ‘%(value)s’.") % {"value": province})
        return ""


def _phase(raw: dict[str, str], hm: HeaderMap, errors: list[str]) -> str | None:
    """The phase when the file gives one; None leaves the stored phase alone."""
    if not hm.has("phase") or not raw["phase"].strip():
        return None
    phase = PHASE_WORDS.get(header_key(raw["phase"]))
    if phase is None:
        errors.append(
            _("Onbekende fase ‘%(value)s’: kies Start, Training, Verdieping of Continu verbeteren.")
            % {"value": raw["phase"]}
        )
    return phase


def _leader(raw: dict[str, str], reading: _Reading, errors: list[str]) -> Person | None:
    """The row's schoolleider: a valid address with first and last name, or nobody."""
    email = clean_email(raw.get("leader_email", ""), errors, label=reading.email_label)
    first = raw.get("leader_first_name", "").strip()[:100]
    last = raw.get("leader_last_name", "").strip()[:150]
    if (first or last) and not raw.get("leader_email", "").strip():
        errors.append(_("Het e-mailadres van de schoolleider ontbreekt."))
    if email and not (first and last):
        errors.append(_("Vul de voor- en achternaam van de schoolleider in."))
    return Person(email=email, first_name=first, last_name=last) if email else None


# --- the file as a whole ------------------------------------------------------------------


def _file_errors(rows: Sequence[SchoolRow]) -> list[list[str]]:
    """Per row, the problems only the whole file shows: the same school twice, and one
    schoolleider at two schools."""
    twice = repeats(
        rows,
        lambda r: r.code,
        lambda key, others: (
            _("School %(code)s staat meer dan eens in het bestand (ook op regel %(lines)s).")
            % {"code": key, "lines": others}
        ),
    )
    schools_of: dict[str, set[str]] = defaultdict(set)
    lines_of: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.leader:
            schools_of[row.leader.email].add(row.key)
            lines_of[row.leader.email].append(row.line)
    for row, errors in zip(rows, twice, strict=True):
        if row.leader and len(schools_of[row.leader.email]) > 1:
            email = row.leader.email
            errors.append(
                _(
                    "Schoolleider %(email)s staat ook bij een andere school in dit bestand (regel %(lines)s); een schoolleider hoort bij één school."
                )
                % {
                    "email": email,
                    "lines": ", ".join(str(n) for n in lines_of[email] if n != row.line),
                }
            )
    return twice


# --- what the database says ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SchoolFacts:
    """Everything planning the rows needs from the database, read in bulk."""

    program: ProgramYear
    places: dict[str, Place]
    existing: dict[tuple[str, str], School]
    enrolled: set[int]
    users: dict[str, User]
    privileged: set[int]
    leader_roles: dict[int, Role]  # user id → schoolleider role in this program
    mentor_ids: set[int]  # users who are a mentor in this program
    shared: set[int]  # schools also enrolled in another program
    leaders_at: dict[int, list[str]]  # school id → its schoolleiders' addresses
    resolve: Callable[[str, str], Region | None]
    region_names: dict[int, str]

    @classmethod
    def load(cls, rows: Sequence[SchoolRow], program: ProgramYear) -> _SchoolFacts:
        """A fixed number of queries whatever the file size (chunked ``IN`` lookups)."""
        places = geocode(r.values.pc4 for r in rows)
        existing = _existing_schools(rows)
        users = users_by_email(r.leader.email for r in rows if r.leader)
        leader_roles, mentor_ids = _program_roles([u.pk for u in users.values()], program)
        school_ids = [s.pk for s in existing.values()]
        return cls(
            program=program,
            places=places,
            existing=existing,
            enrolled=set(
                Enrollment.objects.filter(program=program).values_list("school_id", flat=True)
            ),
            users=users,
            privileged=privileged_ids(users.values()),
            leader_roles=leader_roles,
            mentor_ids=mentor_ids,
            shared=schools_shared_elsewhere(school_ids, program),
            leaders_at=_leaders_at(school_ids, program),
            resolve=Region.resolver(),
            region_names={r.pk: r.name for r in Region.objects.all()},
        )


def _existing_schools(rows: Sequence[SchoolRow]) -> dict[tuple[str, str], School]:
    """Stored schools with a BRIN the file names, by (BRIN, vestiging)."""
    brins = sorted({r.brin for r in rows if r.brin})
    existing: dict[tuple[str, str], School] = {}
    for chunk in chunks(brins):
        for school in School.objects.filter(brin__in=chunk):
            existing[(school.brin, school.vestiging)] = school
    return existing


def _program_roles(user_ids: list[int], program: ProgramYear) -> tuple[dict[int, Role], set[int]]:
    """(schoolleider role by user id, ids of mentors) in ``program`` among ``user_ids``."""
    leader_roles: dict[int, Role] = {}
    mentor_ids: set[int] = set()
    for chunk in chunks(user_ids):
        for role in Role.objects.filter(
            program=program, user_id__in=chunk, kind__in=[RoleKind.SCHOOLLEIDER, RoleKind.MENTOR]
        ).select_related("schoolleider_profile__school"):
            if role.kind == RoleKind.MENTOR:
                mentor_ids.add(role.user_id)
            else:
                leader_roles[role.user_id] = role
    return leader_roles, mentor_ids


def _leaders_at(school_ids: list[int], program: ProgramYear) -> dict[int, list[str]]:
    """The addresses of each school's schoolleiders in ``program``, by school id."""
    leaders_at: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(school_ids):
        for school_id, email in SchoolleiderProfile.objects.filter(
            role__program=program, school_id__in=chunk
        ).values_list("school_id", "role__user__email"):
            leaders_at[school_id].append(email.lower())
    return leaders_at


# --- planning a row -----------------------------------------------------------------------


def _plan_school_row(row: SchoolRow, file_errors: list[str], facts: _SchoolFacts) -> PlannedChange:
    """The row's status, messages and write, given what the file and the database say."""
    notes = Notes(errors=[*row.errors, *file_errors])
    school = facts.existing.get((row.brin, row.vestiging))
    values = _complete_address(row.values, school, facts, notes)
    leader = _plan_leader(row.leader, school, facts, notes) if row.leader else None
    shown = {
        "key": row.key,
        "label": row.values.name,
        "detail": f"{values.postcode} {values.place}".strip(),
        "email": row.leader.email if row.leader else "",
    }
    if notes.errors:
        return notes.planned(line=row.line, status=RowStatus.ERROR, **shown)
    enroll = school is None or school.pk not in facts.enrolled
    changed = _school_changes(school, values, enroll, facts, notes) if school else ()
    write = SchoolWrite(
        row=row, values=values, school=school, changed=changed, enroll=enroll, leader=leader
    )
    if school is None:
        status = RowStatus.NEW
        if write.invites:
            notes.changes.append(
                _("schoolleider %(email)s krijgt een uitnodiging") % {"email": shown["email"]}
            )
    else:
        status = RowStatus.UPDATED if notes.changes else RowStatus.UNCHANGED
    return notes.planned(line=row.line, status=status, write=write, **shown)


def _complete_address(
    values: SchoolValues, school: School | None, facts: _SchoolFacts, notes: Notes
) -> SchoolValues:
    """Place, municipality and province the file leaves empty, from the postcode; and the
    region. An unknown postcode is an error."""
    pc4 = values.pc4
    names = {
        "place": values.place,
        "municipality": values.municipality,
        "province": values.province,
    }
    if pc4 and pc4 not in facts.places:
        notes.errors.append(unknown_postcode_message(pc4))
    elif pc4:
        place = facts.places[pc4]
        for name, value in names.items():
            if value:
                continue
            # Not in the file: keep what we have for the same postcode area (it may
            # come from an earlier, richer file); otherwise take the postcode table's.
            kept = getattr(school, name) if school is not None and school.pc4 == pc4 else ""
            names[name] = kept or getattr(place, name)
    region = facts.resolve(names["province"], names["municipality"])
    return values.with_address(**names, region_id=region.pk if region else None)


def _plan_leader(
    person: Person, school: School | None, facts: _SchoolFacts, notes: Notes
) -> LeaderWrite | None:
    """What committing does for the row's schoolleider; None (and an error) when refused."""
    user = facts.users.get(person.email)
    role = facts.leader_roles.get(user.pk) if user is not None else None
    refusal = _leader_refusal(person.email, user, role, school, facts)
    if refusal:
        notes.errors.append(refusal)
        return None
    if user is None:
        action = LeaderAction.INVITE
    elif role is None:
        action = LeaderAction.ADD_ROLE
    elif getattr(role, "schoolleider_profile", None) is None:
        action = LeaderAction.ADD_PROFILE
    else:
        action = LeaderAction.NONE
    _leader_messages(person.email, action, school, facts, notes)
    return LeaderWrite(person=person, action=action, user=user, role=role)


def _leader_refusal(
    email: str, user: User | None, role: Role | None, school: School | None, facts: _SchoolFacts
) -> str:
    """Why this account cannot be the school's schoolleider here ("" when it can)."""
    if user is None:
        return ""
    if not user.is_active:
        return _("Het account van %(email)s is gedeactiveerd.") % {"email": email}
    if user.pk in facts.mentor_ids:
        return _("%(email)s is in dit programma mentor en kan niet ook schoolleider zijn.") % {
            "email": email
        }
    if role is None and user.pk in facts.privileged:
        return privileged_error(email)
    profile = getattr(role, "schoolleider_profile", None) if role else None
    if profile is not None and (school is None or profile.school_id != school.pk):
        return _(
            "%(email)s is in dit programma al schoolleider van een andere school: %(school)s."
        ) % {"email": email, "school": profile.school}
    return ""


def _leader_messages(
    email: str, action: LeaderAction, school: School | None, facts: _SchoolFacts, notes: Notes
) -> None:
    """The preview's warning (the school keeps its other schoolleiders) and change."""
    others = [e for e in facts.leaders_at.get(school.pk, []) if e != email] if school else []
    if action and others:
        notes.warnings.append(
            _(
                "Deze school heeft in dit programma al schoolleider %(others)s; die blijft gekoppeld."
            )
            % {"others": ", ".join(sorted(others))}
        )
    if action == LeaderAction.INVITE:
        # A new school says so once its status is known (see _plan_school_row).
        if school is not None:
            notes.changes.append(
                _("schoolleider %(email)s toegevoegd; krijgt een uitnodiging") % {"email": email}
            )
    elif action:
        notes.changes.append(
            _("schoolleider %(email)s toegevoegd (heeft al een account)") % {"email": email}
        )


def _school_changes(
    school: School, values: SchoolValues, enroll: bool, facts: _SchoolFacts, notes: Notes
) -> tuple[str, ...]:
    """The stored school's fields the row changes, each described in ``notes``. A school
    shared with another program year keeps its data: this import changes only its own
    enrollment."""
    given = values.given()
    changed = [f for f, v in given.items() if f != "pc4" and getattr(school, f) != v]
    if school.pc4 != values.pc4 and "postcode" not in changed:
        changed.append("postcode")
    if changed and school.pk in facts.shared:
        notes.warnings.append(
            _(
                "Deze school doet ook mee aan een ander programma; haar gegevens (naam, "
                "adres, regio) worden daarom niet gewijzigd. Alleen de stichting kan dat."
            )
        )
        changed = []
    for name in changed:
        old, new = getattr(school, name), given[name]
        if name == "region_id":
            old, new = facts.region_names.get(old, "—"), facts.region_names.get(new, "—")
        notes.changes.append(
            _("%(field)s: ‘%(old)s’ → ‘%(new)s’")
            % {
                "field": SCHOOL_FIELD_LABELS.get(name, name),
                "old": old if old not in (None, "") else "—",
                "new": new if new not in (None, "") else "—",
            }
        )
    if enroll:
        notes.changes.append(_("doet mee aan dit programma"))
    return tuple(changed)
