"""Reads of pairs, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from people.access import roles_in
from people.enums import RoleKind

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


def coach_assignments_of(user, program) -> QuerySet:
    """Active, published coach assignments of ``user`` as expertcoach in ``program``."""
    from .models import CoachAssignment

    return (
        CoachAssignment.objects.filter(
            coach__user=user,
            coach__kind=RoleKind.EXPERTCOACH,
            program=program,
            status=PairStatus.ACTIVE,
        )
        .select_related("school__region")
        .order_by("school__name")
    )


def coaches_of_school(role) -> QuerySet:
    """Active coach assignments of the school that ``role`` (a schoolleider) leads."""
    from .models import CoachAssignment

    return (
        CoachAssignment.objects.filter(
            program_id=role.program_id,
            school__schoolleiders__role=role,
            status=PairStatus.ACTIVE,
        )
        .select_related("coach__user", "school")
        .order_by("coach__user__last_name", "coach__user__first_name")
    )


def ended_pairs_of(user, program) -> QuerySet[Pair]:
    """Pairs of ``user`` in ``program`` that have ended (newest first)."""
    return (
        Pair.objects.filter(
            Q(mentor__user=user) | Q(schoolleider__user=user),
            program=program,
            status=PairStatus.ENDED,
        )
        .select_related("mentor__user", "schoolleider__user", "school")
        .order_by("-ended_at")
    )


def waiting_for_rematch(program) -> list[dict]:
    """People whose pair ended and who wait for a new partner (three queries).

    The member who did not end a pair always waits; the one who ended it waits when they
    asked for a new match. Anyone with an active pair again is done.
    """
    active = Pair.objects.filter(program=program, status=PairStatus.ACTIVE).values_list(
        "mentor_id", "schoolleider_id"
    )
    busy = {role_id for pair in active for role_id in pair}
    seen: set[int] = set()
    waiting: list[dict] = []
    ended = (
        Pair.objects.filter(program=program, status=PairStatus.ENDED)
        .select_related("mentor__user", "schoolleider__user", "school")
        .order_by("-ended_at", "-pk")
    )
    for pair in ended:
        for side, role in (("mentor", pair.mentor), ("schoolleider", pair.schoolleider)):
            ended_it = pair.ended_side == side or pair.ended_side == "staff"
            if ended_it and not pair.rematch_requested:
                continue
            if role.pk in busy or role.pk in seen:
                continue
            seen.add(role.pk)
            waiting.append(
                {
                    "side": side,
                    "role": role,
                    "pair": pair,
                    "requested": ended_it and pair.rematch_requested,
                }
            )
    return waiting
