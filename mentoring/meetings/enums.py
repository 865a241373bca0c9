"""Choices of the meetings app, importable anywhere without cycles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    """Where one of a pair's three meetings is.

    unplanned → proposed → planned → held / not_held; a planned meeting may be cancelled,
    after which the pair proposes again (a new calendar event is made then).
    """

    UNPLANNED = "unplanned", _("Nog niet gepland")
    PROPOSED = "proposed", _("Voorgesteld")
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    NOT_HELD = "not_held", _("Niet doorgegaan")
    CANCELLED = "cancelled", _("Geannuleerd")


#: A meeting in one of these states may receive new proposals.
OPEN_FOR_PROPOSALS = (MeetingStatus.UNPLANNED, MeetingStatus.PROPOSED, MeetingStatus.CANCELLED)
#: A meeting in one of these states occupies its time slot.
BOOKED = (MeetingStatus.PLANNED, MeetingStatus.HELD)


class MeetingMode(models.TextChoices):
    COMPANY = "company", _("Op het bedrijf van de mentor")
    SCHOOL = "school", _("Op de school")
    ADDRESS = "address", _("Op een ander adres")
    ONLINE = "online", _("Online")


IN_PERSON_MODES = (MeetingMode.COMPANY, MeetingMode.SCHOOL, MeetingMode.ADDRESS)


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Geaccepteerd")
    SUPERSEDED = "superseded", _("Vervangen door een nieuw voorstel")


class HolidayRegion(models.TextChoices):
    NOORD = "noord", _("Noord")
    MIDDEN = "midden", _("Midden")
    ZUID = "zuid", _("Zuid")
