"""The bulk reads both planners share: chunked ``IN`` lookups, never one query per row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from people.enums import RoleKind
from people.models import Role, User
from places.geo import Place
from places.geocoding import get_geocoder
from programs.models import Enrollment, ProgramYear

CHUNK = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (one ``IN`` list each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Existing accounts by lower-case e-mail address."""
    wanted = sorted(set(emails))
    found: dict[str, User] = {}
    for chunk in chunks(wanted):
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            found[user.email.lower()] = user
    return found


def privileged_ids(users: Iterable[User]) -> set[int]:
    """Accounts program staff may never give a role to: foundation staff, superusers and
    staff of any program year (one query per chunk). See docs/security.md."""
    users = list(users)
    ids = {u.pk for u in users if u.is_staff or u.is_superuser}
    for chunk in chunks([u.pk for u in users if u.pk not in ids]):
        ids.update(
            Role.objects.filter(user_id__in=chunk, kind=RoleKind.STAFF).values_list(
                "user_id", flat=True
            )
        )
    return ids


def privileged_error(email: str) -> str:
    """The error for a row naming an account ``privileged_ids`` found."""
    return _(
        "%(email)s is een account van programmastaf of van de stichting. Programmastaf kan "
        "zo'n account geen rol geven; vraag de stichting om dit te regelen."
    ) % {"email": email}


def schools_shared_elsewhere(school_ids: list[int], program: ProgramYear) -> set[int]:
    """Schools also enrolled in another program year: their master data is not this
    program's to change (only the foundation changes it)."""
    shared: set[int] = set()
    for chunk in chunks(school_ids):
        shared.update(
            Enrollment.objects.filter(school_id__in=chunk)
            .exclude(program=program)
            .values_list("school_id", flat=True)
        )
    return shared


def geocode(pc4s: Iterable[str]) -> dict[str, Place]:
    """The known postcode areas among ``pc4s`` (empty codes skipped)."""
    codes = sorted({p for p in pc4s if p})
    return get_geocoder().lookup_many(codes) if codes else {}
