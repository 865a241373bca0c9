"""Reads of webinar sessions and registrations, always scoped to the person asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.timezone import get_default_timezone

from people.access import is_foundation_staff
from people.enums import MentorStatus, RoleKind
from people.models import Role

from .enums import ACTIVE_STATUSES, RegistrationStatus, SessionStatus
from .models import Registration, WebinarSession

LOCAL_TZ = get_default_timezone()  # settings.TIME_ZONE

# --- Contracts with other apps (meetings: busy times and the private calendar feed) -------


def busy_intervals(
    user_ids, start: datetime, end: datetime
) -> list[tuple[int, datetime, datetime, str]]:
    """Webinars the given users hold a confirmed place in, overlapping ``[start, end)``.

    Returns ``(user_id, starts_at, ends_at, label)`` with aware UTC datetimes; one query.
    """
    rows = (
        Registration.objects.filter(
            user_id__in=list(user_ids),
            status=RegistrationStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__lt=end,
            session__ends_at__gt=start,
        )
        .order_by("session__starts_at", "user_id")
        .values_list("user_id", "session__starts_at", "session__ends_at", "session__title")
    )
    return [(uid, s, e, f"Webinar: {title}") for uid, s, e, title in rows]


def _event(*, uid: str, sequence: int, cancelled: bool, session: WebinarSession) -> dict:
    return {
        "uid": uid,
        "sequence": sequence,
        "status": "CANCELLED" if cancelled else "CONFIRMED",
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "summary": f"Webinar: {session.title}",
        "description": "\n\n".join(
            part for part in (session.description, f"Online: {session.meeting_url}") if part
        ),
        "location": session.meeting_url,
        "url": session.meeting_url,
        "changed_at": session.updated_at,
    }


def calendar_events_for(user) -> list[dict]:
    """Calendar events for ``user``'s private feed (two queries, whatever the size).

    The user's own places (a withdrawn or cancelled place shows as CANCELLED, so a
    subscribed calendar removes it), plus, for program staff, every session of their
    programs under the session's own UID.
    """
    events: list[dict] = []
    own = Registration.objects.filter(
        user=user,
        status__in=[
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WITHDRAWN,
            RegistrationStatus.SWITCHED,
            RegistrationStatus.SESSION_CANCELLED,
        ],
        confirmed_at__isnull=False,  # only rows that once held a place were ever in a calendar
    ).select_related("session")
    for reg in own:
        cancelled = reg.status != RegistrationStatus.CONFIRMED or reg.session.is_cancelled
        events.append(
            _event(uid=reg.uid, sequence=reg.sequence, cancelled=cancelled, session=reg.session)
        )
    if is_foundation_staff(user):
        staff_sessions = WebinarSession.objects.filter(program__is_archived=False)
    else:
        staff_sessions = WebinarSession.objects.filter(
            program__roles__user=user, program__roles__kind=RoleKind.STAFF
        )
    for session in staff_sessions.distinct():
        events.append(
            _event(
                uid=session.uid,
                sequence=session.sequence,
                cancelled=session.is_cancelled,
                session=session,
            )
        )
    return events


# --- Sessions ---------------------------------------------------------------------------


def sessions_with_counts(program, *, upcoming_for: str | None = None) -> list[WebinarSession]:
    """Sessions of ``program`` with ``n_confirmed``, ``n_waitlisted`` and ``n_attended``.

    ``upcoming_for`` (a role kind) keeps only scheduled future sessions that kind may
    choose. Two queries: the sessions, and one grouped count over the registrations
    (cheaper than a GROUP BY over every session column).
    """
    qs = WebinarSession.objects.filter(program=program).select_related("host")
    if upcoming_for is not None:
        qs = qs.filter(status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now())
        if upcoming_for == RoleKind.SCHOOLLEIDER:
            qs = qs.filter(open_to_schoolleiders=True)
    sessions = list(qs.order_by("starts_at", "pk"))
    counts: dict[int, dict[str, int]] = {}
    if sessions:
        regs = Registration.objects.filter(
            program=program,
            status__in=ACTIVE_STATUSES,
        )
        if upcoming_for is not None:
            regs = regs.filter(session_id__in=[s.pk for s in sessions])
        rows = (
            regs.values("session_id", "status")
            .annotate(n=Count("pk"), n_attended=Count("pk", filter=Q(attended=True)))
            .order_by()
        )
        for row in rows:
            per = counts.setdefault(row["session_id"], {})
            per[row["status"]] = row["n"]
            if row["status"] == RegistrationStatus.CONFIRMED:
                per["attended"] = row["n_attended"]
    for s in sessions:
        per = counts.get(s.pk, {})
        # Counts for the staff list, set on each row the way an annotation would be.
        s.n_confirmed = per.get(RegistrationStatus.CONFIRMED, 0)  # type: ignore[attr-defined]
        s.n_waitlisted = per.get(RegistrationStatus.WAITLISTED, 0)  # type: ignore[attr-defined]
        s.n_attended = per.get("attended", 0)  # type: ignore[attr-defined]
    return sessions


def visible_sessions_for(program, kind: str) -> list[WebinarSession]:
    """Upcoming, scheduled sessions a participant of ``kind`` may choose from."""
    return sessions_with_counts(program, upcoming_for=kind)


def mentor_may_choose(role: Role) -> bool:
    """A mentor chooses a webinar once their profile is submitted (pending or approved)."""
    from people.models import MentorProfile

    return MentorProfile.objects.filter(
        role=role, status__in=[MentorStatus.PENDING, MentorStatus.APPROVED]
    ).exists()


def schoolleiders_invited(program) -> bool:
    return WebinarSession.objects.filter(program=program, open_to_schoolleiders=True).exists()


def get_session_for_staff(program, session_id: int) -> WebinarSession:
    """A session of ``program`` (404 for another program's session)."""
    session = (
        WebinarSession.objects.select_related("host", "program")
        .filter(pk=session_id, program=program)
        .first()
    )
    if session is None:
        raise Http404("webinar session")
    return session


def get_session_for_participant(program, role: Role, session_id: int) -> WebinarSession:
    """A session ``role`` may see: in its program, and opened to schoolleiders if needed."""
    qs = WebinarSession.objects.select_related("program").filter(pk=session_id, program=program)
    if role.kind == RoleKind.SCHOOLLEIDER:
        qs = qs.filter(open_to_schoolleiders=True)
    session = qs.first()
    if session is None:
        raise Http404("webinar session")
    return session


def get_registration_for(role: Role, registration_id: int) -> Registration:
    """One of ``role``'s own registrations (404 for anyone else's)."""
    reg = (
        Registration.objects.select_related("session", "user")
        .filter(pk=registration_id, role=role)
        .first()
    )
    if reg is None:
        raise Http404("registration")
    return reg


@dataclass
class MyWebinar:
    place: Registration | None
    waiting: Registration | None
    attended: bool


def my_webinar(role: Role) -> MyWebinar:
    """The role's current place and waitlist spot, and whether they attended one (1 query)."""
    regs = list(
        Registration.objects.filter(role=role)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(attended=True))
        .select_related("session")
        .order_by("pk")
    )
    place = next((r for r in regs if r.status == RegistrationStatus.CONFIRMED), None)
    # A waitlist spot for a session that has begun can no longer turn into a place.
    waiting = next(
        (
            r
            for r in regs
            if r.status == RegistrationStatus.WAITLISTED and not r.session.has_started()
        ),
        None,
    )
    return MyWebinar(place=place, waiting=waiting, attended=any(r.attended for r in regs))


def waitlist_position(reg: Registration) -> int:
    """1-based place in the queue of a waitlisted registration."""
    ahead = Registration.objects.filter(
        session_id=reg.session_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=reg.waitlisted_at) | Q(waitlisted_at=reg.waitlisted_at, pk__lt=reg.pk)
    )
    return ahead.count() + 1


def session_places(session: WebinarSession) -> QuerySet[Registration]:
    """The people with a place, by name, sorted in the database so a page of a full session
    loads only its own rows."""
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
        .select_related("user", "role")
        .order_by(Lower("user__last_name"), Lower("user__first_name"), "user__email", "pk")
    )


def session_queue(session: WebinarSession) -> QuerySet[Registration]:
    """The waitlist, first come first served."""
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITLISTED)
        .select_related("user", "role")
        .order_by("waitlisted_at", "pk")
    )


def matching_cutoff(program) -> datetime:
    """Midnight (Amsterdam) at the start of the matching day, as an aware datetime."""
    day = program.matching_date
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def not_attended_before_matching(program) -> QuerySet[Role]:
    """Approved mentors (and invited schoolleiders) who attended no session before matching.

    A lazy queryset (pageable); call ``with_current_registration`` on the rows shown.
    """
    # Not correlated: the set of roles that attended is computed once, not per role.
    attended = Registration.objects.filter(
        program=program,
        attended=True,
        session__status=SessionStatus.SCHEDULED,
        # A plain comparison on the indexed UTC column (no per-row date cast).
        session__starts_at__lt=matching_cutoff(program),
    )
    kinds = [RoleKind.MENTOR]
    if schoolleiders_invited(program):
        kinds.append(RoleKind.SCHOOLLEIDER)
    return (
        Role.objects.filter(program=program, kind__in=kinds)
        .filter(Q(kind=RoleKind.SCHOOLLEIDER) | Q(mentor_profile__status=MentorStatus.APPROVED))
        .exclude(pk__in=attended.values("role_id"))
        .select_related("user")
        .order_by("kind", "user__last_name", "user__first_name", "user__email", "pk")
    )


def with_current_registration(roles) -> list[Role]:
    """Attach ``current`` (place) and ``waiting`` (waitlist spot) to each role (one query)."""
    roles = list(roles)
    by_role: dict[int, list[Registration]] = {}
    for reg in Registration.objects.filter(
        role__in=[r.pk for r in roles],
        status__in=ACTIVE_STATUSES,
    ).select_related("session"):
        by_role.setdefault(reg.role_id, []).append(reg)
    for role in roles:
        regs = by_role.get(role.pk, [])
        role.current = next((r for r in regs if r.is_confirmed), None)
        role.waiting = next((r for r in regs if r.is_waitlisted), None)
    return roles
