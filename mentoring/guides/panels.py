"""Home panels and staff links of the guides app (imported from GuidesConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mentoring.pairs.selectors import home_pairs
from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear

from . import selectors


@panel(RoleKind.MENTOR, order=40)
def mentor_day_panel(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    if not program.is_mentoring:
        return None
    day = selectors.mentor_day(request.user, program)
    return Panel(
        "guides/panels/mentor_day.html",
        {
            "program": program,
            "day": day,
            "certificate": selectors.certificate_available(day, program),
        },
    )


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, order=35)
def next_guide_panel(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    if not program.is_mentoring:
        return None
    pairs = home_pairs(request, program)
    if not pairs:
        return None
    pair = pairs[0]
    number = selectors.next_meeting_number(pair)
    return Panel(
        "guides/panels/next_guide.html",
        {"program": program, "pair": pair, "number": number},
    )


@panel(RoleKind.EXPERTCOACH, order=40)
def coach_guides_panel(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    return Panel("guides/panels/coach_guides.html", {"program": program})


@panel(RoleKind.STAFF, order=60)
def staff_report_panel(
    request: HttpRequest, program: ProgramYear, role: Role | None
) -> Panel | None:
    return Panel("guides/panels/staff_report.html", {"program": program})


for link in (
    StaffLink(
        label=_("Handvatten"),
        url_name="guides:guide_list",
        order=40,
        description=_("Gespreksleidraden schrijven, versies publiceren"),
    ),
    StaffLink(
        label=_("Rapportage"),
        url_name="guides:report",
        order=70,
        description=_("Voortgang, thema's, feedback; export naar CSV en Excel"),
    ),
    StaffLink(
        label=_("Feedback"),
        url_name="guides:feedback_list",
        order=75,
        description=_("Antwoorden per regio; namen alleen met toestemming"),
    ),
    StaffLink(
        label=_("Privacy en bewaartermijnen"),
        url_name="guides:program_privacy",
        order=95,
        description=_("Een afgelopen programmajaar anonimiseren"),
    ),
):
    register_staff_link(link)
