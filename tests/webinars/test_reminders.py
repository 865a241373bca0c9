"""The two-days-before reminder: sent once, never for an old version of a session."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.enums import Status
from notifications.models import Notification
from people.enums import RoleKind
from webinars import reminders, services, tasks
from webinars.models import WebinarSession

from .helpers import make_session, role_of, sent_mail


def _session_with_place(program, mentor, *, hours_ahead=40):
    """A session ``hours_ahead`` from now, with ``mentor`` registered a week ago."""
    session = make_session(program, starts_at=timezone.now() + dt.timedelta(days=10))
    reg = services.register(session=session, role=role_of(mentor, program, RoleKind.MENTOR))
    WebinarSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=hours_ahead),
        ends_at=timezone.now() + dt.timedelta(hours=hours_ahead, minutes=90),
    )
    reg.__class__.objects.filter(pk=reg.pk).update(
        confirmed_at=timezone.now() - dt.timedelta(days=7)
    )
    sent_mail()
    session.refresh_from_db()
    return session


def test_reminder_is_sent_once_with_the_join_link(program, mentor):
    session = _session_with_place(program, mentor)
    assert reminders.send_session_reminders(session_id=session.pk, sequence=session.sequence) == 1
    [msg] = sent_mail()
    assert "Herinnering" in msg.subject and session.meeting_url in msg.body
    assert session.meeting_url in msg.alternatives[0][0]
    assert Notification.objects.get(kind="webinar_reminder").essential is False


def test_reminder_task_running_twice_sends_once(program, mentor):
    session = _session_with_place(program, mentor)
    tasks.send_session_reminders.call(session.pk, session.sequence)
    tasks.send_session_reminders.call(session.pk, session.sequence)  # restarted worker
    assert len(sent_mail()) == 1
    assert Notification.objects.filter(kind="webinar_reminder").count() == 1


def test_reminder_command_and_task_together_send_once(program, mentor):
    session = _session_with_place(program, mentor)
    call_command("run_periodic", "--job", "webinars.reminders", verbosity=0)
    call_command("run_periodic", "--job", "webinars.reminders", "--now", verbosity=0)
    tasks.send_session_reminders.call(session.pk, session.sequence)
    assert len(sent_mail()) == 1


def test_reminder_not_sent_before_the_window(program, mentor):
    session = _session_with_place(program, mentor, hours_ahead=60)
    assert reminders.send_session_reminders(session_id=session.pk, sequence=session.sequence) == 0
    assert reminders.send_due_reminders() == 0
    assert sent_mail() == []


def test_changed_session_never_sends_the_old_reminder(program, mentor, staff):
    session = _session_with_place(program, mentor)
    old_sequence = session.sequence
    services.session_update(
        session=session, actor=staff, meeting_url="https://meet.example.org/nieuw"
    )
    sent_mail()  # the change notice itself
    assert reminders.send_session_reminders(session_id=session.pk, sequence=old_sequence) == 0
    assert sent_mail() == []
    # The sweep sends the reminder of the new version, with the new link.
    assert reminders.send_due_reminders() == 1
    [msg] = sent_mail()
    assert "https://meet.example.org/nieuw" in msg.body


def test_change_cancels_an_old_reminder_still_in_the_outbox(program, mentor, staff, settings):
    session = _session_with_place(program, mentor)
    # A reminder queued but not yet delivered (the worker is behind).
    reminders.send_session_reminders(session_id=session.pk, sequence=session.sequence)
    row = Notification.objects.get(kind="webinar_reminder")
    Notification.objects.filter(pk=row.pk).update(status=Status.QUEUED)
    services.session_update(session=session, actor=staff, meeting_url="https://meet.example.org/2")
    row.refresh_from_db()
    assert row.status == Status.CANCELLED


def test_cancelled_session_sends_no_reminder(program, mentor, staff):
    session = _session_with_place(program, mentor)
    services.session_cancel(session=session, actor=staff)
    sent_mail()
    session.refresh_from_db()
    assert reminders.send_session_reminders(session_id=session.pk, sequence=session.sequence) == 0
    assert reminders.send_due_reminders() == 0
    assert sent_mail() == []


def test_reminder_skips_people_who_registered_inside_the_window(program, mentor, other_mentor):
    session = _session_with_place(program, mentor)
    services.register(session=session, role=role_of(other_mentor, program, RoleKind.MENTOR))
    sent_mail()
    assert reminders.send_due_reminders() == 1
    assert [m.to for m in sent_mail()] == [[mentor.email]]


def test_reminder_task_for_a_deleted_session_returns_quietly(program, mentor):
    session = _session_with_place(program, mentor)
    pk, seq = session.pk, session.sequence
    session.delete()
    assert tasks.send_session_reminders.call(pk, seq) == 0


def test_create_and_change_queue_a_deferred_reminder_for_each_version(
    program, staff, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    start = timezone.now() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_create(
            program=program,
            actor=staff,
            title="Uitgesteld",
            starts_at=start,
            duration_minutes=90,
            meeting_url="https://m.example.org/a",
            capacity=5,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, actor=staff, starts_at=start + dt.timedelta(hours=2)
        )
    queued = [r for r in default_task_backend.results if r.task.name == "send_session_reminders"]
    assert [r.args for r in queued] == [[session.pk, 0], [session.pk, 1]]
    assert queued[0].task.run_after == start - dt.timedelta(hours=48)
    assert queued[1].task.run_after == start + dt.timedelta(hours=2) - dt.timedelta(hours=48)


def test_reminder_batch_gives_each_person_their_own_links(program, mentor, other_mentor):
    session = _session_with_place(program, mentor)
    other = services.register(session=session, role=role_of(other_mentor, program, RoleKind.MENTOR))
    other.__class__.objects.filter(pk=other.pk).update(
        confirmed_at=timezone.now() - dt.timedelta(days=7)
    )
    sent_mail()
    assert reminders.send_session_reminders(session_id=session.pk) == 2
    by_to = {msg.to[0]: msg.body for msg in sent_mail()}
    own = session.registrations.get(user=mentor)
    own_link = reverse("webinars:confirmation", args=[program.pk, own.pk])
    other_link = reverse("webinars:confirmation", args=[program.pk, other.pk])
    assert own_link in by_to[mentor.email] and other_link not in by_to[mentor.email]
    assert other_link in by_to[other_mentor.email] and own_link not in by_to[other_mentor.email]
