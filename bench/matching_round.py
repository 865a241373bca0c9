"""A whole matching round from the database, timed: load, build, solve, store.

Run:  .venv/bin/python bench/matching_round.py [--schoolleiders 500] [--mentors 400] [--keep]

Creates a fresh SQLite database in a temporary folder (migrations are not timed), fills it
with a demo mentoring program: schools and mentors on real PC4 postcodes (seeded), mentors
with 15-60 km travel limits (10 % online only), sector preferences, methods and months; then
runs ``matching.solving.round_solve`` exactly as the background task does and prints the
figures stored on the solution, the process's peak memory, and a re-solve of the stored
snapshot (candidates rebuilt from the stored people and settings) with one "why this pair".
Targets: the whole round under 5 s for 500 x 400; under 10 s and 4 GB peak for
10,000 x 10,000 (issue 10).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schoolleiders", type=int, default=500)
    parser.add_argument("--mentors", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-matching-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate (not timed):      {time.perf_counter() - t:6.2f} s")
    program = fill(args.schoolleiders, args.mentors, args.seed)

    from matching import solving
    from matching.enums import RoundStatus
    from matching.models import MatchingRound

    rnd = MatchingRound.objects.create(program=program, name="Bench", status=RoundStatus.SOLVING)
    t0 = time.perf_counter()
    solution = solving.round_solve(round_id=rnd.pk)
    total = time.perf_counter() - t0
    rnd.refresh_from_db()
    assert solution is not None, rnd.error
    print(f"round: {args.schoolleiders} schoolleiders x {args.mentors} mentors")
    print(f"candidate pairs:          {solution.n_candidates:8d}")
    print(f"matched / unmatched rows: {solution.matched:8d} / {solution.unmatched_rows}")
    print(f"load:                     {solution.load_seconds:6.3f} s")
    print(f"build:                    {solution.build_seconds:6.3f} s")
    print(
        f"solve (incl. audit):      {total - solution.load_seconds - solution.build_seconds - solution.store_seconds:6.3f} s"
        f"  (solver itself {solution.solve_seconds:.3f} s, {solution.backend})"
    )
    print(f"store:                    {solution.store_seconds:6.3f} s")
    target = 10.0 if args.schoolleiders * args.mentors > 500 * 400 else 5.0
    print(f"whole round:              {total:6.3f} s   (target < {target:.0f} s)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (process):    {peak_mb:6.0f} MB  (target < 4,096 MB; includes the fill)")
    print(f"snapshot stored:          {len(solution.snapshot_data) / 1e6:6.2f} MB")
    print(
        f"top-3 nearest (rows):     {solution.stats.get('rows_top3')}; blocking pairs: {solution.stats.get('blocking_count')}"
    )
    t1 = time.perf_counter()
    again = solving.solution_resolve(solution)
    same = sorted(solving.outcome_pairs(again)) == sorted(
        solution.pairs.values_list("row_index", "col_index")
    )
    print(f"re-solve from snapshot:   {time.perf_counter() - t1:6.3f} s   same pairs: {same}")
    from matching import loading
    from matching.ranking import ROW

    t2 = time.perf_counter()
    why = loading.explain(solution, ROW, 0)
    print(
        f"why this pair (row 0):    {time.perf_counter() - t2:6.3f} s   "
        f"{len(why.alternatives) if why else 0} alternatives shown"
    )
    if args.keep:
        print(f"database kept at {folder}/bench.sqlite3")


def fill(n_leaders: int, n_mentors: int, seed: int):
    """The demo program, written with bulk inserts (a few seconds, not timed)."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from people.enums import MentorStatus, RoleKind
    from people.models import MentorProfile, Role, SchoolleiderProfile, User
    from places.models import Postcode
    from programs.enums import Phase, ProgramKind, Sector
    from programs.models import Enrollment, ProgramYear, Region, School

    rng = random.Random(seed)
    program = ProgramYear.objects.create(
        name="Mentoring",
        kind=ProgramKind.MENTOR_LEADER,
        school_year="2026-2027",
        registration_opens=dt.date(2026, 9, 1),
        registration_closes=dt.date(2026, 10, 15),
        webinar_start=dt.date(2026, 10, 1),
        webinar_end=dt.date(2026, 10, 31),
        matching_date=dt.date(2026, 11, 10),
        meetings_start=dt.date(2026, 11, 15),
        meetings_end=dt.date(2027, 3, 31),
    )
    postcodes = list(Postcode.objects.values_list("pc4", "province", "place"))
    resolve = Region.resolver()
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"sl{i}@school.example",
                first_name="School",
                last_name=f"Leider {i}",
                password=password,
            )
            for i in range(n_leaders)
        ]
        + [
            User(
                email=f"m{i}@bedrijf.example",
                first_name="Bedrijfs",
                last_name=f"Mentor {i}",
                password=password,
            )
            for i in range(n_mentors)
        ]
    )
    users = list(User.objects.order_by("pk"))
    leader_users, mentor_users = users[:n_leaders], users[n_leaders:]
    schools = []
    for i in range(n_leaders):
        pc4, province, place = rng.choice(postcodes)
        region = resolve(province)
        schools.append(
            School(
                brin=f"{i:04d}"[-4:],
                vestiging=f"{i // 10000:02d}",
                name=f"School {i}",
                sector=rng.choice(Sector.values),
                postcode=f"{pc4} AA",
                pc4=pc4,
                place=place,
                province=province,
                region=region,
                phase=rng.choice(Phase.values),
            )
        )
    School.objects.bulk_create(schools)
    schools = list(School.objects.order_by("pk"))
    Enrollment.objects.bulk_create([Enrollment(program=program, school=s) for s in schools])
    Role.objects.bulk_create(
        [Role(user=u, program=program, kind=RoleKind.SCHOOLLEIDER) for u in leader_users]
        + [Role(user=u, program=program, kind=RoleKind.MENTOR) for u in mentor_users]
    )
    roles = {r.user_id: r for r in Role.objects.filter(program=program)}
    SchoolleiderProfile.objects.bulk_create(
        [
            SchoolleiderProfile(role=roles[u.pk], school=s)
            for u, s in zip(leader_users, schools, strict=True)
        ]
    )
    methods = ["lean", "agile", "kaizen", "six_sigma", "other"]
    profiles = []
    for u in mentor_users:
        pc4, _province, _place = rng.choice(postcodes)
        online = rng.random() < 0.10
        profiles.append(
            MentorProfile(
                role=roles[u.pk],
                organisation="Bedrijf",
                job_title="Teamleider",
                methods=rng.sample(methods, rng.randint(1, 2)),
                postcode=f"{pc4} BB",
                pc4=pc4,
                max_travel_km=None if online else rng.choice([15, 20, 30, 40, 60]),
                online_only=online,
                sector_preference=rng.sample(Sector.values, rng.randint(0, 2)),
                months_available=[11, 12, 1, 2, 3] if rng.random() > 0.05 else [4],
                status=MentorStatus.APPROVED,
            )
        )
    MentorProfile.objects.bulk_create(profiles)
    return program


if __name__ == "__main__":
    main()
