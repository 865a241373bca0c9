from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = _("Webinars")

    def ready(self) -> None:
        from . import panels, privacy, schedule  # noqa: F401  (panels, links, privacy, jobs)
