"""Registrations, switching, waitlist, session changes and attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from people.enums import MentorStatus, RoleKind
from people.models import MentorProfile
from tests import factories as f
from webinars import services
from webinars.enums import RegistrationStatus, SessionStatus
from webinars.models import Registration

from .helpers import ics_of, make_session, role_of, sent_mail


@pytest.fixture
def mentor_role(mentor, program):
    return role_of(mentor, program, RoleKind.MENTOR)


@pytest.fixture
def other_role(other_mentor, program):
    return role_of(other_mentor, program, RoleKind.MENTOR)


def test_register_confirms_and_emails_an_invitation(program, mentor, mentor_role):
    session = make_session(program)
    reg = services.register(session=session, role=mentor_role)
    assert reg.status == RegistrationStatus.CONFIRMED and reg.user == mentor
    [msg] = sent_mail()
    assert msg.to == [mentor.email]
    assert "uitnodiging.ics" in msg.body and "bijlage" in msg.body
    cal = ics_of(msg)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == reg.uid


def test_register_refuses_a_second_place_in_the_same_session(program, mentor_role):
    session = make_session(program)
    services.register(session=session, role=mentor_role)
    with pytest.raises(services.WebinarError, match="al aangemeld"):
        services.register(session=session, role=mentor_role)


def test_register_full_session_raises_session_full(program, mentor_role, other_role):
    session = make_session(program, capacity=1)
    services.register(session=session, role=mentor_role)
    with pytest.raises(services.SessionFull):
        services.register(session=session, role=other_role)
    assert session.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_register_refused_after_start_and_for_cancelled_session(program, mentor_role):
    started = make_session(program, starts_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(services.WebinarError, match="begonnen"):
        services.register(session=started, role=mentor_role)
    cancelled = make_session(program, status=SessionStatus.CANCELLED)
    with pytest.raises(services.WebinarError, match="geannuleerd"):
        services.register(session=cancelled, role=mentor_role)


def test_register_refuses_schoolleider_unless_session_is_opened(program, schoolleider):
    role = role_of(schoolleider, program, RoleKind.SCHOOLLEIDER)
    closed = make_session(program)
    with pytest.raises(services.WebinarError, match="schoolleiders"):
        services.register(session=closed, role=role)
    opened = make_session(program, open_to_schoolleiders=True)
    assert services.register(session=opened, role=role).is_confirmed


def test_register_refuses_mentor_without_submitted_profile(program, mentor_role):
    MentorProfile.objects.filter(role=mentor_role).update(status=MentorStatus.DRAFT)
    with pytest.raises(services.WebinarError, match="mentorprofiel"):
        services.register(session=make_session(program), role=mentor_role)


def test_register_refuses_session_of_another_program(program, coach_program, mentor_role):
    with pytest.raises(services.WebinarError):
        services.register(session=make_session(coach_program), role=mentor_role)


def test_switch_moves_the_place_and_cancels_the_old_invite(program, mentor, mentor_role):
    a = make_session(program, title="A")
    b = make_session(program, title="B", starts_at=a.starts_at + dt.timedelta(days=1))
    old = services.register(session=a, role=mentor_role)
    sent_mail()
    new = services.register(session=b, role=mentor_role)
    old.refresh_from_db()
    assert old.status == RegistrationStatus.SWITCHED and old.sequence == 1
    assert new.session == b and new.is_confirmed
    mails = {m.subject: m for m in sent_mail()}
    cancel = next(m for s, m in mails.items() if "vrijgegeven" in s)
    cal = ics_of(cancel, "annulering.ics")
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == old.uid and int(event["SEQUENCE"]) == 1
    invite = next(m for s, m in mails.items() if "Aangemeld" in s)
    assert str(ics_of(invite).walk("VEVENT")[0]["UID"]) == new.uid


def test_switch_refused_once_the_current_session_started(program, mentor, mentor_role):
    started = make_session(program, starts_at=timezone.now() - dt.timedelta(minutes=10))
    Registration.objects.create(
        session=started,
        program=program,
        role=mentor_role,
        user=mentor,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        waitlisted_at=timezone.now(),
    )
    with pytest.raises(services.WebinarError, match="overstappen"):
        services.register(session=make_session(program), role=mentor_role)


def test_waitlist_only_when_full_and_first_in_line_gets_the_freed_place(
    program, mentor_role, other_role
):
    session = make_session(program, capacity=1)
    third = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    with pytest.raises(services.WebinarError, match="nog plaats"):
        services.join_waitlist(session=session, role=other_role)
    place = services.register(session=session, role=mentor_role)
    first = services.join_waitlist(session=session, role=other_role)
    second = services.join_waitlist(session=session, role=third)
    sent_mail()
    services.withdraw(registration=place)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_confirmed and second.is_waitlisted
    mails = sent_mail()
    promoted = [m for m in mails if m.to == [other_role.user.email]]
    assert len(promoted) == 1 and "plaats" in promoted[0].subject
    assert str(ics_of(promoted[0])["METHOD"]) == "REQUEST"
    withdrawn = [m for m in mails if m.to == [mentor_role.user.email]]
    assert str(ics_of(withdrawn[0], "annulering.ics")["METHOD"]) == "CANCEL"


def test_waitlist_twice_refused_and_a_new_waitlist_replaces_the_old(
    program, mentor_role, other_role
):
    third = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    a = make_session(program, capacity=1)
    b = make_session(program, capacity=1)
    services.register(session=a, role=third)
    services.register(session=b, role=other_role)
    spot_a = services.join_waitlist(session=a, role=mentor_role)
    with pytest.raises(services.WebinarError, match="wachtlijst"):
        services.join_waitlist(session=a, role=mentor_role)
    services.join_waitlist(session=b, role=mentor_role)
    spot_a.refresh_from_db()
    assert spot_a.status == RegistrationStatus.WITHDRAWN


def test_promotion_moves_a_place_held_elsewhere_and_passes_that_one_on(
    program, mentor_role, other_role
):
    third = role_of(f.make_mentor(program), program, RoleKind.MENTOR)
    full = make_session(program, capacity=1, title="Vol")
    other = make_session(program, capacity=1, title="Ander")
    holder = services.register(session=full, role=other_role)
    mine = services.register(session=other, role=mentor_role)  # mentor holds 'other'
    services.join_waitlist(session=full, role=mentor_role)  # ... and waits for 'full'
    services.join_waitlist(session=other, role=third)  # third waits for 'other'
    services.withdraw(registration=holder)
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.SWITCHED
    assert Registration.objects.get(role=mentor_role, status="confirmed").session == full
    assert Registration.objects.get(role=third, status="confirmed").session == other


def test_withdraw_after_start_refused_but_waitlist_spot_can_always_go(program, mentor, mentor_role):
    started = make_session(program, starts_at=timezone.now() - dt.timedelta(minutes=1))
    reg = Registration.objects.create(
        session=started,
        program=program,
        role=mentor_role,
        user=mentor,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        waitlisted_at=timezone.now(),
    )
    with pytest.raises(services.WebinarError, match="begonnen"):
        services.withdraw(registration=reg)
    reg.status = RegistrationStatus.WAITLISTED
    reg.save()
    assert services.withdraw(registration=reg).status == RegistrationStatus.WITHDRAWN


def test_session_update_raises_sequence_and_emails_updated_invite(
    program, mentor, mentor_role, staff
):
    session = make_session(program)
    reg = services.register(session=session, role=mentor_role)
    sent_mail()
    new_start = session.starts_at + dt.timedelta(hours=1)
    services.session_update(session=session, actor=staff, starts_at=new_start)
    session.refresh_from_db()
    reg.refresh_from_db()
    assert session.sequence == 1 and reg.sequence == 1
    assert session.ends_at == new_start + dt.timedelta(minutes=90)
    [msg] = sent_mail()
    assert "Gewijzigd" in msg.subject
    event = ics_of(msg).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == reg.uid
    assert event.decoded("dtstart") == new_start


def test_session_update_of_capacity_only_sends_nothing_and_promotes(
    program, mentor_role, other_role, staff
):
    session = make_session(program, capacity=1)
    services.register(session=session, role=mentor_role)
    spot = services.join_waitlist(session=session, role=other_role)
    sent_mail()
    services.session_update(session=session, actor=staff, capacity=2)
    session.refresh_from_db()
    spot.refresh_from_db()
    assert session.sequence == 0 and spot.is_confirmed
    assert [m.to for m in sent_mail()] == [[other_role.user.email]]


def test_session_update_refuses_capacity_below_places_taken(
    program, mentor_role, other_role, staff
):
    session = make_session(program, capacity=2)
    services.register(session=session, role=mentor_role)
    services.register(session=session, role=other_role)
    with pytest.raises(services.WebinarError) as exc:
        services.session_update(session=session, actor=staff, capacity=1)
    assert "capacity" in exc.value.message_dict


def test_session_cancel_ends_places_and_waitlist_with_cancel_invites(
    program, mentor, mentor_role, other_role, staff
):
    session = make_session(program, capacity=1)
    reg = services.register(session=session, role=mentor_role)
    spot = services.join_waitlist(session=session, role=other_role)
    sent_mail()
    services.session_cancel(session=session, actor=staff, reason="De spreker is ziek.")
    reg.refresh_from_db()
    spot.refresh_from_db()
    assert reg.status == spot.status == RegistrationStatus.SESSION_CANCELLED
    mails = {m.to[0]: m for m in sent_mail()}
    cal = ics_of(mails[mentor.email], "annulering.ics")
    assert (
        str(cal["METHOD"]) == "CANCEL"
        and int(cal.walk("VEVENT")[0]["SEQUENCE"]) == reg.sequence == 1
    )
    assert "De spreker is ziek." in mails[mentor.email].body
    assert mails[other_role.user.email].attachments == []
    with pytest.raises(services.WebinarError):
        services.session_update(session=session, actor=staff, capacity=5)


def test_session_create_refuses_past_and_bad_values(program, staff):
    with pytest.raises(services.WebinarError):
        services.session_create(
            program=program,
            actor=staff,
            title="x",
            starts_at=timezone.now() - dt.timedelta(hours=1),
            duration_minutes=90,
            meeting_url="https://m.example.org",
            capacity=3,
        )
    with pytest.raises(services.WebinarError):
        services.session_create(
            program=program,
            actor=staff,
            title="x",
            starts_at=timezone.now() + dt.timedelta(days=1),
            duration_minutes=90,
            meeting_url="https://m.example.org",
            capacity=0,
        )


def test_record_attendance_marks_checked_and_unchecked(program, mentor, other_mentor, staff):
    session = make_session(program, starts_at=timezone.now() + dt.timedelta(days=1))
    a = services.register(session=session, role=role_of(mentor, program, "mentor"))
    b = services.register(session=session, role=role_of(other_mentor, program, "mentor"))
    with pytest.raises(services.WebinarError, match="begonnen"):
        services.record_attendance(session=session, actor=staff, attended_ids=[a.pk])
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(minutes=30),
    )
    assert services.record_attendance(session=session, actor=staff, attended_ids=[a.pk]) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.attended is True and b.attended is False


def test_record_attendance_refuses_someone_not_registered(program, mentor, other_mentor, staff):
    session = make_session(program, starts_at=timezone.now() - dt.timedelta(hours=2))
    other = make_session(program, starts_at=timezone.now() + dt.timedelta(days=3))
    foreign = services.register(session=other, role=role_of(other_mentor, program, "mentor"))
    with pytest.raises(services.WebinarError, match="niet voor deze sessie"):
        services.record_attendance(session=session, actor=staff, attended_ids=[foreign.pk])
    assert Registration.objects.get(pk=foreign.pk).attended is None


def test_a_failed_write_sends_nothing(program, mentor_role, other_role):
    session = make_session(program, capacity=1)
    services.register(session=session, role=mentor_role)
    sent_mail()
    with pytest.raises(services.SessionFull):
        services.register(session=session, role=other_role)
    assert sent_mail() == []


class _Deadlock(Exception):
    sqlstate = "40P01"


def _failing_then(result, failures: int, cause=_Deadlock):
    from django.db import OperationalError

    calls = []

    def func():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("deadlock detected") from cause()
        return result

    return func, calls


def test_retry_on_deadlock_runs_the_transaction_again():
    func, calls = _failing_then("ok", failures=1)
    assert services.retry_on_deadlock(func)() == "ok" and len(calls) == 2


def test_retry_on_deadlock_gives_up_and_ignores_other_errors():
    from django.db import OperationalError

    func, calls = _failing_then("ok", failures=5)
    with pytest.raises(OperationalError):
        services.retry_on_deadlock(func)()
    assert len(calls) == 3

    class _Other(Exception):
        sqlstate = "53300"

    func, calls = _failing_then("ok", failures=1, cause=_Other)
    with pytest.raises(OperationalError):
        services.retry_on_deadlock(func)()
    assert len(calls) == 1


def test_retry_on_deadlock_leaves_an_outer_transaction_to_its_caller(db):
    from django.db import OperationalError

    func, calls = _failing_then("ok", failures=1)
    with pytest.raises(OperationalError):
        services.retry_on_deadlock(func)()  # the test's own transaction is open
    assert len(calls) == 1
