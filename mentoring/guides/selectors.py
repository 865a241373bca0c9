"""Reads of the guides app, always scoped to the person asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from mentoring.meetings import selectors as meeting_selectors
from mentoring.meetings.models import MEETINGS_PER_PAIR, Meeting
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import Pair
from mentoring.pairs.selectors import get_pair_for, member_q
from programs.enums import ProgramKind
from programs.models import ProgramYear
from webinars.models import Registration

from . import outcomes
from .enums import (
    DAY_BUDGET_HOURS,
    MATCHING_HOURS,
    MEETING_HOURS,
    WEBINAR_HOURS,
    Theme,
)
from .models import Action, Feedback, Guide, GuideVersion, MeetingNote, MeetingRecord

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def themes_for(program: ProgramYear) -> list[tuple[str, StrOrPromise]]:
    """The themes that fit a program's kind, as (key, label) choices."""
    if program.kind == ProgramKind.MENTOR_LEADER:
        keys = [Theme.CONVICTION, Theme.ROLE_MODEL, Theme.FACILITATION, Theme.SKILLS]
    else:
        keys = [Theme.BOARD_SESSION, Theme.LESSON_DESIGN, Theme.LESSON_VISIT, Theme.STUDENT_VOICE]
    return [(t.value, t.label) for t in keys]


def guides_of(program, *, include_drafts: bool = False) -> list[Guide]:
    """The guides of a program with their published version (and latest one for staff)."""
    guides = list(
        Guide.objects.filter(program=program).select_related("published_version").order_by("number")
    )
    if include_drafts:
        latest: dict[int, GuideVersion] = {}
        for v in GuideVersion.objects.filter(guide__program=program).order_by(
            "guide_id", "version"
        ):
            latest[v.guide_id] = v
        for g in guides:
            setattr(g, "latest_version", latest.get(g.pk))  # noqa: B010  (read by the template)
    else:
        guides = [g for g in guides if g.published_version_id]
    return guides


def get_guide_for(program, guide_id: int, *, staff: bool) -> Guide:
    """A guide of ``program``; non-staff only see guides that have a published version."""
    qs = Guide.objects.filter(program=program, pk=guide_id).select_related("published_version")
    if not staff:
        qs = qs.filter(published_version__isnull=False)
    guide = qs.first()
    if guide is None:
        raise Http404("guide")
    return guide


def get_pair_meeting(user, program, pair_id: int, number: int) -> tuple[Pair, str]:
    """The pair (one of the user's own) and the user's side; 404 for anything else."""
    if not 1 <= number <= MEETINGS_PER_PAIR:
        raise Http404("meeting number")
    pair = get_pair_for(user, program, pair_id)
    side = pair.side_of(user)
    if side is None:  # defensive: get_pair_for only returns the user's own pairs here
        raise Http404("pair")
    return pair, side


@dataclass
class MeetingPage:
    pair: Pair
    number: int
    side: str
    record: MeetingRecord | None
    version: GuideVersion | None
    notes: dict[str, MeetingNote] = field(default_factory=dict)
    carried_actions: list[Action] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    meeting: Meeting | None = None
    my_feedback: Feedback | None = None
    #: Held (True), not held (False), not known yet (None): the meeting's status.
    held: bool | None = None
    #: The day it was held: the date the pair gave, else the day it was planned for.
    held_on: dt.date | None = None


def meeting_page(pair: Pair, number: int, side: str) -> MeetingPage:
    """Everything the pair's page for meeting ``number`` shows (pair members only)."""
    record = (
        MeetingRecord.objects.filter(pair=pair, number=number)
        .select_related("guide_version")
        .first()
    )
    version = record.guide_version if record and record.guide_version_id else None
    if version is None:
        guide = (
            Guide.objects.filter(program_id=pair.program_id, number=number)
            .select_related("published_version")
            .first()
        )
        version = guide.published_version if guide else None
    notes = {n.side: n for n in MeetingNote.objects.filter(record=record)} if record else {}
    actions = list(Action.objects.filter(pair=pair, number__lte=number))
    feedback = Feedback.objects.filter(
        program_id=pair.program_id, key=f"m:{pair.pk}:{number}:{side}"
    ).first()
    meeting = meeting_selectors.meeting_of(pair, number)
    held = outcomes.held_state(
        meeting.status if meeting else None, recorded=bool(record and record.recorded_at)
    )
    return MeetingPage(
        pair=pair,
        number=number,
        side=side,
        record=record,
        version=version,
        notes=notes,
        carried_actions=[a for a in actions if a.number < number and a.done_at is None],
        actions=[a for a in actions if a.number == number],
        meeting=meeting,
        my_feedback=feedback,
        held=held,
        held_on=(
            ((record.held_on if record else None) or outcomes.local_day(meeting.starts_at))
            if held and meeting
            else None
        ),
    )


def get_action_for(user, program, pair_id: int, action_id: int) -> Action:
    pair = get_pair_for(user, program, pair_id)
    action = Action.objects.filter(pk=action_id, pair=pair).select_related("pair").first()
    if action is None:
        raise Http404("action")
    action.pair = pair
    return action


def next_meeting_number(pair: Pair) -> int | None:
    """The first meeting of the pair not yet held (None when all three are)."""
    held = meeting_selectors.held_numbers([pair.pk]).get(pair.pk, set())
    for n in range(1, MEETINGS_PER_PAIR + 1):
        if n not in held:
            return n
    return None


@dataclass
class MentorDay:
    webinar: float
    matching: float
    meetings: float
    meetings_held: int
    pair: Pair | None
    budget: float = DAY_BUDGET_HOURS

    @property
    def total(self) -> float:
        return self.webinar + self.matching + self.meetings

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.budget))


def mentor_day(user, program) -> MentorDay:
    """The mentor's time given so far against the one working day the program asks."""
    pairs = list(
        Pair.objects.filter(program=program, mentor__user=user)
        .select_related("school", "schoolleider__user")
        .order_by("-published_at")
    )
    # Meetings held with every pair of the year (a re-matched mentor's count carries on).
    held_per_pair = meeting_selectors.held_numbers([p.pk for p in pairs]) if pairs else {}
    held = min(sum(len(numbers) for numbers in held_per_pair.values()), MEETINGS_PER_PAIR)
    current = next((p for p in pairs if p.status == PairStatus.ACTIVE), pairs[0] if pairs else None)
    attended = Registration.objects.filter(
        user=user, session__program=program, attended=True
    ).exists()
    return MentorDay(
        webinar=WEBINAR_HOURS if attended else 0.0,
        # The "matching and planning" hour counts once the pair confirmed its first contact.
        matching=MATCHING_HOURS if any(p.first_contact_at for p in pairs) else 0.0,
        meetings=held * MEETING_HOURS,
        meetings_held=held,
        pair=current,
    )


def certificate_available(day: MentorDay, program) -> bool:
    """At the end: all three meetings held, or the meeting period over with at least one."""
    if day.pair is None:
        return False
    if day.meetings_held >= MEETINGS_PER_PAIR:
        return True
    return day.meetings_held >= 1 and timezone.localdate() > program.meetings_end


def closing_target(user, program):
    """What ``user`` would give closing feedback about: ('pair', pair, side) or ('school', school).

    None when the user has nothing to look back on in this program.
    """
    if program.kind == ProgramKind.MENTOR_LEADER:
        pair = (
            Pair.objects.filter(member_q(user), program=program)
            .select_related("mentor__user", "schoolleider__user", "school")
            .order_by("-published_at")
            .first()
        )
        if pair is None:
            return None
        return ("pair", pair, pair.side_of(user))
    from mentoring.pairs.models import CoachAssignment
    from people.models import SchoolleiderProfile

    profile = (
        SchoolleiderProfile.objects.filter(role__user=user, role__program=program)
        .select_related("school")
        .first()
    )
    if profile is None:
        return None
    if not CoachAssignment.objects.filter(program=program, school=profile.school).exists():
        return None
    return ("school", profile.school, "school")


def feedback_of(program, key: str) -> Feedback | None:
    """The answer already given for a feedback form (keys come from services.feedback_key)."""
    return Feedback.objects.filter(program=program, key=key).first()
