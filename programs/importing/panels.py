"""Staff link to the import pages; also registers the ``ImportRun`` model with the app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.dashboard import StaffLink, register_staff_link

from . import models  # noqa: F401  (ImportRun lives in programs.importing.models)

register_staff_link(
    StaffLink(
        label=_("Importeren"),
        url_name="imports:upload",
        order=25,
        description=_("Scholen, schoolleiders of expertcoaches uit CSV of Excel inlezen."),
    )
)
