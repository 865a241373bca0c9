from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "mentoring.guides"
    label = "guides"
    verbose_name = _("Handvatten en voortgang")

    def ready(self) -> None:
        from . import panels, privacy, schedule  # noqa: F401  (panels, links, privacy, jobs)
