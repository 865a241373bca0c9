"""One plan for a pair's meetings: proposal, one-click acceptance, re-flow, planning runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentoring.meetings import jobs, planning, plans, rules
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.meetings.planning_models import (
    BusyBlock,
    CalendarConnection,
    NeverTime,
    PlanStatus,
    RunStatus,
    StudyDay,
)
from notifications.models import Notification
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(pair):
    return planning.meetings_create_for_pair(pair=pair)


def busy(user, start, end):
    connection, _ = CalendarConnection.objects.get_or_create(
        user=user, defaults={"url": "https://calendar.example.org/x.ics"}
    )
    BusyBlock.objects.create(connection=connection, starts_at=start, ends_at=end)


def items(plan):
    return {i.number: i.starts_at for i in plan.items.all()}


def test_plan_keeps_every_rule_and_avoids_both_calendars(pair, meetings, mentor, schoolleider):
    first = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    # Make the first proposal impossible: mentor busy then, schoolleider never on that weekday.
    taken = items(first)
    busy(mentor, taken[1] - dt.timedelta(hours=1), taken[1] + dt.timedelta(hours=3))
    local = taken[2].astimezone(h.AMS)
    NeverTime.objects.create(
        user=schoolleider, weekday=local.weekday(), start_time=dt.time(8), end_time=dt.time(20)
    )
    StudyDay.objects.create(school=pair.school, date=taken[3].astimezone(h.AMS).date())
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    new = items(plan)
    assert set(new) == {1, 2, 3}
    assert new[1] != taken[1]
    assert new[2].astimezone(h.AMS).weekday() != local.weekday()
    assert new[3].astimezone(h.AMS).date() != taken[3].astimezone(h.AMS).date()
    for number, start in new.items():
        meeting = Meeting.objects.get(pair=pair, number=number)
        assert planning.check_time(meeting, start) == []
    assert new[2] - new[1] >= rules.MIN_GAP and new[3] - new[2] >= rules.MIN_GAP
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED


def test_travel_time_around_in_person_meetings(pair, meetings, mentor):
    online = items(plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE))
    # Busy until 30 minutes before: fine online, not with 45 minutes travel.
    busy(mentor, online[1] - dt.timedelta(hours=2), online[1] - dt.timedelta(minutes=30))
    assert items(plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE))[1] == online[1]
    in_person = items(plans.plan_propose(pair=pair, mode=MeetingMode.SCHOOL))
    assert in_person[1] != online[1]


def test_no_plan_inside_school_holidays(pair, meetings):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    region = planning.school_region(pair)
    from mentoring.meetings import holidays

    for start in items(plan).values():
        assert holidays.holiday_on(start.astimezone(h.AMS).date(), region) is None


def test_both_accept_with_one_click_each_and_invites_go_out(pair, meetings, mentor, schoolleider):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.SCHOOL)
    plans.plan_accept(plan=plan, by=mentor)
    assert not Meeting.objects.filter(pair=pair, status=MeetingStatus.PLANNED).exists()
    plans.plan_accept(plan=plan, by=mentor)  # twice is harmless, still waits for the other
    assert Notification.objects.filter(kind="meeting_accepted").count() == 0
    plan = plans.plan_accept(plan=plan, by=schoolleider)
    assert plan.status == PlanStatus.ACCEPTED
    booked = {m.number: m for m in Meeting.objects.filter(pair=pair)}
    assert all(m.status == MeetingStatus.PLANNED for m in booked.values())
    assert {n: m.starts_at for n, m in booked.items()} == items(plan)
    assert booked[1].location  # the school's address
    assert Notification.objects.filter(kind="meeting_accepted").count() == 6
    with pytest.raises(ValidationError):
        plans.plan_accept(plan=plan, by=mentor)


def test_outsiders_cannot_accept(pair, meetings, other_mentor):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.SCHOOL)
    with pytest.raises(PermissionDenied):
        plans.plan_accept(plan=plan, by=other_mentor)
    with pytest.raises(PermissionDenied):
        plans.plan_propose(pair=pair, mode=MeetingMode.SCHOOL, by=other_mentor)


def test_accepting_is_all_or_nothing(pair, meetings, mentor, schoolleider, program):
    from tests.webinars import helpers as wh

    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    plans.plan_accept(plan=plan, by=mentor)
    # Meanwhile the schoolleider took a webinar place at the time of meeting 3.
    session = wh.make_session(program, starts_at=items(plan)[3])
    wh.place(session, schoolleider, kind="schoolleider")
    with pytest.raises(ValidationError) as info:
        plans.plan_accept(plan=plan, by=schoolleider)
    assert "vraag een nieuw plan" in " ".join(info.value.messages)
    assert not Meeting.objects.filter(pair=pair, status=MeetingStatus.PLANNED).exists()
    assert Notification.objects.filter(kind="meeting_accepted").count() == 0


def test_full_calendar_gets_a_dutch_reason(pair, meetings, mentor):
    start = h.ams(2026, 11, 1, 0)
    busy(mentor, start, h.ams(2027, 4, 1, 0))
    with pytest.raises(plans.NoPlan) as info:
        plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    text = info.value.messages[0]
    assert text.startswith("De agenda van de mentor is vol op elke schooldag")
    assert "januari 2027" in text


def test_moving_one_meeting_reflows_the_later_ones(pair, meetings, mentor, schoolleider):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    before = items(plan)
    plans.plan_accept(plan=plan, by=schoolleider)
    # Move meeting 1 to three days before meeting 2: meeting 2 must move, 3 stays if it can.
    target = before[2] - dt.timedelta(days=6)
    while planning.check_time(Meeting.objects.get(pair=pair, number=1), target):
        target += dt.timedelta(days=1)
    new_plan = plans.plan_move(plan=plan, number=1, starts_at=target, by=mentor)
    after = items(new_plan)
    assert after[1] == target
    assert after[2] >= target + rules.MIN_GAP
    assert after[3] == before[3]
    changed = {c["number"] for c in new_plan.changes}
    assert changed == {1, 2}
    shown = plans.changes_for_display(new_plan)
    assert shown[0]["before"] == rules.show(before[1])
    # Both accept again; the old plan is superseded.
    assert new_plan.schoolleider_accepted_at is None
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED


def test_moving_too_close_to_an_earlier_meeting_is_refused(pair, meetings, mentor):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    before = items(plan)
    with pytest.raises(ValidationError) as info:
        plans.plan_move(plan=plan, number=2, starts_at=before[1] + dt.timedelta(days=2), by=mentor)
    assert "na gesprek 1" in " ".join(info.value.messages)


def test_run_plans_every_pair_and_explains_the_others(
    program, staff, pair, other_pair, other_mentor, django_capture_on_commit_callbacks
):
    busy(other_mentor, h.ams(2026, 11, 1, 0), h.ams(2027, 4, 1, 0))
    with django_capture_on_commit_callbacks(execute=True):
        run = jobs.run_start(program=program, by=staff)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert (run.total, run.done, run.planned) == (2, 2, 1)
    rows = plans.failure_rows(run)
    assert [r["pair"] for r in rows] == [other_pair.pk]
    assert rows[0]["reason"].startswith("De agenda van de mentor is vol")
    assert plans.open_plan(pair) is not None
    assert plans.open_plan(other_pair) is None
    # A second run skips pairs with an open plan.
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.run_start(program=program, by=staff)
    again.refresh_from_db()
    assert again.total == 1


def test_only_one_run_at_a_time(program, staff, pair):
    jobs.run_start(program=program, by=staff)  # queued: on_commit never fires here
    with pytest.raises(ValidationError):
        jobs.run_start(program=program, by=staff)


@pytest.fixture
def booked(pair, meetings, mentor, schoolleider):
    plan = plans.plan_propose(pair=pair, mode=MeetingMode.ONLINE)
    plans.plan_accept(plan=plan, by=mentor)
    plans.plan_accept(plan=plan, by=schoolleider)
    return {m.number: m for m in Meeting.objects.filter(pair=pair)}


def _allowed_near(pair, number, moment):
    meeting = Meeting.objects.get(pair=pair, number=number)
    facts_ok = None
    while facts_ok is None:
        # Only the day rules matter here (weekday, holidays); spacing is what re-flows.
        problems = [
            p
            for p in planning.check_time(meeting, moment)
            if "weken" not in p and "overlapt" not in p
        ]
        if not problems:
            facts_ok = moment
        else:
            moment += dt.timedelta(days=1)
    return facts_ok


def test_moving_a_booked_meeting_reflows_the_later_booked_ones(pair, booked, mentor):
    before = {n: m.starts_at for n, m in booked.items()}
    target = _allowed_near(pair, 1, before[2] - dt.timedelta(days=5))
    changes = plans.booked_move(pair=pair, number=1, starts_at=target, by=mentor, reason="Ziek")
    after = {m.number: m for m in Meeting.objects.filter(pair=pair)}
    assert after[1].starts_at == target
    assert after[2].starts_at >= target + rules.MIN_GAP
    assert after[3].starts_at - after[2].starts_at >= rules.MIN_GAP
    assert {c["number"] for c in changes} >= {1, 2}
    assert after[1].sequence == booked[1].sequence + 1
    assert after[2].sequence == booked[2].sequence + 1
    assert "Meegeschoven omdat gesprek 1 is verplaatst" in after[2].change_reason
    moved = Notification.objects.filter(kind="meeting_moved").count()
    assert moved == 2 * len(changes)
    shown = plans.changes_for_display(changes)
    assert shown[0]["before"] == rules.show(before[1])


def test_booked_move_keeps_later_meetings_when_they_still_fit(pair, booked, mentor):
    before = {n: m.starts_at for n, m in booked.items()}
    target = _allowed_near(pair, 1, before[1] + dt.timedelta(days=1))
    if target > before[2] - rules.MIN_GAP:
        pytest.skip("no allowed day near meeting 1")
    changes = plans.booked_move(pair=pair, number=1, starts_at=target, by=mentor, reason="Ziek")
    assert [c["number"] for c in changes] == [1]
    assert Meeting.objects.get(pair=pair, number=2).starts_at == before[2]


def test_booked_move_refusals_change_nothing(pair, booked, mentor, other_mentor):
    before = {n: m.starts_at for n, m in booked.items()}
    saturday = h.ams(2026, 12, 5, 15)
    with pytest.raises(ValidationError) as info:
        plans.booked_move(pair=pair, number=1, starts_at=saturday, by=mentor, reason="Ziek")
    assert "weekenddag" in " ".join(info.value.messages)
    with pytest.raises(ValidationError):
        plans.booked_move(pair=pair, number=1, starts_at=before[1], by=mentor, reason=" ")
    with pytest.raises(PermissionDenied):
        plans.booked_move(pair=pair, number=1, starts_at=before[1], by=other_mentor, reason="x")
    assert {m.number: m.starts_at for m in Meeting.objects.filter(pair=pair)} == before
    assert Notification.objects.filter(kind="meeting_moved").count() == 0


def test_public_holidays_from_the_rules_are_blocked(pair, program):
    region = planning.school_region(pair)
    blocked = plans.blocked_days(program, region, h.NOW)
    assert dt.date(2027, 3, 29) in blocked  # Tweede Paasdag, outside the school holidays
    assert dt.date(2027, 3, 26) not in blocked  # Goede Vrijdag: allowed (with a warning)
    assert dt.date(2027, 3, 30) not in blocked
    assert dt.date(2026, 12, 28) in blocked  # kerstvakantie
