"""Whether a pair's meeting was held, as the guides show it: stored once, as the meetings
app's ``Meeting.status`` (written by ``mentoring.meetings.planning.meeting_record_outcome``,
read through ``mentoring.meetings.selectors``). ``MeetingRecord`` keeps the date the pair
gives, the themes, the number of actions and the checklists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mentoring.meetings.enums import MeetingStatus


def held_state(status: str | None, *, recorded: bool) -> bool | None:
    """Held (True), not held (False) or not known yet (None), from the meeting's status and
    whether the pair filled in the record form."""
    if status == MeetingStatus.HELD:
        return True
    if status == MeetingStatus.NOT_HELD or recorded:
        return False
    return None


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None
