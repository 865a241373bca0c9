"""Home panels of the programs app: counts for staff, the timeline for everyone."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import MentorStatus, RoleKind
from people.models import MentorProfile, Role
from programs.models import ProgramYear

from .enums import ProgramKind
from .models import Enrollment


@panel(RoleKind.STAFF, order=10)
def staff_counts(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    roles = Role.objects.filter(program=program).aggregate(
        schoolleiders=Count("id", filter=Q(kind=RoleKind.SCHOOLLEIDER)),
        coaches=Count("id", filter=Q(kind=RoleKind.EXPERTCOACH)),
        mentors=Count("id", filter=Q(kind=RoleKind.MENTOR)),
    )
    mentors = MentorProfile.objects.filter(role__program=program).aggregate(
        pending=Count("id", filter=Q(status=MentorStatus.PENDING)),
        approved=Count("id", filter=Q(status=MentorStatus.APPROVED)),
        rejected=Count("id", filter=Q(status=MentorStatus.REJECTED)),
    )
    return Panel(
        "programs/panels/staff_counts.html",
        {
            "schools": Enrollment.objects.filter(program=program).count(),
            "roles": roles,
            "mentors": mentors,
            "program": program,
        },
    )


@panel(RoleKind.STAFF, RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH, order=90)
def timeline(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    today = timezone.localdate()
    steps = []
    for label, start, end in program.timeline():
        last = end or start
        state = "done" if last < today else ("now" if start <= today else "next")
        steps.append({"label": label, "start": start, "end": end, "state": state})
    return Panel("programs/panels/timeline.html", {"steps": steps, "program": program})


register_staff_link(
    StaffLink(
        label=_("Mentoren beoordelen"),
        url_name="people:mentor_list",
        order=10,
        description=_("Aanmeldingen goedkeuren of afwijzen."),
        program_kinds=(ProgramKind.MENTOR_LEADER,),
    )
)
register_staff_link(
    StaffLink(
        label=_("Scholen en schoolleiders"),
        url_name="programs:school_list",
        order=20,
        description=_("Deelnemende scholen bekijken."),
    )
)
register_staff_link(
    StaffLink(
        label=_("Tijdlijn"),
        url_name="programs:program_edit",
        order=80,
        description=_("Data van aanmelding, webinars, matching en gesprekken."),
    )
)
register_staff_link(
    StaffLink(
        label=_("Regio's"),
        url_name="programs:region_list",
        order=85,
        description=_("Regio's als verzameling provincies of gemeenten."),
    )
)
