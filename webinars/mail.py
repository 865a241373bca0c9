"""What the webinars app mails: the context every message shares, invitations and
cancellations as calendar files."""

from __future__ import annotations

from notifications import calendar
from notifications.links import absolute_url
from notifications.outbox import Attachment, notify

from . import ics
from .models import Registration


def email_context(reg: Registration) -> dict:
    session = reg.session
    program_id = session.program_id
    return {
        "session": session,
        "registration": reg,
        "program": session.program,
        "choose_url": absolute_url("webinars:choose", program_id),
        "confirmation_url": absolute_url("webinars:confirmation", program_id, reg.pk),
        "withdraw_url": absolute_url("webinars:withdraw", program_id, reg.pk),
        "ics_url": absolute_url("webinars:registration_ics", program_id, reg.pk),
    }


def invite(reg: Registration) -> Attachment:
    return Attachment("uitnodiging.ics", ics.registration_ics(reg), calendar.invite_mimetype())


def cancellation(reg: Registration) -> Attachment:
    return Attachment(
        "annulering.ics",
        ics.registration_ics(reg, method="CANCEL"),
        calendar.invite_mimetype(cancel=True),
    )


def send(kind: str, reg: Registration, *, attachments=(), essential=True, dedupe_key=None, **extra):
    return notify(
        kind=kind,
        recipient=reg.user,
        context={**email_context(reg), **extra},
        essential=essential,
        attachments=list(attachments),
        dedupe_key=dedupe_key,
        program=reg.session.program,
    )
