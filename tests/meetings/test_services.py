"""Planning a pair's meetings through the services: propose, accept, move, cancel, held."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentoring.meetings import planning, rules
from mentoring.meetings.enums import MeetingMode, MeetingStatus, SlotStatus
from mentoring.meetings.models import Meeting
from tests import factories as f
from tests.meetings import helpers as h


def test_meetings_create_for_pair_is_idempotent_and_suggests_a_valid_spread(pair):
    first = planning.meetings_create_for_pair(pair=pair)
    again = planning.meetings_create_for_pair(pair=pair)
    assert [m.number for m in first] == [1, 2, 3]
    assert [m.pk for m in first] == [m.pk for m in again]
    assert Meeting.objects.filter(pair=pair).count() == 3
    starts = [rules.local(m.suggested_starts_at) for m in first]
    # Meeting 1 within three weeks of publication, 2 in January, 3 in March.
    assert starts[0].date() <= (h.NOW + dt.timedelta(days=21)).date()
    assert starts[1].month == 1 and starts[2].month == 3
    for m in first:
        assert planning.check_time(m, m.suggested_starts_at) == []
    assert all(m.status == MeetingStatus.UNPLANNED for m in first)


def test_suggestion_skips_the_christmas_holiday_and_keeps_two_weeks(program, mentor, schoolleider):
    program.meetings_start = dt.date(2026, 12, 14)
    program.save()
    pair = f.make_pair(program, mentor, schoolleider)
    m1, m2, _m3 = planning.meetings_create_for_pair(pair=pair)
    d1 = rules.local(m1.suggested_starts_at).date()
    assert not (dt.date(2026, 12, 19) <= d1 <= dt.date(2027, 1, 3))
    assert m2.suggested_starts_at - m1.suggested_starts_at >= dt.timedelta(days=14)


def test_meeting_propose_notifies_the_other_side(pair):
    planning.meetings_create_for_pair(pair=pair)
    slots = planning.meeting_propose(
        meeting=h.meeting(pair, 1),
        by=pair.mentor.user,
        slots=[
            h.slot(h.ams(2026, 12, 1)),
            h.slot(
                h.ams(2026, 12, 2, 10),
                MeetingMode.ONLINE,
                online_url="https://meet.example.org/abc",
            ),
        ],
    )
    assert len(slots) == 2
    assert h.meeting(pair, 1).status == MeetingStatus.PROPOSED
    [message] = h.sent_mail()
    assert message.to == [pair.schoolleider.user.email]
    assert "dinsdag 1 december 2026 15:00" in message.body


def test_meeting_propose_refuses_every_broken_rule_with_dutch_messages(pair):
    planning.meetings_create_for_pair(pair=pair)
    bad = [
        h.slot(h.ams(2026, 12, 5)),  # Saturday
        h.slot(h.ams(2026, 12, 22)),  # Christmas holiday (midden)
        h.slot(h.ams(2026, 12, 1, 19)),  # ends after 20:00
    ]
    with pytest.raises(ValidationError) as exc:
        planning.meeting_propose(meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=bad)
    text = " ".join(exc.value.messages)
    assert "Tijdstip 1:" in text and "weekenddag" in text
    assert "Tijdstip 2:" in text and "kerstvakantie van regio midden" in text
    assert "Tijdstip 3:" in text and "tussen 08:00 en 20:00" in text
    assert h.meeting(pair, 1).status == MeetingStatus.UNPLANNED
    assert h.sent_mail() == []


def test_meeting_propose_refuses_outside_window_past_and_missing_link(pair):
    planning.meetings_create_for_pair(pair=pair)
    with pytest.raises(ValidationError) as exc:
        planning.meeting_propose(
            meeting=h.meeting(pair, 1),
            by=pair.mentor.user,
            slots=[
                h.slot(h.ams(2027, 4, 6)),
                h.slot(h.ams(2026, 11, 19)),
                h.slot(h.ams(2026, 12, 1), MeetingMode.ONLINE),
            ],
        )
    text = " ".join(exc.value.messages)
    assert "valt daarbuiten" in text
    assert "in het verleden" in text
    assert "link voor het online gesprek" in text


def test_meeting_propose_by_an_outsider_is_refused(pair, other_mentor):
    planning.meetings_create_for_pair(pair=pair)
    with pytest.raises(PermissionDenied):
        planning.meeting_propose(
            meeting=h.meeting(pair, 1), by=other_mentor, slots=[h.slot(h.ams(2026, 12, 1))]
        )


def test_meeting_accept_plans_and_sends_both_an_invite(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    assert planned.status == MeetingStatus.PLANNED
    assert planned.starts_at == h.ams(2026, 12, 1)
    assert planned.ends_at - planned.starts_at == dt.timedelta(hours=2)
    assert planned.location.startswith("Basisschool")  # the school's address by default
    messages = [m for m in h.sent_mail() if "gepland" in m.subject]
    assert sorted(m.to[0] for m in messages) == sorted(
        [pair.mentor.user.email, pair.schoolleider.user.email]
    )
    for message in messages:
        assert b"METHOD:REQUEST" in h.attachment(message, "uitnodiging.ics")
        assert "bijlage" in message.body  # the email says the invite is attached


def test_meeting_accept_of_own_proposal_is_refused(pair):
    planning.meetings_create_for_pair(pair=pair)
    [s] = planning.meeting_propose(
        meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 1))]
    )
    with pytest.raises(ValidationError, match="eigen voorstel"):
        planning.meeting_accept(slot=s, by=pair.mentor.user)


def test_counter_proposal_supersedes_the_open_slots(pair):
    planning.meetings_create_for_pair(pair=pair)
    [first] = planning.meeting_propose(
        meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 1))]
    )
    planning.meeting_propose(
        meeting=h.meeting(pair, 1), by=pair.schoolleider.user, slots=[h.slot(h.ams(2026, 12, 3))]
    )
    first.refresh_from_db()
    assert first.status == SlotStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="niet meer open"):
        planning.meeting_accept(slot=first, by=pair.schoolleider.user)


def test_second_meeting_must_be_three_weeks_after_the_first(pair):
    """Three weeks is the default gap (a program setting)."""
    assert pair.program.meeting_gap_days == 21
    h.plan(pair, 1, h.ams(2026, 12, 1))
    with pytest.raises(ValidationError, match="minstens 3 weken na gesprek 1"):
        planning.meeting_propose(
            meeting=h.meeting(pair, 2), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 17))]
        )
        planning.meeting_propose(
            meeting=h.meeting(pair, 2), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 10))]
        )
    with pytest.raises(ValidationError, match="minstens 3 weken vóór gesprek 2"):
        h.plan(pair, 2, h.ams(2027, 1, 12))
        planning.meetings_create_for_pair(pair=pair)
        planning.meeting_move(
            meeting=h.meeting(pair, 1),
            by=pair.mentor.user,
            starts_at=h.ams(2027, 1, 5),
            mode=MeetingMode.SCHOOL,
            reason="Ziek",
        )


def test_the_gap_is_the_programs_own_setting(pair):
    program = pair.program
    program.meeting_gap_days = 10
    program.save(update_fields=["meeting_gap_days"])
    h.plan(pair, 1, h.ams(2026, 12, 1))
    with pytest.raises(ValidationError, match="minstens 10 dagen na gesprek 1"):
        planning.meeting_propose(
            meeting=h.meeting(pair, 2), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 10))]
        )
    # Eleven days later is allowed under this program's gap, not under the default.
    planning.meeting_propose(
        meeting=h.meeting(pair, 2), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 14))]
    )


def test_no_overlap_with_a_webinar_of_either_person(pair):
    from tests.webinars.helpers import make_session, place

    session = make_session(pair.program, starts_at=h.ams(2026, 12, 1, 16))
    place(session, pair.schoolleider.user, kind="schoolleider")
    planning.meetings_create_for_pair(pair=pair)
    with pytest.raises(ValidationError, match="overlapt met Webinar"):
        planning.meeting_propose(
            meeting=h.meeting(pair, 1), by=pair.mentor.user, slots=[h.slot(h.ams(2026, 12, 1, 15))]
        )


def test_no_overlap_with_a_meeting_of_the_same_person_in_another_pair(program, pair):
    # The same mentor also mentors in another (overlapping) program year.
    other_program = f.make_program(
        school_year="2025-2026",
        meetings_start=dt.date(2026, 11, 15),
        meetings_end=dt.date(2027, 3, 31),
    )
    mentor = pair.mentor.user
    f.make_role(mentor, other_program, "mentor")
    other = f.make_pair(other_program, mentor, f.make_schoolleider(other_program))
    h.plan(other, 1, h.ams(2026, 12, 1, 14))
    planning.meetings_create_for_pair(pair=pair)
    with pytest.raises(ValidationError, match="overlapt met een ander gesprek"):
        planning.meeting_propose(
            meeting=h.meeting(pair, 1),
            by=pair.schoolleider.user,
            slots=[h.slot(h.ams(2026, 12, 1, 15))],
        )


def test_meeting_move_keeps_the_uid_raises_sequence_and_tells_both(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    moved = planning.meeting_move(
        meeting=planned,
        by=pair.schoolleider.user,
        starts_at=h.ams(2026, 12, 3, 10),
        mode=MeetingMode.ONLINE,
        online_url="https://meet.example.org/x",
        reason="Teamoverleg",
    )
    assert moved.uid == planned.uid and moved.sequence == planned.sequence + 1
    assert moved.place == "https://meet.example.org/x"
    messages = h.sent_mail()
    assert len(messages) == 2
    assert all("Teamoverleg" in m.body and "verplaatst" in m.subject for m in messages)


def test_meeting_move_needs_a_reason_and_valid_time(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    with pytest.raises(ValidationError) as exc:
        planning.meeting_move(
            meeting=planned,
            by=pair.mentor.user,
            starts_at=h.ams(2026, 12, 6),
            mode=MeetingMode.SCHOOL,
            reason=" ",
        )
    assert any("reden" in m for m in exc.value.messages)
    assert any("weekenddag" in m for m in exc.value.messages)
    assert h.meeting(pair, 1).starts_at == h.ams(2026, 12, 1)


def test_meeting_cancel_then_replan_gets_a_new_calendar_event(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    cancelled = planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="Verhuizing")
    assert (
        cancelled.status == MeetingStatus.CANCELLED and cancelled.sequence == planned.sequence + 1
    )
    messages = h.sent_mail()
    assert len(messages) == 2
    assert all(b"METHOD:CANCEL" in h.attachment(m, "annulering.ics") for m in messages)
    again = h.plan(pair, 1, h.ams(2026, 12, 8))
    assert again.status == MeetingStatus.PLANNED and again.uid != planned.uid


def test_meeting_cancel_needs_a_reason(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    with pytest.raises(ValidationError, match="reden"):
        planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="")


def test_meeting_mark_held_only_after_it_started(pair, clock):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        planning.meeting_mark_held(meeting=planned, by=pair.mentor.user, held=True)
    clock.set(h.ams(2026, 12, 1, 17))
    held = planning.meeting_mark_held(meeting=planned, by=pair.schoolleider.user, held=True)
    assert held.status == MeetingStatus.HELD
    not_held = planning.meeting_mark_held(meeting=planned, by=pair.mentor.user, held=False)
    assert not_held.status == MeetingStatus.NOT_HELD


def test_meeting_mark_held_by_someone_else_is_refused(pair, other_mentor, clock):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    clock.set(h.ams(2026, 12, 2))
    with pytest.raises(PermissionDenied):
        planning.meeting_mark_held(meeting=planned, by=other_mentor, held=True)


def test_take_over_suggestion_proposes_all_three(pair):
    planning.meetings_create_for_pair(pair=pair)
    created = planning.meeting_take_over_suggestion(pair=pair, by=pair.schoolleider.user)
    assert len(created) == 3
    assert all(h.meeting(pair, n).status == MeetingStatus.PROPOSED for n in (1, 2, 3))
    for s in created:
        planning.meeting_accept(slot=s, by=pair.mentor.user)
    assert all(h.meeting(pair, n).status == MeetingStatus.PLANNED for n in (1, 2, 3))


def test_suggestions_follow_what_is_booked(pair):
    planning.meetings_create_for_pair(pair=pair)
    h.plan(pair, 1, h.ams(2027, 1, 20))
    m2, m3 = h.meeting(pair, 2), h.meeting(pair, 3)
    assert m2.suggested_starts_at >= h.ams(2027, 1, 20) + dt.timedelta(days=14)
    assert planning.check_time(m2, m2.suggested_starts_at) == []
    assert m3.suggested_starts_at >= m2.suggested_starts_at + dt.timedelta(days=14)
    assert h.meeting(pair, 1).suggested_starts_at is None  # planned: nothing to suggest


def test_suggestions_in_the_past_are_refreshed(pair, clock):
    [m1, _m2, _m3] = planning.meetings_create_for_pair(pair=pair)
    clock.set(m1.suggested_starts_at + dt.timedelta(days=1))
    [fresh, _, _] = planning.meetings_create_for_pair(pair=pair)
    assert fresh.suggested_starts_at > clock.now
    assert planning.check_time(fresh, fresh.suggested_starts_at) == []
