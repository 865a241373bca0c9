"""Home panels: the next meeting and what to plan (pair members); progress (staff)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mentoring.pairs.selectors import home_pairs
from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear

from . import selectors

register_staff_link(
    StaffLink(
        label=_("Gesprekken"),
        url_name="meetings:overview",
        order=40,
        description=_("Voortgang per regio, late koppels en herinneringen"),
        program_kinds=("mentor_leader",),
    )
)

register_staff_link(
    StaffLink(
        label=_("Alle koppels plannen"),
        url_name="meetings:planning_run",
        order=41,
        description=_("De planner voor elk koppel zonder plan, met de redenen"),
        program_kinds=("mentor_leader",),
    )
)


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, order=30)
def my_meetings(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """Two queries besides the request's pairs: the meetings, their open proposals."""
    pairs = home_pairs(request, program)
    if not pairs:
        return None
    pair = pairs[0]
    meetings = selectors.meetings_of_pair(pair)
    summary = selectors.user_planning_summary(meetings)
    return Panel(
        "meetings/panels/member.html",
        {"program": program, "pair": pair, "meetings": meetings, "user": request.user, **summary},
    )


@panel(RoleKind.STAFF, order=30)
def staff_meetings(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    if not program.is_mentoring:
        return None
    return Panel(
        "meetings/panels/staff.html",
        {"program": program, "progress": selectors.staff_progress(program)},
    )


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, order=31)
def my_calendar(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """One query: whether one's own calendar is connected, read, or failing (never silent)."""
    from . import calendars
    from .planning_models import CalendarConnection

    connection = CalendarConnection.objects.filter(user=request.user).first()
    error = ""
    if connection is not None and connection.error_code:
        error = calendars.error_message(connection.error_code, connection.error_detail)
    return Panel("meetings/panels/calendar.html", {"connection": connection, "error": error})
