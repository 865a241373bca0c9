"""One plan for a pair's meetings: propose, accept with one click each, re-flow, plan a program.

The facts come from the meeting rules (``rules.check_slot`` decides which days are
possible, so holiday and public-holiday rules flow in unchanged), the people's connected
calendars, their other meetings and webinars, the school's never-times and study days.
The pure ``planner`` chooses the times; every chosen time is checked once more against
``rules.check_slot`` before it is shown, and again by the booking when both accept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import calendars, planner, planning, rules
from .enums import (
    BOOKED,
    IN_PERSON_MODES,
    OPEN_FOR_PROPOSALS,
    MeetingMode,
    MeetingStatus,
    SlotStatus,
)
from .models import MEETINGS_PER_PAIR, Meeting, new_uid
from .planning_models import (
    MeetingPlan,
    NeverTime,
    PlanItem,
    PlanningRun,
    PlanStatus,
    RunStatus,
    StudyDay,
)

TRAVEL_BUFFER = dt.timedelta(minutes=45)
EARLIEST_AFTER = dt.timedelta(days=2)  # time to prepare, as the suggested plan does


class NoPlan(ValidationError):
    """The planner found no full plan; ``reason`` says why (shown in Dutch via the message)."""

    def __init__(self, reason: planner.Reason, pair=None):
        super().__init__(reason_text(reason, pair), code=reason.code)
        self.reason = reason


def blocked_days(program, region: str | None, now: dt.datetime) -> frozenset[dt.date]:
    """Days of the window on which the meeting rules refuse any meeting (asked per day)."""
    facts = rules.SlotFacts(
        number=1,
        window_start=program.meetings_start,
        window_end=program.meetings_end,
        region=region,
        now=now - dt.timedelta(days=400),  # the past is the planner's ``earliest``
        gap=rules.min_gap(program),
    )
    noon = dt.time(12, 0)
    blocked = set()
    day = program.meetings_start
    while day <= program.meetings_end:
        start = dt.datetime.combine(day, noon, tzinfo=rules.LOCAL_TZ)
        if rules.check_slot(facts, start, start + rules.MEETING_LENGTH):
            blocked.add(day)
        day += dt.timedelta(days=1)
    return frozenset(blocked)


def problem_for(
    pair,
    mode: str,
    *,
    fixed: Mapping[int, dt.datetime] | None = None,
    targets: Mapping[int, dt.datetime] | None = None,
    now: dt.datetime | None = None,
    cache: dict | None = None,
) -> planner.Problem:
    """The planner's problem for ``pair``: everything both people and the school are busy."""
    now = now or timezone.now()
    program = pair.program
    region = planning.school_region(pair)
    cache = cache if cache is not None else {}
    key = ("blocked", program.pk, region, timezone.localdate(now))
    if key not in cache:
        cache[key] = blocked_days(program, region, now)
    study = frozenset(StudyDay.objects.filter(school=pair.school).values_list("date", flat=True))
    start = dt.datetime.combine(program.meetings_start, dt.time(0), tzinfo=rules.LOCAL_TZ)
    end = dt.datetime.combine(
        program.meetings_end + dt.timedelta(days=1), dt.time(0), tzinfo=rules.LOCAL_TZ
    )
    mentor_id, leader_id = pair.mentor.user_id, pair.schoolleider.user_id
    connected = calendars.busy_of([mentor_id, leader_id], start, end)
    # The pair's own meetings are not "busy": they are ``fixed`` or being (re)planned.
    own = set(
        Meeting.objects.filter(pair=pair, status__in=BOOKED).values_list("starts_at", "ends_at")
    )
    busy = {}
    for person, uid in (("mentor", mentor_id), ("schoolleider", leader_id)):
        other = [
            (s, e) for s, e, _label in planning.busy_times([uid], start, end) if (s, e) not in own
        ]
        busy[person] = other + connected[uid]
    weekly = tuple(
        planner.WeeklyBlock(
            "mentor" if uid == mentor_id else "schoolleider", weekday, start_time, end_time
        )
        for uid, weekday, start_time, end_time in NeverTime.objects.filter(
            user_id__in=[mentor_id, leader_id]
        ).values_list("user_id", "weekday", "start_time", "end_time")
    )
    if fixed is None:
        fixed = {
            m.number: m.starts_at
            for m in Meeting.objects.filter(pair=pair, status__in=BOOKED)
            if m.starts_at
        }
    return planner.Problem(
        window_start=program.meetings_start,
        window_end=program.meetings_end,
        earliest=now + EARLIEST_AFTER,
        numbers=tuple(range(1, MEETINGS_PER_PAIR + 1)),
        busy=busy,
        weekly=weekly,
        blocked_days=cache[key] | study,
        fixed=dict(fixed),
        targets=dict(targets) if targets else None,
        in_person=mode in IN_PERSON_MODES,
        travel=TRAVEL_BUFFER,
        min_gap=rules.min_gap(program),
        length=rules.MEETING_LENGTH,
        day_start=rules.DAY_START,
        day_end=rules.DAY_END,
        local_tz=rules.LOCAL_TZ,
    )


def _month_names(months) -> str:
    return ", ".join(date_format(dt.date(year, month, 1), "F Y") for year, month in months)


def reason_text(reason: planner.Reason | dict, pair=None) -> str:
    """The Dutch explanation of why the planner found no full plan."""
    if isinstance(reason, dict):
        reason = planner.Reason(
            code=reason["code"],
            person=reason.get("person", ""),
            full_months={
                k: tuple(tuple(m) for m in v) for k, v in reason.get("full_months", {}).items()
            },
            fits=reason.get("fits", 0),
        )
    who = {"mentor": _("de mentor"), "schoolleider": _("de schoolleider")}
    if reason.code == planner.NO_DAYS:
        return _(
            "Er is in de gespreksperiode geen werkdag meer over buiten de vakanties en feestdagen."
        )
    if reason.code == planner.PERSON_FULL:
        return _(
            "De agenda van %(who)s is vol op elke schooldag in de gespreksperiode (%(months)s)."
        ) % {
            "who": who.get(reason.person, reason.person),
            "months": _month_names(reason.full_months.get(reason.person, ())),
        }
    if reason.code == planner.NO_COMMON:
        parts = [
            _("%(who)s is vol in %(months)s") % {"who": who[person], "months": _month_names(months)}
            for person, months in reason.full_months.items()
            if months
        ]
        text = _("De mentor en de schoolleider zijn nooit tegelijk vrij.")
        return f"{text} {'; '.join(parts)}." if parts else text
    if reason.code == planner.SPACING:
        return _(
            "Er zijn gezamenlijke vrije momenten, maar niet genoeg met %(days)s dagen ertussen: "
            "%(fits)s van de gesprekken passen."
        ) % {
            "days": pair and rules.min_gap(pair.program).days or rules.MIN_GAP.days,
            "fits": reason.fits,
        }
    return _("Er is geen plan gevonden.")


def reason_dict(reason: planner.Reason) -> dict:
    return {
        "code": reason.code,
        "person": reason.person,
        "full_months": {k: [list(m) for m in v] for k, v in reason.full_months.items()},
        "fits": reason.fits,
    }


def _checked(pair, result: planner.Plan, todo, now) -> list[str]:
    """Every rule the plan breaks after all (should be none: the planner keeps the rules)."""
    errors = []
    program = pair.program
    region = planning.school_region(pair)
    for number in todo:
        start = result.starts[number]
        facts = rules.SlotFacts(
            number=number,
            window_start=program.meetings_start,
            window_end=program.meetings_end,
            region=region,
            now=now,
            neighbours={n: s for n, s in result.starts.items() if n != number},
            gap=rules.min_gap(program),
        )
        errors += rules.check_slot(facts, start, start + rules.MEETING_LENGTH)
    return errors


def compute(pair, mode: str, *, now=None, cache=None, **kwargs) -> planner.Plan:
    now = now or timezone.now()
    return planner.plan(problem_for(pair, mode, now=now, cache=cache, **kwargs))


def open_plan(pair) -> MeetingPlan | None:
    return (
        MeetingPlan.objects.filter(pair=pair, status=PlanStatus.OPEN)
        .prefetch_related("items")
        .first()
    )


@transaction.atomic
def plan_propose(*, pair, mode: str, by=None, run=None, cache=None) -> MeetingPlan:
    """Propose times for every meeting of ``pair`` still to plan (replaces an open plan)."""
    if by is not None:
        planning._member_side(pair, by)
    if mode not in MeetingMode.values or mode == MeetingMode.ADDRESS:
        raise ValidationError(
            _("Kies hoe de gesprekken plaatsvinden: op het bedrijf, op de school of online.")
        )
    now = timezone.now()
    meetings = list(Meeting.objects.filter(pair=pair).order_by("number"))
    todo = [m.number for m in meetings if m.status in OPEN_FOR_PROPOSALS]
    if not todo:
        raise ValidationError(_("Alle gesprekken zijn al gepland."))
    result = compute(pair, mode, now=now, cache=cache)
    if result.reason is not None:  # not ``result.complete``
        raise NoPlan(result.reason, pair)
    problems = _checked(pair, result, todo, now)
    if problems:
        raise ValidationError(problems)
    return _store(pair, mode, {n: result.starts[n] for n in todo}, run=run)


def _store(pair, mode, starts: Mapping[int, dt.datetime], *, run=None, changes=None):
    MeetingPlan.objects.filter(pair=pair, status=PlanStatus.OPEN).update(
        status=PlanStatus.SUPERSEDED
    )
    plan = MeetingPlan.objects.create(pair=pair, mode=mode, run=run, changes=changes or [])
    PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, number=n, starts_at=s, ends_at=s + rules.MEETING_LENGTH)
            for n, s in sorted(starts.items())
        ]
    )
    return plan


def _lock_plan(plan: MeetingPlan) -> MeetingPlan:
    return MeetingPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_accept(*, plan: MeetingPlan, by) -> MeetingPlan:
    """``by`` accepts the plan; once both have, every meeting in it is booked (invites go out)."""
    pair = plan.pair
    side = planning._member_side(pair, by)
    planning._lock_people(pair)
    plan = _lock_plan(plan)
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Dit plan is niet meer open: het is al geaccepteerd of vervangen."))
    field = "mentor_accepted_at" if side == "mentor" else "schoolleider_accepted_at"
    if getattr(plan, field) is None:
        setattr(plan, field, timezone.now())
    plan.save(update_fields=[field])
    if plan.mentor_accepted_at and plan.schoolleider_accepted_at:
        _book(plan, by)
        plan.status = PlanStatus.ACCEPTED
        plan.save(update_fields=["status"])
    return plan


def _book(plan: MeetingPlan, by) -> None:
    """Book every meeting of the plan, all or nothing, with the same rules as one booking."""
    pair = plan.pair
    errors = []
    booked = []
    for item in plan.items.order_by("number"):
        meeting = planning._lock_meeting(Meeting.objects.get(pair=pair, number=item.number).pk)
        if meeting.status not in OPEN_FOR_PROPOSALS:
            errors.append(_("Gesprek %(n)s is intussen al gepland.") % {"n": item.number})
            continue
        # Book in order, so each later meeting is checked against the earlier ones.
        problems = planning.check_time(meeting, item.starts_at)
        if problems:
            errors += [
                _("Gesprek %(n)s: %(problem)s") % {"n": item.number, "problem": p} for p in problems
            ]
            continue
        if meeting.planned_at is not None:
            meeting.uid, meeting.sequence = new_uid(), 0
        meeting.status = MeetingStatus.PLANNED
        meeting.starts_at, meeting.ends_at = item.starts_at, item.ends_at
        meeting.mode = plan.mode
        meeting.location = planning.default_location(pair, plan.mode)
        meeting.online_url = ""
        meeting.planned_at = timezone.now()
        meeting.changed_by = by
        meeting.change_reason = ""
        meeting.save()
        meeting.slots.filter(status=SlotStatus.OPEN).update(status=SlotStatus.SUPERSEDED)
        booked.append(meeting)
    if errors:
        raise ValidationError([_("Het plan past niet meer; vraag een nieuw plan."), *errors])
    planning._refresh_suggestions(pair)
    for meeting in booked:
        planning._send_invites(meeting, "meeting_accepted", actor=by)


@transaction.atomic
def plan_move(*, plan: MeetingPlan, number: int, starts_at: dt.datetime, by) -> MeetingPlan:
    """Move one meeting of an open plan; the later ones re-flow (staying put where they can).

    The earlier meetings stay; both people accept the new plan again, and it lists what
    changed.
    """
    pair = plan.pair
    planning._member_side(pair, by)
    plan = _lock_plan(plan)
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Dit plan is niet meer open: het is al geaccepteerd of vervangen."))
    items = {i.number: i.starts_at for i in plan.items.all()}
    if number not in items:
        raise ValidationError(_("Dit gesprek staat niet in het plan."))
    meeting = Meeting.objects.get(pair=pair, number=number)
    problems = planning.check_time(meeting, starts_at)
    earlier = {n: s for n, s in items.items() if n < number}
    for other, other_start in earlier.items():
        if starts_at < other_start + rules.min_gap(pair.program) * (number - other):
            problems.append(
                _(
                    "Gesprek %(n)s moet minstens %(days)s dagen na gesprek %(other)s (%(when)s) zijn."
                )
                % {
                    "n": number,
                    "days": rules.min_gap(pair.program).days * (number - other),
                    "other": other,
                    "when": rules.show(other_start),
                }
            )
    if problems:
        raise ValidationError(problems)
    fixed = {
        m.number: m.starts_at
        for m in Meeting.objects.filter(pair=pair, status__in=BOOKED)
        if m.starts_at
    }
    fixed.update(earlier)
    fixed[number] = starts_at
    later = {n: s for n, s in items.items() if n > number}
    result = compute(pair, plan.mode, fixed=fixed, targets=later)
    if result.reason is not None:  # not ``result.complete``
        raise ValidationError(
            [
                _("Na deze verplaatsing passen de latere gesprekken niet meer:"),
                reason_text(result.reason, pair),
            ]
        )
    new = {n: result.starts[n] for n in items}
    changes = [
        {"number": n, "before": items[n].isoformat(), "after": new[n].isoformat()}
        for n in sorted(items)
        if new[n] != items[n]
    ]
    return _store(pair, plan.mode, new, run=plan.run, changes=changes)


def _booked_start(meeting: Meeting) -> dt.datetime:
    """The time of a planned (or held) meeting: booking a slot or a plan always sets it."""
    assert meeting.starts_at is not None, meeting.pk
    return meeting.starts_at


@transaction.atomic
def booked_move(*, pair, number: int, starts_at: dt.datetime, by, reason: str) -> list[dict]:
    """Move a planned meeting; later planned meetings re-flow where the spacing needs it.

    Earlier meetings stay; a later meeting keeps its time whenever it still fits, otherwise
    the planner moves it as little as possible. Every moved meeting keeps its calendar UID
    with a higher SEQUENCE and both people get the usual "moved" email. Returns what
    changed: ``[{"number", "before", "after"}]`` (shown as text). All or nothing.
    """
    planning._member_side(pair, by)
    planning._lock_people(pair)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Geef kort de reden van het verplaatsen; de ander krijgt die te lezen.")
        )
    now = timezone.now()
    meetings = {
        m.number: m
        for m in Meeting.objects.select_for_update().filter(pair=pair).order_by("number")
    }
    meeting = meetings.get(number)
    if meeting is None or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Alleen een gepland gesprek kan worden verplaatst."))
    if _booked_start(meeting) <= now:
        raise ValidationError(
            _("Dit gesprek is al begonnen of voorbij; verplaatsen kan niet meer.")
        )
    movable = {
        n: m
        for n, m in meetings.items()
        if n > number and m.status == MeetingStatus.PLANNED and _booked_start(m) > now
    }
    fixed = {
        n: m.starts_at
        for n, m in meetings.items()
        if m.status in BOOKED and m.starts_at and n not in movable and n != number
    }
    fixed[number] = starts_at
    problem = problem_for(
        pair, meeting.mode, fixed=fixed, targets={n: _booked_start(m) for n, m in movable.items()}
    )
    # Only booked meetings move here; meetings still to plan keep their own suggestions.
    problem = dataclasses.replace(problem, numbers=tuple(sorted({*fixed, *movable})))
    result = planner.plan(problem)
    if result.reason is not None:  # not ``result.complete``
        raise ValidationError(
            [
                _("Na deze verplaatsing passen de latere gesprekken niet meer:"),
                reason_text(result.reason, pair),
            ]
        )
    new = {number: starts_at, **{n: result.starts[n] for n in movable}}
    changes = []
    moved = []
    for n, when in sorted(new.items()):
        m = meetings[n]
        before = _booked_start(m)  # ``number`` and the movable ones are all planned
        if when == before:
            continue
        changes.append({"number": n, "before": before.isoformat(), "after": when.isoformat()})
        planning._cancel_pending_reminders(m)
        previous = rules.show(before)
        m.starts_at, m.ends_at = when, when + rules.MEETING_LENGTH
        m.sequence += 1
        m.change_reason = (
            reason
            if n == number
            else _("Meegeschoven omdat gesprek %(n)s is verplaatst: %(reason)s")
            % {"n": number, "reason": reason}
        )[:300]
        m.changed_by = by
        m.save()
        moved.append((m, previous))
    # With every change in place, each moved meeting must pass the ordinary rules.
    errors = []
    for m, _previous in moved:
        errors += [
            _("Gesprek %(n)s: %(problem)s") % {"n": m.number, "problem": p}
            for p in planning.check_time(m, _booked_start(m))
        ]
    if errors:
        raise ValidationError(errors)
    planning._refresh_suggestions(pair)
    for m, previous in moved:
        planning._send_invites(
            m, "meeting_moved", actor=by, reason=m.change_reason, previous=previous
        )
    return changes


def changes_for_display(plan) -> list[dict]:
    """What changed, as people read it (a plan, or the list ``booked_move`` returns)."""
    changes = plan if isinstance(plan, list) else plan.changes
    return [
        {
            "number": c["number"],
            "before": rules.show(dt.datetime.fromisoformat(c["before"])),
            "after": rules.show(dt.datetime.fromisoformat(c["after"])),
        }
        for c in changes
    ]


# --- Planning every pair of a program at once ---------------------------------------------


def pairs_to_plan(program):
    """Active pairs with a meeting still to plan and no open plan."""
    from mentoring.pairs.enums import PairStatus
    from mentoring.pairs.models import Pair

    booked_all = (
        Pair.objects.filter(program=program, meetings__status__in=BOOKED)
        .values("pk")
        .annotate(n=models.Count("meetings"))
        .filter(n__gte=MEETINGS_PER_PAIR)
    )
    return (
        Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
        .exclude(pk__in=booked_all.values("pk"))
        .exclude(plans__status=PlanStatus.OPEN)
        .select_related("program", "school", "mentor__user", "schoolleider__user")
        .order_by("pk")
    )


PROGRESS_EVERY = 25


def run_execute(run_id: int) -> int:
    """Plan each pair in its own transaction (a failure never undoes another pair's plan)."""
    run = PlanningRun.objects.select_related("program").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run.planned
    PlanningRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    pairs = list(pairs_to_plan(run.program))
    cache: dict = {}
    done = planned = 0
    failures = []
    try:
        for pair in pairs:
            if not Meeting.objects.filter(pair=pair).exists():
                planning.meetings_create_for_pair(pair=pair)
            try:
                plan_propose(pair=pair, mode=MeetingMode.SCHOOL, run=run, cache=cache)
                planned += 1
            except NoPlan as exc:
                failures.append(
                    {
                        "pair": pair.pk,
                        "name": str(pair),
                        "code": exc.reason.code,
                        "reason": reason_dict(exc.reason),
                    }
                )
            except ValidationError as exc:
                failures.append(
                    {"pair": pair.pk, "name": str(pair), "code": "rules", "messages": exc.messages}
                )
            done += 1
            if done % PROGRESS_EVERY == 0:
                PlanningRun.objects.filter(pk=run.pk).update(
                    done=done, planned=planned, failures=failures
                )
    except Exception:
        PlanningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            done=done,
            planned=planned,
            failures=failures,
            finished_at=timezone.now(),
        )
        raise
    PlanningRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        total=max(run.total, len(pairs)),
        done=done,
        planned=planned,
        failures=failures,
        finished_at=timezone.now(),
    )
    return planned


def failure_rows(run: PlanningRun) -> list[dict]:
    """The pairs without a full plan, each with its reason in the reader's language."""
    rows = []
    for failure in run.failures:
        if failure.get("reason"):
            text = reason_text(failure["reason"])
        else:
            text = " ".join(failure.get("messages", [])) or _("Er is geen plan gevonden.")
        rows.append({"pair": failure["pair"], "name": failure["name"], "reason": text})
    return rows


def failure_summary(run: PlanningRun) -> list[tuple[str, int]]:
    """How many pairs failed for each kind of reason, most common first."""
    labels = {
        planner.NO_DAYS: _("geen werkdag over in de periode"),
        planner.PERSON_FULL: _("de agenda van één van beiden is vol"),
        planner.NO_COMMON: _("nooit tegelijk vrij"),
        planner.SPACING: _("te weinig ruimte voor de tussentijd"),
    }
    counts: dict[str, int] = {}
    for failure in run.failures:
        label = labels.get(failure.get("code"), _("andere regel"))
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])
