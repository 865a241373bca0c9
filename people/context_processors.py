"""Navigation for the base template."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .access import any_staff, is_foundation_staff, programs_for


def navigation(request):
    contact = {"staff_contact_email": settings.STAFF_CONTACT_EMAIL}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return contact
    return {
        **contact,
        "nav_programs": SimpleLazyObject(lambda: programs_for(user)),
        "nav_is_foundation_staff": is_foundation_staff(user),
        "nav_any_staff": SimpleLazyObject(lambda: any_staff(user)),
        "current_program": getattr(request, "program", None),
        "account_menu": _account_menu(),
    }


def _account_menu() -> list[dict]:
    """Personal pages that other apps provide (skipped when an app is not installed)."""
    items = []
    for url_name, label in [
        ("notifications:preferences", _("Berichtvoorkeuren")),
        ("meetings:feed_settings", _("Agenda-abonnement")),
        ("privacy:my_data", _("Mijn gegevens")),
    ]:
        try:
            items.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return items
