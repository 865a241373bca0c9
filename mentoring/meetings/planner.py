"""The planner: one plan for a pair's meetings that fits both people. Pure (no Django).

The caller gathers the facts (window, blocked days from the holiday rules, busy blocks of
both people, the school's never-times, booked meetings) into a :class:`Problem`; ``plan``
returns a :class:`Plan` with a start per meeting, or the reason why no full plan exists.

Hard rules, never broken by a returned plan (property-tested in ``tests/meetings``):

- every meeting starts on the slot grid (``step``) of a working day inside the window, not
  on a blocked day (school holidays, public holidays, study days), at or after ``earliest``,
  and lies completely between ``day_start`` and ``day_end`` local time (``Problem.local_tz``);
- neither person is busy during the meeting, nor during ``travel`` before and after it when
  the meeting is in person;
- consecutive meetings are at least ``min_gap`` apart (start to start), also around meetings
  that are already booked (``fixed``).

Among all plans that keep these rules, ``plan`` returns one with the least total distance
(in grid steps) of each meeting from its target time: an even spread over the window by
default, or the previous times when re-flowing after a move (so nothing moves needlessly).
That is an exact dynamic programme over the free slots, checked against brute force.

Times inside are whole minutes since the Unix epoch (UTC) in numpy int64 arrays.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PEOPLE = ("mentor", "schoolleider")

# Reason codes (the Django side turns them into Dutch sentences).
NO_DAYS = "no_days"  # no working day in the window is left (holidays, past, ...)
PERSON_FULL = "person_full"  # one person is busy at every possible time
NO_COMMON = "no_common"  # each has free time, never at the same time
SPACING = "spacing"  # common free time, but not enough for all meetings with the spacing


@dataclass(frozen=True)
class WeeklyBlock:
    """A recurring time a person can never meet: ``weekday`` 0 = Monday, local times."""

    person: str
    weekday: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Problem:
    window_start: dt.date
    window_end: dt.date
    earliest: dt.datetime
    numbers: tuple[int, ...] = (1, 2, 3)
    #: busy intervals (aware datetimes) per person ("mentor", "schoolleider")
    busy: Mapping[str, Sequence[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)
    weekly: tuple[WeeklyBlock, ...] = ()
    blocked_days: frozenset[dt.date] = frozenset()
    #: meetings already booked (number → start); they are kept, the others fit around them
    fixed: Mapping[int, dt.datetime] = field(default_factory=dict)
    #: preferred start per meeting to plan; default an even spread over the window
    targets: Mapping[int, dt.datetime] | None = None
    in_person: bool = False
    travel: dt.timedelta = dt.timedelta(minutes=45)
    min_gap: dt.timedelta = dt.timedelta(days=21)
    length: dt.timedelta = dt.timedelta(hours=2)
    day_start: dt.time = dt.time(8, 0)
    day_end: dt.time = dt.time(20, 0)
    working_days: frozenset[int] = frozenset(range(5))
    step: dt.timedelta = dt.timedelta(minutes=30)
    preferred_time: dt.time = dt.time(15, 30)
    #: The zone of day_start/day_end and the preferred time (the caller passes the site's).
    local_tz: dt.tzinfo = field(kw_only=True)


@dataclass(frozen=True)
class Reason:
    code: str
    person: str = ""  # for PERSON_FULL
    #: (year, month) of months in the window in which each person is busy at every time
    full_months: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    #: how many of the meetings to plan would fit (SPACING)
    fits: int = 0


@dataclass(frozen=True)
class Plan:
    starts: dict[int, dt.datetime]  # number → aware UTC start, for every number of the problem
    cost: int = 0
    reason: Reason | None = None

    @property
    def complete(self) -> bool:
        return self.reason is None


def to_minutes(value: dt.datetime) -> int:
    return int((value - EPOCH).total_seconds() // 60)


def from_minutes(value: int) -> dt.datetime:
    return EPOCH + dt.timedelta(minutes=int(value))


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


@functools.lru_cache(maxsize=256)
def _grid(
    window_start: dt.date,
    window_end: dt.date,
    blocked_days: frozenset[dt.date],
    working_days: frozenset[int],
    day_start: dt.time,
    day_end: dt.time,
    length: int,
    step: int,
    local_tz: dt.tzinfo,
) -> tuple[np.ndarray, np.ndarray]:
    """Every allowed start (minutes, sorted) and its month key (year * 12 + month - 1).

    Cached: the pairs of one region share it in a planning run.
    """
    starts: list[int] = []
    months: list[int] = []
    day = window_start
    one = dt.timedelta(days=1)
    while day <= window_end:
        if day.weekday() in working_days and day not in blocked_days:
            opening = dt.datetime.combine(day, day_start, tzinfo=local_tz)
            closing = dt.datetime.combine(day, day_end, tzinfo=local_tz)
            first, last = to_minutes(opening), to_minutes(closing) - length
            for minute in range(first, last + 1, step):
                starts.append(minute)
                months.append(day.year * 12 + day.month - 1)
        day += one
    grid = np.array(starts, dtype=np.int64), np.array(months, dtype=np.int64)
    for array in grid:
        array.setflags(write=False)
    return grid


def _merged(intervals: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, non-overlapping (starts, ends) of the given minute intervals."""
    items = sorted((s, e) for s, e in intervals if e > s)
    starts: list[int] = []
    ends: list[int] = []
    for s, e in items:
        if ends and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _weekly_intervals(problem: Problem, person: str) -> list[tuple[int, int]]:
    blocks = [b for b in problem.weekly if b.person == person]
    if not blocks:
        return []
    result = []
    day = problem.window_start
    while day <= problem.window_end:
        for block in blocks:
            if block.weekday == day.weekday():
                start = dt.datetime.combine(day, block.start, tzinfo=problem.local_tz)
                end = dt.datetime.combine(day, block.end, tzinfo=problem.local_tz)
                result.append((to_minutes(start), to_minutes(end)))
        day += dt.timedelta(days=1)
    return result


def free_mask(problem: Problem, person: str, grid: np.ndarray) -> np.ndarray:
    """Which grid starts leave ``person`` free (with the travel buffer when in person)."""
    intervals = [(to_minutes(s), to_minutes(e)) for s, e in problem.busy.get(person, ())]
    intervals += _weekly_intervals(problem, person)
    starts, ends = _merged(intervals)
    if not len(starts):
        return np.ones(len(grid), dtype=bool)
    buffer = _minutes(problem.travel) if problem.in_person else 0
    lo = grid - buffer
    hi = grid + _minutes(problem.length) + buffer
    index = np.searchsorted(ends, lo, side="right")  # first interval ending after lo
    clipped = np.minimum(index, len(starts) - 1)
    conflict = (index < len(starts)) & (starts[clipped] < hi)
    return ~conflict


def default_targets(problem: Problem, lo: int, hi: int) -> dict[int, int]:
    """An even spread of the meetings to plan over ``[lo, hi]`` at the preferred time."""
    todo = [n for n in problem.numbers if n not in problem.fixed]
    targets = {}
    for index, number in enumerate(todo):
        moment = from_minutes(lo + (hi - lo) * (2 * index + 1) // (2 * len(todo)))
        day = moment.astimezone(problem.local_tz).date()
        local = dt.datetime.combine(day, problem.preferred_time, tzinfo=problem.local_tz)
        targets[number] = to_minutes(local)
    return targets


def plan(problem: Problem) -> Plan:
    """The best plan for ``problem`` (see the module docstring), or why there is none."""
    step, length = _minutes(problem.step), _minutes(problem.length)
    grid, months = _grid(
        problem.window_start,
        problem.window_end,
        frozenset(problem.blocked_days),
        frozenset(problem.working_days),
        problem.day_start,
        problem.day_end,
        length,
        step,
        problem.local_tz,
    )
    future = grid >= to_minutes(problem.earliest)
    grid, months = grid[future], months[future]
    fixed = {n: to_minutes(t) for n, t in problem.fixed.items()}
    numbers = sorted(problem.numbers)
    todo = [n for n in numbers if n not in fixed]
    if not todo:
        return Plan(starts={n: from_minutes(fixed[n]) for n in numbers})
    if not len(grid):
        return _failed(numbers, fixed, Reason(NO_DAYS))
    masks = {person: free_mask(problem, person, grid) for person in PEOPLE}
    free = masks["mentor"] & masks["schoolleider"]
    if not free.any():
        full_months = _full_months(masks, months)
        for person in PEOPLE:
            if not masks[person].any():
                return _failed(numbers, fixed, Reason(PERSON_FULL, person, full_months))
        return _failed(numbers, fixed, Reason(NO_COMMON, full_months=full_months))
    slots = grid[free]
    if problem.targets is not None:
        targets = {n: to_minutes(problem.targets[n]) for n in todo if n in problem.targets}
    else:
        targets = {}
    defaults = default_targets(problem, int(grid[0]), int(grid[-1]))
    for number in todo:
        targets.setdefault(number, defaults[number])
    gap = _minutes(problem.min_gap)
    # Dynamic programme over the meetings in order: best[i] = least cost of a valid plan of
    # meetings up to this one, with this one at times[i].
    times_of: list[np.ndarray] = []
    best_of: list[np.ndarray] = []
    for number in numbers:
        if number in fixed:
            times = np.array([fixed[number]], dtype=np.int64)
            cost = np.zeros(1, dtype=np.int64)
        else:
            times = slots
            cost = np.abs(slots - targets[number]) // step
        if best_of:
            prev_times, prev_best = times_of[-1], best_of[-1]
            running = np.minimum.accumulate(prev_best)
            index = np.searchsorted(prev_times, times - gap, side="right")
            reachable = index > 0
            best = np.full(len(times), _INF, dtype=np.int64)
            best[reachable] = cost[reachable] + running[index[reachable] - 1]
            best[best >= _INF] = _INF
        else:
            best = cost.copy()
        times_of.append(times)
        best_of.append(best)
        if not (best < _INF).any():
            return _failed(numbers, fixed, Reason(SPACING, fits=_fits(problem, slots, fixed)))
    # Walk back from the cheapest last meeting.
    starts: dict[int, dt.datetime] = {}
    k = len(numbers) - 1
    i = int(np.argmin(best_of[k]))
    total = int(best_of[k][i])
    while True:
        number = numbers[k]
        starts[number] = from_minutes(int(times_of[k][i]))
        if k == 0:
            break
        own = 0 if number in fixed else int(abs(times_of[k][i] - targets[number]) // step)
        wanted = best_of[k][i] - own
        limit = int(np.searchsorted(times_of[k - 1], times_of[k][i] - gap, side="right"))
        i = int(np.flatnonzero(best_of[k - 1][:limit] == wanted)[0])
        k -= 1
    return Plan(starts=dict(sorted(starts.items())), cost=total)


_INF = np.int64(2**62)


def _failed(numbers: Sequence[int], fixed: Mapping[int, int], reason: Reason) -> Plan:
    return Plan(starts={n: from_minutes(fixed[n]) for n in numbers if n in fixed}, reason=reason)


def _full_months(
    masks: Mapping[str, np.ndarray], months: np.ndarray
) -> dict[str, tuple[tuple[int, int], ...]]:
    result = {}
    all_months = np.unique(months)
    for person, mask in masks.items():
        with_free = set(np.unique(months[mask]).tolist())
        result[person] = tuple(
            (int(m) // 12, int(m) % 12 + 1) for m in all_months if int(m) not in with_free
        )
    return result


def _fits(problem: Problem, slots: np.ndarray, fixed: Mapping[int, int]) -> int:
    """How many meetings to plan fit greedily (earliest first) with the spacing."""
    gap = _minutes(problem.min_gap)
    count, last = 0, None
    for number in sorted(problem.numbers):
        if number in fixed:
            last = fixed[number]
            continue
        lo = slots if last is None else slots[slots >= last + gap]
        following = [fixed[n] for n in fixed if n > number]
        if following:
            lo = lo[lo <= min(following) - gap]
        if not len(lo):
            continue
        last = int(lo[0])
        count += 1
    return count
