"""Plain factory functions for tests: explicit, no surprises."""

from __future__ import annotations

import datetime as dt
import itertools

from people.enums import MentorStatus, RoleKind
from people.models import (
    ExpertcoachProfile,
    MentorProfile,
    Role,
    SchoolleiderProfile,
    User,
)
from places.builtin import builtin_places
from programs.enums import Phase, ProgramKind, Sector
from programs.models import Enrollment, ProgramYear, Region, School

_seq = itertools.count(1)

# Real PC4s in different provinces (Utrecht, Amsterdam, Rotterdam, Den Haag, Eindhoven, Groningen).
PC4 = {
    "utrecht": ("3511", "Utrecht", "Utrecht"),
    "amsterdam": ("1012", "Amsterdam", "Noord-Holland"),
    "rotterdam": ("3011", "Rotterdam", "Zuid-Holland"),
    "denhaag": ("2511", "'s-Gravenhage", "Zuid-Holland"),
    "eindhoven": ("5611", "Eindhoven", "Noord-Brabant"),
    "groningen": ("9711", "Groningen", "Groningen"),
}


def make_user(
    email: str | None = None, *, password: str = "geheim-wachtwoord-123", **extra
) -> User:
    n = next(_seq)
    email = email or f"user{n}@example.org"
    extra.setdefault("first_name", f"Voornaam{n}")
    extra.setdefault("last_name", f"Achternaam{n}")
    user = User.objects.create_user(email=email, password=password, **extra)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_program(
    kind: str = ProgramKind.MENTOR_LEADER,
    school_year: str = "2026-2027",
    *,
    registration_open: bool = False,
    **extra,
) -> ProgramYear:
    start = int(school_year[:4])
    values = {
        "name": "Mentoring" if kind == ProgramKind.MENTOR_LEADER else "Expertcoaches",
        "kind": kind,
        "school_year": school_year,
        "registration_opens": dt.date(start, 9, 1),
        "registration_closes": dt.date(start, 10, 15),
        "webinar_start": dt.date(start, 10, 1),
        "webinar_end": dt.date(start, 10, 31),
        "matching_date": dt.date(start, 11, 10),
        "meetings_start": dt.date(start, 11, 15),
        "meetings_end": dt.date(start + 1, 3, 31),
    }
    if registration_open:
        from django.utils import timezone

        today = timezone.localdate()
        values["registration_opens"] = today - dt.timedelta(days=10)
        values["registration_closes"] = today + dt.timedelta(days=20)
    values.update(extra)
    return ProgramYear.objects.create(**values)


def make_school(
    *,
    city: str = "utrecht",
    sector: str = Sector.PO,
    phase: str = Phase.TRAINING,
    program: ProgramYear | None = None,
    **extra,
) -> School:
    n = next(_seq)
    pc4, place, province = PC4[city]
    school = School.objects.create(
        brin=extra.pop("brin", f"{n:02d}AB"[-4:]),
        vestiging=extra.pop("vestiging", "00"),
        name=extra.pop("name", f"Basisschool De Linde {n}"),
        sector=sector,
        postcode=f"{pc4} AB",
        pc4=pc4,
        place=place,
        municipality=extra.pop("municipality", builtin_places()[pc4].municipality),
        province=province,
        region=Region.objects.filter(name=province).first(),
        phase=phase,
        **extra,
    )
    if program is not None:
        Enrollment.objects.create(program=program, school=school)
    return school


def make_role(user: User, program: ProgramYear, kind: str) -> Role:
    return Role.objects.create(user=user, program=program, kind=kind)


def make_staff(program: ProgramYear, email: str | None = None) -> User:
    user = make_user(email)
    make_role(user, program, RoleKind.STAFF)
    return user


def make_mentor(
    program: ProgramYear,
    *,
    email: str | None = None,
    city: str = "utrecht",
    status: str = MentorStatus.APPROVED,
    max_travel_km: int | None = 40,
    online_only: bool = False,
    **extra,
) -> User:
    user = make_user(email)
    role = make_role(user, program, RoleKind.MENTOR)
    pc4 = PC4[city][0]
    MentorProfile.objects.create(
        role=role,
        organisation=extra.pop("organisation", "Bakkerij Verbeter BV"),
        job_title=extra.pop("job_title", "Teamleider productie"),
        methods=extra.pop("methods", ["lean"]),
        postcode=f"{pc4} CD",
        pc4=pc4,
        max_travel_km=None if online_only else max_travel_km,
        online_only=online_only,
        months_available=extra.pop("months_available", [11, 12, 1, 2, 3]),
        introduction=extra.pop("introduction", "Ik werk al tien jaar met Lean."),
        status=status,
        **extra,
    )
    return user


def make_schoolleider(
    program: ProgramYear,
    *,
    school: School | None = None,
    email: str | None = None,
    city: str = "utrecht",
) -> User:
    user = make_user(email)
    role = make_role(user, program, RoleKind.SCHOOLLEIDER)
    school = school or make_school(city=city, program=program)
    if not Enrollment.objects.filter(program=program, school=school).exists():
        Enrollment.objects.create(program=program, school=school)
    SchoolleiderProfile.objects.create(role=role, school=school)
    return user


def make_expertcoach(
    program: ProgramYear, *, email: str | None = None, city: str = "utrecht", capacity: int = 5
) -> User:
    user = make_user(email)
    role = make_role(user, program, RoleKind.EXPERTCOACH)
    pc4 = PC4[city][0]
    profile = ExpertcoachProfile.objects.create(
        role=role, postcode=f"{pc4} EF", pc4=pc4, capacity=capacity, max_travel_km=80
    )
    profile.regions.set(Region.objects.filter(name=PC4[city][2]))
    return user


def make_pair(
    program,
    mentor=None,
    schoolleider=None,
    *,
    city: str = "utrecht",
    status: str = "active",
    published_at: dt.datetime | None = None,
):
    """A published pair of ``mentor`` and ``schoolleider`` (new people in ``city`` when not
    given), at the schoolleider's school. The one pair factory of the tests."""
    from django.utils import timezone

    from mentoring.pairs.models import Pair

    mentor = mentor or make_mentor(program, city=city)
    schoolleider = schoolleider or make_schoolleider(program, city=city)
    leader_role = Role.objects.get(user=schoolleider, program=program, kind=RoleKind.SCHOOLLEIDER)
    return Pair.objects.create(
        program=program,
        mentor=Role.objects.get(user=mentor, program=program, kind=RoleKind.MENTOR),
        schoolleider=leader_role,
        school=SchoolleiderProfile.objects.get(role=leader_role).school,
        status=status,
        published_at=published_at or timezone.now(),
    )
