"""Changes to people: mentor profiles and review, schoolleider details, invitations."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.outbox import notify, notify_address
from notifications.suppression import normalize_email
from programs.enums import ProgramKind
from programs.models import ProgramYear
from programs.timeline import mentor_next_steps

from .enums import Language, MentorStatus, RoleKind
from .models import InterestSignup, Invitation, MentorProfile, Role, SchoolleiderProfile, User


def open_mentor_program(today: dt.date | None = None) -> ProgramYear | None:
    """The mentoring program whose registration window is open today, if any."""

    today = today or timezone.localdate()
    return (
        ProgramYear.objects.filter(
            kind=ProgramKind.MENTOR_LEADER,
            is_archived=False,
            registration_opens__lte=today,
            registration_closes__gte=today,
        )
        .order_by("-school_year")
        .first()
    )


def meeting_months(program: ProgramYear) -> list[int]:
    """Calendar months (1-12) that the program's meeting window touches."""
    months: list[int] = []
    day = program.meetings_start.replace(day=1)
    while day <= program.meetings_end:
        months.append(day.month)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@transaction.atomic
def mentor_role_ensure(*, user: User, program: ProgramYear) -> Role:
    role, _ = Role.objects.get_or_create(user=user, program=program, kind=RoleKind.MENTOR)
    return role


@transaction.atomic
def mentor_profile_submit(*, role: Role, data: dict) -> MentorProfile:
    """Save the mentor's profile and put it in the staff's approval queue."""
    user = role.user
    user.first_name = data["first_name"]
    user.last_name = data["last_name"]
    user.phone = data.get("phone", "")
    user.save(update_fields=["first_name", "last_name", "phone"])
    postcode, pc4 = data["postcode"]
    profile, _created = MentorProfile.objects.select_for_update().get_or_create(
        role=role,
        defaults={"organisation": "", "job_title": "", "postcode": postcode, "pc4": pc4},
    )
    profile.organisation = data["organisation"]
    profile.job_title = data["job_title"]
    profile.methods = list(data["methods"])
    profile.methods_other = data.get("methods_other", "") if "other" in data["methods"] else ""
    profile.postcode = postcode
    profile.pc4 = pc4
    profile.online_only = bool(data.get("online_only"))
    profile.max_travel_km = None if profile.online_only else data.get("max_travel_km")
    profile.sector_preference = list(data.get("sector_preference") or [])
    profile.months_available = sorted(set(data["months_available"]))
    profile.introduction = data["introduction"]
    if profile.status in (MentorStatus.DRAFT, MentorStatus.REJECTED):
        profile.status = MentorStatus.PENDING
        profile.submitted_at = timezone.now()
        profile.rejection_reason = ""
    profile.save()
    return profile


@transaction.atomic
def mentor_review(
    *, profile: MentorProfile, reviewer: User, approve: bool, reason: str = ""
) -> MentorProfile:
    """Approve or reject a mentor; the mentor gets an email with the decision (and reason)."""

    profile = (
        MentorProfile.objects.select_for_update()
        .select_related("role__user", "role__program")
        .get(pk=profile.pk)
    )
    profile.status = MentorStatus.APPROVED if approve else MentorStatus.REJECTED
    profile.rejection_reason = "" if approve else reason.strip()
    profile.reviewed_at = timezone.now()
    profile.reviewed_by = reviewer
    profile.save()
    notify(
        kind="mentor_approved" if approve else "mentor_rejected",
        recipient=profile.role.user,
        context={
            "profile": profile,
            "program": profile.role.program,
            "reason": profile.rejection_reason,
            "program_url": reverse("program_home", args=[profile.role.program_id]),
            "next_steps": mentor_next_steps(profile.role.program),
        },
        essential=True,
        program=profile.role.program,
    )
    return profile


@transaction.atomic
def mentors_approve(*, program: ProgramYear, reviewer: User, profile_ids: list[int]) -> int:
    """Approve several submitted mentors at once (all or nothing); each gets the email.

    Only profiles awaiting review in ``program`` count; anything else refuses the whole batch.
    """

    ids = sorted(set(profile_ids))
    if not ids:
        raise ValidationError(_("Kies eerst een of meer mentoren."))
    profiles = list(
        MentorProfile.objects.select_for_update()
        .filter(pk__in=ids, role__program=program, status=MentorStatus.PENDING)
        .order_by("pk")
    )
    if len(profiles) != len(ids):
        raise ValidationError(
            _(
                "Niet alle gekozen mentoren wachten nog op beoordeling; er is niemand "
                "goedgekeurd. Laad de lijst opnieuw en kies opnieuw."
            )
        )
    for profile in profiles:
        mentor_review(profile=profile, reviewer=reviewer, approve=True)
    return len(profiles)


@transaction.atomic
def schoolleider_confirm(*, profile: SchoolleiderProfile, data: dict) -> SchoolleiderProfile:
    user = profile.role.user
    user.first_name = data["first_name"]
    user.last_name = data["last_name"]
    user.phone = data.get("phone", "")
    user.save(update_fields=["first_name", "last_name", "phone"])
    profile.job_title = data.get("job_title", "")
    profile.prefers_online = bool(data.get("prefers_online"))
    profile.preferred_methods = list(data.get("preferred_methods") or [])
    profile.wishes = data.get("wishes", "")
    profile.confirmed_at = timezone.now()
    profile.save()
    return profile


def invitation_create(*, user: User, program: ProgramYear | None = None) -> Invitation:
    """Create a one-time, expiring set-password link and queue the invitation email.

    Call inside the transaction that created the person, so a rolled-back import sends nothing.
    """

    invitation = Invitation.objects.create(user=user)
    notify(
        kind="invitation",
        recipient=user,
        context={
            "invitation": invitation,
            "program": program,
            "accept_url": reverse("people:invitation_accept", args=[invitation.token]),
            "roles": list(
                Role.objects.filter(user=user, program=program).values_list("kind", flat=True)
            )
            if program
            else [],
        },
        essential=True,
        program=program,
        dedupe_key=f"invitation:{invitation.pk}",
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password_form) -> User:
    """Use the invitation: set the password and mark the email address verified."""

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError("invitation is no longer usable")
    user = password_form.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=invitation.used_at)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


# --- The interest list (registration closed) --------------------------------------------------


@transaction.atomic
def interest_register(*, name: str, email: str, language: str) -> InterestSignup:
    """Put someone on the list for the next registration round (again if already mailed)."""

    address = normalize_email(email)
    entry, _created = InterestSignup.objects.update_or_create(
        email=address,
        defaults={
            "name": name.strip(),
            "language": language if language in Language.values else Language.NL,
            "created_at": timezone.now(),
            "notified_at": None,
            "notified_program": None,
        },
    )
    return entry


def interest_notify_open(*, today: dt.date | None = None) -> int:
    """Mail everyone on the list once the mentor registration of a program is open.

    Safe to run often (a daily command): each entry is mailed once per program, in its own
    transaction, and marked so a second run sends nothing.
    """

    program = open_mentor_program(today)
    if program is None:
        return 0
    signup_url = reverse("people:mentor_signup_info")
    sent = 0
    pending = InterestSignup.objects.filter(notified_at__isnull=True).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            entry = (
                InterestSignup.objects.select_for_update()
                .filter(pk=pk, notified_at__isnull=True)
                .first()
            )
            if entry is None:
                continue
            notify_address(
                "mentor_registration_open",
                entry.email,
                context={"name": entry.name, "program": program, "signup_path": signup_url},
                language=entry.language,
                dedupe_key=f"interest:{entry.pk}:{program.pk}",
                program=program,
            )
            entry.notified_at = timezone.now()
            entry.notified_program = program
            entry.save(update_fields=["notified_at", "notified_program"])
            sent += 1
    return sent


def interest_prune(*, now: dt.datetime | None = None) -> int:
    """Delete entries left more than a year ago (privacy retention)."""
    now = now or timezone.now()
    deleted, _ = InterestSignup.objects.filter(created_at__lt=now - dt.timedelta(days=365)).delete()
    return deleted
