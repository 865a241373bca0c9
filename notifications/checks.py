"""System checks: production email must have a protected tracking webhook."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

ESP_PROVIDERS = {"postmark", "mailgun", "amazon_ses", "brevo", "sendgrid", "mailjet"}


@register()
def webhook_secret_check(app_configs=None, **kwargs) -> list:
    provider = getattr(settings, "EMAIL_PROVIDER", "")
    if provider in ESP_PROVIDERS and not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return [
            Warning(
                "ANYMAIL_WEBHOOK_SECRET is not set: the delivery-tracking webhook accepts "
                "posts from anyone.",
                hint="Set ANYMAIL_WEBHOOK_SECRET=user:password and use it in the ESP's "
                "webhook URL (see docs/email.md).",
                id="notifications.W001",
            )
        ]
    return []
