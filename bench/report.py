"""Measure the staff report page for a program of 1,000 pairs.

    .venv/bin/python bench/report.py            # throw-away SQLite test database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring .venv/bin/python bench/report.py

Creates a test database (never touches the real one), fills one program year with
N pairs, three meeting records each (most held), feedback from both sides and some
ended/re-matched pairs, then renders /programma/<id>/staf/rapport/ repeatedly and prints
the median and worst time and the number of queries. Target: < 300 ms, constant queries.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def fill(n_pairs: int):
    from django.utils import timezone

    from mentoring.guides.models import Feedback, MeetingRecord
    from mentoring.guides.services import guides_seed
    from mentoring.meetings.models import Meeting
    from mentoring.pairs.models import Pair
    from people.enums import RoleKind
    from people.models import Role, User
    from programs.enums import ProgramKind, Sector
    from programs.models import ProgramYear, Region, School

    rng = random.Random(7)
    program = ProgramYear.objects.create(
        name="Mentoring",
        kind=ProgramKind.MENTOR_LEADER,
        school_year="2025-2026",
        registration_opens=dt.date(2025, 9, 1),
        registration_closes=dt.date(2025, 10, 15),
        webinar_start=dt.date(2025, 10, 1),
        webinar_end=dt.date(2025, 10, 31),
        matching_date=dt.date(2025, 11, 10),
        meetings_start=dt.date(2025, 11, 15),
        meetings_end=dt.date(2026, 3, 31),
    )
    guides_seed(program=program)
    versions = {g.number: g.published_version_id for g in program.guides.all()}
    regions = [Region.objects.create(name=f"Regio {i}", sort_order=i) for i in range(12)]
    staff = User.objects.create_user(email="bench-staf@example.org", password=None)
    Role.objects.create(user=staff, program=program, kind=RoleKind.STAFF)
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.org", first_name=f"V{i}", last_name=f"A{i}", password="!")  # noqa: S106 - unusable
            for i in range(2 * n_pairs + 50)
        ]
    )
    roles = Role.objects.bulk_create(
        [
            Role(
                user=u,
                program=program,
                kind=RoleKind.MENTOR if i % 2 == 0 else RoleKind.SCHOOLLEIDER,
            )
            for i, u in enumerate(users)
        ]
    )
    mentors = [r for r in roles if r.kind == RoleKind.MENTOR]
    leaders = [r for r in roles if r.kind == RoleKind.SCHOOLLEIDER]
    schools = School.objects.bulk_create(
        [
            School(
                brin=f"{i:04d}"[-4:],
                vestiging=f"{i // 10000:02d}",
                name=f"School {i}",
                sector=Sector.PO,
                postcode="3511 AB",
                pc4="3511",
                region=regions[i % 12],
            )
            for i in range(n_pairs + 25)
        ]
    )
    now = timezone.now()
    pairs = []
    for i in range(n_pairs):
        ended = i % 40 == 0
        pairs.append(
            Pair(
                program=program,
                mentor=mentors[i],
                schoolleider=leaders[i],
                school=schools[i],
                status="ended" if ended else "active",
                published_at=now - dt.timedelta(days=120),
            )
        )
    # re-matches: a later pair for the schoolleider of some ended pairs
    for j, i in enumerate(range(0, n_pairs, 40)[:20]):
        pairs.append(
            Pair(
                program=program,
                mentor=mentors[n_pairs + j],
                schoolleider=leaders[i],
                school=schools[i],
                published_at=now - dt.timedelta(days=60),
            )
        )
    pairs = Pair.objects.bulk_create(pairs)
    themes = ["overtuiging", "voorbeeldgedrag", "facilitering", "vaardigheden"]
    records, feedback, meetings = [], [], []
    for p in pairs:
        for n in (1, 2, 3):
            held = rng.random() < 0.8
            day = dt.date(2025, 11, 15) + dt.timedelta(days=rng.randint(0, 130))
            records.append(
                MeetingRecord(
                    pair=p,
                    number=n,
                    guide_version_id=versions[n],
                    held_on=day if held else None,
                    themes=rng.sample(themes, 2) if held else [],
                    action_count=rng.randint(0, 3),
                )
            )
            # Whether it was held lives on the meeting (one fact, one place).
            start = dt.datetime.combine(day, dt.time(15, 30), tzinfo=dt.UTC)
            meetings.append(
                Meeting(
                    pair=p,
                    number=n,
                    status="held" if held else "unplanned",
                    starts_at=start if held else None,
                    ends_at=start + dt.timedelta(hours=2) if held else None,
                )
            )
            if held:
                for side in ("mentor", "schoolleider"):
                    feedback.append(
                        Feedback(
                            program=program,
                            kind="meeting",
                            key=f"m:{p.pk}:{n}:{side}",
                            pair=p,
                            school_id=p.school_id,
                            number=n,
                            side=side,
                            region_id=schools[0].region_id
                            if p.school_id == schools[0].pk
                            else regions[p.pk % 12].pk,
                            usefulness=rng.randint(1, 5),
                            helped="tekst",
                        )
                    )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    MeetingRecord.objects.bulk_create(records, batch_size=2000)
    Feedback.objects.bulk_create(feedback, batch_size=2000)
    return program, staff, len(pairs), len(records), len(feedback)


def main(n_pairs: int = 1000, runs: int = 15) -> None:
    setup_test_environment()
    settings.DEBUG = False
    if connection.vendor != "sqlite":
        # Our own throw-away database: never clobber test_<name> of a test run in progress.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_report_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        program, staff, n, n_records, n_feedback = fill(n_pairs)
        client = Client()
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
        url = f"/programma/{program.pk}/staf/rapport/"
        assert client.get(url).status_code == 200  # warm up
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
        ):
            client.get(url)
        import cProfile
        import pstats

        from mentoring.guides.report import build_report

        if os.environ.get("PROFILE"):
            prof = cProfile.Profile()
            prof.enable()
            client.get(url)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(20)
        start = time.perf_counter()
        build_report(program)
        build_ms = (time.perf_counter() - start) * 1000
        export_start = time.perf_counter()
        client.get(f"/programma/{program.pk}/staf/rapport/export.xlsx")
        export_ms = (time.perf_counter() - export_start) * 1000
        print(f"database: {connection.vendor}")
        print(f"data: {n} pairs, {n_records} meeting records, {n_feedback} feedback answers")
        print(
            f"report page: median {statistics.median(timings):.0f} ms, "
            f"worst {max(timings):.0f} ms over {runs} runs (target < 300 ms)"
        )
        print(f"queries per report page: {len(queries)} (build_report alone: {build_ms:.0f} ms)")
        print(f"XLSX export (all tables, {n} pair rows): {export_ms:.0f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
