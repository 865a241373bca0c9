from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairsConfig(AppConfig):
    name = "mentoring.pairs"
    label = "pairs"
    verbose_name = _("Koppels")

    def ready(self) -> None:
        from . import panels, privacy  # noqa: F401  (home panels, staff links; privacy)
