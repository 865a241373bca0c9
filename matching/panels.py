"""Home panel and staff link of the matching app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear

from .models import MatchingRound, Solution


@panel(RoleKind.STAFF, order=30)
def matching_status(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """The latest round of the program and its latest solution (two queries)."""
    rnd = MatchingRound.objects.filter(program=program).order_by("-created_at", "-pk").first()
    latest = None
    if rnd is not None:
        latest = (
            Solution.objects.filter(round=rnd)
            .only(
                "number",
                "matched",
                "unmatched_rows",
                "total_cost",
                "n_rows",
                "n_cols",
                "created_at",
                "round_id",
            )
            .order_by("-number")
            .first()
        )
    return Panel(
        "matching/panels/staff_status.html", {"program": program, "round": rnd, "latest": latest}
    )


register_staff_link(
    StaffLink(
        label=_("Matching"),
        url_name="matching:round_list",
        order=30,
        description=_("Ronde berekenen, koppels bekijken, vastzetten, publiceren."),
    )
)
