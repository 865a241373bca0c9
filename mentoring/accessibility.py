"""The accessibility statement (toegankelijkheidsverklaring): public, linked in every footer."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def contact_email() -> str:
    """Where to report a problem: the staff contact address, else the sender address."""
    configured = getattr(settings, "STAFF_CONTACT_EMAIL", "") or ""
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html", {"contact_email": contact_email()})
