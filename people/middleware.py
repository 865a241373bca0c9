"""Per-request time zone and language; two factors for privileged accounts."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


class TimezoneMiddleware:
    """Show times in the site's zone (settings.TIME_ZONE) and speak the signed-in user's language."""

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
    """Privileged accounts (foundation staff, superusers, staff of any program year) open no
    page but the account and two-factor pages until TOTP is set up, whatever other roles
    they hold. allauth offers recovery codes right after TOTP is activated."""

    #: Paths open without TOTP: allauth's account and two-factor pages (login, logout,
    #: password, email, /accounts/2fa/...), the language switch, static files.
    EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/taal/", "/static/", "/media/", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .access import mfa_redirect, staff_mfa_missing

        user = getattr(request, "user", None)
        if (
            user is not None
            and settings.STAFF_REQUIRE_MFA
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and staff_mfa_missing(user)
        ):
            return mfa_redirect(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers every response gets (docs/security.md).

    - ``Permissions-Policy``: no camera, microphone, location, payment, USB, ... for anyone.
    - ``Cache-Control: private, no-store`` on every download (a response with a
      ``Content-Disposition`` or a file type: exports, reports, certificates, calendars,
      a person's data), so no proxy or shared browser cache keeps personal data.
    The Content-Security-Policy comes from django-csp, Referrer-Policy from Django's
    ``SECURE_REFERRER_POLICY``.
    """

    PERMISSIONS_POLICY = (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
        "interest-cohort=()"
    )
    DOWNLOAD_TYPES = (
        "text/csv",
        "text/calendar",
        "application/pdf",
        "application/json",
        "application/vnd.openxmlformats-officedocument",
        "application/octet-stream",
        "application/zip",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if response.has_header("Content-Disposition") or content_type.startswith(
            self.DOWNLOAD_TYPES
        ):
            response["Cache-Control"] = "private, no-store"
            response["Pragma"] = "no-cache"
        return response
