"""Per-request time zone and language."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


class TimezoneMiddleware:
    """Show times in Europe/Amsterdam and speak the signed-in user's language."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def __call__(self, request):
        timezone.activate(self.zone)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class StaffMFAMiddleware:
    """The Django admin is a staff page too: no admin without TOTP when MFA is required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .access import is_foundation_staff, mfa_redirect, staff_mfa_missing

        if (
            request.path.startswith("/admin/")
            and is_foundation_staff(request.user)
            and staff_mfa_missing(request.user)
        ):
            return mfa_redirect(request)
        return self.get_response(request)
