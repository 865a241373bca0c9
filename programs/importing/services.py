"""Writes of the import: keep an upload for preview, commit it all-or-nothing, discard it."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.urls import reverse
from django.utils import timezone

from notifications.outbox import notify_many
from people.enums import RoleKind
from people.models import ExpertcoachProfile, Role, SchoolleiderProfile, User
from people.services import invitation_create
from programs.enums import Phase
from programs.models import Enrollment, ProgramYear, School

from .enums import ImportKind, ImportStatus, RowStatus
from .models import ImportRun
from .planning import Plan, parse_upload, plan_parsed
from .reading import FileProblem, Table

BATCH = 500
# Previews nobody committed hold personal data; they are removed after this long.
PREVIEW_RETENTION = dt.timedelta(days=2)


class ImportBlocked(Exception):
    """Committing is refused; ``plan`` tells why (row errors, or the data changed)."""

    def __init__(self, plan: Plan, *, stale: bool = False) -> None:
        super().__init__("import blocked")
        self.plan = plan
        self.stale = stale


@dataclass
class ImportResult:
    run: ImportRun
    counts: dict[str, int]


def import_run_create(
    *,
    program: ProgramYear,
    kind: str,
    content: bytes,
    file_name: str,
    user: User | None,
    sector: str = "",
) -> ImportRun:
    """Keep an uploaded file for preview, read once; also drop stale previews (they hold
    personal data)."""
    ImportRun.objects.filter(
        status=ImportStatus.PREVIEW, created_at__lt=timezone.now() - PREVIEW_RETENTION
    ).delete()
    return ImportRun.objects.create(
        parsed=_parse(content, kind),
        program=program,
        kind=kind,
        created_by=user,
        file_name=(file_name or "upload")[-255:],
        file_sha256=hashlib.sha256(content).hexdigest(),
        file_size=len(content),
        content=content,
        sector=sector,
    )


def _parse(content: bytes, kind: str) -> dict:
    try:
        return {"table": parse_upload(content, kind).to_json()}
    except FileProblem as problem:
        return {"problem": problem.to_json()}


def _parsed(run: ImportRun) -> Table | FileProblem:
    """The run's file as read at upload (an older run without it is read now, once)."""
    if run.parsed is None:
        run.parsed = _parse(bytes(run.content), run.kind)
        ImportRun.objects.filter(pk=run.pk).update(parsed=run.parsed)
    if "problem" in run.parsed:
        return FileProblem.from_json(run.parsed["problem"])
    return Table.from_json(run.parsed["table"])


def import_run_plan(*, run: ImportRun) -> Plan:
    """The preview of a stored upload: the stored table checked against the database now."""
    return plan_parsed(_parsed(run), kind=run.kind, program=run.program, sector=run.sector)


@transaction.atomic
def import_run_discard(*, run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEW).delete()


def import_run_commit(*, run: ImportRun, expected_digest: str | None = None) -> ImportResult:
    """Write every row of the upload in one transaction, or nothing.

    The plan is recomputed under a lock on the run, so a double click or a second staff
    member cannot commit twice. Raises ``ImportBlocked`` when any row has an error or, with
    ``expected_digest``, when the outcome differs from the preview staff confirmed (also
    when another import wrote the same schools or people at the same moment).
    Invitation emails are queued in this transaction, so a rollback sends none.
    """
    try:
        return _commit(run=run, expected_digest=expected_digest)
    except IntegrityError:
        # A concurrent import created the same school or account between our plan and our
        # insert; everything of ours was rolled back, so staff can simply look again.
        raise ImportBlocked(import_run_plan(run=run), stale=True) from None


@transaction.atomic
def _commit(*, run: ImportRun, expected_digest: str | None) -> ImportResult:
    run = ImportRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    if run.status != ImportStatus.PREVIEW:
        raise ImportBlocked(import_run_plan(run=run), stale=True)
    plan = import_run_plan(run=run)
    if plan.has_errors:
        raise ImportBlocked(plan)
    if expected_digest is not None and expected_digest != plan.digest:
        raise ImportBlocked(plan, stale=True)
    if run.kind == ImportKind.COACHES:
        _commit_coaches(plan)
    else:
        _commit_schools(plan)
    counts = plan.counts
    run.status = ImportStatus.COMMITTED
    run.committed_at = timezone.now()
    run.counts = counts
    run.content = b""
    run.parsed = None
    run.save(update_fields=["status", "committed_at", "counts", "content", "parsed"])
    return ImportResult(run=run, counts=counts)


def _insert_rows(objects: list) -> None:
    """INSERT the objects with multi-row statements, without fetching their primary keys.

    On SQLite much less Python than ``bulk_create`` (which compiles every value into SQL)
    for thousands of rows; the caller reloads the keys it needs. Field defaults and ``auto_now_add`` go through ``pre_save`` as in a normal save.
    """
    if not objects:
        return
    if connection.vendor == "postgresql":
        # Django inserts through UNNEST there: one parameter per column, fastest as it is.
        type(objects[0]).objects.bulk_create(objects, batch_size=2000)
        return
    meta = objects[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # SQLite allows 32,766 parameters per statement.
    per_statement = max(1, min(BATCH, 30_000 // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_statement):
            batch = objects[start : start + per_statement]
            params = [
                f.get_db_prep_save(f.pre_save(obj, True), connection)
                for obj in batch
                for f in fields
            ]
            # Identifiers come from model metadata (quoted); every value is a parameter.
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join(  # noqa: S608
                [row_marks] * len(batch)
            )
            cursor.execute(sql, params)


def _update_rows(objects: list, fields: list[str]) -> None:
    """UPDATE each object's ``fields`` by primary key with one ``executemany``.

    Django's ``bulk_update`` builds a CASE expression per object and field, which takes
    seconds for thousands of schools; a prepared statement run many times takes a fraction.
    """
    if not objects or not fields:
        return
    meta = objects[0]._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in model_fields)
    # Identifiers come from model metadata (quoted); every value is a query parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _new_users(people: list[dict]) -> dict[str, User]:
    """Create accounts without a usable password (the invitation sets one)."""
    users = [
        User(
            email=p["email"],
            first_name=p["first_name"],
            last_name=p["last_name"],
            password=make_password(None),
        )
        for p in people
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    return {u.email: u for u in users}


def _fill_blank_names(people: list[dict]) -> None:
    """Existing accounts keep the names their owners typed; only empty names are filled."""
    changed = []
    for p in people:
        user = p["user"]
        if not user.first_name and not user.last_name:
            user.first_name, user.last_name = p["first_name"], p["last_name"]
            changed.append(user)
    User.objects.bulk_update(changed, ["first_name", "last_name"], batch_size=BATCH)


def _apply_changes(obj, changed, values: dict) -> set[str]:
    """Set the ``changed`` fields on ``obj`` from ``values`` (a new postcode brings its pc4);
    returns the names of the fields written."""
    written = set(changed)
    if "postcode" in written:
        written.add("pc4")
    for name in written:
        setattr(obj, name, values[name])
    return written


def _commit_schools(plan: Plan) -> None:
    program = plan.program
    now = timezone.now()
    rows = [r for r in plan.rows if r.status != RowStatus.UNCHANGED]
    new_schools: list[School] = []
    updated: list[School] = []
    fields: set[str] = set()
    for row in rows:
        values = row.data["values"]
        school = row.data["school"]
        if school is None:
            school = School(
                brin=row.data["brin"],
                vestiging=row.data["vestiging"],
                phase=values.get("phase", Phase.START),
                **{k: v for k, v in values.items() if k != "phase"},
            )
            new_schools.append(school)
            row.data["school"] = school
        elif row.data.get("changed"):
            fields |= _apply_changes(school, row.data["changed"], values)
            school.updated_at = now
            updated.append(school)
    _insert_rows(new_schools)
    if new_schools:
        brins = sorted({s.brin for s in new_schools})
        ids: dict[tuple[str, str], int] = {}
        for start in range(0, len(brins), BATCH):
            chunk = brins[start : start + BATCH]
            for pk, brin, vestiging in School.objects.filter(brin__in=chunk).values_list(
                "pk", "brin", "vestiging"
            ):
                ids[(brin, vestiging)] = pk
        for school in new_schools:
            school.pk = ids[(school.brin, school.vestiging)]
            school._state.adding = False
    # auto_now does not run here, hence updated_at set by hand above.
    _update_rows(updated, [*sorted(fields), "updated_at"])
    _insert_rows(
        [Enrollment(program=program, school=r.data["school"]) for r in rows if r.data["enroll"]]
    )

    leaders = [
        (row.data["leader"], row.data["school"])
        for row in rows
        if row.data["leader"] and row.data["leader"].get("action")
    ]
    invited = [leader for leader, _ in leaders if leader["action"] == "invite"]
    created = _new_users(invited)
    for leader in invited:
        leader["user"] = created[leader["email"]]
    _fill_blank_names([leader for leader, _ in leaders if leader["action"] != "invite"])
    new_roles = [
        (Role(user=leader["user"], program=program, kind=RoleKind.SCHOOLLEIDER), leader)
        for leader, _ in leaders
        if leader["action"] in ("invite", "add_role")
    ]
    Role.objects.bulk_create([role for role, _ in new_roles], batch_size=BATCH)
    for role, leader in new_roles:
        leader["role"] = role
    SchoolleiderProfile.objects.bulk_create(
        [SchoolleiderProfile(role=leader["role"], school=school) for leader, school in leaders],
        batch_size=BATCH,
    )
    for leader in invited:
        invitation_create(user=leader["user"], program=program)
    tell_existing_accounts(
        program=program,
        kind=RoleKind.SCHOOLLEIDER,
        users=[leader["user"] for leader, _ in leaders if leader["action"] == "add_role"],
    )


def tell_existing_accounts(*, program: ProgramYear, kind: str, users: list[User]) -> None:
    """An existing account that an import gave a role is told so, and may decline it."""

    if not users:
        return
    notify_many(
        "role_added",
        users,
        {
            "program": program,
            "role_label": RoleKind(kind).label,
            "program_url": reverse("program_home", args=[program.pk]),
            "decline_url": reverse("imports:role_decline", args=[program.pk]),
        },
        essential=True,
        program=program,
        dedupe_key=f"role_added:{program.pk}:{kind}",
    )


class DeclineRefused(Exception):
    """The role is already in use (a matching round, a pair): staff must end it first."""


#: What declining may remove: the role itself and what only describes it.
DECLINE_REMOVES = {
    Role,
    SchoolleiderProfile,
    ExpertcoachProfile,
    ExpertcoachProfile.regions.through,
}


@transaction.atomic
def role_decline(*, user: User, program: ProgramYear) -> int:
    """The person removes the schoolleider/expertcoach role an import gave them in
    ``program``; refused once anything else (a round, a pair) uses it. Returns roles removed."""

    roles = list(
        Role.objects.select_for_update().filter(
            user=user,
            program=program,
            kind__in=[RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH],
        )
    )
    if not roles:
        return 0
    collector = Collector(using=router.db_for_write(Role))
    try:
        collector.collect(roles)
    except ProtectedError:
        raise DeclineRefused from None
    if any(model not in DECLINE_REMOVES and objs for model, objs in collector.data.items()):
        raise DeclineRefused
    if any(qs.exists() for qs in collector.fast_deletes if qs.model not in DECLINE_REMOVES):
        raise DeclineRefused
    Role.objects.filter(pk__in=[r.pk for r in roles]).delete()
    return len(roles)


def _commit_coaches(plan: Plan) -> None:
    program = plan.program
    rows = [r for r in plan.rows if r.status != RowStatus.UNCHANGED]
    fresh = [r for r in rows if r.status == RowStatus.NEW]
    invited = [
        {"email": r.email, "first_name": r.data["first_name"], "last_name": r.data["last_name"]}
        for r in fresh
        if r.data["invite"]
    ]
    created = _new_users(invited)
    _fill_blank_names(
        [
            {
                "user": r.data["user"],
                "first_name": r.data["first_name"],
                "last_name": r.data["last_name"],
            }
            for r in fresh
            if not r.data["invite"]
        ]
    )
    for r in fresh:
        if r.data["invite"]:
            r.data["user"] = created[r.email]
    new_roles = [
        Role(user=r.data["user"], program=program, kind=RoleKind.EXPERTCOACH)
        for r in fresh
        if r.data["role"] is None
    ]
    Role.objects.bulk_create(new_roles, batch_size=BATCH)
    roles = {role.user_id: role for role in new_roles}
    profiles = []
    for r in fresh:
        role = r.data["role"] or roles[r.data["user"].pk]
        profile = ExpertcoachProfile(
            role=role,
            postcode=r.data["postcode"],
            pc4=r.data["pc4"],
            capacity=r.data["capacity"] or ExpertcoachProfile._meta.get_field("capacity").default,
            max_travel_km=r.data["max_travel_km"],
        )
        r.data["profile"] = profile
        profiles.append(profile)
    ExpertcoachProfile.objects.bulk_create(profiles, batch_size=BATCH)

    changed_profiles = []
    fields: set[str] = set()
    for r in rows:
        if r.status != RowStatus.UPDATED or not r.data.get("changed"):
            continue
        profile = r.data["profile"]
        fields |= _apply_changes(profile, r.data["changed"], r.data)
        changed_profiles.append(profile)
    _update_rows(changed_profiles, sorted(fields))

    through = ExpertcoachProfile.regions.through
    replace = [
        r.data["profile"]
        for r in rows
        if r.data["region_ids"] is not None
        and (r.status == RowStatus.NEW or r.data.get("regions_changed"))
    ]
    replace_ids = {p.pk for p in replace}
    through.objects.filter(expertcoachprofile_id__in=replace_ids).delete()
    through.objects.bulk_create(
        [
            through(expertcoachprofile_id=r.data["profile"].pk, region_id=region_id)
            for r in rows
            if r.data["profile"].pk in replace_ids
            for region_id in sorted(r.data["region_ids"])
        ],
        batch_size=BATCH,
    )
    for r in fresh:
        if r.data["invite"]:
            invitation_create(user=r.data["user"], program=program)
    tell_existing_accounts(
        program=program,
        kind=RoleKind.EXPERTCOACH,
        users=[r.data["user"] for r in fresh if not r.data["invite"] and r.data["role"] is None],
    )
