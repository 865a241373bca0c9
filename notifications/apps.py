from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("Berichten")

    def ready(self) -> None:
        from . import checks, panels, privacy, schedule, tracking  # noqa: F401  (registrations)
