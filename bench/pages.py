"""Every page at national size, served by gunicorn: p50 and p95 per page, and its queries.

    .venv/bin/python bench/pages.py                       # 10,000 pairs, 20 requests a page
    .venv/bin/python bench/pages.py --pairs 2000 --requests 10 --only staf/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --keep-db              # then, after a change:
    .venv/bin/python bench/pages.py --reuse bench_pages_<pid>   # the same data, measured again

1. Creates a throw-away PostgreSQL database on the server of ``DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/postgres``), migrates it and fills a national
   mentoring program with ``bulk_create`` (not timed): 10,000 active pairs and some ended
   ones (people waiting for a new match), 30,000 meetings, meeting records and feedback,
   webinar sessions with a registration for everyone, 50,000 outbox messages, a published
   round with two stored solutions of 10,000 proposed pairs, and a small second round
   solved for real (its "why" pages need the solver's snapshot); plus an expertcoach
   program of 550 schools.
2. Serves it with gunicorn on 127.0.0.1 (a free port, ``--workers`` sync workers) with the
   production settings (DEBUG off, MFA for staff) and ``bench/pages_settings.py``, which
   adds the ``X-Bench-Queries`` response header.
3. Signs in through the real login pages as program staff (password and a TOTP code),
   foundation staff (idem), a mentor, a schoolleider and an expertcoach.
4. Finds each role's pages by walking the URL configuration (as
   ``tests/test_access_matrix.py`` does), fills the URL's ids with that person's own
   objects, keeps what answers 200 to a GET, adds deep pages and filters of the big lists,
   warms every worker on each page (a concurrent round, not timed: app servers are
   long-lived) and sends each page ``--requests`` requests at ``--concurrency``.
5. Prints per page p50, p95 and the query count, then the pages over the target (p95 under
   100 ms), and drops the database.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.client
import itertools
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGET_MS = 100.0
PASSWORD = "bench-wachtwoord-2026"  # noqa: S105 - a throw-away database's accounts
LOGINS = {
    "staff": "staf@bench.example",
    "foundation": "stichting@bench.example",
    "mentor": "mentor@bench.example",
    "schoolleider": "schoolleider@bench.example",
    "expertcoach": "coach@bench.example",
}
#: Routes never requested: other apps' machinery, POST-only webhooks, static files, and
#: the one GET that joins a program (mentor sign-up continues into a role).
SKIP_ROUTES = ("admin/", "accounts/", "i18n/", "anymail/", "^(?P<path>", "mentor-worden/verder/")
DOWNLOAD = re.compile(r"(\.csv|\.xlsx|\.ics|\.pdf|\.json|export\.|sjabloon/)")


# --- The database -------------------------------------------------------------------------


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _database_url(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def _environment(database_url: str) -> dict[str, str]:
    """What the bench process and gunicorn both run with: production settings, DEBUG off."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-pages-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STAFF_REQUIRE_MFA": "true",
        "EMAIL_PROVIDER": "locmem",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "ERROR",  # a 403 or 404 while finding pages is expected, a 500 is not
        "PYTHONPATH": str(REPO),
    }


# --- The national program -------------------------------------------------------------------


@dataclass
class World:
    """What the pages need from the data: the programs and, per role, the values of the URL
    parameters that are that person's own (their pair, registration, ...)."""

    program: int
    coach_program: int
    totp: dict[str, str]
    fill: dict[str, dict[str, list]] = field(default_factory=dict)
    counts: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Finn", "Greet", "Hamza", "Iris", "Jan"]
FIRST += ["Kees", "Lotte", "Mehmet", "Noor", "Olaf", "Priya", "Rik", "Sanne", "Tim", "Yara"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
LAST += ["de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer"]
LAST += ["el Amrani", "Yilmaz", "van Dijk", "Kok", "Jacobs", "Willems", "Schouten", "Verhoef"]
SCHOOL_PREFIX = ["Basisschool", "OBS", "CBS", "RKBS", "Daltonschool", "Jenaplanschool"]
SCHOOL_NAMES = ["De Regenboog", "Het Kompas", "De Wegwijzer", "De Fontein", "Het Palet"]
SCHOOL_NAMES += ["De Vlinder", "De Klimop", "Het Anker", "De Horizon", "Het Baken"]
KINDS = {
    "match_published_mentor": "Uw schoolleider is bekend",
    "match_published_schoolleider": "Uw mentor is bekend",
    "meeting_proposed": "Tijden voorgesteld voor gesprek {n}",
    "meeting_accepted": "Gesprek {n} is gepland",
    "meeting_reminder": "Herinnering: gesprek {n} overmorgen",
    "meeting_nudge": "Plan uw gesprek {n}",
    "webinar_registered": "U bent aangemeld voor het webinar",
    "webinar_reminder": "Herinnering: webinar morgen",
    "mentor_approved": "U bent goedgekeurd als mentor",
    "staff_message": "Bericht van de programmastaf",
}
BODY = "Beste {name},\n\n" + ("Dit is de tekst van het bericht over het programma. " * 12)


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def build(n_pairs: int, seed: int, n_messages: int) -> World:
    """Fill the database (bulk_create; a few services where the rows are few)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from matching.enums import RoundSide, RoundStatus, RuleKind, UnmatchedReason
    from matching.models import MatchingRound, ProposedPair, RoundRule, Solution, UnmatchedEntry
    from mentoring.guides.enums import FeedbackKind
    from mentoring.guides.models import Action, Feedback, Guide, MeetingRecord
    from mentoring.guides.services import guides_seed
    from mentoring.meetings.enums import MeetingMode, MeetingStatus, SlotStatus
    from mentoring.meetings.models import CalendarFeed, Meeting, Slot
    from mentoring.pairs.enums import PairStatus
    from mentoring.pairs.models import CoachAssignment, Pair
    from notifications.enums import Status
    from notifications.models import Notification, SuppressedAddress
    from people.enums import MentorStatus, RoleKind
    from people.models import (
        ExpertcoachProfile,
        InterestSignup,
        MentorProfile,
        Role,
        SchoolleiderProfile,
        User,
    )
    from places.builtin import builtin_places
    from programs.demo import timelines
    from programs.enums import Phase, Sector
    from programs.models import Enrollment, ProgramYear, Region, School
    from webinars.enums import RegistrationStatus, SessionStatus
    from webinars.models import Registration, WebinarSession

    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    # The matching two months ago: meetings under way, meeting 1 past its due date.
    mentoring, coaching = timelines(today - dt.timedelta(days=35))
    program = ProgramYear.objects.create(**mentoring)
    coach_program = ProgramYear.objects.create(**coaching)
    match_at = dt.datetime.combine(program.matching_date, dt.time(10), tzinfo=tz)
    guides_seed(program=program)
    guides_seed(program=coach_program)
    versions = {g.number: g.published_version_id for g in Guide.objects.filter(program=program)}

    places = sorted(builtin_places().values(), key=lambda p: p.pc4)
    resolve = Region.resolver()
    region_of = {p.pc4: resolve(p.province, p.municipality) for p in places}

    n_ended, n_free_leaders, n_free_mentors, n_pending = 150, 300, 250, 400
    n_leaders = n_pairs + n_ended + n_free_leaders
    n_mentors = n_pairs + n_ended + n_free_mentors + n_pending
    n_coaches, n_coach_schools = 50, 550

    # Schools: one per schoolleider of the mentoring program.
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    schools = []
    for i in range(n_leaders):
        place = rng.choice(places)
        schools.append(
            School(
                brin=f"{(i // 100) % 100:02d}{letters[(i // 10000) % len(letters)]}X",
                vestiging=f"{i % 100:02d}",
                name=f"{rng.choice(SCHOOL_PREFIX)} {rng.choice(SCHOOL_NAMES)} {place.place}",
                sector=rng.choices([Sector.PO, Sector.VO, Sector.MBO], weights=[8, 3, 1])[0],
                street="Schoolstraat",
                house_number=str(1 + i % 200),
                postcode=f"{place.pc4} AB",
                pc4=place.pc4,
                place=place.place,
                municipality=place.municipality,
                province=place.province,
                region=region_of[place.pc4],
                phase=rng.choice(Phase.values),
            )
        )
    schools = School.objects.bulk_create(schools, batch_size=2000)
    Enrollment.objects.bulk_create(
        [Enrollment(program=program, school=s) for s in schools], batch_size=2000
    )
    coach_schools = schools[:n_coach_schools]
    Enrollment.objects.bulk_create(
        [Enrollment(program=coach_program, school=s) for s in coach_schools]
    )

    # People: everyone's password unusable but the five accounts that sign in.
    hashed = make_password(PASSWORD)
    specs: list[tuple[str, str]] = (
        [("mentor", f"mentor{i}@bench.example") for i in range(n_mentors)]
        + [("schoolleider", f"schoolleider{i}@bench.example") for i in range(n_leaders)]
        + [("coach", f"coach{i}@bench.example") for i in range(n_coaches)]
        + [("leider-c", f"leider.c{i}@bench.example") for i in range(n_coach_schools)]
        + [("staff", LOGINS["staff"]), ("foundation", LOGINS["foundation"])]
    )
    own = {
        "mentor0@bench.example": LOGINS["mentor"],
        "schoolleider0@bench.example": LOGINS["schoolleider"],
        "coach0@bench.example": LOGINS["expertcoach"],
    }
    users = []
    for _kind, email in specs:
        email = own.get(email, email)
        first, last = _name(rng)
        users.append(
            User(
                email=email,
                first_name=first,
                last_name=last,
                phone="06 1234 5678",
                password=hashed if email in LOGINS.values() else "!",
                is_staff=email == LOGINS["foundation"],
            )
        )
    users = User.objects.bulk_create(users, batch_size=2000)
    by_kind: dict[str, list[User]] = {}
    for (kind, _email), user in zip(specs, users, strict=True):
        by_kind.setdefault(kind, []).append(user)
    logins = {u.email: u for u in users if u.email in LOGINS.values()}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in logins.values()]
    )
    totp = {}
    for who in ("staff", "foundation"):
        secret = generate_totp_secret()
        TOTP.activate(logins[LOGINS[who]], secret)
        totp[who] = secret
    staff = logins[LOGINS["staff"]]

    def roles(people: Iterable[User], prog, kind: str) -> list[Role]:
        return Role.objects.bulk_create(
            [Role(user=u, program=prog, kind=kind) for u in people], batch_size=2000
        )

    mentor_roles = roles(by_kind["mentor"], program, RoleKind.MENTOR)
    leader_roles = roles(by_kind["schoolleider"], program, RoleKind.SCHOOLLEIDER)
    coach_roles = roles(by_kind["coach"], coach_program, RoleKind.EXPERTCOACH)
    c_leader_roles = roles(by_kind["leider-c"], coach_program, RoleKind.SCHOOLLEIDER)
    roles([staff], program, RoleKind.STAFF)
    roles([staff], coach_program, RoleKind.STAFF)

    profiles = []
    for i, role in enumerate(mentor_roles):
        place = rng.choice(places)
        pending = i >= n_mentors - n_pending
        profiles.append(
            MentorProfile(
                role=role,
                organisation=f"{rng.choice(LAST).split()[-1]} {rng.choice(['BV', 'Groep', 'Logistiek', 'Zorg'])}",
                job_title="Teamleider",
                methods=rng.sample(["lean", "agile", "scrum", "six_sigma"], 2),
                postcode=f"{place.pc4} CD",
                pc4=place.pc4,
                max_travel_km=rng.choice([15, 25, 40, 60]),
                months_available=list(range(1, 13)),
                introduction="Ik werk al jaren met continu verbeteren in mijn team.",
                status=MentorStatus.PENDING if pending else MentorStatus.APPROVED,
                submitted_at=match_at - dt.timedelta(days=rng.randint(30, 90)),
                reviewed_at=None if pending else match_at - dt.timedelta(days=20),
            )
        )
    MentorProfile.objects.bulk_create(profiles, batch_size=2000)
    SchoolleiderProfile.objects.bulk_create(
        [
            SchoolleiderProfile(role=r, school=s, job_title="Directeur", confirmed_at=match_at)
            for r, s in zip(leader_roles, schools, strict=True)
        ],
        batch_size=2000,
    )
    SchoolleiderProfile.objects.bulk_create(
        [
            SchoolleiderProfile(role=r, school=s, job_title="Directeur")
            for r, s in zip(c_leader_roles, coach_schools, strict=True)
        ]
    )
    coach_profiles = ExpertcoachProfile.objects.bulk_create(
        [
            ExpertcoachProfile(
                role=r, postcode=f"{schools[i].pc4} EF", pc4=schools[i].pc4, capacity=12
            )
            for i, r in enumerate(coach_roles)
        ]
    )
    regions = list(Region.objects.all())
    ExpertcoachProfile.regions.through.objects.bulk_create(
        [
            ExpertcoachProfile.regions.through(
                expertcoachprofile_id=p.pk, region_id=regions[i % len(regions)].pk
            )
            for i, p in enumerate(coach_profiles)
        ]
    )
    CoachAssignment.objects.bulk_create(
        [
            CoachAssignment(
                program=coach_program,
                coach=coach_roles[i % n_coaches],
                school=s,
                published_at=match_at - dt.timedelta(days=60),
                distance_km=rng.uniform(2, 60),
            )
            for i, s in enumerate(coach_schools)
        ]
    )

    # The published round: two stored solutions of every pair (the second published).
    rnd = MatchingRound.objects.create(
        program=program,
        name="Landelijke matchingronde",
        status=RoundStatus.PUBLISHED,
        created_by=staff,
        published_by=staff,
        published_at=match_at,
    )
    meta = {"kind": "mentor", "weights": rnd.weights}
    solutions = [
        Solution.objects.create(
            round=rnd,
            number=number,
            created_by=staff,
            snapshot_meta=meta,
            snapshot_data=b"",
            matched=n_pairs + n_ended,
            unmatched_rows=n_free_leaders,
            n_rows=n_leaders,
            n_cols=n_mentors - n_pending,
            total_cost=12.5 * n_pairs,
            backend="numba",
        )
        for number in (1, 2)
    ]
    rnd.published_solution = solutions[1]
    rnd.save(update_fields=["published_solution"])

    n_matched = n_pairs + n_ended
    proposed = []
    for sol in solutions:
        order = list(range(n_matched))
        if sol.number == 1:  # the first solve paired 5 % of the rows differently
            for a in range(0, n_matched - 1, 40):
                order[a], order[a + 1] = order[a + 1], order[a]
        for i in range(n_matched):
            j = order[i]
            km = rng.uniform(1, 45)
            proposed.append(
                ProposedPair(
                    solution=sol,
                    supporter=mentor_roles[j],
                    schoolleider=leader_roles[i],
                    school=schools[i],
                    row_index=i,
                    col_index=j,
                    distance_km=km,
                    cost_distance=km,
                    cost_region=rng.choice([0, 0, 0, 25]),
                    cost_sector=rng.choice([0, 0, 15]),
                    total=km + rng.uniform(0, 30),
                    locked=i < 20,
                    partner_rank=rng.randint(1, 12),
                )
            )
    ProposedPair.objects.bulk_create(proposed, batch_size=5000)
    reasons = [
        UnmatchedReason.NO_CANDIDATE,
        UnmatchedReason.ALL_FULL,
        UnmatchedReason.NOT_AVAILABLE,
    ]
    UnmatchedEntry.objects.bulk_create(
        [
            UnmatchedEntry(
                solution=sol,
                side=RoundSide.ROW,
                role=leader_roles[i],
                school=schools[i],
                index=i,
                reason=rng.choice(reasons),
            )
            for sol in solutions
            for i in range(n_matched, n_leaders)
        ]
        + [
            UnmatchedEntry(
                solution=sol,
                side=RoundSide.COL,
                role=mentor_roles[j],
                index=j,
                reason=UnmatchedReason.NOT_NEEDED,
            )
            for sol in solutions
            for j in range(n_matched, n_mentors - n_pending)
        ]
    )
    RoundRule.objects.bulk_create(
        [
            RoundRule(
                round=rnd,
                kind=RuleKind.LOCK if i < 20 else RuleKind.FORBID,
                supporter=mentor_roles[i],
                schoolleider=leader_roles[i if i < 20 else i + 1],
                school=schools[i if i < 20 else i + 1],
                created_by=staff,
            )
            for i in range(30)
        ]
    )

    # Pairs: the active ones, and ended ones whose people wait for a new match.
    pairs = []
    for i in range(n_matched):
        ended = i >= n_pairs
        ended_at = now - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23))
        pairs.append(
            Pair(
                program=program,
                mentor=mentor_roles[i],
                schoolleider=leader_roles[i],
                school=schools[i],
                status=PairStatus.ENDED if ended else PairStatus.ACTIVE,
                published_at=match_at,
                distance_km=proposed[n_matched + i].distance_km,
                round=rnd,
                first_contact_at=match_at + dt.timedelta(days=3) if rng.random() < 0.7 else None,
                ended_at=ended_at if ended else None,
                ended_side=rng.choice(["mentor", "schoolleider", "staff"]) if ended else "",
                rematch_requested=ended and rng.random() < 0.5,
                end_reason="Past niet in de agenda." if ended else "",
            )
        )
    pairs = Pair.objects.bulk_create(pairs, batch_size=2000)
    active = pairs[:n_pairs]

    # Meetings: 1 mostly held, 2 planned or proposed, 3 mostly still to plan.
    start = dt.datetime.combine(program.meetings_start, dt.time(9), tzinfo=tz)
    end = dt.datetime.combine(program.meetings_end, dt.time(9), tzinfo=tz)

    def moment(lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
        day = lo + dt.timedelta(days=rng.randint(0, max((hi - lo).days, 1)))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day.replace(hour=rng.choice([9, 10, 13, 14, 15]), minute=0)

    weights = {
        1: (
            [
                MeetingStatus.HELD,
                MeetingStatus.PLANNED,
                MeetingStatus.PROPOSED,
                MeetingStatus.UNPLANNED,
            ],
            [60, 15, 10, 15],
        ),
        2: (
            [
                MeetingStatus.HELD,
                MeetingStatus.PLANNED,
                MeetingStatus.PROPOSED,
                MeetingStatus.UNPLANNED,
            ],
            [10, 30, 10, 50],
        ),
        3: ([MeetingStatus.PLANNED, MeetingStatus.UNPLANNED], [5, 95]),
    }
    meetings, held = [], []
    for index, pair in enumerate(active):
        for n in (1, 2, 3):
            status = rng.choices(*weights[n])[0]
            if index == 0:  # the pair that signs in: 1 held, 2 proposed, 3 to plan
                status = {
                    1: MeetingStatus.HELD,
                    2: MeetingStatus.PROPOSED,
                    3: MeetingStatus.UNPLANNED,
                }[n]
            starts = None
            if status == MeetingStatus.HELD:
                starts = moment(start, now - dt.timedelta(days=2))
                held.append((pair, n, starts))
            elif status == MeetingStatus.PLANNED:
                starts = moment(now + dt.timedelta(days=1), end)
            meetings.append(
                Meeting(
                    pair=pair,
                    number=n,
                    status=status,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2) if starts else None,
                    mode=MeetingMode.SCHOOL if starts else "",
                    location=f"{pair.school.street} {pair.school.house_number}, {pair.school.place}"
                    if starts
                    else "",
                    planned_at=match_at + dt.timedelta(days=7) if starts else None,
                    suggested_starts_at=moment(start, end),
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=3000)
    proposed_meeting = meetings[1]  # pair 0, meeting 2
    slot_at = moment(now + dt.timedelta(days=5), end)
    slot = Slot.objects.create(
        meeting=proposed_meeting,
        proposed_by=active[0].mentor.user,
        starts_at=slot_at,
        ends_at=slot_at + dt.timedelta(hours=2),
        mode=MeetingMode.SCHOOL,
        location="Schoolstraat 1",
        status=SlotStatus.OPEN,
    )

    themes = ["overtuiging", "voorbeeldgedrag", "facilitering", "vaardigheden"]
    MeetingRecord.objects.bulk_create(
        [
            MeetingRecord(
                pair=pair,
                number=n,
                guide_version_id=versions[n],
                held_on=timezone.localtime(starts).date(),
                themes=rng.sample(themes, 2),
                action_count=rng.randint(0, 3),
                recorded_by_id=pair.mentor.user_id,
                recorded_at=starts + dt.timedelta(hours=3),
            )
            for pair, n, starts in held
        ],
        batch_size=3000,
    )
    actions = Action.objects.bulk_create(
        [
            Action(
                pair=pair,
                number=n,
                description="Bordsessie in het MT elke maandag om 8:15 houden",
                owner="schoolleider",
                due_on=today + dt.timedelta(days=14),
                created_by_id=pair.mentor.user_id,
            )
            for pair, n, _s in held[: len(held) // 3]
        ],
        batch_size=3000,
    )
    feedback = []
    for pair, n, _starts in held:
        for side, user_id in (
            ("mentor", pair.mentor.user_id),
            ("schoolleider", pair.schoolleider.user_id),
        ):
            if rng.random() < 0.7 and not (pair is active[0] and side == "schoolleider"):
                feedback.append(
                    Feedback(
                        program=program,
                        kind=FeedbackKind.MEETING,
                        key=f"m:{pair.pk}:{n}:{side}",
                        pair=pair,
                        school_id=pair.school_id,
                        number=n,
                        side=side,
                        region_id=pair.school.region_id,
                        respondent_id=user_id,
                        usefulness=rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 4])[0],
                        helped="De vragen uit het handvat gaven richting.",
                        better="Meer tijd voor concrete afspraken.",
                        share_name=rng.random() < 0.5,
                    )
                )
    Feedback.objects.bulk_create(feedback, batch_size=3000)

    # Webinars (all past): a confirmed place for every mentor and schoolleider.
    w_start = dt.datetime.combine(program.webinar_start, dt.time(16), tzinfo=tz)
    sessions = WebinarSession.objects.bulk_create(
        [
            WebinarSession(
                program=program,
                title=f"Kennismakingswebinar {k + 1}",
                description="Wat het programma is en hoe de gesprekken gaan.",
                starts_at=w_start + dt.timedelta(days=k % 25, hours=(k // 25) * 3),
                duration_minutes=60,
                ends_at=w_start + dt.timedelta(days=k % 25, hours=(k // 25) * 3 + 1),
                meeting_url="https://meet.example.org/webinar",
                capacity=700,
                host=staff,
                open_to_schoolleiders=True,
                status=SessionStatus.SCHEDULED,
                attendance_recorded_at=now - dt.timedelta(days=20),
            )
            for k in range(40)
        ]
    )
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                session=sessions[i % len(sessions)],
                program=program,
                role=role,
                user_id=role.user_id,
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=w_start - dt.timedelta(days=3),
                attended=rng.random() < 0.9,
            )
            for i, role in enumerate(mentor_roles[: n_mentors - n_pending] + leader_roles)
        ],
        batch_size=3000,
    )

    # The outbox: 50,000 messages of the program, mostly sent.
    people = by_kind["mentor"] + by_kind["schoolleider"]
    statuses = [Status.DELIVERED, Status.SENT, Status.FAILED, Status.QUEUED, Status.RETRY]
    statuses += [Status.UNKNOWN, Status.BOUNCED, Status.SKIPPED]
    kinds = list(KINDS)
    rows = []
    for k in range(n_messages):
        user = people[0] if k % 500 == 0 else rng.choice(people)
        kind = kinds[k % len(kinds)]
        state = rng.choices(statuses, weights=[70, 20, 3, 2, 1, 1, 2, 1])[0]
        created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 90))
        rows.append(
            Notification(
                kind=kind,
                recipient=user,
                to_email=user.email,
                program=program,
                subject=KINDS[kind].format(n=1 + k % 3),
                body_text=BODY.format(name=user.first_name),
                body_html="<p>" + BODY.format(name=user.first_name) + "</p>",
                status=state,
                attempts=8 if state == Status.FAILED else (1 if state != Status.QUEUED else 0),
                last_error="ConnectionError: ESP down" if state == Status.FAILED else "",
                created_at=created,
                next_attempt_at=created,
                sent_at=created + dt.timedelta(seconds=30)
                if state in (Status.SENT, Status.DELIVERED)
                else None,
            )
        )
    notifications = Notification.objects.bulk_create(rows, batch_size=5000)
    SuppressedAddress.objects.bulk_create(
        [SuppressedAddress(email=u.email, reason="bounced") for u in people[100:160]],
        ignore_conflicts=True,
    )
    InterestSignup.objects.bulk_create(
        [
            InterestSignup(name=f"Belangstellende {i}", email=f"interesse{i}@bench.example")
            for i in range(500)
        ]
    )
    staff_feed = CalendarFeed.objects.create(user=staff)
    staff_feed.followed_programs.add(program)
    mentor_feed = CalendarFeed.objects.create(user=active[0].mentor.user)

    # A late round over the free people, solved for real (its "why" pages read the snapshot).
    world = World(program=program.pk, coach_program=coach_program.pk, totp=totp)
    late = MatchingRound.objects.create(
        program=program, name="Na-ronde", status=RoundStatus.SOLVING, created_by=staff
    )
    from matching import solving

    started = time.perf_counter()
    try:
        solved = solving.round_solve(round_id=late.pk, user_id=staff.pk)
    except Exception as exc:  # the solver is someone else's work in progress: go on without
        solved = None
        world.notes.append(f"the late round was not solved ({exc!r}): no 'why' pages")
    else:
        late.refresh_from_db()
        if solved is None:
            world.notes.append(f"the late round was not solved ({late.error}): no 'why' pages")
    world.counts["late round solve (s)"] = round(time.perf_counter() - started, 1)

    from mentoring.pairs.selectors import waiting_for_rematch
    from programs.importing.views import TEMPLATE_FILES

    waiting = waiting_for_rematch(program)
    waiting_mentor = waiting.filter(kind=RoleKind.MENTOR).first()
    waiting_leader = waiting.filter(kind=RoleKind.SCHOOLLEIDER).first()
    failed = next(n for n in notifications if n.status == Status.FAILED)
    pending_profile = MentorProfile.objects.filter(
        role__program=program, status=MentorStatus.PENDING
    ).first()
    guide = Guide.objects.filter(program=program).order_by("number").first()
    assert guide is not None, "guides_seed gives the mentoring program its guides"
    coach_guide = Guide.objects.filter(program=coach_program).order_by("number").first()
    pair0 = active[0]
    reg_of = {r.role_id: r for r in registrations}
    members: dict[str, list] = {
        "pair_id": [pair0.pk],
        "number": [1, 2],
        "slot_id": [slot.pk],
        "guide_id": [guide.pk],
    }
    members["action_id"] = [next(a.pk for a in actions if a.pair_id == pair0.pk)]
    members["session_id"] = [sessions[5].pk]
    members["fmt"] = ["csv", "xlsx"]
    world.fill = {
        "staff": {
            "program_id": [program.pk],
            "profile_id": [pending_profile.pk] if pending_profile else [],
            "school_id": [schools[0].pk],
            "round_id": [rnd.pk],
            "why:round_id": [late.pk] if solved else [],
            "side": ["row", "col"],
            "index": [0],
            "rematch:side": ["mentor", "schoolleider"],
            "role_id": [r.pk for r in (waiting_mentor, waiting_leader) if r is not None],
            "fmt": ["csv", "xlsx"],
            "pair_id": [pair0.pk],
            "number": [1],
            "guide_id": [guide.pk],
            "session_id": [sessions[0].pk],
            "pk": [failed.pk],
            "filename": [next(iter(TEMPLATE_FILES))],
            "token": [staff_feed.token],
        },
        "mentor": {
            **members,
            "program_id": [program.pk],
            "registration_id": [reg_of[pair0.mentor_id].pk],
            "token": [mentor_feed.token],
        },
        "schoolleider": {
            **members,
            "program_id": [program.pk],
            "registration_id": [reg_of[pair0.schoolleider_id].pk],
        },
        "expertcoach": {
            "program_id": [coach_program.pk],
            "fmt": ["csv", "xlsx"],
            "guide_id": [coach_guide.pk] if coach_guide else [],
        },
        "foundation": {"pk": [failed.pk]},
    }
    world.counts.update(
        {
            "active pairs": n_pairs,
            "ended pairs": n_ended,
            "meetings": len(meetings),
            "meeting records": len(held),
            "feedback": len(feedback),
            "webinar registrations": len(registrations),
            "outbox messages": len(notifications),
            "proposed pairs (2 solutions)": len(proposed),
            "coach assignments": n_coach_schools,
        }
    )
    return world


# --- HTTP ------------------------------------------------------------------------------------


class Browser:
    """A minimal client with a cookie jar (one connection per request, as sync gunicorn)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes, float]:
        headers = {"Host": "127.0.0.1", "Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers.items()), content, elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]):
        return self.request(
            "POST", path, {**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(port: int, email: str, totp_secret: str | None) -> Browser:
    """Through the login page (and the two-factor page for staff), as a person does."""
    browser = Browser(port)
    browser.get("/accounts/login/")
    status, headers, _body, _ms = browser.post(
        "/accounts/login/", {"login": email, "password": PASSWORD}
    )
    location = headers.get("Location", "")
    if status != 302:
        raise RuntimeError(f"login of {email}: {status}")
    if "/2fa/authenticate/" in location:
        if totp_secret is None:
            raise RuntimeError(f"{email} was asked for a second factor")
        browser.get(location)
        status, headers, _body, _ms = browser.post(location, {"code": _totp_code(totp_secret)})
        if status != 302 or "2fa" in headers.get("Location", ""):
            raise RuntimeError(f"two-factor login of {email}: {status}")
    if browser.get("/")[0] not in (200, 302):
        raise RuntimeError(f"{email} is not signed in")
    return browser


# --- Pages -------------------------------------------------------------------------------------


def routes() -> list[tuple[str, object]]:
    """Every URL pattern (route, callback), as tests/test_access_matrix.py walks them."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    return [(r, cb) for r, cb in walk(get_resolver().url_patterns) if not r.startswith(SKIP_ROUTES)]


def candidates(route: str, fill: dict[str, list]) -> list[str] | None:
    """The URLs of ``route`` with this person's values (every combination), or None when a
    parameter has no value for them."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = []
    for name in names:
        special = (
            f"why:{name}"
            if "/waarom/" in route
            else f"rematch:{name}"
            if "herkoppelen/" in route
            else ""
        )
        options = fill.get(special) if special in fill else fill.get(name)
        if not options:
            return None
        values.append(options)
    urls = []
    for combo in itertools.product(*values):
        url = route
        for value in combo:
            url = re.sub(r"<(?:\w+:)?\w+>", str(value), url, count=1)
        urls.append("/" + url)
    return urls


#: Deep pages, filters and sorts of the big staff lists: (path pattern, query strings).
VARIANTS = [
    (r"/staf/koppels/$", ["page=200", "q=jan&sorteer=mentor", "regio={region}&sorteer=-afstand"]),
    (r"^/programma/\d+/gesprekken/$", ["laat=1", "page=200", "q=de&sorteer=schoolleider"]),
    (r"/staf/mentoren/$", ["status=approved", "status=approved&page=200", "q=bakker&sorteer=naam"]),
    (r"/staf/scholen/$", ["page=200", "q=regenboog&sorteer=plaats"]),
    (
        r"/staf/berichten/$",
        ["status=all", "status=all&page=1000", "status=sent&q=jan", "status=pending"],
    ),
    (r"/staf/herkoppelen/$", ["rol=mentor&sorteer=naam", "q=de"]),
    (r"/staf/matching/\d+/koppels/$", ["page=200", "sorteer=-kosten&q=jan", "vast=1"]),
    (r"/niet-gekoppeld/$", ["zijde=col", "reden=no_candidate&sorteer=naam"]),
    (r"/staf/rapport/koppels/$", ["page=200", "status=ended"]),
    (r"/staf/feedback/$", ["page=100"]),
]


@dataclass
class Result:
    role: str
    path: str
    status: int
    queries: str
    kilobytes: float
    timings: list[float]
    alone: float  # median of requests sent one at a time: the page's own cost, no queueing

    @property
    def p50(self) -> float:
        return percentile(self.timings, 50)

    @property
    def p95(self) -> float:
        return percentile(self.timings, 95)

    @property
    def download(self) -> bool:
        return bool(DOWNLOAD.search(self.path))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 20 requests is the 19th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def discover(browser: Browser, role: str, world: World, only: str) -> list[str]:
    """The pages this person can open: every route allowed to them (or without a role
    check) with their own ids, answering 200 to a GET; plus the list variants."""
    from programs.models import Region

    fill = world.fill[role]
    program_id = world.coach_program if role == "expertcoach" else world.program
    pages: list[str] = []
    for route, callback in routes():
        allowed = getattr(callback, "allowed_roles", None)
        if "<int:program_id>" in route:
            if role == "foundation":
                continue  # foundation staff: the pages outside a program (staff measure those)
            kind = {"staff": "staff", "expertcoach": "expertcoach"}.get(role, role)
            if allowed is not None and kind not in {str(a) for a in allowed}:
                continue
        urls = candidates(route, {**fill, "program_id": [program_id]})
        for url in urls or []:
            if only and only not in url:
                continue
            status = browser.get(url)[0]
            if status == 200:
                pages.append(url)
    region = Region.objects.order_by("pk").values_list("pk", flat=True).first()
    extra = []
    for url in pages:
        for pattern, queries in VARIANTS:
            if re.search(pattern, url):
                for query in queries:
                    variant = f"{url}?{query.format(region=region)}"
                    if browser.get(variant)[0] == 200:
                        extra.append(variant)
    return sorted(set(pages + extra))


def measure(browser: Browser, role: str, url: str, requests: int, concurrency: int) -> Result:
    status, headers, body, _ms = browser.get(url)  # warm (and the query count)
    alone = statistics.median(browser.get(url)[3] for _ in range(3))
    timings: list[float] = []
    lock = threading.Lock()

    def one(_i: int) -> None:
        clone = Browser(browser.port)
        clone.cookies = dict(browser.cookies)
        code, _h, _b, ms = clone.get(url)
        with lock:
            timings.append(ms if code == status else float("inf"))

    # Steady state, as long-lived app servers are: every gunicorn worker has served the page
    # (compiled its templates, filled its caches) before the timed requests. Sequential
    # requests mostly land on one worker, so warm with a concurrent round first.
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(2 * concurrency)))
    timings.clear()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(requests)))
    return Result(
        role, url, status, headers.get("X-Bench-Queries", "?"), len(body) / 1024, timings, alone
    )


# --- Run ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mentoring.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--chdir",
            str(REPO),
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            if Browser(port).get("/toegankelijkheid/")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer")


def report(results: list[Result], requests: int, concurrency: int) -> None:
    width = max(len(r.path) for r in results) if results else 10
    print(
        f"\n{'role':<13} {'page':<{width}} {'p50':>7} {'p95':>7} {'alone':>7} {'queries':>7} "
        f"{'KB':>6}"
    )
    for r in results:
        mark = "  download" if r.download else ""
        flag = " !" if r.p95 >= TARGET_MS else ""
        print(
            f"{r.role:<13} {r.path:<{width}} {r.p50:7.1f} {r.p95:7.1f} {r.alone:7.1f} "
            f"{r.queries:>7} {r.kilobytes:6.0f}{mark}{flag}"
        )
    slow = [r for r in results if r.p95 >= TARGET_MS]
    pages = [r for r in results if not r.download]
    print(
        f"\n{len(results)} pages ({len(pages)} HTML, {len(results) - len(pages)} downloads), "
        f"{requests} requests each at concurrency {concurrency}; times in ms; 'alone' is the "
        "median of 3 requests sent one at a time."
    )
    print(
        "Load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"Over the target (p95 >= {TARGET_MS:.0f} ms): {len(slow)}")
    for r in sorted(slow, key=lambda r: -r.p95):
        kind = "download" if r.download else "page"
        print(
            f"  {r.p95:8.1f} ms (alone {r.alone:7.1f})  {r.queries:>4} queries  {r.role:<12} "
            f"{r.path}  ({kind})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="only pages whose path contains this")
    parser.add_argument("--keep-db", action="store_true", help="leave the database behind")
    parser.add_argument(
        "--reuse",
        default="",
        metavar="NAME",
        help="measure a database an earlier --keep-db run left behind (migrated again, not rebuilt)",
    )
    args = parser.parse_args()

    server = _server_url()
    name = args.reuse or f"bench_pages_{os.getpid()}"
    database_url = _database_url(server, name)
    env = _environment(database_url)
    os.environ.update(env)
    world_file = Path(tempfile.gettempdir()) / f"{name}.json"
    if not args.reuse:
        _admin(server, f'CREATE DATABASE "{name}"')
    keep = args.keep_db or bool(args.reuse)
    process = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"database {name}: migrated in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        if args.reuse:
            world = World(**json.loads(world_file.read_text()))
        else:
            world = build(args.pairs, args.seed, args.messages)
            world_file.write_text(json.dumps(dataclasses.asdict(world), default=str))
        with connection.cursor() as cursor:  # the steady state autovacuum keeps
            cursor.execute("VACUUM ANALYZE")
        print(f"built in {time.perf_counter() - started:.0f} s (not timed):")
        for label, value in world.counts.items():
            print(f"  {label:<30} {value:>8}")
        for note in world.notes:
            print(f"  note: {note}")
        connection.close()

        process, port = serve(env, args.workers)
        print(f"gunicorn: 127.0.0.1:{port}, {args.workers} workers, DEBUG off")
        print(f"CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
        browsers = {
            role: sign_in(port, LOGINS[role], world.totp.get(role))
            for role in ("staff", "foundation", "mentor", "schoolleider", "expertcoach")
        }
        results: list[Result] = []
        for role, browser in browsers.items():
            pages = discover(browser, role, world, args.only)
            print(f"{role}: {len(pages)} pages")
            for url in pages:
                results.append(measure(browser, role, url, args.requests, args.concurrency))
        report(results, args.requests, args.concurrency)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if keep:
            print(f"kept database {name} ({database_url}); measure it again with --reuse {name}")
        else:
            world_file.unlink(missing_ok=True)
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped database {name}")


if __name__ == "__main__":
    main()
