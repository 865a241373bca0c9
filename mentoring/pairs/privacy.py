"""The pairs app's part of "Mijn gegevens" and of erasure (``mentoring.privacy_registry``).

Export: the person's own pairs, each with its program year and the partner's name. Erasure:
the end reasons of their pairs are blanked; the pairs stay (the report counts them).
"""

from __future__ import annotations

from mentoring.privacy_registry import plain, register

from .models import Pair
from .selectors import member_q


def _pairs_of(user):
    return Pair.objects.filter(member_q(user))


def export_user(user) -> dict:
    pairs = _pairs_of(user).select_related(
        "mentor__user", "schoolleider__user", "school", "program"
    )
    return {
        "pairs": [
            {
                "id": p.pk,
                "program": str(p.program),
                "side": p.side_of(user),
                "partner": str(p.other_user(user)),
                "school": p.school.name,
                "status": p.status,
                "published_at": plain(p.published_at),
                "ended_at": plain(p.ended_at),
            }
            for p in pairs.order_by("pk")
        ]
    }


def erase_user(user) -> dict[str, int]:
    return {"end_reasons": _pairs_of(user).update(end_reason="")}


register("pairs", export=export_user, erase=erase_user, order=20)
