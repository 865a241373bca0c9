"""Writes of the guides app. Every function is keyword-only and owns its transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.meetings import planning as meeting_planning
from mentoring.meetings import selectors as meeting_selectors
from mentoring.meetings.models import MEETINGS_PER_PAIR
from mentoring.pairs.enums import Side
from mentoring.pairs.models import CoachAssignment, Pair
from notifications.links import absolute_url
from notifications.outbox import notify_many
from people.models import SchoolleiderProfile, User
from programs.models import ProgramYear

from .enums import ActionOwner, FeedbackKind, Theme, VersionStatus
from .models import Action, Feedback, Guide, GuideVersion, MeetingNote, MeetingRecord
from .seed import default_guides

GUIDE_FIELDS = (
    "title",
    "goal",
    "themes",
    "questions",
    "prep_mentor",
    "prep_schoolleider",
    "links",
)


def _clean_themes(themes) -> list[str]:
    valid = set(Theme.values)
    unknown = [t for t in themes or [] if t not in valid]
    if unknown:
        raise ValidationError({"themes": _("Kies alleen thema's uit de lijst.")})
    # Keep the order of the enum so records and reports compare equal.
    return [t for t in Theme.values if t in set(themes or [])]


@transaction.atomic
def guide_create(*, program: ProgramYear, number: int, by, phase: str = "", **fields) -> Guide:
    """A new guide for meeting ``number`` with a first draft version."""
    if Guide.objects.filter(program=program, number=number).exists():
        raise ValidationError(
            {"number": _("Er is al een handvat voor dit gesprek; bewerk dat handvat.")}
        )
    guide = Guide.objects.create(program=program, number=number, phase=phase)
    values = {k: fields.get(k, "") for k in GUIDE_FIELDS}
    values["themes"] = _clean_themes(fields.get("themes"))
    GuideVersion.objects.create(guide=guide, version=1, created_by=by, **values)
    return guide


@transaction.atomic
def guide_save_draft(*, guide: Guide, by, **fields) -> GuideVersion:
    """Save edits: into the open draft, or a new draft when the latest version is published.

    Published versions are never changed, so a pair that used version 2 keeps reading
    exactly version 2.
    """
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    latest = guide.versions.order_by("-version").first()
    values = {k: fields[k] for k in GUIDE_FIELDS if k in fields}
    if "themes" in values:
        values["themes"] = _clean_themes(values["themes"])
    if latest is not None and latest.status == VersionStatus.DRAFT:
        for key, value in values.items():
            setattr(latest, key, value)
        latest.created_by = by
        latest.save()
        return latest
    base = {k: getattr(latest, k) for k in GUIDE_FIELDS} if latest else {}
    base.update(values)
    return GuideVersion.objects.create(
        guide=guide,
        version=(latest.version + 1) if latest else 1,
        created_by=by,
        **base,
    )


@transaction.atomic
def guide_publish(*, version: GuideVersion, by) -> GuideVersion:
    """Publish a draft; from now on pairs opening this guide see (and keep) this version."""
    version = GuideVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Deze versie is al gepubliceerd en kan niet meer veranderen."))
    if not version.title.strip() or not version.goal.strip():
        raise ValidationError(_("Een handvat heeft minstens een titel en een doel nodig."))
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    Guide.objects.filter(pk=version.guide_id).update(published_version=version)
    return version


@transaction.atomic
def guides_seed(*, program: ProgramYear, by=None) -> int:
    """Copy the default guide set for the program's kind into ``program`` and publish it.

    Numbers that already have a guide are left alone, so staff edits are never overwritten
    and the command can run twice.
    """

    created = 0
    for spec in default_guides(program.kind):
        if Guide.objects.filter(program=program, number=spec["number"]).exists():
            continue
        fields = {k: spec[k] for k in GUIDE_FIELDS}
        guide = guide_create(
            program=program, number=spec["number"], phase=spec.get("phase", ""), by=by, **fields
        )
        guide_publish(version=guide.versions.get(), by=by)
        created += 1
    return created


def _check_number(number: int) -> None:
    if not 1 <= number <= MEETINGS_PER_PAIR:
        raise ValidationError(_("Er zijn maar drie gesprekken per koppel."))


def _record(pair: Pair, number: int) -> MeetingRecord:
    """The pair's record for ``number``, created (and locked) with the guide version pinned."""
    _check_number(number)
    record = MeetingRecord.objects.select_for_update().filter(pair=pair, number=number).first()
    if record is None:
        guide = Guide.objects.filter(program_id=pair.program_id, number=number).first()
        try:
            with transaction.atomic():
                record = MeetingRecord.objects.create(
                    pair=pair,
                    number=number,
                    guide_version_id=guide.published_version_id if guide else None,
                )
        except IntegrityError:  # the other side created it at the same moment
            record = MeetingRecord.objects.select_for_update().get(pair=pair, number=number)
    elif record.guide_version_id is None:
        guide = Guide.objects.filter(program_id=pair.program_id, number=number).first()
        if guide and guide.published_version_id:
            record.guide_version_id = guide.published_version_id
            record.save(update_fields=["guide_version", "updated_at"])
    return record


def _side_of(pair: Pair, user) -> str:
    side = pair.side_of(user)
    if side is None:
        raise ValidationError(_("Alleen de mentor en de schoolleider van dit koppel kunnen dit."))
    return side


@transaction.atomic
def preparation_save(*, pair: Pair, number: int, by, done: list[int]) -> MeetingRecord:
    """Store which items of the preparation checklist ``by`` has ticked (own side only)."""
    side = _side_of(pair, by)
    record = _record(pair, number)
    version = record.guide_version
    size = len(version.checklist(side)) if version else 0
    ticked = sorted({i for i in done if 0 <= i < size})
    setattr(record, f"prep_{side}_done", ticked)
    record.save(update_fields=[f"prep_{side}_done", "updated_at"])
    return record


@transaction.atomic
def meeting_record_save(
    *,
    pair: Pair,
    number: int,
    by,
    held: bool,
    held_on: dt.date | None,
    themes: list[str],
    note: str = "",
) -> MeetingRecord:
    """Record whether meeting ``number`` took place, its themes, and the side's private note.

    Whether it took place is stored as the meeting's status (``meetings.planning.meeting_record_outcome``);
    the record keeps the date, the themes and who answered.
    """
    side = _side_of(pair, by)
    if held and held_on is None:
        raise ValidationError({"held_on": _("Vul de datum van het gesprek in.")})
    if held_on and held_on > timezone.localdate():
        raise ValidationError(
            {"held_on": _("Een gehouden gesprek kan niet in de toekomst liggen.")}
        )
    record = _record(pair, number)
    meeting_planning.meeting_record_outcome(
        pair=pair, number=number, by=by, held=held, held_on=held_on
    )
    record.held_on = held_on if held else None
    record.themes = _clean_themes(themes) if held else []
    record.recorded_by = by
    record.recorded_at = timezone.now()
    record.save()
    note = (note or "").strip()
    if note:
        MeetingNote.objects.update_or_create(
            record=record, side=side, defaults={"body": note, "author": by}
        )
    else:
        MeetingNote.objects.filter(record=record, side=side).delete()
    return record


@transaction.atomic
def action_add(
    *, pair: Pair, number: int, by, description: str, owner: str, due_on: dt.date | None
) -> Action:
    """Add an agreed action to meeting ``number``; it stays on later pages until done."""
    _side_of(pair, by)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Beschrijf de afspraak.")})
    if owner not in ActionOwner.values:
        raise ValidationError({"owner": _("Kies wie de afspraak oppakt.")})
    record = _record(pair, number)
    action = Action.objects.create(
        pair=pair, number=number, description=description, owner=owner, due_on=due_on, created_by=by
    )
    MeetingRecord.objects.filter(pk=record.pk).update(action_count=F("action_count") + 1)
    return action


@transaction.atomic
def action_set_done(*, action: Action, by, done: bool) -> Action:
    _side_of(action.pair, by)
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    return action


def feedback_key(*, kind: str, side: str, pair: Pair | None, school, number: int) -> str:
    if kind == FeedbackKind.MEETING:
        if pair is None:
            raise ValueError("feedback on a meeting belongs to the meeting's pair")
        return f"m:{pair.pk}:{number}:{side}"
    if pair is not None:
        return f"c:p{pair.pk}:{side}"
    return f"c:s{school.pk}:{side}"


@transaction.atomic
def feedback_submit(
    *,
    program: ProgramYear,
    kind: str,
    side: str,
    respondent,
    usefulness: int,
    helped: str = "",
    better: str = "",
    share_name: bool = False,
    pair: Pair | None = None,
    school=None,
    number: int = 0,
) -> Feedback:
    """Store one feedback answer; a form can be answered once per side."""
    if not isinstance(usefulness, int) or not 1 <= usefulness <= 5:
        raise ValidationError({"usefulness": _("Kies een cijfer van 1 tot en met 5.")})
    if kind == FeedbackKind.MEETING:
        if pair is None:
            raise ValidationError(_("Feedback na een gesprek hoort bij een koppel."))
        if not meeting_selectors.is_held(pair, number):
            raise ValidationError(_("Geef feedback nadat het gesprek is vastgelegd als gehouden."))
    school = school or (pair.school if pair else None)
    key = feedback_key(kind=kind, side=side, pair=pair, school=school, number=number)
    if Feedback.objects.filter(program=program, key=key).exists():
        raise ValidationError(_("U heeft deze vragenlijst al ingevuld. Dank u wel!"))
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                program=program,
                kind=kind,
                key=key,
                pair=pair,
                school=school,
                number=number,
                side=side,
                region_id=school.region_id if school else None,
                respondent=respondent,
                usefulness=usefulness,
                helped=(helped or "").strip(),
                better=(better or "").strip(),
                share_name=share_name,
            )
    except IntegrityError:
        raise ValidationError(_("U heeft deze vragenlijst al ingevuld. Dank u wel!"))


def closing_survey_recipients_query(program: ProgramYear) -> QuerySet[User]:
    """Everyone asked to look back, as one query (count it, or list it): both members of
    every pair (mentoring), or the schoolleiders of the schools an expertcoach guided;
    minus those who already answered."""

    answered = Feedback.objects.filter(
        program=program, kind=FeedbackKind.CLOSING, respondent__isnull=False
    ).values("respondent_id")
    if program.is_mentoring:
        pairs = Pair.objects.filter(program=program)
        asked = Q(pk__in=pairs.values("mentor__user_id")) | Q(
            pk__in=pairs.values("schoolleider__user_id")
        )
    else:
        schools = CoachAssignment.objects.filter(program=program).values("school_id")
        asked = Q(
            pk__in=SchoolleiderProfile.objects.filter(
                role__program=program, school_id__in=schools
            ).values("role__user_id")
        )
    return User.objects.filter(asked, is_active=True).exclude(pk__in=answered).order_by("pk")


def closing_survey_recipients(program: ProgramYear) -> list:
    """Everyone asked to look back who has not answered yet (see the query above)."""
    return list(closing_survey_recipients_query(program))


def closing_not_open_message(program: ProgramYear) -> str:

    assert program.closing_date is not None  # without a closing date the survey is open
    return _(
        "De terugblik gaat open op %(date)s, de afsluiting van het programma in de tijdlijn."
    ) % {"date": date_format(program.closing_date, "j F Y")}


@transaction.atomic
def closing_survey_invite(*, program: ProgramYear, by) -> int:
    """E-mail the closing survey to everyone who has not answered it; once per person.
    Not before the program's closing date, which opens the survey."""

    if not program.closing_survey_open:
        raise ValidationError(closing_not_open_message(program))

    url = absolute_url("guides:closing_feedback", program.pk)
    queued = notify_many(
        "closing_survey",
        closing_survey_recipients(program),
        {"program": program, "survey_url": url},
        essential=False,
        program=program,
        dedupe_key=lambda user: f"closing_survey:{program.pk}:{user.pk}",
    )
    return len(queued)


__all__ = [
    "Side",
    "action_add",
    "closing_survey_invite",
    "action_set_done",
    "feedback_submit",
    "guide_create",
    "guide_publish",
    "guide_save_draft",
    "guides_seed",
    "meeting_record_save",
    "preparation_save",
]
