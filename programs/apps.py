from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programma's")

    def ready(self) -> None:
        from . import panels, privacy  # noqa: F401  (home panels, staff links; privacy)
        from .importing import panels as import_panels  # noqa: F401
