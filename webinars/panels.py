"""Home panels of the webinars app (imported from ``WebinarsConfig.ready``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.enums import ProgramKind
from programs.models import ProgramYear

from .enums import RegistrationStatus, SessionStatus
from .models import Registration, WebinarSession
from .selectors import my_webinar, schoolleiders_invited


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, order=30)
def my_webinar_panel(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """ "Uw webinar": the chosen session, with the join link near the time (≤ 2 queries)."""
    mine = my_webinar(role)
    if (
        role.kind == RoleKind.SCHOOLLEIDER
        and mine.place is None
        and mine.waiting is None
        and not schoolleiders_invited(program)
    ):
        return None
    now = timezone.now()
    show_join = mine.place is not None and mine.place.session.join_link_open(now)
    return Panel(
        "webinars/panels/participant.html",
        {"program": program, "mine": mine, "show_join": show_join, "now": now},
    )


@panel(RoleKind.STAFF, order=30)
def staff_webinar_stats(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    """Sessions, places taken, waitlist and attendance in one query."""
    if program.kind != ProgramKind.MENTOR_LEADER:
        return None
    active = Q(status=SessionStatus.SCHEDULED)
    stats = WebinarSession.objects.filter(program=program).aggregate(
        sessions=Count("pk", filter=active),
        attendance_due=Count(
            "pk",
            filter=active & Q(starts_at__lte=timezone.now(), attendance_recorded_at__isnull=True),
        ),
    )
    counts = Registration.objects.filter(program=program).aggregate(
        confirmed=Count(
            "pk",
            filter=Q(status=RegistrationStatus.CONFIRMED, session__status=SessionStatus.SCHEDULED),
        ),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        attended=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED, attended=True)),
    )
    return Panel(
        "webinars/panels/staff.html",
        {"program": program, **stats, **counts},
    )


register_staff_link(
    StaffLink(
        label=_("Webinars"),
        url_name="webinars:staff_list",
        order=30,
        description=_("Sessies plannen, aanmeldingen, wachtlijsten en aanwezigheid"),
        program_kinds=(ProgramKind.MENTOR_LEADER,),
    )
)
register_staff_link(
    StaffLink(
        label=_("Webinar niet bijgewoond"),
        url_name="webinars:not_attended",
        order=31,
        description=_("Wie vóór de matching nog geen webinar heeft bijgewoond"),
        program_kinds=(ProgramKind.MENTOR_LEADER,),
    )
)
