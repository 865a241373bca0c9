"""Writes of the matching app: rounds, rules, starting a solve, publishing.

Every function owns its transaction; side effects (tasks, emails) happen on commit, so a
failure anywhere leaves nothing behind. The solve itself is ``matching.solving``, run by the
task ``matching.tasks.solve_round`` that ``round_solve_start`` enqueues.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.meetings.planning import meetings_create_for_new_pairs
from mentoring.pairs.models import CoachAssignment, Pair
from notifications.outbox import notify_many
from people.enums import RoleKind
from people.models import Role, SchoolleiderProfile
from programs.models import Enrollment, ProgramYear

from . import loading
from .enums import RoundSide, RoundStatus, RuleKind
from .models import SETTING_FIELDS, MatchingRound, ProposedPair, RoundRule, Solution
from .tasks import solve_round


def _required(role: Role | None) -> Role:
    if role is None:
        raise ValueError("a mentoring proposal without its schoolleider")
    return role


def _editable(rnd: MatchingRound) -> None:
    if rnd.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is gepubliceerd en kan niet meer worden gewijzigd."))
    if rnd.status == RoundStatus.SOLVING and not rnd.is_stale_solve:
        raise ValidationError(_("De ronde wordt nu berekend; wacht tot de berekening klaar is."))


@transaction.atomic
def round_create(*, program: ProgramYear, name: str, user) -> MatchingRound:
    """A new draft round; weights are copied from the program's latest round, if any."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de ronde een naam.")})
    latest = loading.rounds_of(program).first()
    values = {f: getattr(latest, f) for f in SETTING_FIELDS} if latest else {}
    return MatchingRound.objects.create(program=program, name=name[:200], created_by=user, **values)


@transaction.atomic
def round_update_settings(*, rnd: MatchingRound, data: dict) -> MatchingRound:
    """Save weights and settings; the round needs solving again."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    for name in SETTING_FIELDS:
        if name in data:
            setattr(rnd, name, data[name])
    rnd.full_clean(exclude=["program", "published_solution", "created_by", "published_by"])
    rnd.status = RoundStatus.DRAFT
    rnd.save()
    return rnd


def _rule_parties(rnd: MatchingRound, supporter_id: int, row_key: int):
    """Validate the two people of a rule; return (supporter Role, schoolleider Role|None, school id)."""
    program = rnd.program
    coach = loading.is_coach_program(program)
    supporter = Role.objects.filter(
        pk=supporter_id,
        program=program,
        kind=RoleKind.EXPERTCOACH if coach else RoleKind.MENTOR,
    ).first()
    if supporter is None:
        raise ValidationError(
            _("Deze expertcoach hoort niet bij dit programma.")
            if coach
            else _("Deze mentor hoort niet bij dit programma.")
        )
    if coach:
        if not Enrollment.objects.filter(program=program, school_id=row_key).exists():
            raise ValidationError(_("Deze school doet niet mee aan dit programma."))
        return supporter, None, row_key
    profile = (
        SchoolleiderProfile.objects.filter(
            role_id=row_key, role__program=program, role__kind=RoleKind.SCHOOLLEIDER
        )
        .select_related("role")
        .first()
    )
    if profile is None:
        raise ValidationError(_("Deze schoolleider hoort niet bij dit programma."))
    return supporter, profile.role, profile.school_id


@transaction.atomic
def rule_set(
    *, rnd: MatchingRound, kind: str, supporter_id: int, row_key: int, user, note: str = ""
) -> RoundRule:
    """Lock (always make) or forbid (never make) one pair; replaces an earlier rule on it."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    if kind not in RuleKind.values:
        raise ValidationError(_("Kies vastzetten of verbieden."))
    supporter, leader, school_id = _rule_parties(rnd, supporter_id, row_key)
    rules = RoundRule.objects.filter(round=rnd)
    if kind == RuleKind.LOCK:
        same_row = rules.filter(kind=RuleKind.LOCK).exclude(supporter=supporter)
        same_row = (
            same_row.filter(school_id=school_id)
            if leader is None
            else same_row.filter(schoolleider=leader)
        )
        if same_row.exists():
            raise ValidationError(
                _("Voor deze school is al een ander koppel vastgezet; haal dat eerst weg.")
                if leader is None
                else _(
                    "Deze schoolleider is al aan een andere mentor vastgezet; haal dat eerst weg."
                )
            )
        locked_for_supporter = rules.filter(kind=RuleKind.LOCK, supporter=supporter).exclude(
            school_id=school_id
        )
        if leader is not None and locked_for_supporter.exists():
            raise ValidationError(
                _("Deze mentor is al aan een andere schoolleider vastgezet; haal dat eerst weg.")
            )
        if leader is None:
            capacity = supporter.expertcoach_profile.capacity
            if locked_for_supporter.count() >= capacity:
                raise ValidationError(
                    _(
                        "Deze expertcoach heeft al %(n)s vastgezette scholen, zijn volledige capaciteit."
                    )
                    % {"n": capacity}
                )
    rule, _created = RoundRule.objects.update_or_create(
        round=rnd,
        supporter=supporter,
        school_id=school_id,
        defaults={
            "kind": kind,
            "schoolleider": leader,
            "note": (note or "")[:300],
            "created_by": user,
        },
    )
    MatchingRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.DRAFT)
    return rule


@transaction.atomic
def rule_delete(*, rnd: MatchingRound, rule_id: int) -> None:
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    deleted, _detail = RoundRule.objects.filter(round=rnd, pk=rule_id).delete()
    if not deleted:
        raise ValidationError(_("Deze regel bestaat niet (meer)."))
    MatchingRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.DRAFT)


# --- Solving -----------------------------------------------------------------------------


@transaction.atomic
def round_solve_start(*, rnd: MatchingRound, user) -> None:
    """Mark the round as being solved and hand the work to a background task."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    rnd.status = RoundStatus.SOLVING
    rnd.progress = 0
    rnd.progress_label = _("In de wachtrij")
    rnd.error = ""
    rnd.save(update_fields=["status", "progress", "progress_label", "error", "updated_at"])
    transaction.on_commit(partial(solve_round.enqueue, rnd.pk, getattr(user, "pk", None)))


# --- Publishing ---------------------------------------------------------------------------


def _site_path(name: str, program: ProgramYear) -> str:
    return reverse(name, args=[program.pk])


@transaction.atomic
def round_publish(*, rnd: MatchingRound, solution: Solution, user) -> int:
    """Make every pair of ``solution`` real and visible, and queue the emails; all or nothing.

    Returns the number of pairs published. Raises ValidationError (nothing changed) when the
    round is not ready, or when someone in it already has an active pair.
    """
    rnd = MatchingRound.objects.select_for_update().select_related("program").get(pk=rnd.pk)
    program = rnd.program
    if rnd.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is al gepubliceerd."))
    if rnd.status != RoundStatus.SOLVED or solution.round_id != rnd.pk:
        raise ValidationError(_("Bereken de ronde eerst opnieuw; de instellingen zijn gewijzigd."))
    proposals = list(
        ProposedPair.objects.filter(solution=solution)
        .select_related(
            "supporter__user", "schoolleider__user", "school", "supporter__mentor_profile"
        )
        .order_by("row_index")
    )
    now = timezone.now()
    coach = loading.is_coach_program(program)
    try:
        with transaction.atomic():
            made: list[CoachAssignment] | list[Pair]
            if coach:
                made = CoachAssignment.objects.bulk_create(
                    [
                        CoachAssignment(
                            program=program,
                            coach=pp.supporter,
                            school=pp.school,
                            published_at=now,
                            distance_km=pp.distance_km,
                            round=rnd,
                        )
                        for pp in proposals
                    ]
                )
            else:
                made = Pair.objects.bulk_create(
                    [
                        Pair(
                            program=program,
                            mentor=pp.supporter,
                            schoolleider=pp.schoolleider,
                            school=pp.school,
                            published_at=now,
                            distance_km=pp.distance_km,
                            round=rnd,
                        )
                        for pp in proposals
                    ]
                )
    except IntegrityError:
        raise ValidationError(
            _("Iemand in deze ronde heeft intussen al een actief koppel; bereken de ronde opnieuw.")
        ) from None
    if not coach:
        # Each published pair gets its three meetings with a suggested plan, in the same
        # transaction: a pair never shows up without its planning. One insert for all,
        # their facts (other meetings, webinars) read once.
        meetings_create_for_new_pairs(pairs=made)
    if coach:
        url = _site_path("pairs:coach_schools", program)
        by_coach: dict[int, list] = {}
        for pp in proposals:
            by_coach.setdefault(pp.supporter.user_id, []).append(pp)
        notify_many(
            "match_published_coach",
            [items[0].supporter.user for items in by_coach.values()],
            lambda u: {
                "program": program,
                "schools": [pp.school for pp in by_coach[u.pk]],
                "url": url,
            },
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:coach:{by_coach[u.pk][0].supporter_id}",
        )
    else:
        url = _site_path("pairs:my_pair", program)
        # A mentoring proposal always has its schoolleider (only coach rounds pair a school).
        leader_of = {pp.pk: _required(pp.schoolleider) for pp in proposals}
        contexts = {
            pp.pk: {
                "program": program,
                "pair": pair,
                "mentor": pp.supporter.user,
                "mentor_profile": pp.supporter.mentor_profile,
                "schoolleider": leader_of[pp.pk].user,
                "school": pp.school,
                "url": url,
            }
            for pp, pair in zip(proposals, made, strict=True)
        }
        # One fan-out per side; each person gets their own pair's context and dedupe key.
        by_mentor = {pp.supporter.user_id: pp for pp in proposals}
        by_leader = {leader_of[pp.pk].user_id: pp for pp in proposals}
        notify_many(
            "match_published_mentor",
            [pp.supporter.user for pp in proposals],
            lambda u: contexts[by_mentor[u.pk].pk],
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:mentor:{by_mentor[u.pk].supporter_id}",
        )
        notify_many(
            "match_published_schoolleider",
            [leader_of[pp.pk].user for pp in proposals],
            lambda u: contexts[by_leader[u.pk].pk],
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:schoolleider:{by_leader[u.pk].schoolleider_id}",
        )
    rnd.status = RoundStatus.PUBLISHED
    rnd.published_solution = solution
    rnd.published_at = now
    rnd.published_by = user
    rnd.save(
        update_fields=["status", "published_solution", "published_at", "published_by", "updated_at"]
    )
    return len(proposals)


@transaction.atomic
def round_set_participation(*, rnd: MatchingRound, side: str, key: int, takes_part: bool) -> None:
    """Leave someone out of this round (or let them take part again)."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    if side not in RoundSide.values:
        raise ValidationError(_("Onbekende kant."))
    field = "excluded_rows" if side == RoundSide.ROW else "excluded_cols"
    keys = {int(k) for k in getattr(rnd, field) or []}
    if takes_part:
        keys.discard(int(key))
    else:
        keys.add(int(key))
    setattr(rnd, field, sorted(keys))
    rnd.status = RoundStatus.DRAFT
    rnd.save(update_fields=[field, "status", "updated_at"])
