"""Writes of shared records: the region table and school master data.

Ownership (docs/security.md): regions and a school's master data are shared by every
program year, so only foundation staff change them (here, or in the admin). A program's
staff change their own program: its timeline, its enrollments, its people's roles there.
An import by a program changes the master data only of schools no other program uses
(``programs.importing.planning``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region, School


def require_foundation_staff(user) -> None:
    from people.access import is_foundation_staff

    if not is_foundation_staff(user):
        raise PermissionDenied(
            _("Alleen medewerkers van de stichting wijzigen regio's en schoolgegevens.")
        )


@transaction.atomic
def region_save(*, user, form) -> Region:
    """Save a region form and recompute every school's region (foundation staff only)."""
    require_foundation_staff(user)
    region = form.save()
    reassign_school_regions()
    return region


def reassign_school_regions() -> int:
    """Recompute every school's region after the regions changed; returns schools changed."""
    resolve = Region.resolver()
    changed = []
    for school in School.objects.only("id", "province", "municipality", "region_id"):
        region = resolve(school.province, school.municipality)
        region_id = region.pk if region else None
        if region_id != school.region_id:
            school.region_id = region_id
            changed.append(school)
    School.objects.bulk_update(changed, ["region"], batch_size=1000)
    return len(changed)
