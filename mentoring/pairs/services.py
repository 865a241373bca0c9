"""Changes to published pairs: ending one, and re-matching a person without moving others."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.outbox import notify
from people.enums import MentorStatus, RoleKind
from people.models import Role

from .enums import PairStatus
from .models import Pair

#: Called with each pair made here (a re-match, outside a matching round), after it is stored:
#: the meetings app registers the step that gives a pair its three meetings (its ``ready()``),
#: so this layer never imports the one above it.
PAIR_CREATED: list[Callable[[Pair], None]] = []


def on_pair_created(hook: Callable[[Pair], None]) -> Callable[[Pair], None]:
    if hook not in PAIR_CREATED:
        PAIR_CREATED.append(hook)
    return hook


@transaction.atomic
def pair_end(*, pair: Pair, user, reason: str, rematch: bool) -> Pair:
    """End an active pair (by one of its members or staff); staff are told by email.

    ``rematch``: the person ending it asks for a new match for themselves. The other member
    always waits for a new partner (staff see both on the re-match page).
    """
    pair = (
        Pair.objects.select_for_update()
        .select_related("mentor__user", "schoolleider__user", "school", "program")
        .get(pk=pair.pk)
    )
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(_("Dit koppel is al beëindigd."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vertel kort waarom het koppel stopt.")})
    side = pair.side_of(user) or "staff"
    pair.status = PairStatus.ENDED
    pair.ended_at = timezone.now()
    pair.ended_by = user
    pair.end_reason = reason[:2000]
    pair.ended_side = side
    pair.rematch_requested = bool(rematch)
    pair.save(
        update_fields=[
            "status",
            "ended_at",
            "ended_by",
            "end_reason",
            "ended_side",
            "rematch_requested",
        ]
    )
    program = pair.program
    url = reverse("pairs:rematch_list", args=[program.pk])
    for staff_role in Role.objects.filter(program=program, kind=RoleKind.STAFF).select_related(
        "user"
    ):
        notify(
            "rematch_requested",
            staff_role.user,
            {
                "pair": pair,
                "program": program,
                "side": side,
                "reason": pair.end_reason,
                "rematch": pair.rematch_requested,
                "url": url,
            },
            program=program,
            dedupe_key=f"pair:{pair.pk}:ended:{staff_role.user_id}",
        )
    return pair


@transaction.atomic
def first_contact_confirm(*, pair: Pair, user) -> bool:
    """Either member confirms the pair's first contact (the November "matching and
    planning" hour). Returns False when it was already confirmed (the first stays)."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.side_of(user) is None:
        raise ValidationError(
            _("Alleen de mentor en de schoolleider van dit koppel kunnen dit bevestigen.")
        )
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(_("Dit koppel is beëindigd."))
    if pair.first_contact_at is not None:
        return False
    pair.first_contact_at = timezone.now()
    pair.first_contact_by = user
    pair.save(update_fields=["first_contact_at", "first_contact_by"])
    return True


def schoolcoach_add(*, program, school, name: str, email: str = "", phone: str = ""):
    """Add a schoolcoach as a contact of ``school`` in ``program`` (the coach program)."""
    from programs.models import SchoolCoach

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Vul de naam van de schoolcoach in.")})
    if SchoolCoach.objects.filter(program=program, school=school).count() >= 20:
        raise ValidationError(_("Een school heeft hier hoogstens 20 schoolcoaches."))
    return SchoolCoach.objects.create(
        program=program, school=school, name=name[:200], email=email.strip(), phone=phone.strip()
    )


def schoolcoach_remove(*, program, school, schoolcoach_id: int) -> bool:
    from programs.models import SchoolCoach

    deleted, _rows = SchoolCoach.objects.filter(
        program=program, school=school, pk=schoolcoach_id
    ).delete()
    return bool(deleted)


def _free_role(program, role_id: int, kind: str) -> Role:
    qs = Role.objects.filter(pk=role_id, program=program, kind=kind).select_related("user")
    if kind == RoleKind.MENTOR:
        qs = qs.filter(mentor_profile__status=MentorStatus.APPROVED)
    role = qs.first()
    if role is None:
        raise ValidationError(
            _("Deze mentor doet niet (meer) mee aan dit programma.")
            if kind == RoleKind.MENTOR
            else _("Deze schoolleider doet niet (meer) mee aan dit programma.")
        )
    field = "mentor" if kind == RoleKind.MENTOR else "schoolleider"
    if Pair.objects.filter(program=program, status=PairStatus.ACTIVE, **{field: role}).exists():
        raise ValidationError(
            _("%(name)s heeft al een actief koppel.")
            % {"name": role.user.full_name or role.user.email}
        )
    return role


@transaction.atomic
def pair_rematch(
    *, program, mentor_id: int, schoolleider_id: int, user, distance_km: float | None = None
) -> Pair:
    """Pair a free mentor with a free schoolleider now; no other pair changes.

    Both get the usual "your match" email. Raises ValidationError when either is no longer
    free or not part of the program.
    """
    mentor = _free_role(program, mentor_id, RoleKind.MENTOR)
    leader = _free_role(program, schoolleider_id, RoleKind.SCHOOLLEIDER)
    profile = leader.schoolleider_profile
    try:
        with transaction.atomic():
            pair = Pair.objects.create(
                program=program,
                mentor=mentor,
                schoolleider=leader,
                school=profile.school,
                published_at=timezone.now(),
                distance_km=distance_km,
            )
    except IntegrityError:
        raise ValidationError(_("Een van beiden is intussen al gekoppeld.")) from None
    for hook in PAIR_CREATED:
        hook(pair)
    context = {
        "program": program,
        "pair": pair,
        "mentor": mentor.user,
        "mentor_profile": mentor.mentor_profile,
        "schoolleider": leader.user,
        "school": profile.school,
        "rematch": True,
        "url": reverse("pairs:my_pair", args=[program.pk]),
    }
    notify(
        "match_published_mentor",
        mentor.user,
        context,
        program=program,
        dedupe_key=f"pair:{pair.pk}:published:mentor",
    )
    notify(
        "match_published_schoolleider",
        leader.user,
        context,
        program=program,
        dedupe_key=f"pair:{pair.pk}:published:schoolleider",
    )
    return pair


@transaction.atomic
def assignment_end(*, assignment, user, reason: str):
    """End a coach assignment (a coach drops out or a school leaves); nothing else moves.

    The school takes part in the next matching round again and the coach's place is free.
    """
    from .models import CoachAssignment

    assignment = CoachAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != PairStatus.ACTIVE:
        raise ValidationError(_("Deze toewijzing is al beëindigd."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vertel kort waarom de toewijzing stopt.")})
    assignment.status = PairStatus.ENDED
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason[:2000]
    assignment.save(update_fields=["status", "ended_at", "end_reason"])
    return assignment
