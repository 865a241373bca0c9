"""Validate every row of an import and work out what committing it would change.

``plan_import`` reads nothing but the file and a fixed number of bulk queries (existing
schools, users, roles, enrollments: chunked ``IN`` lookups, never one query per row), and
writes nothing. The same plan drives the preview page and, recomputed inside the commit
transaction, the commit itself, so what staff saw is what gets written; ``Plan.digest``
detects that the database changed in between.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.enums import RoleKind
from people.models import ExpertcoachProfile, Role, SchoolleiderProfile, User
from places.geo import InvalidPostcode, canonical_province, normalize_postcode
from places.geocoding import get_geocoder
from programs.enums import Phase, Sector
from programs.models import Enrollment, ProgramYear, Region, School

from .columns import Column, HeaderMap, columns_for, header_key, looks_like_header, map_headers
from .enums import ImportKind, RowStatus
from .reading import FileProblem, Table, read_table

CHUNK = 500
BRIN_RE = re.compile(r"^[0-9]{2}[A-Z0-9]{2}$")
VESTIGING_RE = re.compile(r"^[0-9]{2}$")
DEFAULT_CAPACITY = 5

SECTOR_WORDS: dict[str, str] = {
    **{header_key(v): v for v in Sector.values},
    **{header_key(str(label)): value for value, label in Sector.choices},
    "primaironderwijs": Sector.PO,
    "basisonderwijs": Sector.PO,
    "bao": Sector.PO,
    "bo": Sector.PO,
    "sbo": Sector.PO,
    "voortgezetonderwijs": Sector.VO,
    "middelbaarberoepsonderwijs": Sector.MBO,
    "hogerberoepsonderwijs": Sector.HBO,
    "pabo": Sector.HBO,
}
PHASE_WORDS: dict[str, str] = {
    **{header_key(v): v for v in Phase.values},
    **{header_key(str(label)): value for value, label in Phase.choices},
    "continuverbeteren": Phase.CONTINU,
}
# Words that stay lower case inside Dutch place names ("Bergen op Zoom", "Capelle aan den IJssel").
_LOWER_WORDS = {
    "aan",
    "de",
    "den",
    "der",
    "het",
    "in",
    "op",
    "van",
    "bij",
    "ter",
    "ten",
    "en",
    "onder",
    "over",
}

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


def tidy_name(text: str) -> str:
    """Title-case a name written in capitals (DUO writes "CAPELLE AAN DEN IJSSEL")."""
    if not text or text != text.upper() or not any(c.isalpha() for c in text):
        return text
    out: list[str] = []
    first = True
    for part in re.split(r"(\s+|-)", text.lower()):
        if not part or part.isspace() or part == "-":
            out.append(part)
            continue
        if part in ("'s", "'t") or (not first and part in _LOWER_WORDS):
            out.append(part)
        elif part.startswith("ij"):
            out.append("IJ" + part[2:])
        else:
            out.append(part[0].upper() + part[1:])
        first = False
    return "".join(out)


@dataclass
class RowResult:
    """One data row: what it says, what is wrong with it, and what committing would do."""

    line: int
    key: str = ""
    label: str = ""
    detail: str = ""
    email: str = ""
    status: str = RowStatus.ERROR
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(RowStatus(self.status).label)


@dataclass
class Plan:
    kind: str
    program: ProgramYear
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    header_map: HeaderMap | None = None
    columns: tuple[Column, ...] = ()
    table: Table | None = None

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        by_status = Counter(r.status for r in self.rows)
        return {
            "rows": len(self.rows),
            "new": by_status[RowStatus.NEW],
            "updated": by_status[RowStatus.UPDATED],
            "unchanged": by_status[RowStatus.UNCHANGED],
            "errors": by_status[RowStatus.ERROR],
            "warnings": sum(1 for r in self.rows if r.warnings),
            "invitations": sum(
                1 for r in self.rows if r.data.get("invite") and r.status != RowStatus.ERROR
            ),
        }

    @property
    def digest(self) -> str:
        """A fingerprint of what committing would write (changes when the database does).

        Built from values, not from the translated messages, so switching the interface
        language between preview and commit does not count as a change.
        """
        payload = [len(self.file_errors)] + [
            [r.line, r.status, r.key, len(r.errors), _plain(r.data)] for r in self.rows
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
    """The JSON-able part of a row's data: model instances become their primary key."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
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
    required = [c for c in columns if c.required]
    if kind == ImportKind.SCHOOLS and not sector:
        required.append(next(c for c in columns if c.field == "sector"))
    missing = [c for c in columns if c in required and not header_map.has(c.field)]
    if missing:
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
        plan.file_errors.append(message)
        return plan
    if not table.rows:
        plan.file_errors.append(_("Het bestand bevat geen regels onder de kopregel."))
        return plan
    if kind == ImportKind.COACHES:
        _plan_coaches(plan, table, header_map)
    else:
        _plan_schools(plan, table, header_map, sector)
    return plan


# --- helpers -----------------------------------------------------------------------------


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _users_by_email(emails: Iterable[str]) -> dict[str, User]:
    wanted = sorted(set(emails))
    found: dict[str, User] = {}
    for chunk in _chunks(wanted):
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            found[user.email.lower()] = user
    return found


def _privileged_ids(users: Iterable[User]) -> set[int]:
    """Accounts program staff may never give a role to: foundation staff, superusers and
    staff of any program year (one query per chunk). See docs/security.md."""
    users = list(users)
    ids = {u.pk for u in users if u.is_staff or u.is_superuser}
    for chunk in _chunks([u.pk for u in users if u.pk not in ids]):
        ids.update(
            Role.objects.filter(user_id__in=chunk, kind=RoleKind.STAFF).values_list(
                "user_id", flat=True
            )
        )
    return ids


def privileged_error(email: str) -> str:
    return _(
        "%(email)s is een account van programmastaf of van de stichting. Programmastaf kan "
        "zo'n account geen rol geven; vraag de stichting om dit te regelen."
    ) % {"email": email}


def _schools_shared_elsewhere(school_ids: list[int], program: ProgramYear) -> set[int]:
    """Schools also enrolled in another program year: their master data is not this
    program's to change (only the foundation changes it)."""
    shared: set[int] = set()
    for chunk in _chunks(school_ids):
        shared.update(
            Enrollment.objects.filter(school_id__in=chunk)
            .exclude(program=program)
            .values_list("school_id", flat=True)
        )
    return shared


def _clean_email(value: str, errors: list[str], *, label: str) -> str:
    email = value.strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors.append(
            _("%(label)s ‘%(value)s’ is geen geldig e-mailadres.")
            % {"label": label, "value": value}
        )
        return ""
    return email


def _clean_int(value: str, errors: list[str], *, label: str, low: int, high: int) -> int | None:
    text = value.strip().replace(" ", "").lower().removesuffix("km").replace(",", ".")
    if not text:
        return None
    # Spreadsheets turn 5 into "5.0"; a real fraction is still refused.
    if not re.fullmatch(r"\d+(\.0+)?", text):
        errors.append(
            _("%(label)s ‘%(value)s’ is geen heel getal.") % {"label": label, "value": value}
        )
        return None
    number = int(text.split(".")[0])
    if not low <= number <= high:
        errors.append(
            _("%(label)s %(value)s ligt niet tussen %(low)s en %(high)s.")
            % {"label": label, "value": number, "low": low, "high": high}
        )
        return None
    return number


def _clean_postcode(value: str, errors: list[str]) -> tuple[str, str]:
    if not value.strip():
        errors.append(_("De postcode ontbreekt."))
        return "", ""
    try:
        postcode = normalize_postcode(value)
    except InvalidPostcode:
        errors.append(
            _("‘%(value)s’ is geen geldige Nederlandse postcode (verwacht: 1234 AB).")
            % {"value": value.strip()}
        )
        return "", ""
    return postcode, postcode[:4]


def _geocode(pc4s: Iterable[str]) -> dict:
    codes = sorted({p for p in pc4s if p})
    return get_geocoder().lookup_many(codes) if codes else {}


def _mark_duplicates(rows: list[RowResult], key_of, message_for) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        key = key_of(row)
        if key:
            lines[key].append(row.line)
    for row in rows:
        key = key_of(row)
        if key and len(lines[key]) > 1:
            others = ", ".join(str(n) for n in lines[key] if n != row.line)
            row.errors.append(message_for(key, others))


# --- schools ------------------------------------------------------------------------------


def _split_code(raw_brin: str, raw_vestiging: str, errors: list[str]) -> tuple[str, str]:
    brin = raw_brin.upper().replace(" ", "")
    vestiging = raw_vestiging.upper().replace(" ", "")
    if len(brin) == 6 and not vestiging:
        brin, vestiging = brin[:4], brin[4:]
    if len(vestiging) == 6:
        # DUO's vestigingscode is often the BRIN followed by the two-digit number.
        if brin and vestiging[:4] != brin:
            errors.append(
                _("Vestigingscode %(code)s hoort niet bij BRIN %(brin)s.")
                % {"code": vestiging, "brin": brin}
            )
            return brin, ""
        brin = brin or vestiging[:4]
        vestiging = vestiging[4:]
    if not brin:
        errors.append(_("De BRIN-code ontbreekt."))
    elif not BRIN_RE.match(brin):
        errors.append(
            _("‘%(value)s’ is geen geldige BRIN-code (vier tekens, zoals 12AB).")
            % {"value": raw_brin}
        )
        brin = ""
    if not vestiging:
        vestiging = "00"
    elif vestiging.isdigit() and len(vestiging) == 1:
        vestiging = "0" + vestiging
    if not VESTIGING_RE.match(vestiging):
        errors.append(
            _("‘%(value)s’ is geen geldig vestigingsnummer (twee cijfers, zoals 00 of 01).")
            % {"value": raw_vestiging}
        )
        vestiging = ""
    return brin, vestiging


def _plan_schools(plan: Plan, table: Table, hm: HeaderMap, sector_choice: str) -> None:
    program = plan.program
    rows: list[RowResult] = []
    # Translated once, not per row: gettext is measurable over 6,000 rows.
    email_label = _("Het e-mailadres van de schoolleider")
    year_label = _("Jaar van deelname")
    max_year = timezone.now().year + 1
    for line, cells in table.rows:
        raw = {f: cells[i] for f, i in hm.index.items()}
        row = RowResult(line=line)
        errors = row.errors
        brin, vestiging = _split_code(raw.get("brin", ""), raw.get("vestiging", ""), errors)
        row.key = f"{brin}{vestiging}" if brin and vestiging else (raw.get("brin", "") or "—")
        name = raw.get("name", "").strip()
        row.label = name
        if not name:
            errors.append(_("De naam van de school ontbreekt."))
        elif len(name) > 255:
            errors.append(_("De naam van de school is langer dan 255 tekens."))
        if sector_choice:
            sector = sector_choice
        else:
            sector = SECTOR_WORDS.get(header_key(raw.get("sector", "")), "")
            if not raw.get("sector", "").strip():
                errors.append(_("De sector ontbreekt (po, vo, mbo of hbo)."))
            elif not sector:
                errors.append(
                    _("Onbekende sector ‘%(value)s’: kies po, vo, mbo of hbo.")
                    % {"value": raw["sector"]}
                )
        postcode, pc4 = _clean_postcode(raw.get("postcode", ""), errors)
        province = raw.get("province", "").strip()
        if province:
            try:
                province = canonical_province(province)
            except ValueError:
                errors.append(_("Onbekende provincie ‘%(value)s’.") % {"value": province})
                province = ""
        values: dict[str, Any] = {
            "name": name,
            "sector": sector,
            "postcode": postcode,
            "pc4": pc4,
            "place": tidy_name(raw.get("place", "").strip())[:100],
            "municipality": tidy_name(raw.get("municipality", "").strip())[:100],
            "province": province,
        }
        # Street and number only when the file has them (DUO's address export does), so a
        # file without them leaves a stored address alone.
        if hm.has("street"):
            values["street"] = tidy_name(raw.get("street", "").strip())[:120]
        if hm.has("house_number"):
            values["house_number"] = " ".join(raw.get("house_number", "").split())[:20]
        if hm.has("phase") and raw["phase"].strip():
            phase = PHASE_WORDS.get(header_key(raw["phase"]))
            if phase is None:
                errors.append(
                    _(
                        "Onbekende fase ‘%(value)s’: kies Start, Training, Verdieping of Continu verbeteren."
                    )
                    % {"value": raw["phase"]}
                )
            else:
                values["phase"] = phase
        if hm.has("joined_year"):
            year = _clean_int(
                raw["joined_year"],
                errors,
                label=year_label,
                low=2000,
                high=max_year,
            )
            if year is not None:
                values["joined_year"] = year
        leader_email = _clean_email(raw.get("leader_email", ""), errors, label=email_label)
        first = raw.get("leader_first_name", "").strip()[:100]
        last = raw.get("leader_last_name", "").strip()[:150]
        if (first or last) and not raw.get("leader_email", "").strip():
            errors.append(_("Het e-mailadres van de schoolleider ontbreekt."))
        if leader_email and not (first and last):
            errors.append(_("Vul de voor- en achternaam van de schoolleider in."))
        row.email = leader_email
        row.data = {
            "brin": brin,
            "vestiging": vestiging,
            "values": values,
            "leader": {"email": leader_email, "first_name": first, "last_name": last}
            if leader_email
            else None,
        }
        rows.append(row)

    _mark_duplicates(
        rows,
        lambda r: (
            r.data["brin"] + r.data["vestiging"] if r.data["brin"] and r.data["vestiging"] else ""
        ),
        lambda key, others: (
            _("School %(code)s staat meer dan eens in het bestand (ook op regel %(lines)s).")
            % {"code": key, "lines": others}
        ),
    )
    leader_schools: dict[str, set[str]] = defaultdict(set)
    leader_lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.email:
            leader_schools[row.email].add(row.key)
            leader_lines[row.email].append(row.line)
    for row in rows:
        if row.email and len(leader_schools[row.email]) > 1:
            row.errors.append(
                _(
                    "Schoolleider %(email)s staat ook bij een andere school in dit bestand (regel %(lines)s); een schoolleider hoort bij één school."
                )
                % {
                    "email": row.email,
                    "lines": ", ".join(str(n) for n in leader_lines[row.email] if n != row.line),
                }
            )

    # Bulk lookups: a fixed number of queries whatever the file size.
    places = _geocode(r.data["values"]["pc4"] for r in rows)
    brins = sorted({r.data["brin"] for r in rows if r.data["brin"]})
    existing: dict[tuple[str, str], School] = {}
    for chunk in _chunks(brins):
        for school in School.objects.filter(brin__in=chunk):
            existing[(school.brin, school.vestiging)] = school
    enrolled = set(Enrollment.objects.filter(program=program).values_list("school_id", flat=True))
    users = _users_by_email(r.email for r in rows if r.email)
    user_ids = [u.pk for u in users.values()]
    privileged = _privileged_ids(users.values())
    leader_roles: dict[int, Role] = {}
    mentor_ids: set[int] = set()
    for chunk in _chunks(user_ids):
        for role in Role.objects.filter(
            program=program, user_id__in=chunk, kind__in=[RoleKind.SCHOOLLEIDER, RoleKind.MENTOR]
        ).select_related("schoolleider_profile__school"):
            if role.kind == RoleKind.MENTOR:
                mentor_ids.add(role.user_id)
            else:
                leader_roles[role.user_id] = role
    existing_ids = [s.pk for s in existing.values()]
    shared = _schools_shared_elsewhere(existing_ids, program)
    leaders_at: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(existing_ids):
        for school_id, email in SchoolleiderProfile.objects.filter(
            role__program=program, school_id__in=chunk
        ).values_list("school_id", "role__user__email"):
            leaders_at[school_id].append(email.lower())
    resolve = Region.resolver()
    region_names = {r.pk: r.name for r in Region.objects.all()}

    for row in rows:
        values = row.data["values"]
        pc4 = values["pc4"]
        school = existing.get((row.data["brin"], row.data["vestiging"]))
        row.data["school"] = school
        if pc4 and pc4 not in places:
            row.errors.append(_("Postcode %(pc4)s is onbekend.") % {"pc4": pc4})
        elif pc4:
            place = places[pc4]
            for name in ("place", "municipality", "province"):
                if values[name]:
                    continue
                # Not in the file: keep what we have for the same postcode area (it may
                # come from an earlier, richer file); otherwise take the postcode table's.
                kept = getattr(school, name) if school is not None and school.pc4 == pc4 else ""
                values[name] = kept or getattr(place, name)
        region = resolve(values["province"], values["municipality"])
        values["region_id"] = region.pk if region else None
        row.detail = f"{values['postcode']} {values['place']}".strip()
        leader = row.data["leader"]
        if leader:
            _plan_leader(
                row, leader, school, users, leader_roles, mentor_ids, leaders_at, privileged
            )
        if row.errors:
            row.status = RowStatus.ERROR
            continue
        row.data["enroll"] = school is None or school.pk not in enrolled
        if school is None:
            row.status = RowStatus.NEW
            continue
        changed = [f for f, v in values.items() if f != "pc4" and getattr(school, f) != v]
        if "pc4" in values and school.pc4 != values["pc4"] and "postcode" not in changed:
            changed.append("postcode")
        if changed and school.pk in shared:
            # Shared with another program year: this import changes only its own enrollment.
            row.warnings.append(
                _(
                    "Deze school doet ook mee aan een ander programma; haar gegevens (naam, "
                    "adres, regio) worden daarom niet gewijzigd. Alleen de stichting kan dat."
                )
            )
            changed = []
        row.data["changed"] = changed
        for f in changed:
            old, new = getattr(school, f), values[f]
            if f == "region_id":
                old, new = region_names.get(old, "—"), region_names.get(new, "—")
            row.changes.append(
                _("%(field)s: ‘%(old)s’ → ‘%(new)s’")
                % {
                    "field": SCHOOL_FIELD_LABELS.get(f, f),
                    "old": old if old not in (None, "") else "—",
                    "new": new if new not in (None, "") else "—",
                }
            )
        if row.data["enroll"]:
            row.changes.append(_("doet mee aan dit programma"))
        row.status = RowStatus.UPDATED if row.changes else RowStatus.UNCHANGED
    for row in rows:
        if row.status == RowStatus.NEW and row.data.get("invite"):
            row.changes.append(
                _("schoolleider %(email)s krijgt een uitnodiging") % {"email": row.email}
            )
    plan.rows = rows


def _plan_leader(
    row, leader, school, users, leader_roles, mentor_ids, leaders_at, privileged
) -> None:
    email = leader["email"]
    user = users.get(email)
    leader["user"] = user
    action = ""
    if user is None:
        action = "invite"
    elif not user.is_active:
        row.errors.append(_("Het account van %(email)s is gedeactiveerd.") % {"email": email})
        return
    elif user.pk in mentor_ids:
        row.errors.append(
            _("%(email)s is in dit programma mentor en kan niet ook schoolleider zijn.")
            % {"email": email}
        )
        return
    else:
        role = leader_roles.get(user.pk)
        if role is None and user.pk in privileged:
            row.errors.append(privileged_error(email))
            return
        leader["role"] = role
        profile = getattr(role, "schoolleider_profile", None) if role else None
        if profile is not None and (school is None or profile.school_id != school.pk):
            row.errors.append(
                _(
                    "%(email)s is in dit programma al schoolleider van een andere school: %(school)s."
                )
                % {"email": email, "school": profile.school}
            )
            return
        if role is None:
            action = "add_role"
        elif profile is None:
            action = "add_profile"
    leader["action"] = action
    row.data["invite"] = action == "invite"
    others = [e for e in leaders_at.get(school.pk, []) if e != email] if school else []
    if action and others:
        row.warnings.append(
            _(
                "Deze school heeft in dit programma al schoolleider %(others)s; die blijft gekoppeld."
            )
            % {"others": ", ".join(sorted(others))}
        )
    if action == "invite":
        if school is not None:
            row.changes.append(
                _("schoolleider %(email)s toegevoegd; krijgt een uitnodiging") % {"email": email}
            )
    elif action:
        row.changes.append(
            _("schoolleider %(email)s toegevoegd (heeft al een account)") % {"email": email}
        )


# --- expertcoaches ------------------------------------------------------------------------


def _plan_coaches(plan: Plan, table: Table, hm: HeaderMap) -> None:
    program = plan.program
    regions = list(Region.objects.all())
    region_by_key = {header_key(r.name): r for r in regions}
    rows: list[RowResult] = []
    for line, cells in table.rows:
        raw = {f: cells[i] for f, i in hm.index.items()}
        row = RowResult(line=line)
        errors = row.errors
        first = raw.get("first_name", "").strip()[:100]
        last = raw.get("last_name", "").strip()[:150]
        if not first:
            errors.append(_("De voornaam ontbreekt."))
        if not last:
            errors.append(_("De achternaam ontbreekt."))
        row.label = f"{first} {last}".strip()
        if not raw.get("email", "").strip():
            errors.append(_("Het e-mailadres ontbreekt."))
        email = _clean_email(raw.get("email", ""), errors, label=_("Het e-mailadres"))
        row.email = row.key = email or raw.get("email", "")
        postcode, pc4 = _clean_postcode(raw.get("postcode", ""), errors)
        capacity = _clean_int(
            raw.get("capacity", ""), errors, label=_("De capaciteit"), low=1, high=100
        )
        max_km = _clean_int(
            raw.get("max_travel_km", ""),
            errors,
            label=_("De maximale reisafstand"),
            low=1,
            high=500,
        )
        region_ids: set[int] | None = None
        if hm.has("regions") and raw["regions"].strip():
            region_ids = set()
            for name in re.split(r"[;,]", raw["regions"]):
                if not name.strip():
                    continue
                region = region_by_key.get(header_key(name))
                if region is None:
                    errors.append(
                        _("Onbekende regio ‘%(value)s’. Bekende regio's: %(known)s.")
                        % {"value": name.strip(), "known": ", ".join(r.name for r in regions)}
                    )
                else:
                    region_ids.add(region.pk)
        row.data = {
            "first_name": first,
            "last_name": last,
            "postcode": postcode,
            "pc4": pc4,
            "capacity": capacity,
            "max_travel_km": max_km,
            "region_ids": region_ids,
        }
        rows.append(row)
    _mark_duplicates(
        rows,
        lambda r: r.email if "@" in r.email else "",
        lambda key, others: (
            _("%(email)s staat meer dan eens in het bestand (ook op regel %(lines)s).")
            % {"email": key, "lines": others}
        ),
    )
    places = _geocode(r.data["pc4"] for r in rows)
    users = _users_by_email(r.email for r in rows if "@" in r.email)
    profiles: dict[int, ExpertcoachProfile] = {}
    roles: dict[int, Role] = {}
    other_roles: dict[int, set[str]] = defaultdict(set)
    user_ids = [u.pk for u in users.values()]
    privileged = _privileged_ids(users.values())
    for chunk in _chunks(user_ids):
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
    region_names = {r.pk: r.name for r in regions}
    for row in rows:
        data = row.data
        if data["pc4"] and data["pc4"] not in places:
            row.errors.append(_("Postcode %(pc4)s is onbekend.") % {"pc4": data["pc4"]})
        if data["pc4"] in places:
            row.detail = f"{data['postcode']} {places[data['pc4']].place}"
        user = users.get(row.email)
        data["user"] = user
        if user is not None and not user.is_active:
            row.errors.append(
                _("Het account van %(email)s is gedeactiveerd.") % {"email": row.email}
            )
        if user is not None and user.pk in privileged and user.pk not in roles:
            row.errors.append(privileged_error(row.email))
        if user is not None and RoleKind.MENTOR in other_roles.get(user.pk, set()):
            row.errors.append(
                _("%(email)s is in dit programma mentor en kan niet ook expertcoach zijn.")
                % {"email": row.email}
            )
        if row.errors:
            row.status = RowStatus.ERROR
            continue
        profile = profiles.get(user.pk) if user else None
        data["role"] = roles.get(user.pk) if user else None
        data["profile"] = profile
        data["invite"] = user is None
        if profile is None:
            row.status = RowStatus.NEW
            if user is not None:
                row.changes.append(
                    _("bestaand account: krijgt de rol expertcoach, geen uitnodiging")
                )
            else:
                row.changes.append(_("krijgt een uitnodiging"))
            continue
        changed: list[str] = []
        if profile.postcode != data["postcode"]:
            changed.append("postcode")
            row.changes.append(
                _("postcode: ‘%(old)s’ → ‘%(new)s’")
                % {"old": profile.postcode, "new": data["postcode"]}
            )
        if data["capacity"] is not None and profile.capacity != data["capacity"]:
            changed.append("capacity")
            row.changes.append(
                _("capaciteit: %(old)s → %(new)s")
                % {"old": profile.capacity, "new": data["capacity"]}
            )
        if data["max_travel_km"] is not None and profile.max_travel_km != data["max_travel_km"]:
            changed.append("max_travel_km")
            row.changes.append(
                _("maximale reisafstand: %(old)s → %(new)s km")
                % {"old": profile.max_travel_km or "—", "new": data["max_travel_km"]}
            )
        current = {r.pk for r in profile.regions.all()}
        if data["region_ids"] is not None and current != data["region_ids"]:
            data["regions_changed"] = True
            row.changes.append(
                _("regio's: %(old)s → %(new)s")
                % {
                    "old": ", ".join(sorted(region_names[i] for i in current)) or "—",
                    "new": ", ".join(sorted(region_names[i] for i in data["region_ids"])) or "—",
                }
            )
        data["changed"] = changed
        row.status = RowStatus.UPDATED if row.changes else RowStatus.UNCHANGED
    plan.rows = rows
