from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    label = "people"
    verbose_name = _("Mensen")

    def ready(self) -> None:
        from . import panels, privacy, schedule  # noqa: F401  (panels; privacy; periodic jobs)
