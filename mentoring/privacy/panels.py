"""Home panel of the privacy app (imported from PrivacyConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest

from people.dashboard import Panel, panel
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear


@panel(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH, order=99)
def my_data_panel(request: HttpRequest, program: ProgramYear, role: Role | None) -> Panel | None:
    """Until the account menu links to it, every participant finds "Mijn gegevens" here."""
    return Panel("privacy/panels/my_data.html", {"program": program})
