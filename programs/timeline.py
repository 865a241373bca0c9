"""What comes next for a person, from the program's timeline and today.

Returns keys and dates, not text: the wording lives in ``programs/_next_steps.(html|txt)``
so an email is worded in its recipient's language, whoever triggered it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Step:
    key: str
    date: dt.date | None = None
    until: dt.date | None = None


def mentor_next_steps(
    program, *, today: dt.date | None = None, matched: bool = False
) -> list[Step]:
    """An approved mentor's next steps: webinar, matching, the three meetings."""
    today = today or timezone.localdate()
    steps: list[Step] = []
    if today <= program.webinar_end:
        steps.append(Step("webinar", program.webinar_start, program.webinar_end))
    elif not matched:
        steps.append(Step("webinar_past"))
    if not matched:
        if today < program.matching_date:
            steps.append(Step("matching_soon", program.matching_date))
        else:
            steps.append(Step("matching_past", program.matching_date))
    if today <= program.meetings_end:
        if today < program.meetings_start:
            steps.append(Step("meetings", program.meetings_start, program.meetings_end))
        else:
            steps.append(Step("meetings_now", None, program.meetings_end))
    else:
        steps.append(Step("year_over"))
    return steps
