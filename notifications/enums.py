"""Choices of the notifications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a message is in the outbox.

    queued → sending → sent → delivered, with retry/failed/unknown/bounced on the way.
    """

    QUEUED = "queued", _("In de wachtrij")
    RETRY = "retry", _("Wacht op nieuwe poging")
    SENDING = "sending", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    DELIVERED = "delivered", _("Afgeleverd")
    FAILED = "failed", _("Mislukt")
    UNKNOWN = "unknown", _("Onzeker (controleren)")
    BOUNCED = "bounced", _("Onbestelbaar")
    SUPPRESSED = "suppressed", _("Niet verstuurd: adres onbestelbaar")
    SKIPPED = "skipped", _("Niet verstuurd: afgemeld")
    CANCELLED = "cancelled", _("Geannuleerd")


#: Statuses a worker may pick up.
DUE_STATUSES = (Status.QUEUED, Status.RETRY)
#: Statuses staff see as "pending".
PENDING_STATUSES = (Status.QUEUED, Status.RETRY, Status.SENDING)
#: Statuses staff may put back in the queue by hand.
RETRYABLE_STATUSES = (
    Status.FAILED,
    Status.UNKNOWN,
    Status.SUPPRESSED,
    Status.BOUNCED,
    Status.RETRY,
    Status.CANCELLED,
)

#: Statuses staff may cancel (not yet sent, or not known to be sent).
CANCELLABLE_STATUSES = (Status.QUEUED, Status.RETRY, Status.FAILED, Status.UNKNOWN)


class Category(models.TextChoices):
    """What a person may switch off. Essential messages have no category."""

    REMINDERS = "reminders", _("Herinneringen")
    NUDGES = "nudges", _("Berichten van de programmastaf")


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", _("Gebounced (adres bestaat niet of weigert)")
    COMPLAINED = "complained", _("Als spam gemeld")
    REJECTED = "rejected", _("Geweigerd door de verzenddienst")
    UNSUBSCRIBED = "unsubscribed", _("Afgemeld bij de verzenddienst")
    INVALID = "invalid", _("Ongeldig adres")
    MANUAL = "manual", _("Handmatig geblokkeerd")
