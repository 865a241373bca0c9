"""The guides app's privacy: its part of "Mijn gegevens" and of erasure (registered in
``mentoring.privacy_registry``), anonymising a program year, and the retention rules of
docs/privacy.md.

Erasure keeps the rows the program report counts (meeting records, feedback scores) but
removes everything that says who someone is or what they wrote.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.meetings import selectors as meeting_selectors
from mentoring.meetings.enums import MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.pairs.models import Pair
from mentoring.pairs.selectors import member_q
from mentoring.privacy_registry import erase_user, plain, register
from people.enums import RoleKind
from people.models import (
    ExpertcoachProfile,
    MentorProfile,
    Role,
    SchoolleiderProfile,
    User,
)
from programs.models import ProgramYear

from . import outcomes
from .models import Action, Feedback, MeetingNote, MeetingRecord, ProgramAnonymisation

# Retention (docs/privacy.md): counted from the end of a program year's meeting period.
NOTES_RETENTION_DAYS = 365
PROGRAM_RETENTION_DAYS = 730


def export_user(user: User) -> dict:
    """The person's meeting records, own notes, their pairs' actions and their feedback."""
    pair_ids = list(Pair.objects.filter(member_q(user)).values_list("pk", flat=True))
    records = list(
        MeetingRecord.objects.filter(pair_id__in=pair_ids)
        .select_related("guide_version")
        .order_by("pair_id", "number")
    )
    meetings = meeting_selectors.meeting_statuses(pair_ids)
    return {
        "meeting_records": [
            {
                "pair": r.pair_id,
                "number": r.number,
                "held": outcomes.held_state(
                    meetings.get((r.pair_id, r.number), (None, None))[0],
                    recorded=r.recorded_at is not None,
                ),
                "held_on": plain(r.held_on),
                "themes": r.themes,
                "guide_version": r.guide_version.version if r.guide_version else None,
                "number_of_actions": r.action_count,
            }
            for r in records
        ],
        # Only the person's own notes: the other side's notes are the other person's data.
        "notes": [
            {
                "pair": n.record.pair_id,
                "meeting": n.record.number,
                "text": n.body,
                "updated_at": plain(n.updated_at),
            }
            for n in MeetingNote.objects.filter(author=user).select_related("record").order_by("pk")
        ],
        "actions": [
            {
                "pair": a.pair_id,
                "meeting": a.number,
                "description": a.description,
                "owner": a.owner,
                "due_on": plain(a.due_on),
                "done_at": plain(a.done_at),
            }
            for a in Action.objects.filter(pair_id__in=pair_ids).order_by("pk")
        ],
        "feedback": [
            {
                "program": f.program_id,
                "kind": f.kind,
                "meeting": f.number or None,
                "usefulness": f.usefulness,
                "helped": f.helped,
                "better": f.better,
                "share_name": f.share_name,
                "given_at": plain(f.created_at),
            }
            for f in Feedback.objects.filter(respondent=user).order_by("pk")
        ],
    }


def erase_user_data(user: User) -> dict[str, int]:
    """The person's notes and the actions they created go; their feedback keeps its score."""
    return {
        "notes": MeetingNote.objects.filter(author=user).delete()[0],
        "actions": Action.objects.filter(created_by=user).delete()[0],
        "feedback": Feedback.objects.filter(respondent=user).update(
            respondent=None, helped="", better="", share_name=False
        ),
    }


register("guides", export=export_user, erase=erase_user_data, order=30)


def program_finished(program: ProgramYear, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > program.meetings_end


@transaction.atomic
def anonymise_program(*, program: ProgramYear, by=None, today: dt.date | None = None) -> dict:
    """Anonymise a finished program year: keep counts, remove people and their words.

    People with no role in a program year that is still running (or not yet anonymised)
    are erased completely; others keep their account and lose this year's profile details.
    """
    if not program_finished(program, today):
        raise ValidationError(_("Alleen een afgelopen programmajaar kan worden geanonimiseerd."))
    if ProgramAnonymisation.objects.filter(program=program).exists():
        raise ValidationError(_("Dit programmajaar is al geanonimiseerd."))
    pairs = Pair.objects.filter(program=program)
    counts = {
        "pairs": pairs.count(),
        "meetings_held": Meeting.objects.filter(
            pair__program=program, status=MeetingStatus.HELD
        ).count(),
        "feedback": Feedback.objects.filter(program=program).count(),
        "notes_deleted": MeetingNote.objects.filter(record__pair__program=program).delete()[0],
        "actions_deleted": Action.objects.filter(pair__program=program).delete()[0],
    }
    Feedback.objects.filter(program=program).update(
        respondent=None, helped="", better="", share_name=False
    )
    MeetingRecord.objects.filter(pair__program=program).update(recorded_by=None)
    pairs.update(end_reason="")
    MentorProfile.objects.filter(role__program=program).update(
        organisation="",
        job_title="",
        methods_other="",
        postcode="",
        introduction="",
        rejection_reason="",
    )
    SchoolleiderProfile.objects.filter(role__program=program).update(job_title="", wishes="")
    ExpertcoachProfile.objects.filter(role__program=program).update(postcode="")
    ProgramAnonymisation.objects.create(
        program=program, anonymised_at=timezone.now(), anonymised_by=by, counts=counts
    )
    done = set(ProgramAnonymisation.objects.values_list("program_id", flat=True))
    erased = 0
    # Program staff keep their accounts: they work for the foundation, not in the program.
    users = (
        User.objects.filter(roles__program=program, is_staff=False, is_active=True)
        .exclude(roles__kind=RoleKind.STAFF)
        .distinct()
    )
    for user in users:
        other_programs = set(
            Role.objects.filter(user=user)
            .exclude(program_id__in=done)
            .values_list("program_id", flat=True)
        )
        if not other_programs:
            erase_user(user=user)
            erased += 1
    counts["people_erased"] = erased
    ProgramAnonymisation.objects.filter(program=program).update(counts=counts)
    return counts


def enforce_retention(*, today: dt.date | None = None) -> dict[str, int]:
    """Apply docs/privacy.md: notes and actions after one year, the whole year after two."""
    today = today or timezone.localdate()
    summary = {"notes": 0, "actions": 0, "programs_anonymised": 0}
    notes_cutoff = today - dt.timedelta(days=NOTES_RETENTION_DAYS)
    with transaction.atomic():
        summary["notes"] = MeetingNote.objects.filter(
            record__pair__program__meetings_end__lt=notes_cutoff
        ).delete()[0]
        summary["actions"] = Action.objects.filter(
            pair__program__meetings_end__lt=notes_cutoff
        ).delete()[0]
    program_cutoff = today - dt.timedelta(days=PROGRAM_RETENTION_DAYS)
    for program in ProgramYear.objects.filter(
        meetings_end__lt=program_cutoff, anonymisation__isnull=True
    ):
        anonymise_program(program=program, by=None, today=today)
        summary["programs_anonymised"] += 1
    return summary
