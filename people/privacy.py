"""The people app's part of "Mijn gegevens" and of erasure (``mentoring.privacy_registry``).

Export: the account, and each role with its profile. Erasure: the profile texts, invitations,
e-mail addresses and two-factor devices go, and the account keeps no name, address or
password (it stays as a row: pairs and meeting records refer to it). The account goes last
(``order=10``: first in the export, so last in erasure).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext as _

from mentoring.privacy_registry import plain, register, rows

from .enums import RoleKind
from .models import ExpertcoachProfile, Invitation, MentorProfile, Role, SchoolleiderProfile, User

#: The profile of each kind of role, and the fields a person gets in their export.
PROFILES = {
    RoleKind.MENTOR: (
        MentorProfile,
        (
            "id",
            "organisation",
            "job_title",
            "methods",
            "methods_other",
            "postcode",
            "pc4",
            "max_travel_km",
            "online_only",
            "sector_preference",
            "months_available",
            "introduction",
            "status",
            "rejection_reason",
            "submitted_at",
            "reviewed_at",
        ),
    ),
    RoleKind.SCHOOLLEIDER: (
        SchoolleiderProfile,
        (
            "id",
            "school_id",
            "job_title",
            "prefers_online",
            "preferred_methods",
            "wishes",
            "confirmed_at",
        ),
    ),
    RoleKind.EXPERTCOACH: (
        ExpertcoachProfile,
        ("id", "postcode", "pc4", "capacity", "max_travel_km"),
    ),
}


def erased_email(user: User) -> str:
    """The address an erased account gets (other apps blank their copies of it with it)."""
    return f"verwijderd-{user.pk}@verwijderd.invalid"


def export_user(user: User) -> dict:
    roles = []
    for role in Role.objects.filter(user=user).select_related("program").order_by("pk"):
        entry = {
            "program": str(role.program),
            "program_id": role.program_id,
            "kind": role.kind,
            "since": plain(role.created_at),
        }
        model, fields = PROFILES.get(role.kind, (None, ()))
        if model is not None:
            found = rows(model.objects.filter(role=role), fields)
            if found:
                entry["profile"] = found[0]
        roles.append(entry)
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": plain(user.date_joined),
            "last_login": plain(user.last_login),
        },
        "roles": roles,
    }


def erase_user(user: User) -> dict[str, int]:
    profiles = (
        MentorProfile.objects.filter(role__user=user).update(
            organisation="",
            job_title="",
            methods_other="",
            postcode="",
            introduction="",
            rejection_reason="",
        )
        + SchoolleiderProfile.objects.filter(role__user=user).update(job_title="", wishes="")
        + ExpertcoachProfile.objects.filter(role__user=user).update(postcode="")
    )
    counts = {
        "profiles": profiles,
        "invitations": Invitation.objects.filter(user=user).delete()[0],
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "authenticators": Authenticator.objects.filter(user=user).delete()[0],
    }
    user.email = erased_email(user)
    user.first_name = ""
    user.last_name = _("(verwijderd)")
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    counts["account"] = 1
    return counts


register("people", export=export_user, erase=erase_user, order=10)
