"""Home panels of the people app: profile state for mentors and schoolleiders."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.models import Role
from programs.enums import ProgramKind
from programs.models import ProgramYear
from programs.timeline import mentor_next_steps

from .enums import RoleKind
from .models import ExpertcoachProfile, MentorProfile, SchoolleiderProfile


@panel(RoleKind.MENTOR, order=5)
def mentor_profile_state(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    profile = MentorProfile.objects.filter(role=role).first()
    matched = role.mentor_pairs.exists() if profile else False
    return Panel(
        "people/panels/mentor_profile.html",
        {
            "profile": profile,
            "program": program,
            "matched": matched,
            "next_steps": mentor_next_steps(program, matched=matched),
        },
    )


@panel(RoleKind.SCHOOLLEIDER, order=5)
def schoolleider_state(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    profile = SchoolleiderProfile.objects.filter(role=role).select_related("school__region").first()
    return Panel(
        "people/panels/schoolleider_profile.html", {"profile": profile, "program": program}
    )


@panel(RoleKind.EXPERTCOACH, order=5)
def expertcoach_state(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    profile = ExpertcoachProfile.objects.filter(role=role).prefetch_related("regions").first()
    return Panel("people/panels/expertcoach_profile.html", {"profile": profile, "program": program})


register_staff_link(
    StaffLink(
        label=_("Belangstellenden"),
        url_name="people:interest_list",
        order=12,
        description=_("Wie bericht wil als de aanmelding voor mentoren opengaat."),
        program_kinds=(ProgramKind.MENTOR_LEADER,),
    )
)
