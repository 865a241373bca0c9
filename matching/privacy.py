"""The matching app's part of "Mijn gegevens" (``mentoring.privacy_registry``).

Export: the staff rules about the person's roles, every proposal that included them (each
solve of each round, with its cost), the solves that left them unmatched and why, and the
rounds they created or published (staff). Nothing is erased: proposals are the record of
how the published pairs were chosen, and name nobody but by their role.
"""

from __future__ import annotations

from django.db.models import Q

from mentoring.privacy_registry import register, rows
from people.access import role_ids

from .models import MatchingRound, ProposedPair, RoundRule, UnmatchedEntry


def export_user(user) -> dict:
    ids = role_ids(user)  # index lookups on both sides, not an OR across joined tables
    involved = Q(supporter_id__in=ids) | Q(schoolleider_id__in=ids)
    return {
        "matching": {
            "rules": rows(
                RoundRule.objects.filter(involved).distinct(),
                {
                    "round": "round__name",
                    "kind": "kind",
                    "school": "school__name",
                    "note": "note",
                    "created_at": "created_at",
                },
            ),
            "proposals": rows(
                ProposedPair.objects.filter(involved).distinct(),
                {
                    "round": "solution__round__name",
                    "solution": "solution__number",
                    "school": "school__name",
                    "distance_km": "distance_km",
                    "total": "total",
                    "locked": "locked",
                },
            ),
            "unmatched": rows(
                UnmatchedEntry.objects.filter(role__user=user),
                {
                    "round": "solution__round__name",
                    "solution": "solution__number",
                    "reason": "reason",
                },
            ),
            "rounds": rows(
                MatchingRound.objects.filter(Q(created_by=user) | Q(published_by=user)).distinct(),
                ("program_id", "name", "status", "created_at", "published_at"),
            ),
        }
    }


register("matching", export=export_user, order=70)
