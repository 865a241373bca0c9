"""Create forms act once: a repeated submission (a double click, a resent POST) is not
carried out again but sent where the first one led.

A create form carries a one-time token (``{% once %}`` in its template). Before the view
runs, ``OnceOnlyMiddleware`` claims ``hash(person, token)`` in ``FormSubmission`` — a unique
row, so of two requests arriving together exactly one wins, on SQLite and PostgreSQL alike.
The winner's redirect is stored; the repeat waits briefly for it and follows it. A
submission that did not lead anywhere (form errors, an exception) releases its claim, so
the person can correct the form and send it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "_once"
KEEP = dt.timedelta(days=1)
#: How long a repeat waits for the first submission to finish before answering itself.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


def token_field() -> str:
    """The hidden input of a create form; a new token every time the form is shown."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD, secrets.token_urlsafe(18)
    )


def _key(request: HttpRequest, token: str) -> str | None:
    if request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    elif getattr(request, "session", None) is not None and request.session.session_key:
        who = f"session:{request.session.session_key}"
    else:
        return None  # an anonymous visitor without a session: nothing to tie the token to
    return hashlib.sha256(f"{who}|{request.path}|{token}".encode()).hexdigest()


def prune() -> int:
    """Forget tokens older than ``KEEP`` (the periodic job ``people.form_submissions``)."""
    deleted, _detail = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted


def claim(key: str, path: str) -> bool:
    """True when this request is the first with ``key``."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(key=key, path=path[:300])
    except IntegrityError:
        return False
    return True


def _wait_for_first(key: str) -> str | None:
    """Where the first submission led; ``None`` if it released its claim (try again)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = FormSubmission.objects.filter(key=key).values_list("location", flat=True).first()
        if row is None:
            return None
        if row:
            return row
        if time.monotonic() > deadline:
            return ""
        time.sleep(POLL_SECONDS)


class OnceOnlyMiddleware:
    """Place after CSRF, authentication and messages: only checked POSTs claim a token."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An exception in the view reaches here as a 500 response: it releases the claim too.
        response = self.get_response(request)
        key = getattr(request, "_once_key", None)
        if key:
            if response.status_code in (301, 302, 303) and response.get("Location"):
                FormSubmission.objects.filter(key=key).update(location=response["Location"][:500])
            else:
                FormSubmission.objects.filter(key=key).delete()
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        token = request.POST.get(FIELD, "")
        if not token or len(token) > 64:
            return None
        key = _key(request, token)
        if key is None:
            return None
        for _attempt in range(2):
            if claim(key, request.path):
                request._once_key = key
                return None
            location = _wait_for_first(key)
            if location is None:
                continue  # the first attempt failed and released the claim: this one runs
            if location:
                messages.info(
                    request, _("Dit formulier was al verstuurd; het is maar één keer verwerkt.")
                )
                return HttpResponseRedirect(location)
            return HttpResponse(
                _("Dit formulier wordt al verwerkt. Ververs de pagina over een ogenblik."),
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        return None
