"""Reads of pairs, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from people.access import role_ids, roles_in
from people.enums import RoleKind
from people.models import Role
from people.search import words_query

from .enums import PairStatus
from .models import Pair


def member_q(user, path: str = "") -> Q:
    """Pairs (at ``path``, e.g. ``"pair__"``) that ``user`` is a member of, either side."""
    ids = role_ids(user)
    return Q(**{f"{path}mentor_id__in": ids}) | Q(**{f"{path}schoolleider_id__in": ids})


def pairs_of(user, program) -> QuerySet[Pair]:
    """Active pairs the user is a member of in ``program`` (mentor or schoolleider side)."""
    return Pair.objects.filter(
        member_q(user),
        program=program,
        status=PairStatus.ACTIVE,
    ).select_related("mentor__user", "schoolleider__user", "school", "program")


def home_pairs(request, program) -> list[Pair]:
    """The user's active pairs in ``program`` (oldest first), read once per request: the
    home page's panels (match, meetings, next guide) each used to ask for them again."""
    cache = request.__dict__.setdefault("_home_pairs", {})
    if program.pk not in cache:
        cache[program.pk] = list(
            pairs_of(request.user, program).select_related("mentor__mentor_profile").order_by("pk")
        )
    return cache[program.pk]


def get_pair_for(user, program, pair_id: int, *, allow_staff: bool = False) -> Pair:
    """The pair ``pair_id`` if ``user`` is one of its two members (or staff, when allowed).

    Raises 404 otherwise, so nobody learns which pair ids exist.
    """
    qs = Pair.objects.select_related("mentor__user", "schoolleider__user", "school", "program")
    if allow_staff and RoleKind.STAFF in roles_in(user, program):
        pair = qs.filter(pk=pair_id, program=program).first()
    else:
        pair = qs.filter(member_q(user), pk=pair_id, program=program).first()
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
            member_q(user),
            program=program,
            status=PairStatus.ENDED,
        )
        .select_related("mentor__user", "schoolleider__user", "school")
        .order_by("-ended_at")
    )


#: Sort orders of the staff pairs list (``?sorteer=``), all in the database.
PAIR_SORTS: dict[str, tuple[str, ...]] = {
    "school": ("school__name", "pk"),
    "schoolleider": ("schoolleider__user__last_name", "schoolleider__user__first_name", "pk"),
    "mentor": ("mentor__user__last_name", "mentor__user__first_name", "pk"),
    "coach": ("coach__user__last_name", "coach__user__first_name", "pk"),
    "regio": ("school__region__name", "school__name", "pk"),
    "afstand": ("distance_km", "pk"),
    "sinds": ("published_at", "pk"),
}


#: What a staff search on a mentoring pair looks in (names, school, place).
PAIR_SEARCH_FIELDS: tuple[str, ...] = (
    "mentor__user__first_name",
    "mentor__user__last_name",
    "schoolleider__user__first_name",
    "schoolleider__user__last_name",
    "school__name",
    "school__place",
)


def staff_pairs(
    program, *, query: str = "", region: int | None = None, order: tuple[str, ...] = ()
) -> QuerySet:
    """The active pairs (mentoring) or coach assignments (expertcoach program) of
    ``program`` for the staff list: searched, filtered and ordered in the database."""
    from .models import CoachAssignment

    qs: QuerySet
    if program.is_mentoring:
        qs = Pair.objects.filter(program=program, status=PairStatus.ACTIVE).select_related(
            "mentor__user", "schoolleider__user", "school__region"
        )
        fields: tuple[str, ...] = PAIR_SEARCH_FIELDS
    else:
        qs = CoachAssignment.objects.filter(
            program=program, status=PairStatus.ACTIVE
        ).select_related("coach__user", "school__region")
        fields = (
            "coach__user__first_name",
            "coach__user__last_name",
            "school__name",
            "school__place",
        )
    if query:
        qs = qs.filter(words_query(query, fields, qs.model))
    if region is not None:
        qs = qs.filter(school__region_id=region)
    return qs.order_by(*(order or PAIR_SORTS["school"]))


def _waits(side: str) -> Q:
    """An ended pair leaves its ``side`` member waiting: they did not end it themselves
    (staff ending it counts as both), or they asked for a new match."""
    return ~Q(ended_side__in=[side, "staff"]) | Q(rematch_requested=True)


#: Sort orders of the re-match list (``?sorteer=``).
WAITING_SORTS: dict[str, tuple[str, ...]] = {
    "beeindigd": ("waiting_since", "waiting_pair_id", "-kind"),
    "naam": ("user__last_name", "user__first_name", "pk"),
}


def waiting_for_rematch(
    program, *, query: str = "", side: str = "", order: tuple[str, ...] = ()
) -> QuerySet[Role]:
    """The roles whose pair ended and who wait for a new partner, filtered and ordered in
    the database (page it, then :func:`waiting_rows` loads the pairs of one page).

    The member who did not end a pair always waits; the one who ended it waits when they
    asked for a new match. Anyone with an active pair again is done. Each role carries
    ``waiting_pair_id`` and ``waiting_since``: its latest pair that left it waiting.
    """
    ended = Pair.objects.filter(program=program, status=PairStatus.ENDED)
    active = Pair.objects.filter(program=program, status=PairStatus.ACTIVE)

    def latest(field: str) -> QuerySet[Pair]:
        return ended.filter(_waits(field), **{field: OuterRef("pk")}).order_by("-ended_at", "-pk")

    roles = (
        Role.objects.filter(program=program)
        .filter(
            Q(kind=RoleKind.MENTOR, pk__in=ended.filter(_waits("mentor")).values("mentor_id"))
            | Q(
                kind=RoleKind.SCHOOLLEIDER,
                pk__in=ended.filter(_waits("schoolleider")).values("schoolleider_id"),
            )
        )
        .exclude(Exists(active.filter(mentor=OuterRef("pk"))))
        .exclude(Exists(active.filter(schoolleider=OuterRef("pk"))))
        .annotate(
            waiting_pair_id=Coalesce(
                Subquery(latest("mentor").values("pk")[:1]),
                Subquery(latest("schoolleider").values("pk")[:1]),
            ),
            waiting_since=Coalesce(
                Subquery(latest("mentor").values("ended_at")[:1]),
                Subquery(latest("schoolleider").values("ended_at")[:1]),
            ),
        )
        .select_related("user")
    )
    if side in ("mentor", "schoolleider"):
        roles = roles.filter(kind=side)
    if query:
        roles = roles.filter(
            words_query(
                query,
                (
                    "user__first_name",
                    "user__last_name",
                    "user__email",
                    "schoolleider_profile__school__name",
                ),
                roles.model,
            )
        )
    return roles.order_by(*(order or ("-waiting_since", "-waiting_pair_id", "kind")))


def waiting_rows(roles) -> list[dict]:
    """One page of :func:`waiting_for_rematch` with the pair that left each one waiting
    (one query for the whole page)."""
    roles = list(roles)
    pairs = Pair.objects.select_related("school").in_bulk(
        [r.waiting_pair_id for r in roles if r.waiting_pair_id]
    )
    rows = []
    for role in roles:
        pair = pairs.get(role.waiting_pair_id)
        if pair is None:  # deleted between the two queries
            continue
        side = "mentor" if role.kind == RoleKind.MENTOR else "schoolleider"
        ended_it = pair.ended_side in (side, "staff")
        rows.append(
            {
                "side": side,
                "role": role,
                "pair": pair,
                "requested": ended_it and pair.rematch_requested,
            }
        )
    return rows
