"""Navigation for the base template."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .access import any_staff, is_foundation_staff, programs_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_programs": SimpleLazyObject(lambda: programs_for(user)),
        "nav_is_foundation_staff": is_foundation_staff(user),
        "nav_any_staff": SimpleLazyObject(lambda: any_staff(user)),
        "current_program": getattr(request, "program", None),
    }
