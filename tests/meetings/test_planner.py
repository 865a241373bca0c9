"""The pure planner: property tests (hypothesis) and brute force on small instances."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring.meetings import planner as p

AMS = ZoneInfo("Europe/Amsterdam")
WINDOW_START = dt.date(2026, 10, 19)  # a Monday; the window crosses the end of summer time


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS).astimezone(dt.UTC)


def violations(problem: p.Problem, starts: dict[int, dt.datetime]) -> list[str]:
    """Every hard rule a plan breaks, checked directly on datetimes (independent code)."""
    errors = []
    buffer = problem.travel if problem.in_person else dt.timedelta(0)
    for number, start in starts.items():
        if number in problem.fixed:
            continue
        end = start + problem.length
        local, local_end = start.astimezone(AMS), end.astimezone(AMS)
        day = local.date()
        if not problem.window_start <= day <= problem.window_end:
            errors.append(f"{number}: out of window")
        if day in problem.blocked_days:
            errors.append(f"{number}: blocked day")
        if day.weekday() not in problem.working_days:
            errors.append(f"{number}: not a working day")
        if local.time() < problem.day_start or local_end.date() != day:
            errors.append(f"{number}: out of hours")
        if local_end.time() > problem.day_end:
            errors.append(f"{number}: out of hours")
        if start < problem.earliest:
            errors.append(f"{number}: in the past")
        if (local - local.replace(hour=0, minute=0)) % problem.step:
            errors.append(f"{number}: off the grid")
        for person in p.PEOPLE:
            busy = list(problem.busy.get(person, ()))
            for block in problem.weekly:
                if block.person == person and block.weekday == day.weekday():
                    busy.append(
                        (
                            dt.datetime.combine(day, block.start, tzinfo=AMS),
                            dt.datetime.combine(day, block.end, tzinfo=AMS),
                        )
                    )
            for b_start, b_end in busy:
                if b_start < end + buffer and start - buffer < b_end:
                    errors.append(f"{number}: {person} busy")
    ordered = sorted(starts.items())
    for (n1, s1), (n2, s2) in itertools.pairwise(ordered):
        if s2 - s1 < problem.min_gap:
            errors.append(f"{n1}-{n2}: too close")
    return errors


def candidates(problem: p.Problem) -> list[dt.datetime]:
    """Every start a brute force may try: the grid, walked day by day in local time."""
    result = []
    day = problem.window_start
    while day <= problem.window_end:
        moment = dt.datetime.combine(day, problem.day_start, tzinfo=AMS)
        while moment + problem.length <= dt.datetime.combine(day, problem.day_end, tzinfo=AMS):
            result.append(moment.astimezone(dt.UTC))
            moment += problem.step
        day += dt.timedelta(days=1)
    return result


def brute_force(problem: p.Problem) -> int | None:
    """The least cost of any valid plan, or None: tries every combination of slots."""
    todo = [n for n in problem.numbers if n not in problem.fixed]
    single = [
        c for c in candidates(problem) if not violations(problem, {todo[0] if todo else 0: c})
    ]
    best = None
    for combo in itertools.product(single, repeat=len(todo)):
        starts = {**problem.fixed, **dict(zip(todo, combo, strict=True))}
        if violations(problem, starts):
            continue
        cost = sum(
            abs(int((starts[n] - problem.targets[n]).total_seconds() // 60))
            // int(problem.step.total_seconds() // 60)
            for n in todo
        )
        best = cost if best is None else min(best, cost)
    return best


@st.composite
def problems(draw, small: bool = False):
    days = draw(st.integers(3, 9 if small else 40))
    window_end = WINDOW_START + dt.timedelta(days=days)
    all_days = [WINDOW_START + dt.timedelta(days=i) for i in range(days + 1)]
    blocked = frozenset(draw(st.lists(st.sampled_from(all_days), max_size=4)))
    hours = (9, 13) if small else (8, 20)
    busy = {}
    for person in p.PEOPLE:
        blocks = []
        for _ in range(draw(st.integers(0, 6 if small else 25))):
            day = draw(st.sampled_from(all_days))
            start = at(day, draw(st.integers(7, 19)), draw(st.sampled_from([0, 15, 30, 45])))
            blocks.append((start, start + dt.timedelta(minutes=draw(st.integers(15, 300)))))
        busy[person] = blocks
    weekly = tuple(
        p.WeeklyBlock(
            draw(st.sampled_from(p.PEOPLE)),
            draw(st.integers(0, 4)),
            dt.time(draw(st.integers(8, 11))),
            dt.time(draw(st.integers(12, 14))),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    numbers = (1, 2, 3)
    fixed = {}
    if draw(st.booleans()):
        number = draw(st.sampled_from(numbers))
        fixed[number] = at(draw(st.sampled_from(all_days)), 10)
    todo = [n for n in numbers if n not in fixed]
    targets = {n: at(draw(st.sampled_from(all_days)), draw(st.integers(8, 18))) for n in todo}
    return p.Problem(
        window_start=WINDOW_START,
        window_end=window_end,
        earliest=at(WINDOW_START, draw(st.integers(0, 23))),
        numbers=numbers,
        busy=busy,
        weekly=weekly,
        blocked_days=blocked,
        fixed=fixed,
        targets=targets if draw(st.booleans()) or small else None,
        in_person=draw(st.booleans()),
        travel=dt.timedelta(minutes=draw(st.sampled_from([30, 60]))),
        min_gap=dt.timedelta(days=draw(st.integers(1, 3) if small else st.integers(1, 14))),
        length=dt.timedelta(hours=2),
        day_start=dt.time(hours[0]),
        day_end=dt.time(hours[1]),
        step=dt.timedelta(minutes=60 if small else 30),
        local_tz=AMS,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_a_plan_never_breaks_a_rule(problem):
    result = p.plan(problem)
    if result.complete:
        assert set(result.starts) == set(problem.numbers)
        assert violations(problem, result.starts) == []
        for number, start in problem.fixed.items():
            assert result.starts[number] == start
    else:
        assert result.reason.code in (p.NO_DAYS, p.PERSON_FULL, p.NO_COMMON, p.SPACING)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(small=True))
def test_finds_the_best_plan_whenever_one_exists(problem):
    result = p.plan(problem)
    best = brute_force(problem)
    if best is None:
        assert not result.complete
    else:
        assert result.complete, result.reason
        assert violations(problem, result.starts) == []
        assert result.cost == best


def base(**kwargs) -> p.Problem:
    values = {
        "window_start": dt.date(2026, 11, 2),
        "window_end": dt.date(2027, 3, 26),
        "earliest": at(dt.date(2026, 11, 1), 12),
    }
    values.update(kwargs)
    values.setdefault("local_tz", AMS)
    return p.Problem(**values)


def test_even_spread_by_default_at_the_preferred_time():
    result = p.plan(base())
    assert result.complete
    starts = [result.starts[n].astimezone(AMS) for n in (1, 2, 3)]
    assert all(s.time() == dt.time(15, 30) for s in starts)
    assert starts[0].month == 11 and starts[1].month == 1 and starts[2].month == 3


def test_travel_buffer_only_around_in_person_meetings():
    day = dt.date(2026, 11, 4)  # the only day in the window
    busy = {"mentor": [(at(day, 8), at(day, 12)), (at(day, 14, 30), at(day, 20))]}
    kwargs = {"window_start": day, "window_end": day, "numbers": (1,), "busy": busy}
    online = p.plan(base(**kwargs))
    assert online.starts[1] == at(day, 12, 30) or online.starts[1] == at(day, 12)
    in_person = p.plan(base(in_person=True, travel=dt.timedelta(minutes=30), **kwargs))
    assert not in_person.complete
    assert in_person.reason.code == p.PERSON_FULL and in_person.reason.person == "mentor"


def test_full_month_is_named():
    january = [(at(dt.date(2027, 1, 1), 0), at(dt.date(2027, 2, 1), 0))]
    result = p.plan(
        base(
            window_start=dt.date(2027, 1, 4),
            window_end=dt.date(2027, 1, 29),
            busy={"mentor": january},
        )
    )
    assert result.reason.code == p.PERSON_FULL
    assert result.reason.full_months["mentor"] == ((2027, 1),)
    assert result.reason.full_months["schoolleider"] == ()


def test_spacing_reason_counts_what_fits():
    result = p.plan(
        base(
            window_start=dt.date(2026, 11, 2),
            window_end=dt.date(2026, 11, 20),
            min_gap=dt.timedelta(days=14),
        )
    )
    assert result.reason.code == p.SPACING
    assert result.reason.fits == 2


def test_reflow_keeps_later_meetings_where_they_still_fit():
    first = p.plan(base())
    moved = first.starts[1] + dt.timedelta(days=7)
    again = p.plan(base(fixed={1: moved}, targets={2: first.starts[2], 3: first.starts[3]}))
    assert again.starts == {1: moved, 2: first.starts[2], 3: first.starts[3]}
    pushed = first.starts[2] - dt.timedelta(days=3)
    again = p.plan(base(fixed={1: pushed}, targets={2: first.starts[2], 3: first.starts[3]}))
    assert again.complete
    assert again.starts[2] >= pushed + dt.timedelta(days=14)
    assert again.starts[3] == first.starts[3]
