"""Benchmark: the calendar feed of a staff member following a whole program, and the query
counts of the pair page and the staff overview.

Run:  .venv/bin/python bench/calendar_feed.py [--pairs 1000]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring .venv/bin/python bench/calendar_feed.py

Builds a throwaway test database (like the test runner), fills it with N pairs and 3N
planned meetings, then prints figures. Target: feed under 200 ms for 1,000 pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(n_pairs: int):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from mentoring.meetings.enums import MeetingMode, MeetingStatus
    from mentoring.meetings.models import Meeting, new_uid
    from mentoring.pairs.models import Pair
    from people.enums import RoleKind
    from people.models import Role, User
    from programs.models import Region, School
    from tests import factories as f

    ams = ZoneInfo("Europe/Amsterdam")
    program = f.make_program()
    staff = f.make_staff(program, "bench-staf@example.org")
    regions = list(Region.objects.all()) or [None]
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@example.org", first_name=f"Voornaam{i}", last_name=f"Achternaam{i}"
            )
            for i in range(2 * n_pairs)
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
    schools = School.objects.bulk_create(
        [
            School(
                brin=f"{i:04d}"[-4:],
                vestiging=f"{i // 10000:02d}",
                name=f"School {i}",
                sector="po",
                postcode="3511 AB",
                pc4="3511",
                province="Utrecht",
                region=regions[i % len(regions)],
            )
            for i in range(n_pairs)
        ]
    )
    now = timezone.now()
    pairs = Pair.objects.bulk_create(
        [
            Pair(
                program=program,
                mentor=roles[2 * i],
                schoolleider=roles[2 * i + 1],
                school=schools[i],
                published_at=now,
            )
            for i in range(n_pairs)
        ]
    )
    base = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ams)
    meetings = []
    for i, pair in enumerate(pairs):
        for n in (1, 2, 3):
            start = base + dt.timedelta(days=35 * (n - 1) + i % 20, hours=i % 8)
            meetings.append(
                Meeting(
                    pair=pair,
                    number=n,
                    status=MeetingStatus.PLANNED,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                    mode=MeetingMode.SCHOOL,
                    location=f"School {i}, 3511 AB Utrecht",
                    uid=new_uid(),
                    planned_at=now,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    return program, staff, pairs


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    """Median and best wall-clock milliseconds."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), min(runs)


def cpu(fn, repeat: int = 7) -> float:
    """Median CPU milliseconds of this process: unlike wall time, not inflated when other
    processes compete for the CPU (on SQLite this is the whole build; on PostgreSQL the
    server's share is not included)."""
    runs = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        runs.append((time.process_time() - t0) * 1000)
    return statistics.median(runs)


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=1000)
    args = parser.parse_args()
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        from django.test import Client

        from mentoring.meetings import feeds, selectors
        from mentoring.meetings.selectors import feed_for_token
        from notifications import calendar
        from tests import factories as f

        program, staff, pairs = build(args.pairs)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        feed = feeds.feed_follow(user=staff, program=program, follow=True)
        n_events = len(feeds.meeting_events([]))  # warm URL templates
        body = feeds.feed_ics(feed_for_token(feed.token))
        n_events = body.count(b"BEGIN:VEVENT")

        def build_feed():
            return feeds.feed_ics(feed_for_token(feed.token))

        median, best = timed(build_feed)
        load = os.getloadavg()[0]
        print(
            f"{connection.vendor}: staff feed, {args.pairs} pairs, {n_events} events, "
            f"{len(body) / 1024:.0f} KiB: wall median {median:.0f} ms, best {best:.0f} ms; "
            f"CPU median {cpu(build_feed):.0f} ms (target < 200 ms); "
            f"{queries(build_feed)} queries; load average {load:.1f} on {os.cpu_count()} CPUs"
        )

        found = feed_for_token(feed.token)
        rows_ms = timed(lambda: selectors.feed_meeting_rows(found))[0]
        rows = selectors.feed_meeting_rows(found)
        events_ms = timed(lambda: feeds.meeting_events(rows))[0]
        events = feeds.meeting_events(rows)
        write_ms = timed(lambda: calendar.write_feed(events, name="x"))[0]
        print(
            f"  of which (wall): query {rows_ms:.0f} ms, events {events_ms:.0f} ms, "
            f"serialize {write_ms:.0f} ms (medians)"
        )
        print(
            f"  of which (CPU of this process): query {cpu(lambda: selectors.feed_meeting_rows(found)):.0f} ms, "
            f"events {cpu(lambda: feeds.meeting_events(rows)):.0f} ms, "
            f"serialize {cpu(lambda: calendar.write_feed(events, name='x')):.0f} ms"
        )
        if connection.vendor == "postgresql":
            from mentoring.meetings.models import Meeting

            plan = (
                Meeting.objects.filter(pair__program=program)
                .values_list(*selectors.FEED_FIELDS)
                .explain(analyze=True)
            )
            print("  PostgreSQL: " + " ".join(line.strip() for line in plan.splitlines()[-2:]))

        client = Client()
        url = f"/agenda/{feed.token}.ics"
        median, best = timed(lambda: client.get(url), repeat=5)
        print(f"  same feed through the view (HTTP): median {median:.0f} ms, best {best:.0f} ms")

        mentor_user = pairs[0].mentor.user
        client.force_login(mentor_user, backend="django.contrib.auth.backends.ModelBackend")
        pair_url = f"/programma/{program.pk}/koppel/{pairs[0].pk}/gesprekken/"
        client.get(pair_url)
        print(f"  pair page: {queries(lambda: client.get(pair_url))} queries")
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
        overview = f"/programma/{program.pk}/gesprekken/?number=2&deadline=2027-01-31"
        print(
            f"  staff overview ({args.pairs} pairs): {queries(lambda: client.get(overview))} queries, "
            f"median {timed(lambda: client.get(overview), repeat=3)[0]:.0f} ms"
        )
        from tests.meetings.helpers import make_pair

        small = f.make_program(school_year="2030-2031")
        small_staff = f.make_staff(small)
        make_pair(small)
        feeds.feed_follow(user=small_staff, program=small, follow=True)  # same page as above
        client.force_login(small_staff, backend="django.contrib.auth.backends.ModelBackend")
        small_url = f"/programma/{small.pk}/gesprekken/?number=2&deadline=2031-01-31"
        print(f"  staff overview (1 pair): {queries(lambda: client.get(small_url))} queries")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
