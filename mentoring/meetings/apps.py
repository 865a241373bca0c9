from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "mentoring.meetings"
    label = "meetings"
    verbose_name = _("Gesprekken")

    def ready(self) -> None:
        from mentoring.pairs.services import on_pair_created

        from . import panels, privacy, schedule  # noqa: F401  (panels, links, privacy, jobs)

        on_pair_created(give_meetings)


def give_meetings(pair) -> None:
    """A pair made outside a matching round (a re-match) gets its three meetings too."""
    from .planning import meetings_create_for_pair

    meetings_create_for_pair(pair=pair)
