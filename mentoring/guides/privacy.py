"""AVG/GDPR: a person's own data as JSON, erasure on request, anonymising a program year,
and the retention rules of docs/privacy.md.

Erasure keeps the rows the program report counts (pairs, meeting records, feedback scores)
but removes everything that says who someone is or what they wrote.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.pairs.models import Pair
from people.enums import RoleKind
from people.models import (
    ExpertcoachProfile,
    Invitation,
    MentorProfile,
    Role,
    SchoolleiderProfile,
    User,
)
from programs.models import ProgramYear

from .models import Action, Feedback, MeetingNote, MeetingRecord, ProgramAnonymisation

# Retention (docs/privacy.md): counted from the end of a program year's meeting period.
NOTES_RETENTION_DAYS = 365
PROGRAM_RETENTION_DAYS = 730

# Fields never written to an export file, even the person's own: secrets, not data.
_SECRET_PARTS = ("password", "token", "secret", "key_hash")
# Apps whose rows about a person are gathered generically (their models may still change).
_OTHER_APPS = ("meetings", "webinars", "notifications", "matching")


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(obj: models.Model, *, skip: tuple[str, ...] = ()) -> dict:
    """Concrete fields of a row as JSON-ready values (foreign keys as ids)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in skip or any(part in f.name for part in _SECRET_PARTS):
            continue
        data[f.attname if f.is_relation else f.name] = _plain(getattr(obj, f.attname))
    return data


def _related_rows(app_label: str, user: User, pair_ids: list[int]) -> dict[str, list[dict]]:
    """Rows of another app that point at the user, one of their roles, or one of their pairs."""
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return {}
    result: dict[str, list[dict]] = {}
    for model in config.get_models():
        conditions = Q()
        for f in model._meta.concrete_fields:
            if not f.is_relation or f.related_model is None:
                continue
            if f.related_model is User:
                conditions |= Q(**{f.name: user})
            elif f.related_model is Role:
                conditions |= Q(**{f"{f.name}__user": user})
            elif f.related_model is Pair and pair_ids:
                conditions |= Q(**{f"{f.name}__in": pair_ids})
        if not conditions:
            continue
        rows = [_row(o) for o in model.objects.filter(conditions).distinct()[:5000]]
        if rows:
            result[model._meta.model_name] = rows
    return result


def export_user_data(user: User) -> dict:
    """Everything the platform holds about ``user``, for the "Mijn gegevens" download."""
    roles = list(Role.objects.filter(user=user).select_related("program"))
    profiles = {
        "mentor": MentorProfile,
        "schoolleider": SchoolleiderProfile,
        "expertcoach": ExpertcoachProfile,
    }
    role_data = []
    for role in roles:
        entry = {
            "program": str(role.program),
            "program_id": role.program_id,
            "kind": role.kind,
            "since": _plain(role.created_at),
        }
        model = profiles.get(role.kind)
        if model is not None:
            profile = model.objects.filter(role=role).first()
            if profile is not None:
                entry["profile"] = _row(profile, skip=("role",))
        role_data.append(entry)
    pairs = list(
        Pair.objects.filter(Q(mentor__user=user) | Q(schoolleider__user=user)).select_related(
            "mentor__user", "schoolleider__user", "school", "program"
        )
    )
    pair_ids = [p.pk for p in pairs]
    records = list(
        MeetingRecord.objects.filter(pair_id__in=pair_ids).select_related("guide_version")
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
        },
        "roles": role_data,
        "pairs": [
            {
                "id": p.pk,
                "program": str(p.program),
                "side": p.side_of(user),
                "partner": str(p.other_user(user)),
                "school": p.school.name,
                "status": p.status,
                "published_at": _plain(p.published_at),
                "ended_at": _plain(p.ended_at),
            }
            for p in pairs
        ],
        "meeting_records": [
            {
                "pair": r.pair_id,
                "number": r.number,
                "held": r.held,
                "held_on": _plain(r.held_on),
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
                "updated_at": _plain(n.updated_at),
            }
            for n in MeetingNote.objects.filter(author=user).select_related("record")
        ],
        "actions": [
            {
                "pair": a.pair_id,
                "meeting": a.number,
                "description": a.description,
                "owner": a.owner,
                "due_on": _plain(a.due_on),
                "done_at": _plain(a.done_at),
            }
            for a in Action.objects.filter(pair_id__in=pair_ids)
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
                "given_at": _plain(f.created_at),
            }
            for f in Feedback.objects.filter(respondent=user)
        ],
        "other": {label: _related_rows(label, user, pair_ids) for label in _OTHER_APPS},
    }


def _scrub_notifications(user: User, new_email: str) -> int:
    try:
        model = apps.get_model("notifications", "Notification")
    except LookupError:
        return 0
    fields = {f.name for f in model._meta.concrete_fields}
    values = {
        k: v
        for k, v in {
            "to_email": new_email,
            "subject": "",
            "body_text": "",
            "body_html": "",
            "attachments": [],
        }.items()
        if k in fields
    }
    if "recipient" not in fields:
        return 0
    return model.objects.filter(recipient=user).update(**values)


@transaction.atomic
def erase_user(*, user: User) -> dict[str, int]:
    """Erase a person: remove who they are and what they wrote, keep what the report counts.

    The account cannot log in any more; pairs, meeting status and feedback scores stay,
    without a name attached. Foundation staff accounts are not erased this way.
    """
    if user.is_staff:
        raise ValidationError(
            _("Een account van een medewerker van de stichting wordt door de beheerder verwijderd.")
        )
    counts = {
        "notes": MeetingNote.objects.filter(author=user).delete()[0],
        "actions": Action.objects.filter(created_by=user).delete()[0],
        "feedback": Feedback.objects.filter(respondent=user).update(
            respondent=None, helped="", better="", share_name=False
        ),
    }
    MentorProfile.objects.filter(role__user=user).update(
        organisation="",
        job_title="",
        methods_other="",
        postcode="",
        introduction="",
        rejection_reason="",
    )
    SchoolleiderProfile.objects.filter(role__user=user).update(job_title="", wishes="")
    ExpertcoachProfile.objects.filter(role__user=user).update(postcode="")
    Pair.objects.filter(Q(mentor__user=user) | Q(schoolleider__user=user)).update(end_reason="")
    Invitation.objects.filter(user=user).delete()
    from mentoring.meetings import calendars  # the calendar address and its busy blocks go

    counts["calendar"] = int(calendars.disconnect(user=user))
    new_email = f"verwijderd-{user.pk}@verwijderd.invalid"
    counts["notifications"] = _scrub_notifications(user, new_email)
    try:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
    except ImportError:  # allauth is always installed here; guard only for clarity
        pass
    user.email = new_email
    user.first_name = ""
    user.last_name = _("(verwijderd)")
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return counts


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
        "meetings_held": MeetingRecord.objects.filter(pair__program=program, held=True).count(),
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
