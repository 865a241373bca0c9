"""Choices for webinar sessions and registrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Gepland")
    CANCELLED = "cancelled", _("Geannuleerd")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Aangemeld")
    WAITLISTED = "waitlisted", _("Op de wachtlijst")
    WITHDRAWN = "withdrawn", _("Afgemeld")
    SWITCHED = "switched", _("Overgestapt naar een andere sessie")
    SESSION_CANCELLED = "session_cancelled", _("Sessie geannuleerd")


# Statuses that hold a place or a spot in the queue.
ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

DEFAULT_DURATION_MINUTES = 90
REMINDER_BEFORE_HOURS = 48
# The join link is shown prominently on the home page from this long before the start.
JOIN_LINK_LEAD_MINUTES = 30
