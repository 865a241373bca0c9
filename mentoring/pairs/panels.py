"""Home panels of the pairs app: "your match", "your schools", and staff links."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.enums import ProgramKind
from programs.models import ProgramYear

from . import selectors


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, order=20)
def my_match(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """The published partner (the request's one query for its pairs); nothing at all
    before publication."""
    mine = "mentor_id" if role.kind == RoleKind.MENTOR else "schoolleider_id"
    pairs = [p for p in selectors.home_pairs(request, program) if getattr(p, mine) == role.pk]
    if not pairs:
        return None
    return Panel(
        "pairs/panels/my_match.html",
        {"program": program, "pairs": pairs, "is_mentor": role.kind == RoleKind.MENTOR},
    )


@panel(RoleKind.EXPERTCOACH, order=20)
def my_schools(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    assignments = list(selectors.coach_assignments_of(request.user, program))
    if not assignments:
        return None
    return Panel(
        "pairs/panels/coach_schools.html", {"program": program, "assignments": assignments}
    )


register_staff_link(
    StaffLink(
        label=_("Koppels"),
        url_name="pairs:staff_pair_list",
        order=32,
        description=_("Gepubliceerde koppels; een uitvaller afmelden."),
    )
)
register_staff_link(
    StaffLink(
        label=_("Herkoppelen"),
        url_name="pairs:rematch_list",
        order=34,
        description=_("Wie een nieuwe match nodig heeft, met één klik koppelen."),
        program_kinds=(ProgramKind.MENTOR_LEADER,),
    )
)


@panel(RoleKind.SCHOOLLEIDER, order=22)
def my_coach(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """In the expertcoach program: the school's expertcoach and how to reach them."""
    if program.is_mentoring:
        return None
    assignments = list(selectors.coaches_of_school(role))
    if not assignments:
        return None
    return Panel("pairs/panels/my_coach.html", {"program": program, "assignments": assignments})


@panel(RoleKind.SCHOOLLEIDER, order=25)
def school_coaches(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """In the expertcoach program: the school's schoolcoaches, kept by its schoolleider."""
    if program.is_mentoring:
        return None
    from programs.models import SchoolCoach

    count = SchoolCoach.objects.filter(program=program, school__schoolleiders__role=role).count()
    return Panel("pairs/panels/schoolcoaches.html", {"program": program, "count": count})
