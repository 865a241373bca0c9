"""Publishing a national round, timed: pairs, their meetings with suggested plans, the emails.

Run:  .venv/bin/python bench/publishing.py [--pairs 10000] [--solve] [--keep] [--tracemalloc]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring .venv/bin/python bench/publishing.py

Runs on PostgreSQL: on the server of ``DATABASE_URL`` when one is given, else on
127.0.0.1:5432 (user postgres), always in a throw-away database ``bench_publishing`` that is
created and migrated (not timed) and dropped afterwards (``--keep`` keeps it). Settings are
the test settings with the production task backend (django-tasks' database backend), so the
delivery tasks queued on commit are rows too, and nothing is sent.

Not timed: a program year with N schoolleiders (each at their own school on a real PC4) and
N mentors, a few webinars in the meeting window that some of them registered for, a solved
round of N pairs (mentor i with schoolleider i, written the way ``matching.solving`` stores a
solver result; ``--solve`` runs the real solve instead, which pairs as many as the travel
limits allow).
Timed: ``matching.services.round_publish`` exactly as the staff page calls it (one
transaction, commit included). Prints pairs, meetings, suggested plans, emails queued,
queries, seconds and peak memory. Target: 10,000 pairs in < 30 s.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import math
import os
import pstats
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ.setdefault("EMAIL_PROVIDER", "locmem")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings_test")
DB_NAME = "bench_publishing"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def program_dates(today: dt.date) -> dict:
    """The program year whose meeting window (15 Nov - 31 Mar) is open or next."""
    start = today.year - 1 if today <= dt.date(today.year, 2, 28) else today.year
    return {
        "school_year": f"{start}-{start + 1}",
        "registration_opens": dt.date(start, 9, 1),
        "registration_closes": dt.date(start, 10, 15),
        "webinar_start": dt.date(start, 10, 1),
        "webinar_end": dt.date(start, 10, 31),
        "matching_date": dt.date(start, 11, 10),
        "meetings_start": dt.date(start, 11, 15),
        "meetings_end": dt.date(start + 1, 3, 31),
    }


def fill(n: int, seed: int):
    """The program, its people and a few webinars, with bulk inserts (not timed)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from people.enums import MentorStatus, RoleKind
    from people.models import MentorProfile, Role, SchoolleiderProfile, User
    from places.models import Postcode
    from programs.enums import Phase, ProgramKind, Sector
    from programs.models import Enrollment, ProgramYear, Region, School
    from webinars.enums import RegistrationStatus
    from webinars.models import Registration, WebinarSession

    rng = random.Random(seed)
    dates = program_dates(timezone.localdate())
    program = ProgramYear.objects.create(
        name="Mentoring (bench)", kind=ProgramKind.MENTOR_LEADER, **dates
    )
    postcodes = list(Postcode.objects.values_list("pc4", "province", "municipality", "place"))
    by_province: dict[str, list] = {}
    for row in postcodes:
        by_province.setdefault(row[1], []).append(row)
    resolve = Region.resolver()
    password = make_password(None)
    staff = User.objects.create(email="staf@bench.example", password=password)
    Role.objects.create(user=staff, program=program, kind=RoleKind.STAFF)

    def person(email: str, first: str, last: str) -> User:
        english = rng.random() < 0.05
        return User(
            email=email,
            first_name=first,
            last_name=last,
            password=password,
            language="en" if english else "nl",
        )

    User.objects.bulk_create(
        [person(f"sl{i}@school.example", "School", f"Leider {i}") for i in range(n)]
        + [person(f"m{i}@bedrijf.example", "Bedrijfs", f"Mentor {i}") for i in range(n)],
        batch_size=2000,
    )
    users = list(User.objects.exclude(pk=staff.pk).order_by("pk"))
    leader_users, mentor_users = users[:n], users[n:]
    schools, places = [], []
    for i in range(n):
        pc4, province, municipality, place = rng.choice(postcodes)
        places.append((pc4, province))
        schools.append(
            School(
                brin=f"{i % 10000:04d}",
                vestiging=f"{i // 10000:02d}",
                name=f"School {i}",
                sector=rng.choice(Sector.values),
                postcode=f"{pc4} AA",
                pc4=pc4,
                street="Schoolstraat",
                house_number=str(1 + i % 200),
                place=place,
                municipality=municipality,
                province=province,
                region=resolve(province, municipality),
                phase=rng.choice(Phase.values),
            )
        )
    School.objects.bulk_create(schools, batch_size=2000)
    schools = list(School.objects.order_by("pk"))
    Enrollment.objects.bulk_create(
        [Enrollment(program=program, school=s) for s in schools], batch_size=2000
    )
    Role.objects.bulk_create(
        [Role(user=u, program=program, kind=RoleKind.SCHOOLLEIDER) for u in leader_users]
        + [Role(user=u, program=program, kind=RoleKind.MENTOR) for u in mentor_users],
        batch_size=2000,
    )
    roles = {r.user_id: r for r in Role.objects.filter(program=program)}
    SchoolleiderProfile.objects.bulk_create(
        [
            SchoolleiderProfile(role=roles[u.pk], school=s)
            for u, s in zip(leader_users, schools, strict=True)
        ],
        batch_size=2000,
    )
    methods = ["lean", "agile", "kaizen", "six_sigma", "other"]
    mentor_pc4 = []
    profiles = []
    for i, u in enumerate(mentor_users):
        # In the province of "their" schoolleider: the stored pairs are plausible ones.
        pc4 = rng.choice(by_province[places[i][1]])[0]
        mentor_pc4.append(pc4)
        profiles.append(
            MentorProfile(
                role=roles[u.pk],
                organisation=f"Bedrijf {i}",
                job_title="Teamleider",
                methods=rng.sample(methods, rng.randint(1, 2)),
                postcode=f"{pc4} BB",
                pc4=pc4,
                max_travel_km=rng.choice([30, 40, 60, 80]),
                sector_preference=rng.sample(Sector.values, rng.randint(0, 2)),
                months_available=[11, 12, 1, 2, 3],
                introduction="Ik werk al tien jaar met Lean." if i % 3 else "",
                status=MentorStatus.APPROVED,
            )
        )
    MentorProfile.objects.bulk_create(profiles, batch_size=2000)
    # Webinars in the meeting window at the suggested hour, a tenth of everyone in one:
    # the suggested plans must step around them.
    first = max(program.meetings_start, timezone.localdate()) + dt.timedelta(days=2)
    sessions = []
    for k in range(4):
        day = first + dt.timedelta(days=7 * k)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(15, 0), tzinfo=timezone.get_default_timezone())
        sessions.append(
            WebinarSession.objects.create(
                program=program,
                title=f"Terugkomwebinar {k + 1}",
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=90),
                meeting_url="https://webinar.example/terugkom",
                capacity=n,
                open_to_schoolleiders=True,
            )
        )
    registrations = [
        Registration(
            session=sessions[i % len(sessions)],
            program=program,
            role=roles[u.pk],
            user=u,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for i, u in enumerate(users)
        if i % 10 == 0
    ]
    Registration.objects.bulk_create(registrations, batch_size=2000)
    coords = {
        pc4: (lat, lon) for pc4, lat, lon in Postcode.objects.values_list("pc4", "lat", "lon")
    }
    return program, staff, leader_users, mentor_users, roles, schools, mentor_pc4, coords


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def stored_round(program, staff, leader_users, mentor_users, roles, schools, mentor_pc4, coords):
    """A solved round whose solution pairs mentor i with schoolleider i, written the way
    ``matching.solving`` stores a result (a Solution and its ProposedPair rows): publishing
    reads nothing else."""
    from matching.enums import RoundStatus
    from matching.models import MatchingRound, ProposedPair, Solution

    rnd = MatchingRound.objects.create(
        program=program, name="Landelijke ronde", created_by=staff, status=RoundStatus.SOLVED
    )
    n = len(leader_users)
    solution = Solution.objects.create(
        round=rnd,
        number=1,
        created_by=staff,
        snapshot_data=b"",
        matched=n,
        n_rows=n,
        n_cols=n,
        backend="stored by bench/publishing.py",
    )
    ProposedPair.objects.bulk_create(
        [
            ProposedPair(
                solution=solution,
                supporter=roles[m.pk],
                schoolleider=roles[u.pk],
                school=s,
                row_index=i,
                col_index=i,
                distance_km=round(km(coords[s.pc4], coords[mentor_pc4[i]]), 3),
            )
            for i, (u, m, s) in enumerate(zip(leader_users, mentor_users, schools, strict=True))
        ],
        batch_size=2000,
    )
    return rnd, solution


def solved_round(program, staff):
    """The real solve, as the background task runs it."""
    from matching import solving
    from matching.enums import RoundStatus
    from matching.models import MatchingRound

    rnd = MatchingRound.objects.create(
        program=program, name="Landelijke ronde", created_by=staff, status=RoundStatus.SOLVING
    )
    t = time.perf_counter()
    solution = solving.round_solve(round_id=rnd.pk, user_id=staff.pk)
    rnd.refresh_from_db()
    assert solution is not None, rnd.error
    print(f"solve (not timed):         {time.perf_counter() - t:7.2f} s, {solution.matched} pairs")
    return rnd, solution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--solve", action="store_true", help="run the real solve (slow)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME}")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="trace Python allocations during the publish (slower; the time is then not the figure)",
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 25")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    connection.settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    t = time.perf_counter()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database:                  {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"migrate (not timed):       {time.perf_counter() - t:7.2f} s")
    try:
        run(args)
    finally:
        if args.keep:
            print(f"database {DB_NAME} kept")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from django.db import connection
    from django.db.models import Count, Q
    from django_tasks_db.models import DBTaskResult

    from matching import services
    from mentoring.meetings.models import Meeting
    from mentoring.pairs.models import Pair
    from notifications.models import Notification

    t = time.perf_counter()
    program, staff, *people = fill(args.pairs, args.seed)
    print(f"fill (not timed):          {time.perf_counter() - t:7.2f} s")
    if args.solve:
        rnd, solution = solved_round(program, staff)
    else:
        rnd, solution = stored_round(program, staff, *people)

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    rss_before = rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    profiler = cProfile.Profile() if args.profile else None
    with connection.execute_wrapper(count):
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        published = services.round_publish(rnd=rnd, solution=solution, user=staff)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - t0
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    tracemalloc.stop()
    rss_after = rss_mb()

    pairs = Pair.objects.filter(round=rnd)
    meetings = Meeting.objects.filter(pair__round=rnd)
    per_pair = pairs.annotate(
        suggested=Count("meetings", filter=Q(meetings__suggested_starts_at__isnull=False))
    ).values_list("suggested", flat=True)
    full_plans = sum(1 for s in per_pair if s == 3)
    emails = Notification.objects.filter(program=program)
    by_status = dict(emails.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    print(f"pairs published:           {published:7d}  ({pairs.count()} stored)")
    print(f"meetings created:          {meetings.count():7d}")
    print(
        f"suggested times:           {meetings.filter(suggested_starts_at__isnull=False).count():7d}"
        f"  (pairs with a full suggested plan: {full_plans})"
    )
    print(f"emails queued:             {emails.count():7d}  {by_status}")
    print(f"delivery tasks queued:     {DBTaskResult.objects.count():7d}")
    print(f"queries issued:            {queries:7d}")
    print(f"round_publish:             {seconds:7.2f} s   (target < 30 s for 10,000 pairs)")
    print(
        f"peak RSS:                  {rss_after:7.0f} MB  (before publishing {rss_before:.0f} MB)"
    )
    if traced_peak is not None:
        print(f"peak traced (publish):     {traced_peak:7.0f} MB")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
