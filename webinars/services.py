"""Writes of the webinars app: sessions, registrations, waitlist, attendance; scheduling reminders.

Every public function is keyword-only and owns its transaction. The session row is the
lock: registering, switching, withdrawing, promoting from the waitlist and changing a
session all take ``select_for_update`` on it first, so two people can never take the last
place at once and a reminder never goes out for a version of the session that has just
changed. Emails go through ``notifications.notify`` inside the transaction (a rolled-back
change sends nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from people.enums import RoleKind
from people.models import Role

from . import mail, reminders
from .enums import ACTIVE_STATUSES, REMINDER_BEFORE_HOURS, RegistrationStatus, SessionStatus
from .models import Registration, WebinarSession
from .selectors import mentor_may_choose, waitlist_position
from .tasks import send_session_reminders

P = ParamSpec("P")
R = TypeVar("R")

# Fields whose change attendees must see in their calendar (raises SEQUENCE, emails).
CALENDAR_FIELDS = ("title", "description", "starts_at", "duration_minutes", "meeting_url")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "capacity", "host", "open_to_schoolleiders")


class WebinarError(ValidationError):
    """A refused action, with a message fit to show the person who tried it."""


class SessionFull(WebinarError):
    pass


# --- Helpers ----------------------------------------------------------------------------


def _is_deadlock(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in {"40P01", "40001"}


def retry_on_deadlock(func: Callable[P, R]) -> Callable[P, R]:
    """Run the whole transaction again if PostgreSQL picked it as a deadlock victim.

    Promotion can lock a second session that another transaction locked first (the
    cascade is not known up front), so a rare deadlock is possible; PostgreSQL aborts one
    side, which then simply runs again. Only at the outermost level: inside a caller's
    transaction the caller must decide.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(3):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if attempt == 2 or connection.in_atomic_block or not _is_deadlock(exc):
                    raise
        raise AssertionError("unreachable")

    return wrapper


def _lock(session_id: int) -> WebinarSession:
    return WebinarSession.objects.select_for_update().select_related("program").get(pk=session_id)


def _lock_many(session_ids: Iterable[int]) -> dict[int, WebinarSession]:
    """Lock sessions in primary-key order, so two transactions never wait on each other."""
    ids = sorted(set(session_ids))
    return {
        s.pk: s
        for s in WebinarSession.objects.select_for_update()
        .select_related("program")
        .filter(pk__in=ids)
        .order_by("pk")
    }


def _confirmed_count(session: WebinarSession) -> int:
    return Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()


def _schedule_reminder(session: WebinarSession) -> None:
    """After commit, queue this version's reminder for two days before the start.

    Backends that cannot defer (tests, ImmediateBackend) rely on the periodic sweep
    (``send_webinar_reminders``), which is also the safety net for a lost task.
    """
    if not default_task_backend.supports_defer:
        return
    run_after = session.starts_at - timedelta(hours=REMINDER_BEFORE_HOURS)
    session_id, sequence = session.pk, session.sequence
    transaction.on_commit(
        lambda: send_session_reminders.using(run_after=max(run_after, timezone.now())).enqueue(
            session_id, sequence
        ),
        robust=True,
    )


def check_may_take_part(*, role: Role, session: WebinarSession) -> None:
    if session.program_id != role.program_id:
        raise WebinarError(_("Deze sessie hoort niet bij uw programma."))
    if role.kind == RoleKind.SCHOOLLEIDER and not session.open_to_schoolleiders:
        raise WebinarError(_("Deze sessie is niet opengesteld voor schoolleiders."))
    if role.kind not in (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER):
        raise WebinarError(_("Alleen mentoren en schoolleiders kunnen zich aanmelden."))
    if role.kind == RoleKind.MENTOR and not mentor_may_choose(role):
        raise WebinarError(
            _("Vul eerst uw mentorprofiel in en dien het in; daarna kunt u een webinar kiezen.")
        )
    if session.is_cancelled:
        raise WebinarError(_("Deze sessie is geannuleerd. Kies een andere sessie."))
    if session.has_started():
        raise WebinarError(_("Deze sessie is al begonnen; aanmelden kan niet meer."))


# --- Staff: sessions --------------------------------------------------------------------


def _validate_session_values(values: dict) -> None:
    errors = {}
    if values.get("capacity") is not None and values["capacity"] < 1:
        errors["capacity"] = _("Geef minstens één plaats.")
    if values.get("duration_minutes") is not None and not 15 <= values["duration_minutes"] <= 480:
        errors["duration_minutes"] = _("Een webinar duurt tussen 15 en 480 minuten.")
    if errors:
        raise WebinarError(errors)


@transaction.atomic
def session_create(*, program, actor, **values) -> WebinarSession:
    """Schedule a session; ``values`` are the editable fields."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _validate_session_values(values)
    if values["starts_at"] <= timezone.now():
        raise WebinarError({"starts_at": _("Kies een moment in de toekomst.")})
    session = WebinarSession(program=program, **values)
    session.full_clean(exclude=["ends_at"])
    session.save()
    _schedule_reminder(session)
    return session


@retry_on_deadlock
@transaction.atomic
def session_update(*, session: WebinarSession, actor, **values) -> WebinarSession:
    """Change a session. Calendar changes raise SEQUENCE and email everyone with a place."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _validate_session_values(values)
    session = _lock(session.pk)
    if session.is_cancelled:
        raise WebinarError(_("Een geannuleerde sessie kan niet meer worden gewijzigd."))
    if session.has_started():
        raise WebinarError(_("Deze sessie is al begonnen en kan niet meer worden gewijzigd."))
    if "starts_at" in values and values["starts_at"] <= timezone.now():
        raise WebinarError({"starts_at": _("Kies een moment in de toekomst.")})
    taken = _confirmed_count(session)
    if "capacity" in values and values["capacity"] < taken:
        raise WebinarError(
            {
                "capacity": _(
                    "Er zijn al %(n)d aanmeldingen; minder plaatsen dan dat kan niet. "
                    "Plan liever een extra sessie."
                )
                % {"n": taken}
            }
        )
    calendar_changed = any(
        getattr(session, k) != v for k, v in values.items() if k in CALENDAR_FIELDS
    )
    for key, value in values.items():
        setattr(session, key, value)
    if calendar_changed:
        session.sequence += 1
    session.full_clean(exclude=["ends_at"])
    session.save()
    if calendar_changed:
        reminders.cancel_queued_reminders(session)
        confirmed = Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED
        )
        confirmed.update(sequence=F("sequence") + 1)
        for reg in confirmed.select_related("user", "session__program"):
            mail.send("webinar_changed", reg, attachments=[mail.invite(reg)])
        _schedule_reminder(session)
    _promote([session.pk])
    return session


@transaction.atomic
def session_cancel(*, session: WebinarSession, actor, reason: str = "") -> WebinarSession:
    """Cancel a session: every place and waitlist spot ends, with a METHOD:CANCEL invite."""
    session = _lock(session.pk)
    if session.is_cancelled:
        raise WebinarError(_("Deze sessie is al geannuleerd."))
    if session.has_started():
        raise WebinarError(_("Deze sessie is al begonnen en kan niet meer worden geannuleerd."))
    now = timezone.now()
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.cancel_reason = reason
    session.sequence += 1
    session.save()
    reminders.cancel_queued_reminders(session)
    active = list(
        Registration.objects.filter(
            session=session,
            status__in=ACTIVE_STATUSES,
        ).select_related("user", "session__program")
    )
    for reg in active:
        had_place = reg.is_confirmed
        reg.status = RegistrationStatus.SESSION_CANCELLED
        reg.ended_at = now
        if had_place:
            reg.sequence += 1
        reg.save(update_fields=["status", "ended_at", "sequence"])
        mail.send(
            "webinar_cancelled",
            reg,
            attachments=[mail.cancellation(reg)] if had_place else [],
            reason="session_cancelled",
            had_place=had_place,
            cancel_reason=reason,
        )
    return session


# --- Participants: register, switch, waitlist, withdraw ----------------------------------


def _end_place(reg: Registration, status: str, now: datetime, *, reason: str) -> None:
    reg.status = status
    reg.ended_at = now
    reg.sequence += 1
    reg.save(update_fields=["status", "ended_at", "sequence"])
    mail.send(
        "webinar_cancelled",
        reg,
        attachments=[mail.cancellation(reg)],
        reason=reason,
        had_place=True,
    )


@retry_on_deadlock
def register(*, session: WebinarSession, role: Role) -> Registration:
    """Take a place in ``session``; a place held in another session moves here (switch).

    Raises ``SessionFull`` when no place is left (the page then offers the waitlist).
    """
    with transaction.atomic():
        current = (
            Registration.objects.filter(role=role, status=RegistrationStatus.CONFIRMED)
            .select_related("session")
            .first()
        )
        ids = [session.pk] + ([current.session_id] if current else [])
        locked = _lock_many(ids)
        session = locked[session.pk]
        check_may_take_part(role=role, session=session)
        now = timezone.now()
        if current is not None:
            current = Registration.objects.select_related("session__program", "user").get(
                pk=current.pk
            )
            if current.status != RegistrationStatus.CONFIRMED:
                current = None
        if current is not None and current.session_id == session.pk:
            raise WebinarError(_("U bent al aangemeld voor deze sessie."))
        if current is not None and current.session.has_started(now):
            raise WebinarError(_("Uw huidige webinar is al begonnen; overstappen kan niet meer."))
        if _confirmed_count(session) >= session.capacity:
            raise SessionFull(_("Deze sessie is vol. U kunt zich op de wachtlijst zetten."))
        # Waiting here is over once the person has a place here.
        Registration.objects.filter(
            role=role, session=session, status=RegistrationStatus.WAITLISTED
        ).update(status=RegistrationStatus.WITHDRAWN, ended_at=now)
        if current is not None:
            _end_place(current, RegistrationStatus.SWITCHED, now, reason="switched")
        reg = Registration.objects.create(
            session=session,
            program=session.program,
            role=role,
            user=role.user,
            status=RegistrationStatus.CONFIRMED,
            waitlisted_at=now,
            confirmed_at=now,
        )
        mail.send(
            "webinar_registered",
            reg,
            attachments=[mail.invite(reg)],
            switched_from=current.session if current else None,
        )
        if current is not None:
            _promote([current.session_id])
        return reg


@retry_on_deadlock
@transaction.atomic
def join_waitlist(*, session: WebinarSession, role: Role) -> Registration:
    """Queue for a full session; an earlier waitlist spot elsewhere is given up."""
    session = _lock(session.pk)
    check_may_take_part(role=role, session=session)
    now = timezone.now()
    mine = Registration.objects.filter(
        role=role,
        session=session,
        status__in=ACTIVE_STATUSES,
    ).first()
    if mine is not None and mine.is_confirmed:
        raise WebinarError(_("U heeft al een plaats in deze sessie."))
    if mine is not None:
        raise WebinarError(_("U staat al op de wachtlijst van deze sessie."))
    if _confirmed_count(session) < session.capacity:
        raise WebinarError(_("Er is nog plaats in deze sessie; u kunt zich direct aanmelden."))
    Registration.objects.filter(role=role, status=RegistrationStatus.WAITLISTED).update(
        status=RegistrationStatus.WITHDRAWN, ended_at=now
    )
    reg = Registration.objects.create(
        session=session,
        program=session.program,
        role=role,
        user=role.user,
        status=RegistrationStatus.WAITLISTED,
        waitlisted_at=now,
    )
    mail.send("webinar_waitlisted", reg, position=waitlist_position(reg))
    return reg


@retry_on_deadlock
@transaction.atomic
def withdraw(*, registration: Registration) -> Registration:
    """Give up a place (before the start) or a waitlist spot; a freed place is passed on."""
    session = _lock(registration.session_id)
    reg = Registration.objects.select_related("user", "session__program").get(pk=registration.pk)
    now = timezone.now()
    if reg.status == RegistrationStatus.WAITLISTED:
        reg.status = RegistrationStatus.WITHDRAWN
        reg.ended_at = now
        reg.save(update_fields=["status", "ended_at"])
        return reg
    if reg.status != RegistrationStatus.CONFIRMED:
        raise WebinarError(_("Deze aanmelding is al beëindigd."))
    if session.has_started(now):
        raise WebinarError(_("Deze sessie is al begonnen; afmelden kan niet meer."))
    _end_place(reg, RegistrationStatus.WITHDRAWN, now, reason="withdrawn")
    _promote([session.pk])
    return reg


def _promote(session_ids: list[int]) -> list[Registration]:
    """Give freed places to the first on each waitlist (in the caller's transaction).

    A promoted person who held a place in another (not yet started) session moves; that
    frees a place there, which is passed on in turn.
    """
    promoted: list[Registration] = []
    todo = list(session_ids)
    seen_rounds = 0
    while todo:
        seen_rounds += 1
        if seen_rounds > 10_000:  # a cycle is impossible (each move ends a place), but be safe
            break
        session = _lock(todo.pop(0))
        now = timezone.now()
        if session.is_cancelled or session.has_started(now):
            continue
        free = session.capacity - _confirmed_count(session)
        while free > 0:
            first = (
                Registration.objects.filter(session=session, status=RegistrationStatus.WAITLISTED)
                .select_related("user", "role", "session__program")
                .order_by("waitlisted_at", "pk")
                .first()
            )
            if first is None:
                break
            elsewhere = (
                Registration.objects.filter(role=first.role, status=RegistrationStatus.CONFIRMED)
                .select_related("user", "session__program")
                .first()
            )
            if elsewhere is not None:
                other = _lock(elsewhere.session_id)
                if other.has_started(now):
                    # They are in (or past) another session already: the spot lapses.
                    first.status = RegistrationStatus.WITHDRAWN
                    first.ended_at = now
                    first.save(update_fields=["status", "ended_at"])
                    continue
                _end_place(elsewhere, RegistrationStatus.SWITCHED, now, reason="switched")
                todo.append(other.pk)
            first.status = RegistrationStatus.CONFIRMED
            first.confirmed_at = now
            first.save(update_fields=["status", "confirmed_at"])
            mail.send(
                "webinar_place_available",
                first,
                attachments=[mail.invite(first)],
                switched_from=elsewhere.session if elsewhere else None,
            )
            promoted.append(first)
            free -= 1
    return promoted


# --- Staff: attendance ------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, session: WebinarSession, actor, attended_ids: Iterable[int]) -> int:
    """Mark who attended (checked) and who did not (the rest); returns the number present."""
    session = _lock(session.pk)
    if session.is_cancelled:
        raise WebinarError(_("Deze sessie is geannuleerd; er is geen aanwezigheid te registreren."))
    if not session.has_started():
        raise WebinarError(_("Aanwezigheid kunt u registreren zodra de sessie begonnen is."))
    regs = Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
    valid = set(regs.values_list("pk", flat=True))
    chosen = {int(pk) for pk in attended_ids}
    if chosen - valid:
        raise WebinarError(_("Er is iemand aangevinkt die niet voor deze sessie is aangemeld."))
    regs.filter(pk__in=chosen).update(attended=True)
    regs.exclude(pk__in=chosen).update(attended=False)
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at", "updated_at"])
    return len(chosen)


# --- Reminders --------------------------------------------------------------------------
