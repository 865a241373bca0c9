"""The demo's program years, schools and expertcoaches (``manage.py seed_demo``).

Brought in the way staff do it: the program year through its form, schools with their
schoolleiders and the expertcoaches through the import (which invites each new person).
A demo program year is one run by the demo staff account and by nobody from outside the
demo (``demo_program_years``); demo schools are the ones only demo program years use.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from mentoring.spreadsheets import csv_bytes
from people.demo import STAFF_EMAIL, Person, demo_accounts
from people.enums import RoleKind
from people.models import Role, User
from places.demo import Postcodes

from .enums import PROVINCES, Phase, ProgramKind, Sector
from .forms import ProgramYearForm
from .importing.columns import columns_for
from .importing.enums import ImportKind
from .importing.services import ImportBlocked, import_run_commit, import_run_create
from .models import Enrollment, ProgramYear, School

MENTORING_NAME = "Mentoring schoolleiders"
COACHING_NAME = "Expertcoaches"

PO_NAMES = [
    "De Regenboog",
    "Het Kompas",
    "De Wegwijzer",
    "'t Startblok",
    "De Fontein",
    "De Springplank",
    "Het Palet",
    "De Vlinder",
    "De Klimop",
    "De Zonnewijzer",
    "Het Anker",
    "De Sterrenkijker",
    "De Boomgaard",
    "De Horizon",
    "Het Mozaïek",
    "De Driesprong",
    "De Windroos",
    "Het Baken",
    "De Ontdekking",
    "De Toermalijn",
]
PO_PREFIX = [
    "Basisschool",
    "OBS",
    "CBS",
    "RKBS",
    "Daltonschool",
    "Montessorischool",
    "Jenaplanschool",
]
VO_NAMES = [
    "Stedelijk College",
    "Christelijk Lyceum",
    "Het Baarnsch Lyceum",
    "Scholengemeenschap",
    "Vakcollege",
    "Gymnasium",
    "Montessori Lyceum",
    "Technasium",
]
MBO_NAMES = ["ROC", "Vakschool", "Techniek College", "Zorgcollege"]
HBO_NAMES = ["Pabo", "Hogeschool Educatie"]
BRIN_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"


def school_year_of(day: dt.date) -> str:
    """The school year (August to July) a day falls in: 2026-2027 for 10 November 2026."""
    year = day.year if day.month >= 8 else day.year - 1
    return f"{year}-{year + 1}"


# --- Program years ---------------------------------------------------------------------------


def timelines(today: dt.date) -> tuple[dict, dict]:
    """The two program years' form data. The timeline follows today, so that on any day of
    the year each role sees a program in progress: the mentoring's matching four weeks ago,
    its meetings under way, the closing ahead; the expertcoaches matched 100 days ago."""
    match = today - dt.timedelta(days=28)
    mentoring = {
        "name": MENTORING_NAME,
        "kind": ProgramKind.MENTOR_LEADER,
        "school_year": school_year_of(match),
        "registration_opens": match - dt.timedelta(days=70),
        "registration_closes": match - dt.timedelta(days=26),
        "webinar_start": match - dt.timedelta(days=40),
        "webinar_end": match - dt.timedelta(days=10),
        "matching_date": match,
        "meetings_start": match + dt.timedelta(days=5),
        "meetings_end": match + dt.timedelta(days=141),
        "closing_date": match + dt.timedelta(days=148),
    }
    coach_match = today - dt.timedelta(days=100)
    coaching = {
        "name": COACHING_NAME,
        "kind": ProgramKind.COACH_SCHOOL,
        "school_year": school_year_of(coach_match),
        "registration_opens": coach_match - dt.timedelta(days=85),
        "registration_closes": coach_match - dt.timedelta(days=55),
        "webinar_start": coach_match + dt.timedelta(days=7),
        "webinar_end": coach_match + dt.timedelta(days=36),
        "matching_date": coach_match,
        "meetings_start": coach_match + dt.timedelta(days=7),
        "meetings_end": coach_match + dt.timedelta(days=310),
        "closing_date": coach_match + dt.timedelta(days=310),
    }
    return mentoring, coaching


def setup_day(today: dt.date) -> dt.date:
    """When staff set the demo's year up: a week before the first registration opens."""
    return min(t["registration_opens"] for t in timelines(today)) - dt.timedelta(days=7)


def program_years(*, today: dt.date) -> tuple[ProgramYear, ProgramYear]:
    """The mentoring and the expertcoach program year, through the program year form.

    Raises ValidationError when the form refuses one, e.g. because a real program year of
    the same kind and school year exists (there is one per kind and year).
    """
    created = []
    for data in timelines(today):
        form = ProgramYearForm(data=data)
        if not form.is_valid():
            raise ValidationError(
                f"{data['name']} {data['school_year']}: "
                + "; ".join(str(m) for messages in form.errors.values() for m in messages)
            )
        created.append(form.save())
    return created[0], created[1]


# --- Schools and expertcoaches, through the import -----------------------------------------


def school_rows(*, rng: random.Random, postcodes: Postcodes, count: int, latest_year: int):
    """``count`` schools over every province (four of each first), as import rows."""
    rows = []
    for i in range(count):
        province = PROVINCES[i % len(PROVINCES)] if i < 48 else None
        pc = postcodes.pick(province)
        sector = rng.choices(
            [Sector.PO, Sector.VO, Sector.MBO, Sector.HBO], weights=[70, 20, 7, 3]
        )[0]
        if sector == Sector.PO:
            name = f"{rng.choice(PO_PREFIX)} {rng.choice(PO_NAMES)}"
        elif sector == Sector.VO:
            name = f"{rng.choice(VO_NAMES)} {pc.place}"
        elif sector == Sector.MBO:
            name = f"{rng.choice(MBO_NAMES)} {pc.place}"
        else:
            name = f"{rng.choice(HBO_NAMES)} {pc.place}"
        letters = "".join(rng.choice(BRIN_LETTERS) for _ in range(2))
        rows.append(
            {
                "brin": f"{i // 100 + 10:02d}{letters}"[:4],
                "vestiging": f"{i % 100:02d}",
                "name": name,
                "sector": sector,
                "postcode": f"{pc.pc4} {letters}",
                "place": pc.place,
                "municipality": pc.municipality,
                "province": pc.province,
                "phase": rng.choice(Phase.values),
                "joined_year": min(rng.randint(2015, 2026), latest_year),
            }
        )
    _keep_clear_of_real_schools(rows)
    return rows


def _keep_clear_of_real_schools(rows: list[dict]) -> None:
    """A demo school never takes the BRIN code and vestiging of a school already there: the
    import would change that school, and ``--force`` could then not tell it from the demo's."""
    taken = set(
        School.objects.filter(brin__in={r["brin"] for r in rows}).values_list("brin", "vestiging")
    )
    if not taken:
        return
    taken |= set(School.objects.values_list("brin", "vestiging"))
    for row in rows:
        prefix = int(row["brin"][:2])
        while (row["brin"], row["vestiging"]) in taken:
            prefix = (prefix + 1) % 100
            row["brin"] = f"{prefix:02d}{row['brin'][2:]}"
        taken.add((row["brin"], row["vestiging"]))


def _import(*, program: ProgramYear, kind: str, rows: list[dict], by: User) -> None:
    columns = [c for c in columns_for(kind) if c.field in rows[0]] if rows else []
    content = csv_bytes(
        [c.header for c in columns], ([row[c.field] for c in columns] for row in rows)
    )
    run = import_run_create(
        program=program, kind=kind, content=content, file_name="demo.csv", user=by
    )
    try:
        import_run_commit(run=run)
    except ImportBlocked as blocked:
        problems = [f"line {r.line}: {'; '.join(r.errors)}" for r in blocked.plan.rows if r.errors]
        raise ValidationError(f"The demo import was refused: {problems[:5]}") from None


def import_schools(
    *, program: ProgramYear, schools: Sequence[dict], leaders: Sequence[Person], by: User
) -> list[School]:
    """Import ``schools`` into ``program``, each with its schoolleider (who is invited);
    returns the schools in the order given."""
    rows = [
        {
            **school,
            "leader_first_name": first,
            "leader_last_name": last,
            "leader_email": email,
        }
        for school, (email, first, last) in zip(schools, leaders, strict=True)
    ]
    _import(program=program, kind=ImportKind.SCHOOLS, rows=rows, by=by)
    found = {(s.brin, s.vestiging): s for s in School.objects.filter(enrollments__program=program)}
    return [found[(s["brin"], s["vestiging"])] for s in schools]


def import_coaches(
    *,
    program: ProgramYear,
    people: Sequence[Person],
    rng: random.Random,
    postcodes: Postcodes,
    by: User,
) -> None:
    """Import the expertcoaches (who are invited), one or more in every province's region."""
    rows = []
    for i, (email, first, last) in enumerate(people):
        province = PROVINCES[i % len(PROVINCES)]
        pc = postcodes.pick(province)
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": email,
                "postcode": f"{pc.pc4} AA",
                "capacity": rng.randint(8, 12),
                "max_travel_km": rng.choice([60, 80, 100]),
                # The regions are the provinces (the default regions).
                "regions": province,
            }
        )
    _import(program=program, kind=ImportKind.COACHES, rows=rows, by=by)


# --- Which data is the demo's ----------------------------------------------------------------


def demo_program_years() -> QuerySet[ProgramYear]:
    """Program years run by the demo staff account in which nobody outside the demo has a
    role: a real program year is never one of them (its people have real addresses)."""
    run_by_demo = Role.objects.filter(kind=RoleKind.STAFF, user__email=STAFF_EMAIL)
    outsiders = Role.objects.exclude(user__in=demo_accounts())
    return ProgramYear.objects.filter(pk__in=run_by_demo.values("program_id")).exclude(
        pk__in=outsiders.values("program_id")
    )


def delete(*, programs: Sequence[int]) -> tuple[int, int]:
    """Delete the program years ``programs`` (the demo's) with everything in them, and the
    schools only they use; returns (program years, schools) deleted. What the apps above
    protect (pairs, published rounds) must be gone first (``seed_demo`` sees to that)."""
    schools = set(
        School.objects.filter(enrollments__program_id__in=programs).values_list("pk", flat=True)
    ) - set(Enrollment.objects.exclude(program_id__in=programs).values_list("school_id", flat=True))
    ProgramYear.objects.filter(pk__in=programs).delete()
    # Still used elsewhere (a real enrollment or schoolleider): not the demo's to delete.
    left = School.objects.filter(
        pk__in=schools, enrollments__isnull=True, schoolleiders__isnull=True
    )
    deleted_schools = left.count()
    left.delete()
    return len(programs), deleted_schools
