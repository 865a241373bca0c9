"""Reads of pairs, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from mentoring.people.access import roles_in
from mentoring.people.enums import RoleKind

from .enums import PairStatus
from .models import Pair


def pairs_of(user, program) -> QuerySet[Pair]:
    """Active pairs the user is a member of in ``program`` (mentor or schoolleider side)."""
    return Pair.objects.filter(
        Q(mentor__user=user) | Q(schoolleider__user=user),
        program=program,
        status=PairStatus.ACTIVE,
    ).select_related("mentor__user", "schoolleider__user", "school", "program")


def get_pair_for(user, program, pair_id: int, *, allow_staff: bool = False) -> Pair:
    """The pair ``pair_id`` if ``user`` is one of its two members (or staff, when allowed).

    Raises 404 otherwise, so nobody learns which pair ids exist.
    """
    qs = Pair.objects.select_related("mentor__user", "schoolleider__user", "school", "program")
    if allow_staff and RoleKind.STAFF in roles_in(user, program):
        pair = qs.filter(pk=pair_id, program=program).first()
    else:
        pair = qs.filter(
            Q(mentor__user=user) | Q(schoolleider__user=user), pk=pair_id, program=program
        ).first()
    if pair is None:
        raise Http404("pair")
    return pair
