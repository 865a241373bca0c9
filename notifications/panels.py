"""Staff home panel: who cannot be reached by email, and messages that did not go out."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.dashboard import Panel, StaffLink, panel, register_staff_link
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear

from .enums import SuppressionReason
from .selectors import program_failure_counts, undeliverable_people

PANEL_LIMIT = 25


@panel(RoleKind.STAFF, order=70)
def email_problems(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    people = list(undeliverable_people(program)[: PANEL_LIMIT + 1])
    labels = dict(SuppressionReason.choices)
    for person in people:
        person.suppression_label = labels.get(person.suppression_reason, person.suppression_reason)
    counts = program_failure_counts(program)
    if not people and not counts["failed"] and not counts["unknown"]:
        return None
    return Panel(
        "notifications/panels/staff.html",
        {
            "program": program,
            "people": people[:PANEL_LIMIT],
            "more_people": len(people) > PANEL_LIMIT,
            "counts": counts,
        },
    )


register_staff_link(
    StaffLink(
        label=_("Berichten"),
        url_name="notifications:program_outbox",
        order=90,
        description=_("Mislukte, wachtende en onbestelbare e-mails bekijken en opnieuw versturen."),
    )
)
