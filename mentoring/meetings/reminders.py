"""Reminders two days before each planned meeting, and staff nudges to pairs that have not
planned a meeting yet. Both go through the outbox with a ``dedupe_key``: running twice, or
on two workers at once, sends each message once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.links import absolute_path
from notifications.outbox import notify

from . import rules
from .enums import MeetingStatus
from .models import MEETINGS_PER_PAIR, Meeting, Nudge
from .planning import _context
from .selectors import unplanned_pairs

REMINDER_BEFORE = dt.timedelta(days=2)


def reminder_key(meeting: Meeting) -> str:
    return f"meeting-reminder:{meeting.uid}:{meeting.sequence}"


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder of every planned meeting starting within two days; returns how many.

    Safe to run any number of times, by several workers at once: each meeting is claimed
    with a conditional update on ``reminded_sequence``, and the outbox's ``dedupe_key``
    (UID + SEQUENCE) makes a second notify a no-op even if a worker died between the two.
    A moved meeting has a new SEQUENCE, so only its new time is ever reminded.
    """

    now = now or timezone.now()
    due = (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE
        )
        .exclude(reminded_sequence=F("sequence"))
        .select_related("pair__program", "pair__mentor__user", "pair__schoolleider__user")
    )
    sent = 0
    for meeting in due:
        with transaction.atomic():
            claimed = (
                Meeting.objects.filter(
                    pk=meeting.pk, status=MeetingStatus.PLANNED, sequence=meeting.sequence
                )
                .exclude(reminded_sequence=meeting.sequence)
                .update(reminded_sequence=meeting.sequence)
            )
            if not claimed:
                continue
            for user in (meeting.pair.mentor.user, meeting.pair.schoolleider.user):
                row = notify(
                    kind="meeting_reminder",
                    recipient=user,
                    context=_context(meeting, user),
                    essential=False,
                    dedupe_key=reminder_key(meeting),
                    program=meeting.pair.program,
                )
                sent += row is not None
    return sent


@transaction.atomic
def pairs_nudge(*, program, number: int, deadline: dt.date, by, pair_ids: Sequence[int]) -> int:
    """Email each listed pair (both people, once) to plan meeting ``number`` by ``deadline``.

    Only pairs of ``program`` that still have not planned that meeting are nudged, and a
    pair is nudged at most once per meeting and deadline (clicking twice sends nothing).
    """

    if number not in range(1, MEETINGS_PER_PAIR + 1):
        raise ValidationError(_("Kies gesprek 1, 2 of 3."))
    pairs = unplanned_pairs(program, number).filter(pk__in=list(pair_ids))
    count = 0
    for pair in pairs:
        _nudge, created = Nudge.objects.get_or_create(
            pair=pair, number=number, deadline=deadline, defaults={"sent_by": by}
        )
        if not created:
            continue
        for user in (pair.mentor.user, pair.schoolleider.user):
            notify(
                kind="meeting_nudge",
                recipient=user,
                context={
                    "pair": pair,
                    "number": number,
                    "deadline": rules.show_day(deadline),
                    "pair_url": absolute_path(reverse("meetings:pair", args=(program.pk, pair.pk))),
                    "other": pair.other_user(user),
                },
                essential=False,
                dedupe_key=f"meeting-nudge:{pair.pk}:{number}:{deadline.isoformat()}",
                program=program,
            )
        count += 1
    return count
