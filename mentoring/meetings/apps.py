from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "mentoring.meetings"
    label = "meetings"
    verbose_name = _("Gesprekken")

    def ready(self) -> None:
        from . import panels, privacy, schedule  # noqa: F401  (panels, links, privacy, jobs)
