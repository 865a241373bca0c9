"""The guides app's part of the demo: meeting records, actions and feedback after each held
meeting, written through this app's services (``mentoring.demo`` composes the steps)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import time_machine
from django.utils import timezone

from mentoring.pairs.enums import Side
from mentoring.pairs.models import Pair

from .enums import FeedbackKind, Theme
from .services import action_add, feedback_submit, meeting_record_save

DEMO_NOTE = (
    "Schoolleider wil zelf het goede voorbeeld geven, maar de agenda zit vol. "
    "Volgende keer: hoe maak je tijd vrij voor bordsessies?"
)
DEMO_ACTIONS = [
    ("Bordsessie in het MT twee weken lang elke maandag om 8:15 houden", "schoolleider"),
    ("Voorbeeld van een teambord uit de klantenservice meenemen", "mentor"),
]
ROLE_THEMES = [Theme.CONVICTION, Theme.ROLE_MODEL, Theme.FACILITATION, Theme.SKILLS]


def history(
    *, pairs: Sequence[Pair], held: dict[int, dt.datetime], demo: Pair, rng: random.Random
) -> None:
    """After each held meeting the mentor records it (themes; the demo pair also agreed two
    actions and keeps a private note), and most people give feedback the next day.

    Through the guides app's own services, at the moment each step happened.
    """
    now = timezone.now()
    for pair in pairs:
        start = held.get(pair.pk)
        if start is None:
            continue
        mentor, leader = pair.mentor.user, pair.schoolleider.user
        with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
            meeting_record_save(
                pair=pair,
                number=1,
                by=mentor,
                held=True,
                held_on=timezone.localtime(start).date(),
                themes=[t.value for t in rng.sample(ROLE_THEMES, k=2)],
                note=DEMO_NOTE if pair is demo else "",
            )
            if pair is demo:
                for text, owner in DEMO_ACTIONS:
                    action_add(
                        pair=pair,
                        number=1,
                        by=mentor,
                        description=text,
                        owner=owner,
                        due_on=timezone.localdate(now) + dt.timedelta(days=21),
                    )
        for side, user in ((Side.MENTOR, mentor), (Side.SCHOOLLEIDER, leader)):
            if pair is demo and side == Side.SCHOOLLEIDER:
                continue  # the demo schoolleider still has feedback to give
            if rng.random() >= 0.7:
                continue
            with time_machine.travel(min(start + dt.timedelta(days=1), now), tick=False):
                feedback_submit(
                    program=pair.program,
                    kind=FeedbackKind.MEETING,
                    side=side,
                    respondent=user,
                    usefulness=rng.choices([3, 4, 5], weights=[2, 5, 4])[0],
                    helped="De vragen uit het handvat gaven richting.",
                    better="Meer tijd voor concrete afspraken.",
                    share_name=rng.random() < 0.5,
                    pair=pair,
                    number=1,
                )
