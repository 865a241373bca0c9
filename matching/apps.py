from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from . import panels, privacy  # noqa: F401  (home panels, staff links; privacy)
