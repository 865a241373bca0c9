"""Reminders two days before, sent once; moved or cancelled meetings never get the old one."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from mentoring.meetings import planning, reminders
from mentoring.meetings.enums import MeetingMode
from mentoring.meetings.models import Meeting
from notifications.enums import Status
from notifications.models import Notification
from tests.meetings import helpers as h


def _reminders():
    return [m for m in h.sent_mail() if m.subject.startswith("Herinnering")]


def test_reminder_goes_out_two_days_before_with_the_guide_link(pair, clock):
    h.plan(pair, 1, h.ams(2026, 12, 3))
    h.sent_mail()
    clock.set(h.ams(2026, 11, 30, 15))  # more than two days before: nothing yet
    assert reminders.reminders_send_due() == 0
    clock.set(h.ams(2026, 12, 1, 15, 30))
    assert reminders.reminders_send_due() == 2
    messages = _reminders()
    assert sorted(m.to[0] for m in messages) == sorted(
        [pair.mentor.user.email, pair.schoolleider.user.email]
    )
    assert all(f"/koppel/{pair.pk}/gesprekken/" in m.body for m in messages)


def test_reminder_is_sent_once_when_the_worker_runs_twice(pair, clock):
    h.plan(pair, 1, h.ams(2026, 12, 3))
    h.sent_mail()
    clock.set(h.ams(2026, 12, 1, 16))
    call_command("run_periodic", "--job", "meetings.reminders", verbosity=0)  # cron
    call_command("run_periodic", "--job", "meetings.reminders", "--now", verbosity=0)  # again
    assert len(_reminders()) == 2


def test_reminder_is_sent_once_when_a_worker_died_after_queueing(pair, clock):
    h.plan(pair, 1, h.ams(2026, 12, 3))
    h.sent_mail()
    clock.set(h.ams(2026, 12, 1, 16))
    reminders.reminders_send_due()
    # A restarted worker that lost its bookkeeping: the outbox dedupe key still holds.
    Meeting.objects.update(reminded_sequence=None)
    assert reminders.reminders_send_due() == 0
    assert len(_reminders()) == 2


def test_moved_meeting_never_gets_the_old_reminder(pair, clock):
    planned = h.plan(pair, 1, h.ams(2026, 12, 3))
    h.sent_mail()
    clock.set(h.ams(2026, 12, 1, 16))
    reminders.reminders_send_due()  # queued, not yet delivered
    planning.meeting_move(
        meeting=planned,
        by=pair.mentor.user,
        starts_at=h.ams(2026, 12, 10),
        mode=MeetingMode.SCHOOL,
        reason="Inspectiebezoek",
    )
    assert (
        Notification.objects.filter(kind="meeting_reminder", status=Status.CANCELLED).count() == 2
    )
    assert _reminders() == []
    clock.set(h.ams(2026, 12, 8, 16))
    assert reminders.reminders_send_due() == 2
    messages = _reminders()
    assert all("10 december" in m.body for m in messages)


def test_cancelled_meeting_gets_no_reminder(pair, clock):
    planned = h.plan(pair, 1, h.ams(2026, 12, 3))
    planning.meeting_cancel(meeting=planned, by=pair.mentor.user, reason="Ziek")
    h.sent_mail()
    clock.set(h.ams(2026, 12, 1, 16))
    assert reminders.reminders_send_due() == 0
    assert _reminders() == []


def test_reminder_respects_the_reminder_opt_out(pair, clock):
    from notifications.outbox import set_preferences

    set_preferences(user=pair.mentor.user, reminders=False, nudges=True)
    h.plan(pair, 1, h.ams(2026, 12, 3))
    h.sent_mail()
    clock.set(h.ams(2026, 12, 1, 16))
    reminders.reminders_send_due()
    assert [m.to[0] for m in _reminders()] == [pair.schoolleider.user.email]


def test_reminder_window_is_two_days(pair, clock):
    start = h.ams(2026, 12, 3)
    h.plan(pair, 1, start)
    clock.set(start - reminders.REMINDER_BEFORE - dt.timedelta(minutes=1))
    assert reminders.reminders_send_due() == 0
    clock.set(start - reminders.REMINDER_BEFORE)
    assert reminders.reminders_send_due() == 2
