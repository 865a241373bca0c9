"""The read contracts other apps build on: busy intervals and calendar events."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests import factories as f
from webinars.enums import RegistrationStatus, SessionStatus
from webinars.selectors import busy_intervals, calendar_events_for, sessions_with_counts

from .helpers import make_session, place


def test_busy_intervals_lists_confirmed_places_overlapping_the_window(
    program, mentor, other_mentor
):
    s1 = make_session(program)
    s2 = make_session(program, starts_at=s1.starts_at + dt.timedelta(days=3))
    place(s1, mentor)
    place(s2, other_mentor)
    got = busy_intervals(
        [mentor.pk, other_mentor.pk],
        s1.starts_at - dt.timedelta(hours=1),
        s1.starts_at + dt.timedelta(minutes=1),
    )
    assert got == [(mentor.pk, s1.starts_at, s1.ends_at, "Webinar: Voorbereidend webinar")]
    assert got[0][1].utcoffset() == dt.timedelta(0)


def test_busy_intervals_excludes_waitlist_withdrawn_and_cancelled(program, mentor, other_mentor):
    s1 = make_session(program)
    place(s1, mentor, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    s2 = make_session(program, status=SessionStatus.CANCELLED)
    place(s2, other_mentor)
    window = (s1.starts_at - dt.timedelta(days=1), s1.starts_at + dt.timedelta(days=1))
    assert busy_intervals([mentor.pk, other_mentor.pk], *window) == []


def test_busy_intervals_window_is_half_open(program, mentor):
    s1 = make_session(program)
    place(s1, mentor)
    assert busy_intervals([mentor.pk], s1.ends_at, s1.ends_at + dt.timedelta(hours=1)) == []
    assert busy_intervals([mentor.pk], s1.starts_at - dt.timedelta(hours=1), s1.starts_at) == []


def test_busy_intervals_query_count_is_constant(program, django_assert_num_queries):
    sessions = [
        make_session(program, starts_at=timezone.now() + dt.timedelta(days=2, hours=i))
        for i in range(3)
    ]
    users = [f.make_mentor(program) for _ in range(5)]
    for i, user in enumerate(users):
        place(sessions[i % 3], user)
    with django_assert_num_queries(1):
        got = busy_intervals(
            [u.pk for u in users], timezone.now(), timezone.now() + dt.timedelta(days=5)
        )
    assert len(got) == 5


def test_calendar_events_for_participant_shows_place_and_cancellations(program, mentor):
    s1 = make_session(program, description="Welkom")
    reg = place(s1, mentor)
    s2 = make_session(program, title="Ander webinar")
    place(s2, mentor, status=RegistrationStatus.SWITCHED)
    events = {e["uid"]: e for e in calendar_events_for(mentor)}
    assert set(events) == {reg.uid, s2.registrations.get().uid}
    mine = events[reg.uid]
    assert mine["status"] == "CONFIRMED"
    assert mine["starts_at"] == s1.starts_at and mine["ends_at"] == s1.ends_at
    assert mine["url"] == s1.meeting_url and mine["location"] == s1.meeting_url
    assert "Welkom" in mine["description"] and mine["summary"] == "Webinar: Voorbereidend webinar"
    assert events[s2.registrations.get().uid]["status"] == "CANCELLED"


def test_calendar_events_for_staff_lists_program_sessions_only(
    program, coach_program, staff, other_mentor
):
    own = make_session(program)
    make_session(coach_program)
    events = calendar_events_for(staff)
    assert [e["uid"] for e in events] == [own.uid]
    assert calendar_events_for(other_mentor) == []


def test_calendar_events_for_query_count_is_constant(
    program, mentor, staff, django_assert_num_queries
):
    for i in range(4):
        s = make_session(program, starts_at=timezone.now() + dt.timedelta(days=3 + i))
        if i == 0:
            place(s, mentor)
    f.make_role(mentor, program, "staff")
    with django_assert_num_queries(2):
        events = calendar_events_for(mentor)
    assert len(events) == 5


def test_sessions_with_counts_counts_each_kind(program, mentor, other_mentor, schoolleider):
    s = make_session(program)
    place(s, mentor, attended=True)
    place(s, other_mentor, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    place(s, schoolleider, kind="schoolleider", status=RegistrationStatus.WITHDRAWN)
    [row] = sessions_with_counts(program)
    assert (row.n_confirmed, row.n_waitlisted, row.n_attended) == (1, 1, 1)


def test_my_webinar_ignores_a_waitlist_spot_for_a_started_session(program, mentor):
    from people.models import Role
    from webinars.selectors import my_webinar

    past = make_session(program, starts_at=timezone.now() - dt.timedelta(hours=1))
    place(past, mentor, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    role = Role.objects.get(user=mentor, program=program)
    assert my_webinar(role).waiting is None
    upcoming = make_session(program)
    Registration = past.registrations.model
    Registration.objects.filter(session=past).update(session=upcoming)
    assert my_webinar(role).waiting is not None
