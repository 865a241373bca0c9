"""The delivery-tracking webhooks, behind a gate.

anymail's tracking views do the ESP-specific work (basic auth with ``WEBHOOK_SECRET``,
Mailgun's signature). In front of them:

- until ``ANYMAIL["WEBHOOK_SECRET"]`` is set the endpoints answer 404, so nobody can post a
  forged bounce that suppresses a person's essential mail (with DEBUG off a missing secret
  is also a system-check error: ``notifications.checks``);
- an empty, malformed or wrongly shaped JSON body answers 400; so does an endpoint whose
  ESP key is missing (Mailgun's signing key) and any payload anymail cannot read — never 500.

Only the tracking endpoints of the ESPs we support are mounted (no inbound mail).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.sendgrid import SendGridTrackingWebhookView
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

#: esp → (anymail view, body shape): "object" a JSON object, "list" an array of objects
#: (batched posts), "any" either.
ESPS: dict[str, tuple[type, str]] = {
    "postmark": (PostmarkTrackingWebhookView, "object"),
    "mailgun": (MailgunTrackingWebhookView, "object"),
    "amazon_ses": (AmazonSESTrackingWebhookView, "object"),
    "brevo": (BrevoTrackingWebhookView, "any"),
    "sendgrid": (SendGridTrackingWebhookView, "list"),
    "mailjet": (MailjetTrackingWebhookView, "any"),
}
#: Keys an ESP's endpoint needs besides the shared secret.
REQUIRED_KEYS = {"mailgun": ("MAILGUN_WEBHOOK_SIGNING_KEY",)}


def anymail_setting(name: str) -> str:
    return str(getattr(settings, "ANYMAIL", {}).get(name) or "")


def webhook_configured() -> bool:
    return bool(anymail_setting("WEBHOOK_SECRET"))


def missing_keys(esp: str) -> list[str]:
    return [key for key in REQUIRED_KEYS.get(esp, ()) if not anymail_setting(key)]


def _bad(reason: str) -> HttpResponse:
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


def _shape_ok(data, shape: str) -> bool:
    if shape == "object":
        return isinstance(data, dict) and bool(data)
    items = data if isinstance(data, list) else [data]
    if shape == "list" and not isinstance(data, list):
        return False
    return bool(items) and all(isinstance(item, dict) and item for item in items)


def gate(esp: str) -> Callable[[HttpRequest], HttpResponse]:
    view_class, shape = ESPS[esp]

    @csrf_exempt
    def webhook(request: HttpRequest) -> HttpResponse:
        if not webhook_configured():
            raise Http404
        if request.method != "POST":
            return view_class.as_view()(request)  # anymail's own answer (405)
        if missing_keys(esp):
            return _bad("Webhook not configured for this provider.")
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return _bad("Body is not JSON.")
        if not _shape_ok(data, shape):
            return _bad("Unexpected JSON shape.")
        try:
            return view_class.as_view()(request)
        except SuspiciousOperation:
            raise  # a wrong secret or signature: Django answers 400 and logs it
        except ImproperlyConfigured:
            return _bad("Webhook not configured for this provider.")
        except Exception:  # noqa: BLE001 - a payload anymail cannot read is the sender's fault
            logger.warning("Unreadable %s tracking payload refused", esp, exc_info=True)
            return _bad("Unreadable payload.")

    return webhook


urlpatterns = [path(f"{esp}/tracking/", gate(esp), name=f"{esp}_tracking_webhook") for esp in ESPS]
