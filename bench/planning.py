"""Benchmark: the pure planner on 10,000 pairs with realistic calendars.

Run:  .venv/bin/python bench/planning.py [--pairs 10000] [--blocks 15] [--seed 1]

Each pair: the 2026-2027 meeting window (16 November - 31 March), the school holidays of
a random region (from the shipped holiday data) and Dutch public holidays blocked, and
for both people about ``--blocks`` busy blocks a week (a weekly standing meeting, the
rest random 30 minutes - 3 hours on working days between 08:00 and 19:00); the
schoolleider also has one weekly never-time (teaching, the bordsessie); half the pairs
meet in person (45 minutes travel buffer). Prints the time, the share that got a full
plan, and the reasons for the others. Target: under 60 s for 10,000 pairs.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays as nl_calendar  # noqa: E402  (the package the meeting rules use)

from mentoring.meetings import holidays, planner  # noqa: E402  (pure modules, no Django)

AMS = ZoneInfo("Europe/Amsterdam")
START, END = dt.date(2026, 11, 16), dt.date(2027, 3, 31)
# Dutch public holidays as the meeting rules refuse them (Goede Vrijdag only warns).
PUBLIC = {
    day
    for day, name in nl_calendar.country_holidays("NL", years=[2026, 2027], language="nl").items()
    if name != "Goede vrijdag"
}


def blocked_for(region: str) -> frozenset[dt.date]:
    days = set(PUBLIC)
    day = START
    while day <= END:
        if holidays.holiday_on(day, region) is not None:
            days.add(day)
        day += dt.timedelta(days=1)
    return frozenset(days)


def calendar(rng: random.Random, per_week: int) -> list[tuple[dt.datetime, dt.datetime]]:
    blocks = []
    standing_day, standing_hour = rng.randrange(5), rng.randrange(8, 17)
    week = START - dt.timedelta(days=START.weekday())
    while week <= END:
        day = week + dt.timedelta(days=standing_day)
        start = dt.datetime.combine(day, dt.time(standing_hour), tzinfo=AMS)
        blocks.append((start, start + dt.timedelta(hours=1)))
        for _ in range(per_week - 1):
            day = week + dt.timedelta(days=rng.randrange(5))
            start = dt.datetime.combine(
                day, dt.time(rng.randrange(8, 19), rng.choice((0, 15, 30, 45))), tzinfo=AMS
            )
            blocks.append(
                (start, start + dt.timedelta(minutes=rng.choice((30, 60, 60, 90, 120, 180))))
            )
        week += dt.timedelta(days=7)
    return blocks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--blocks", type=int, default=15, help="busy blocks a week per person")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    blocked = {region: blocked_for(region) for region in holidays.REGIONS}
    earliest = dt.datetime(2026, 11, 13, 12, tzinfo=dt.UTC)

    t0 = time.perf_counter()
    problems = []
    for _ in range(args.pairs):
        region = rng.choice(holidays.REGIONS)
        never = planner.WeeklyBlock("schoolleider", rng.randrange(5), dt.time(8), dt.time(12))
        problems.append(
            planner.Problem(
                window_start=START,
                window_end=END,
                earliest=earliest,
                busy={
                    "mentor": calendar(rng, args.blocks),
                    "schoolleider": calendar(rng, args.blocks),
                },
                weekly=(never,),
                blocked_days=blocked[region],
                in_person=rng.random() < 0.5,
                local_tz=AMS,
            )
        )
    generated = time.perf_counter() - t0
    blocks = sum(len(b) for p in problems for b in p.busy.values())

    t1 = time.perf_counter()
    full = 0
    reasons: collections.Counter[str] = collections.Counter()
    for problem in problems:
        result = planner.plan(problem)
        if result.complete:
            full += 1
        else:
            reasons[result.reason.code] += 1
    elapsed = time.perf_counter() - t1

    print(f"pairs: {args.pairs}, busy blocks: {blocks} ({blocks / args.pairs / 2:.0f} per person)")
    print(f"calendars generated in {generated:.1f} s (not counted)")
    print(f"planned in {elapsed:.1f} s ({1000 * elapsed / args.pairs:.2f} ms per pair)")
    print(f"full plan: {full} of {args.pairs} ({100 * full / args.pairs:.1f}%)")
    for code, count in reasons.most_common():
        print(f"  no full plan, {code}: {count}")
    print("target < 60 s:", "OK" if elapsed < 60 else "TOO SLOW")


if __name__ == "__main__":
    main()
